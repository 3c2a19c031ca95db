"""Issue 11 C on pages 1-3: the Japanese reads as a Japanese learner expects, one term per concept."""

from __future__ import annotations

import re

import pytest

from lessons.i18n import STRINGS

PAGES = ("preprocess", "scale_and_zero_point", "ste")
# as written in the tables: lessons.i18n.JA_COUNTER's no-break spaces (8 ビット) read as plain ones here
JA = {k: v.replace("\u00a0", " ") for k, v in STRINGS["ja"].items() if k.split(".")[0] in PAGES}
KANA_KANJI = r"[\u3040-\u30ff\u4e00-\u9fff]"

# the wording found in issue 11 C, and the terms LAYOUT.md fixes (one per concept)
NOT_THESE = {
    "落ち": "対応する／割り当てられる",
    "届きます": "読み込まれます",
    "%点": "パーセンタイル",
    "チャンネル": "チャネル",
    "ストレート・スルー": "ストレートスルー",
    "格子": "目盛り",
    "訓練": "学習",
    "狭い範囲": "ナローレンジ",
    "配布済み": "同梱",
    "・8 ビット": "（8 ビット）",
}


def prose(text: str) -> str:
    """The Japanese sentences only: code, formulas and placeholders stay ASCII and are left out."""
    text = re.sub(r"`[^`]*`", "code", text)
    text = re.sub(r"\$[^$]*\$", "x", text)
    return re.sub(r"\{[^}]*\}", "0", text)


@pytest.mark.parametrize(("bad", "good"), NOT_THESE.items())
def test_one_term_per_concept(bad, good):
    assert [k for k, v in JA.items() if bad in v] == [], f"write {good}"


def test_the_error_message_says_part_of_the_page():
    assert "このパート" not in STRINGS["ja"]["common.unexpected_error"]
    assert "ページのこの部分" in STRINGS["ja"]["common.unexpected_error"]


def test_the_listed_fixes():
    assert STRINGS["ja"]["scale_and_zero_point.preset.seed"] == "−2〜6（8\u00a0ビット）"  # one word
    assert STRINGS["ja"]["scale_and_zero_point.cal.percentile"] == "99.9 パーセンタイル"
    assert "どのコードに対応するか" in STRINGS["ja"]["scale_and_zero_point.intro"]
    assert "割り当てられ" in STRINGS["ja"]["scale_and_zero_point.line_summary"]
    assert "値として読み込まれます" in STRINGS["ja"]["preprocess.intro"]
    assert (
        STRINGS["ja"]["ste.title"] == "ストレートスルー\u200b推定器（STE）"
    )  # a break point between the words
    # what is frozen late in QAT is the weights, not the learning rate ("学習率を下げたり固定したりする")
    assert (
        "重みを固定" in STRINGS["ja"]["ste.fit_summary"]
        and "学習率を下げたり固定" not in STRINGS["ja"]["ste.fit_summary"]
    )


def test_fake_quantization_is_named_once_with_its_other_name():
    """偽量子化 stays; the STE page says once that 疑似量子化 is the same thing."""
    said = [k for k, v in JA.items() if "疑似量子化" in v]
    assert said == ["ste.intro"] and "偽量子化" in STRINGS["ja"]["ste.intro"]


@pytest.mark.parametrize("key", sorted(JA))
def test_full_width_brackets_colons_and_question_marks_in_sentences(key):
    text = prose(JA[key])
    bad = [m.group() for m in re.finditer(rf"{KANA_KANJI}[():?]|[():?]{KANA_KANJI}", text)]
    assert bad == [], bad


@pytest.mark.parametrize("key", sorted(JA))
def test_one_range_notation(key):
    """Ranges in Japanese sentences are written 0〜255 (not 0…255, not 0..255)."""
    text = prose(JA[key])
    assert not re.search(r"\d\s*(…|\.\.)\s*[−\-\d]", text), text


@pytest.mark.parametrize("key", sorted(JA))
def test_no_italic_on_kanji_and_no_stray_space_around_bold(key):
    """A space beside **bold** is stray where the text would have none without the markup: between two
    Japanese characters (spaces between Japanese and Latin letters or numbers are the app's convention)."""
    text = prose(JA[key])
    assert not re.search(rf"(?<!\*)\*(?!\*)[^*]*{KANA_KANJI}[^*]*(?<!\*)\*(?!\*)", text)
    assert not re.search(rf"(?<![\w\\])_[^_]*{KANA_KANJI}[^_]*_", text)
    for m in re.finditer(r"\*\*([^*]+)\*\*", text):
        inner, before, after = m.group(1), text[: m.start()], text[m.end() :]
        assert inner == inner.strip(), inner
        assert not (
            before.endswith(" ")
            and re.match(KANA_KANJI, before[-2:-1] or "a")
            and re.match(KANA_KANJI, inner)
        ), m.group()
        assert not (
            after.startswith(" ")
            and re.match(KANA_KANJI, after[1:2] or "a")
            and re.search(rf"{KANA_KANJI}$", inner)
        ), m.group()
        assert not re.match(r" [、。：）]", after), m.group()
