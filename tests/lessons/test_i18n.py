"""Both languages have the same keys, no empty text, and ask for the same placeholders."""

import re
from importlib import import_module

import numpy as np
import pytest

from lessons.i18n import LANGS, NAMESPACES, STRINGS, Translator, default_lang, placeholders, t


def test_same_keys_in_every_language():
    assert set(STRINGS["ja"]) == set(STRINGS["en"])


@pytest.mark.parametrize("name", NAMESPACES)
def test_each_namespace_has_both_languages(name):
    strings = import_module(f"lessons.{name}.strings").STRINGS
    assert set(strings) == set(LANGS)
    assert set(strings["ja"]) == set(strings["en"]), sorted(set(strings["ja"]) ^ set(strings["en"]))


def test_a_translator_reads_its_namespace_and_the_common_one():
    T = Translator("ja", "scale_and_zero_point")
    assert T("title") == t("scale_and_zero_point.title", "ja")
    assert T("common.app_name") == "量子化ラボ"
    assert T("no.such.key") == "scale_and_zero_point.no.such.key"


@pytest.mark.parametrize("lang", LANGS)
def test_no_empty_values(lang):
    empty = [k for k, v in STRINGS[lang].items() if not isinstance(v, str) or not v.strip()]
    assert not empty


def test_placeholders_match():
    bad = {
        k: (placeholders(STRINGS["en"][k]), placeholders(STRINGS["ja"][k]))
        for k in STRINGS["en"]
        if placeholders(STRINGS["en"][k]) != placeholders(STRINGS["ja"][k])
    }
    assert not bad


SAME_IN_BOTH = {"home.flow.pre", "scale_and_zero_point.fig.fq", "ste.fig.fq"}  # code names and formulas


def test_japanese_is_japanese():
    """A ja value identical to its en value is a missed translation, unless it is a name or a formula."""
    same = [
        k
        for k in STRINGS["en"]
        if STRINGS["en"][k] == STRINGS["ja"][k] and len(STRINGS["en"][k]) > 12 and k not in SAME_IN_BOTH
    ]
    assert not same, same


def test_image_error_keys_are_translated():
    from qlib.data import IMAGE_ERROR_KEYS

    for key in IMAGE_ERROR_KEYS:
        for lang in LANGS:
            assert f"common.image_error.{key}" in STRINGS[lang]


@pytest.mark.parametrize(
    ("locale", "lang"),
    [
        ("ja", "ja"),
        ("ja-JP", "ja"),
        ("JA_jp", "ja"),
        ("en-US", "en"),
        ("fr-FR", "en"),
        ("jav", "en"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_default_lang(locale, lang):
    assert default_lang(locale) == lang


def test_t_formats_and_falls_back():
    assert t("common.app_name", "ja") == "量子化ラボ"
    assert t("common.app_name", "de") == "Quantization Lab"
    assert t("no.such.key", "ja") == "no.such.key"
    assert "Err" in t("common.unexpected_error", "en", name="Err")


def test_sentences_join_with_a_space_in_english_and_none_after_a_japanese_full_stop():
    """Page captions made of two sentences read "…ます。8 ビットでは…", not "…ます。 8 ビットでは…"."""
    assert Translator("en").join("One.", "", "Two.") == "One. Two."
    assert Translator("ja").join("一つ。", "", "二つ。") == "一つ。二つ。"


def test_a_list_in_running_text_takes_the_languages_own_comma():
    """Japanese lists take 、 (a half-width comma reads as a foreign mark there)."""
    assert Translator("en").listed(["conv1", "conv2", "fc"]) == "conv1, conv2, fc"
    assert Translator("ja").listed(iter(["conv1", "conv2", "fc"])) == "conv1、conv2、fc"


def test_japanese_bold_lead_ins_end_before_their_full_stop():
    """'**…です。** ただし' needs its space (CommonMark closes ** after punctuation only before a space), so the
    Japanese strings put the 。 outside: '**…です**。ただし'."""
    bad = [k for k, v in STRINGS["ja"].items() if re.search(r"[。！？]\*\* ", v)]
    assert STRINGS["ja"] and bad == []


def test_numbers_put_into_text_get_a_real_minus_and_strings_keep_theirs():
    """{gap:+.2f} of −0.28 reads "−0.28" (U+2212), a pixel's codes "[−4, 70, 115]"; text the caller put in (code,
    `quant_min=-128`) is left alone."""
    from lessons.i18n import _TEXT

    assert _TEXT.format("{gap:+.2f} / {n} / {x:.1f}", gap=-0.28, n=3, x=0.5) == "−0.28 / 3 / 0.5"
    assert _TEXT.format("{c}", c=[-4, 70, 115]) == "[−4, 70, 115]"
    assert _TEXT.format("{c}", c=np.float32(-1.5)) == "−1.5"
    assert _TEXT.format("`{code}` {flag}", code="quant_min=-128", flag=False) == "`quant_min=-128` False"


def test_a_japanese_number_and_its_counter_stay_on_one_line():
    """「8 ビット」「3 ページ目」「1 エポック」 with a no-break space (a 1280 px line had ended at 「8」); placeholders
    too (「{bits} ビット」); English keeps its spaces, and Japanese words after a space elsewhere are untouched."""
    ja = STRINGS["ja"]
    assert "8\u00a0ビット" in ja["qat_training.intro"] and "8 ビット" not in ja["qat_training.intro"]
    raw = import_module("lessons.qat_training.strings").STRINGS
    assert STRINGS["en"]["qat_training.intro"] == raw["en"]["intro"] and "8 ビット" in raw["ja"]["intro"]
    assert [k for k, v in ja.items() if re.search(r"[0-9}] (ビット|ページ|エポック|個)", v)] == []


def test_a_number_and_its_percent_sign_stay_on_one_line():
    """ "97.22 %" and "{pct} %" with a no-break space in both languages (a phone had put "%" alone on a line)."""
    for lang in LANGS:
        assert [k for k, v in STRINGS[lang].items() if re.search(r"[0-9}] %", v)] == []
    assert "0.1\u00a0%" in STRINGS["en"]["why_defaults.paper.krishnamoorthi"]
