"""Every page's settings in its URL (ui/url_state.py): shared links, hostile links, lock and reset, through AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lessons.i18n import t
from tests import ROOT
from ui.url_state import Bool, Choice, Float, Int, parse_lock

PAGE_FILES = {
    "home": "app.py",
    "preprocess": "pages/1_Preprocess.py",
    "scale_and_zero_point": "pages/2_Scale_and_zero_point.py",
    "ste": "pages/3_STE.py",
    "qat_training": "pages/4_QAT_training.py",
    "predict": "pages/5_Predict.py",
    "integer_inference": "pages/6_Integer_inference.py",
    "pytorch_and_tensorflow": "pages/7_PyTorch_and_TensorFlow.py",
    "why_defaults": "pages/8_Why_the_defaults.py",
}
HOSTILE = [
    "",
    " ",
    "nan",
    "inf",
    "-inf",
    "1e999",
    "<script>alert(1)</script>",
    "0x10",
    "é" * 500,
    "1,2",
    "None",
    "-1",
]


def open_with(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / PAGE_FILES[page]), default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_params_parse_check_and_clamp():
    assert Int("b", "k", 3, 2, 8).parse("5") == (5, None)
    assert Int("b", "k", 3, 2, 8).parse("99") == (8, "common.url.clamped")
    assert Int("b", "k", 3, 2, 8).parse("2.5") == (3, "common.url.invalid")
    assert Float("f", "k", 0.8, -1, 1).parse("nan") == (0.8, "common.url.invalid")
    assert Float("f", "k", 0.8, -1, 1).parse("-7") == (-1.0, "common.url.clamped")
    assert Bool("s", "k", True).parse("0") == (False, None) and Bool("s", "k", True).parse("yes")[1]
    assert Choice("lr", "k", 0.5, (0.05, 0.5)).parse("0.05") == (0.05, None)
    assert Choice("m", "k", "a", ("a", "b")).parse("<b>") == ("a", "common.url.invalid")
    assert parse_lock(["bits,zzz"], ("bits", "mode")) == (
        ("bits",),
        [("common.url.lock_unknown", {"names": "zzz"})],
    )
    assert parse_lock(["all"], ("bits", "mode"))[0] == ("bits", "mode")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_shared_link_opens_the_view_in_its_language(lang):
    at = open_with("ste", lang=lang, bits="5", cnn_bits="4", lr="0.1", target="-0.5")
    clean(at)
    assert at.title[0].value == t("ste.title", lang)
    assert at.sidebar.segmented_control(key="lang").value == lang
    assert at.slider(key="ste_bits").value == 5 and at.slider(key="ste_fit_target").value == -0.5
    assert at.select_slider(key="ste_cnn_bits").value == 4 and at.select_slider(key="ste_fit_lr").value == 0.1
    assert at.query_params["lang"] in ([lang], lang) and at.query_params["bits"] in (["5"], "5")


@pytest.mark.parametrize("page", [p for p in PAGE_FILES if p != "home"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_hostile_values_on_every_page_give_a_message_in_the_language_never_a_traceback(page, lang):
    names = [
        "bits", "fit_bits", "target", "lr", "cnn_bits", "row", "col", "mode", "wbits", "abits", "scheme",
        "per_channel", "observer", "fp32_epochs", "qat_epochs", "sweep_epochs", "layer", "kind", "source",
        "sample", "model", "top", "epochs", "min", "max", "dist", "x", "signed", "narrow", "zero", "channel",
        "cle", "cal_net", "cal_bits", "ladder_net",
    ]  # fmt: skip
    at2 = AppTest.from_file(str(ROOT / PAGE_FILES[page]), default_timeout=120)
    for i, name in enumerate(names):  # every page's URL names, each with a hostile value
        at2.query_params[name] = HOSTILE[i % len(HOSTILE)]
    at2.query_params["lock"] = "<img src=x>,bits"
    at2.session_state["lang"] = lang
    at2.run()
    clean(at2)
    assert at2.warning, "a hostile link is told, not silently used"
    head = t("common.url.invalid", lang, name="", value="", used="").split("=")[0][:4]
    local = t(f"{page}.url.invalid", lang, name="", value="", used="").split("=")[0][:4]
    assert any(w.value.startswith((head, local)) for w in at2.warning), [w.value for w in at2.warning]


def test_an_unknown_language_in_the_link_is_said_and_english_or_the_browser_language_used():
    at = open_with("ste", lang="xx")
    clean(at)
    assert any("lang=xx" in w.value for w in at.warning)


def test_reset_restores_the_defaults_and_takes_the_settings_out_of_the_link():
    at = open_with("ste", lang="ja", bits="6", fit_bits="7")
    assert at.slider(key="ste_bits").value == 6
    at.sidebar.button(key="shell_reset").click().run()
    clean(at)
    assert at.slider(key="ste_bits").value == 3 and at.slider(key="ste_fit_bits").value == 3
    assert "bits" not in at.query_params and at.query_params["lang"] in (["ja"], "ja")


def test_reset_on_the_scale_page():
    at = open_with("scale_and_zero_point", lang="en", bits="4", min="-1", max="1")
    assert at.slider(key="ex_bits").value == 4
    at.sidebar.button(key="shell_reset").click().run()
    clean(at)
    assert at.slider(key="ex_bits").value == 8 and at.number_input(key="ex_lo").value == -2.0
    assert "bits" not in at.query_params and "min" not in at.query_params


def test_the_url_follows_the_settings_and_a_lock_is_kept():
    at = open_with("qat_training", lang="en", wbits="4", lock="wbits")
    clean(at)
    assert at.select_slider(key="qat_wbits").value == 4
    at.select_slider(key="qat_abits").set_value(6).run()
    assert at.query_params["abits"] in (["6"], "6") and at.query_params["wbits"] in (["4"], "4")
    assert at.query_params["lock"] in (["wbits"], "wbits")
    assert any(t("common.locked", "en", names="wbits") == c.value for c in at.caption)


def test_presenter_mode_from_the_link_folds_the_notes():
    at = open_with("ste", lang="en", present="1")
    clean(at)
    assert at.sidebar.toggle(key="present").value is True
    assert len(at.expander) >= 3 and at.query_params["present"] in (["1"], "1")


def test_page_8s_settings_are_in_its_link_and_reset_clears_them():
    """Page 8 too: a link opens its layer, channel, widths and networks; reset brings the defaults back."""
    at = AppTest.from_file(str(ROOT / "pages/8_Why_the_defaults.py"), default_timeout=180)
    for k, v in dict(
        lang="ja", layer="pw2", channel="40", bits="4", cal_net="tiny_cnn", ladder_net="tiny_cnn"
    ).items():
        at.query_params[k] = v
    at.run()
    clean(at)
    assert at.selectbox(key="why_fold_layer").value == "pw2" and at.select_slider(key="why_bits").value == 4
    assert at.number_input(key="why_fold_channel").value == 31  # 40 clamped to the URL's bound, and said
    assert any("channel" in w.value for w in at.warning)
    assert at.session_state["why_cal_net"] == "tiny_cnn" and at.session_state["why_ladder_net"] == "tiny_cnn"
    at.sidebar.button(key="shell_reset").click().run()
    clean(at)
    assert at.selectbox(key="why_fold_layer").value == "dw3" and at.select_slider(key="why_bits").value == 8
    assert "layer" not in at.query_params and at.query_params["lang"] in (["ja"], "ja")
