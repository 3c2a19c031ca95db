"""AppTest: the home page and lessons 1-3 render in both languages and their controls move the numbers."""

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from lessons.i18n import t
from tests import ROOT
from tests.app.apptest import no_errors
from ui.shell import PAGES as PAGE_FILES

PAGES = {
    "home": None,
    "preprocess": "pages/1_Preprocess.py",
    "scale_and_zero_point": "pages/2_Scale_and_zero_point.py",
    "ste": "pages/3_STE.py",
}


def open_page(page: str, lang: str = "en", query: dict | None = None) -> AppTest:
    """The app started at app.py (so page links resolve), in a language, switched to a page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    if PAGES[page]:
        at.switch_page(PAGES[page])
        for k, v in (query or {}).items():
            at.query_params[k] = v
        at.run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, key: str, lang: str = "en") -> str:
    label = t(key, lang)
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_in_both_languages(page, lang):
    at = open_page(page, lang)
    no_errors(at)
    assert at.title[0].value == t(f"{page}.title" if page != "home" else "home.title", lang)
    assert t("common.app_name", lang) in at.sidebar.markdown[0].value


def test_language_switch_keeps_the_settings():
    at = open_page("scale_and_zero_point")
    at.slider(key="ex_bits").set_value(4).run()
    at.sidebar.segmented_control(key="lang").set_value("ja").run()
    assert at.title[0].value == t("scale_and_zero_point.title", "ja")
    assert at.slider(key="ex_bits").value == 4
    assert metric(at, "scale_and_zero_point.m.codes", "ja") == "0 … 15"


def test_explorer_default_then_symmetric():
    at = open_page("scale_and_zero_point")
    assert (
        metric(at, "scale_and_zero_point.m.zp") == "64"
        and metric(at, "scale_and_zero_point.m.scale") == "0.0314"
    )
    assert "min" not in at.query_params  # the link carries only what differs from the defaults
    at.radio(key="ex_mode").set_value("sym").run()
    no_errors(at)
    assert at.query_params["mode"] in (["sym"], "sym")
    assert metric(at, "scale_and_zero_point.m.zp") == "0"
    assert at.toggle(key="ex_signed").value is True


def test_explorer_controls_move_the_numbers():
    at = open_page("scale_and_zero_point")
    at.slider(key="ex_bits").set_value(4).run()
    assert (
        metric(at, "scale_and_zero_point.m.codes") == "0 … 15"
        and metric(at, "scale_and_zero_point.m.zp") == "4"
    )
    at.number_input(key="ex_lo").set_value(0.0).run()
    assert metric(at, "scale_and_zero_point.m.zp") == "0" and at.slider(key="ex_range").value == (0.0, 6.0)
    at.slider(key="ex_range").set_value((-1.0, 1.0)).run()
    assert at.number_input(key="ex_hi").value == 1.0
    at.number_input(key="ex_x").set_value(-5.0).run()
    assert metric(at, "scale_and_zero_point.m.code_dec") == "0"
    no_errors(at)


def test_explorer_presets_and_calibration():
    at = open_page("scale_and_zero_point")
    at.button(key="ex_preset_outliers").click().run()
    assert at.number_input(key="ex_hi").value == 12.0 and at.selectbox(key="ex_dist").value == "outliers"
    at.button(key="ex_cal_percentile").click().run()
    assert at.number_input(key="ex_hi").value < 12.0
    at.button(key="ex_preset_positive").click().run()
    assert at.toggle(key="ex_zero").value is False
    assert any(t("scale_and_zero_point.zp_clamped", "en")[:20] in w.value for w in at.warning)
    at.button(key="ex_preset_seed").click().run()
    assert metric(at, "scale_and_zero_point.m.zp") == "64"
    no_errors(at)


def test_a_shared_url_restores_the_view():
    at = open_page(
        "scale_and_zero_point",
        query={"bits": "4", "mode": "sym", "signed": "1", "min": "-1", "max": "1", "dist": "laplace"},
    )
    assert at.slider(key="ex_bits").value == 4 and at.radio(key="ex_mode").value == "sym"
    assert (
        metric(at, "scale_and_zero_point.m.codes") == "−8 … 7"
        and metric(at, "scale_and_zero_point.m.zp") == "0"
    )
    assert at.selectbox(key="ex_dist").value == "laplace"
    assert not at.warning  # a clean link brings no messages


def test_a_hand_edited_url_gets_messages_not_a_traceback():
    at = open_page(
        "scale_and_zero_point", lang="ja", query={"bits": "999", "min": "abc", "mode": "evil", "max": "nan"}
    )
    no_errors(at)
    assert at.slider(key="ex_bits").value == 16
    assert len(at.warning) >= 3 and "bits=999" in at.warning[0].value
    assert metric(at, "scale_and_zero_point.m.zp", "ja") == "16384"  # -2..6 at 16 bits


def test_min_above_max_is_kept_as_typed_and_explained():
    """Issue 11 B7: typing min above max swaps nothing; the page says what is wrong and keeps the last view."""
    at = open_page("scale_and_zero_point")
    at.number_input(key="ex_lo").set_value(9.0).run()
    no_errors(at)
    assert at.number_input(key="ex_lo").value == 9.0 and at.number_input(key="ex_hi").value == 6.0
    assert t("scale_and_zero_point.min_above_max", "en", lo="9", hi="6") in [w.value for w in at.warning]
    assert metric(at, "scale_and_zero_point.m.zp") == "64"  # still the last valid range, -2 ... 6
    at.number_input(key="ex_hi").set_value(12.0).run()  # moving a range by typing min first, then max
    assert at.slider(key="ex_range").value == (9.0, 12.0)
    assert not any(
        t("scale_and_zero_point.min_above_max", "en", lo="9", hi="12")[:20] in w.value for w in at.warning
    )
    assert metric(at, "scale_and_zero_point.m.zp") == "0"


def test_preprocess_sample_reaches_the_histograms():
    at = open_page("preprocess")
    assert any("[124, 198, 244]" in m.value for m in at.markdown)
    assert t("preprocess.using_sample", "en") in [c.value for c in at.caption]
    assert len(at.get("plotly_chart")) == 2
    assert "(3, 'three', 0.7547)" in at.code[-2].value  # decode_predictions with from_logits=True
    at.slider(key="pp_row").set_value(120).run()
    assert not any("[124, 198, 244]" in m.value for m in at.markdown)
    at.radio(key="pp_mode").set_value("torch").run()
    assert not at.exception


def _png(w=40, h=30, color=(10, 200, 30)) -> bytes:
    b = io.BytesIO()
    Image.fromarray(np.full((h, w, 3), color, np.uint8)).save(b, "PNG")
    return b.getvalue()


def test_an_uploaded_image_reaches_the_histograms():
    from lessons.preprocess.lesson import open_upload

    img, err = open_upload(_png())
    assert err is None and img.shape == (30, 40, 3) and tuple(img[0, 0]) == (10, 200, 30)
    at = open_page("preprocess")
    at.slider(key="pp_row").set_value(100).run()
    at.file_uploader(key="pp_upload").upload("green.png", _png(), "image/png").run()
    assert not at.exception
    assert any(
        "[10, 200, 30]" in m.value for m in at.markdown
    )  # the pixel moved back inside the small picture
    assert len(at.get("plotly_chart")) == 2


@pytest.mark.parametrize("data", [b"", b"<html>hi</html>", _png()[:60]])
def test_bad_uploads_give_a_translated_message(data):
    from lessons.preprocess.lesson import open_upload
    from qlib.data import IMAGE_ERROR_KEYS

    img, key = open_upload(data)
    assert img is None and key in IMAGE_ERROR_KEYS
    at = open_page("preprocess", "ja")
    at.file_uploader(key="pp_upload").upload("bad.png", data, "image/png").run()
    assert not at.exception
    if data:  # Streamlit itself drops a 0-byte upload before the page sees it
        assert t(f"common.image_error.{key}", "ja") in [e.value for e in at.error]
    assert t("preprocess.using_sample", "ja") in [c.value for c in at.caption]  # and the lesson goes on


def test_ste_page_numbers_move():
    at = open_page("ste")
    no_errors(at)
    assert metric(at, "ste.m.w_no") == "0.100"
    before = metric(at, "ste.m.w_ste")
    at.slider(key="ste_fit_target").set_value(-0.5).run()
    assert metric(at, "ste.m.w_ste") != before and metric(at, "ste.m.w_no") == "0.100"
    at.select_slider(key="ste_cnn_bits").set_value(2).run()
    at.slider(key="ste_bits").set_value(2).run()
    no_errors(at)


def test_a_layer_of_the_tiny_cnn_as_the_data():
    at = open_page("scale_and_zero_point")
    at.selectbox(key="ex_dist").set_value("cnn_conv2_w").run()
    no_errors(at)
    assert 0 < at.number_input(key="ex_hi").value < 1.0  # min / max moved to the layer's own range
    assert float(metric(at, "scale_and_zero_point.m.scale")) < 0.01


def test_translated_choices_survive_a_language_switch():
    """Radios and selectboxes remember their choice by label in the browser: the shell re-sends them."""
    at = open_page("scale_and_zero_point")
    at.radio(key="ex_mode").set_value("sym").run()
    at.selectbox(key="ex_dist").set_value("bimodal").run()
    at.sidebar.segmented_control(key="lang").set_value("ja").run()
    at.slider(key="ex_bits").set_value(5).run()
    assert at.radio(key="ex_mode").value == "sym" and at.selectbox(key="ex_dist").value == "bimodal"
    assert at.query_params["dist"] in (["bimodal"], "bimodal")


def test_settings_survive_a_visit_to_another_page():
    at = open_page("scale_and_zero_point")
    at.slider(key="ex_bits").set_value(5).run()
    at.switch_page(str(ROOT / "app.py"))
    at.query_params.clear()
    at.run()
    at.switch_page(PAGES["scale_and_zero_point"]).run()
    assert at.slider(key="ex_bits").value == 5 and metric(at, "scale_and_zero_point.m.codes") == "0 … 31"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_home_links_every_lesson_and_where_to_start(lang):
    """B10: the lesson map links each lesson (no 'coming soon' left), and 'start with lesson 1' is a link."""
    at = open_page("home", lang)
    links = {(link.proto.page, link.proto.label) for link in at.main.get("page_link")}
    for pid, path, _ in PAGE_FILES[1:]:
        assert (Path(path).stem.split("_", 1)[1], t(f"common.page.{pid}", lang)) in links
    assert ("Preprocess", t("home.start.preprocess", lang)) in links
    assert ("Scale_and_zero_point", t("home.start.scale_and_zero_point", lang)) in links


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_home_promises_only_the_inputs_the_predict_page_has(lang):
    """B10: the map offers drawing a digit only once the predict page has a drawing canvas."""
    text = t("home.map.predict", lang)
    page = (ROOT / "pages" / "5_Predict.py").read_text(encoding="utf-8")
    says_draw = "draw" in text.lower() or "描" in text
    assert says_draw == ("draw_canvas(" in page)
    if "camera_input" in page:
        assert "photo" in text or "撮影" in text
