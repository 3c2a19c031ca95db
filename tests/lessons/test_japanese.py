"""Japanese reads as a Japanese learner expects (issue 11 C): one term per concept, full-width （）：？, one range
notation (0〜255), bold that renders and has no stray spaces, no italic on kanji.

Code spans, LaTeX and {placeholders} stay ASCII and are not checked. The namespaces listed in CHECKED are held
to these rules; a page joins the list once its strings have been read.
"""

from __future__ import annotations

import re

import pytest

from lessons.i18n import STRINGS

CHECKED = ("common", "home", "pytorch_and_tensorflow")
CJK = "\u3040-\u30ff\u3400-\u9fff\uff00-\uffef"
JA_PUNCT = "。、，．：；？！（）「」『』・〜…"

# the term list (LAYOUT.md): what must not appear, and what to write instead
NOT_THE_TERM = {
    "チャンネル": "チャネル",
    "格子": "目盛り",
    "配布済み": "同梱",
    "配布して": "同梱",
    "訓練": "学習",
    "狭い範囲": "ナローレンジ",
    "ストレート・スルー": "ストレートスルー",
    "1 ページに 1 つのアイデア": "(reworded)",
    "このパートで問題が起きました": "(reworded)",
    "を印を付け": "に印を付け",
}


def ja_strings() -> list[tuple[str, str]]:
    """(full key, Japanese text) of every checked namespace."""
    return [(k, v) for k, v in STRINGS["ja"].items() if k.split(".", 1)[0] in CHECKED]


def prose(text: str) -> str:
    """The text without code spans, LaTeX and {placeholders}: what a learner reads as Japanese prose."""
    text = re.sub(r"`[^`]*`", "X", text)  # a Latin stand-in: spacing around it stays Latin spacing
    text = re.sub(r"\$[^$]*\$", "X", text)
    return re.sub(r"\{[^{}]*\}", "X", text)


def test_one_term_per_concept():
    bad = [(k, w, NOT_THE_TERM[w]) for k, v in ja_strings() for w in NOT_THE_TERM if w in v]
    assert not bad, bad


def test_full_width_brackets_colons_and_question_marks():
    """ASCII ( ) : ? in Japanese prose are half-width marks a Japanese text would write full-width."""
    bad = [(k, m.group(0)) for k, v in ja_strings() for m in re.finditer(r".?[():?].?", prose(v))]
    assert not bad, bad


def test_one_range_notation():
    """Ranges are written 0〜255 in Japanese prose, not 0..255, 0…255 or 0–255."""
    bad = [(k, m.group(0)) for k, v in ja_strings() for m in re.finditer(r"\d(\.\.|…|–|-)[−\-]?\d", prose(v))]
    assert not bad, bad


def test_no_italic_on_kanji():
    bad = [
        (k, m.group(0))
        for k, v in ja_strings()
        for m in re.finditer(rf"\*(?=[^*\s])[^*]*[{CJK}][^*]*\*", prose(v).replace("**", ""))
    ]
    assert not bad, bad


def bold_problems(text: str) -> list[str]:
    """Bold that would not render (CommonMark flanking rules) or has a space where Japanese has none."""
    parts = prose(text).split("**")
    out = []
    for i in range(1, len(parts) - 1, 2):  # parts[i] is bold, between parts[i - 1] and parts[i + 1]
        inner, before, after = parts[i], parts[i - 1][-1:], parts[i + 1][:1]
        if inner != inner.strip():
            out.append(f"space inside **{inner}**")
        outside_before, outside_after = parts[i - 1][-2:-1], parts[i + 1][1:2]
        if before == " " and re.match(rf"[{CJK}]", inner[:1]) and re.match(rf"[{CJK}]", outside_before):
            out.append(f"stray space before **{inner}**")
        if after == " " and re.match(rf"[{CJK}]", inner[-1:]) and re.match(rf"[{CJK}]", outside_after):
            out.append(f"stray space after **{inner}**")
        if inner[-1:] in JA_PUNCT and after == " ":
            out.append(f"stray space after **{inner}**")
        if inner[-1:] in JA_PUNCT and after and after not in JA_PUNCT + " \n":
            out.append(f"**{inner}** ends in punctuation before {after!r}: CommonMark leaves it unbolded")
    return out


def test_bold_renders_without_stray_spaces():
    bad = [(k, p) for k, v in ja_strings() for p in bold_problems(v)]
    assert not bad, bad


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("**理由。**PyTorch", 1),  # punctuation last, then a letter: not bold in CommonMark
        ("**理由**。PyTorch", 0),
        ("**理由。** PyTorch", 1),  # renders, but Japanese puts no space after 。
        ("これは **量子化** です", 2),
        ("**QuantStub** は境界", 0),  # Latin word, Latin spacing
        ("ReLU の*後*で", 0),  # italic is another test's business
    ],
)
def test_the_bold_check_finds_what_it_should(text, problems):
    assert len(bold_problems(text)) == problems


def test_the_checks_find_the_old_mistakes():
    """The strings these checks replaced, as they were: each rule catches its case."""
    assert re.search(r"[():?]", prose("各セルは (スケール / ゼロポイント) です。一致?"))
    assert re.search(r"\d(\.\.|…|–|-)[−\-]?\d", prose("int8 −127..127（狭い範囲）"))
    assert re.search(rf"\*(?=[^*\s])[^*]*[{CJK}][^*]*\*", prose("ReLU の*後*で").replace("**", ""))
    assert not re.search(r"[():?]", prose("`quant_max=255` で {name}（活性化）"))
