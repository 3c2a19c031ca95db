"""Issue 11 C, for pages 4-6: Japanese as a learner reads it. One term a concept, full-width （）：？, one range
notation (〜), no italic on kanji, and bold that renders without stray spaces (CommonMark's flanking rules)."""

from __future__ import annotations

import re

import pytest

from lessons.i18n import STRINGS

NAMESPACES = ("qat_training", "predict", "integer_inference")
JA = r"\u3040-\u30ff\u4e00-\u9fff"  # kana and kanji
PUNCT = "（）「」『』。、・：？！"  # full-width punctuation (CommonMark treats it as punctuation)

# one term a concept (LAYOUT.md): the word on the left is not used
NOT_USED = {
    "格子": "目盛り",
    "チャンネル": "チャネル",
    "配布済み": "同梱",
    "訓練": "学習",
    "狭い範囲": "ナローレンジ",
    "ストレート・スルー": "ストレートスルー",
    "疑似量子化": "偽量子化",
    "整数値": "コード",
    "切り詰め": "クランプ",
}


def japanese(ns: str) -> list[tuple[str, str]]:
    """(key, text) of a namespace's Japanese strings, each {placeholder} filled with a number as on the page."""
    return [(k, re.sub(r"\{[^{}]*\}", "3", v)) for k, v in STRINGS["ja"].items() if k.startswith(f"{ns}.")]


def half_width_problems(text: str) -> list[str]:
    """Half-width brackets around Japanese, or a half-width colon / question mark after Japanese."""
    found = re.findall(rf"\([^()]*[{JA}][^()]*\)", text)
    found += re.findall(rf"[{JA}][:?]", text)
    found += re.findall(rf"[{JA}]\(", text)
    return found


def range_problems(text: str) -> list[str]:
    """A range written other than a〜b: 0..255, 0…255, 0–255."""
    return re.findall(r"[\d}]\s?(?:\.\.|…|–)\s?[-−]?[\d{]", text)


def _flanks(text: str, i: int) -> tuple[bool, bool]:
    """(left-flanking, right-flanking) of the `**` run at i, by CommonMark's rules."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 2] if i + 2 < len(text) else " "

    def punct(c: str) -> bool:
        return c in PUNCT or (c.isascii() and not c.isalnum() and not c.isspace())

    left = not after.isspace() and (not punct(after) or before.isspace() or punct(before))
    right = not before.isspace() and (not punct(before) or after.isspace() or punct(after))
    return left, right


def bold_problems(text: str) -> list[str]:
    """Bold that would not render (a ** that cannot open or close) or that leans on a space between kana/kanji."""
    runs = [m.start() for m in re.finditer(r"\*\*", text)]
    bad = [text[max(0, i - 8) : i + 10] for n, i in enumerate(runs) if not _flanks(text, i)[n % 2]]
    bad += re.findall(rf"[{JA}）]\*\* [{JA}]|[{JA}] \*\*[{JA}]", text)
    return bad + ([text] if len(runs) % 2 else [])


def italic_kanji(text: str) -> list[str]:
    """*…* (one star) around Japanese: italic kanji and kana read badly."""
    return re.findall(rf"(?<!\*)\*(?!\*)[^*]*[{JA}][^*]*(?<!\*)\*(?!\*)", text)


@pytest.mark.parametrize("ns", NAMESPACES)
def test_one_term_a_concept(ns):
    bad = [(k, word) for k, v in japanese(ns) for word in NOT_USED if word in v]
    assert bad == []


@pytest.mark.parametrize("ns", NAMESPACES)
def test_typography(ns):
    bad = {}
    for k, v in japanese(ns):
        found = half_width_problems(v) + range_problems(v) + bold_problems(v) + italic_kanji(v)
        if found:
            bad[k] = found
    assert bad == {}


@pytest.mark.parametrize("ns", NAMESPACES)
def test_one_range_notation_in_english_too(ns):
    bad = {
        k: r
        for k, v in STRINGS["en"].items()
        if k.startswith(f"{ns}.")
        if (r := re.findall(r"\d\.\.\d|\}\.\.\{|\d–\{", v))
    }
    assert bad == {}


def test_the_checks_catch_what_they_should():
    assert half_width_problems("テストサンプル (0 番から)") and half_width_problems("注意: ")
    assert half_width_problems("値:1") and half_width_problems("値：1") == []
    assert half_width_problems("方法:") and half_width_problems("積 (q_in − z_in)") == []
    assert range_problems("0..255") and range_problems("−128…127") and range_problems("0–3")
    assert range_problems("0〜255") == [] and range_problems("2⁻ⁿ") == []
    assert bold_problems("**学習後量子化（PTQ）**は") and bold_problems("**再量子化** します")
    assert bold_problems("**学習後量子化**（PTQ）は") == [] and bold_problems("と **int8** モデル") == []
    assert bold_problems("どちらも**3（三）**。") == [] and bold_problems("**答え。** 次") == []
    assert italic_kanji("*偽量子化*（量子化して") and italic_kanji("**太字**") == []
