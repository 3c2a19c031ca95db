"""What a person does, in a real browser: move a slider, upload images, switch language mid-way, train once."""

from __future__ import annotations

import io
import re

import pytest

from lessons.i18n import t
from tests.browser.test_load import digit_png
from tests.browser.util import (
    ARTIFACTS,
    BOUND_MS,
    bounded,
    exceptions_on,
    screenshot_full,
    wait_idle,
    wait_metric,
)

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "screens"


@pytest.fixture()
def page(app_server, chromium_browser):
    ctx = bounded(chromium_browser.new_context(locale="en-US", viewport={"width": 1440, "height": 1000}))
    pg = ctx.new_page()
    yield pg
    assert exceptions_on(pg) == []
    ctx.close()


def metric(page, label: str) -> str:
    """The value shown by the st.metric whose label is `label`."""
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    )
    return box.first.locator('[data-testid="stMetricValue"]').inner_text().strip()


def switch_language(page, name: str) -> None:
    page.locator('[data-testid="stSidebar"] button', has_text=name).first.click()
    wait_idle(page)


def test_explorer_slider_mode_url_and_language(app_server, page):
    base, _, _ = app_server
    page.goto(f"{base}/Scale_and_zero_point", timeout=BOUND_MS)
    wait_idle(page)
    assert metric(page, "scale s") == "0.0314" and metric(page, "zero point z") == "64"
    page.locator('[data-testid="stSlider"] input[type="range"]').first.focus()
    page.keyboard.press("ArrowLeft")  # 8 -> 7 bits: scale 8/127
    wait_metric(page, "scale s", "0.0630")
    assert "bits=7" in page.url
    page.locator('[data-testid="stRadio"] label').get_by_text("symmetric", exact=True).click()
    wait_metric(page, "zero point z", "0")
    switch_language(page, "日本語")
    assert metric(page, "ゼロポイント z") == "0"  # the settings survive the switch
    assert "bits=7" in page.url
    shared = page.url
    page.goto(
        shared, timeout=BOUND_MS
    )  # the shared link opens the same view, in the link's language (lang=ja)
    wait_idle(page)
    assert "lang=ja" in shared
    assert (
        metric(page, t("scale_and_zero_point.m.zp", "ja")) == "0"
        and metric(page, t("scale_and_zero_point.m.scale", "ja")) == "0.0945"
    )  # 6 / 63.5 (7-bit signed)


def test_preprocess_upload_reaches_the_histograms(app_server, page):
    from PIL import Image

    base, _, _ = app_server
    page.goto(f"{base}/Preprocess", timeout=BOUND_MS)
    wait_idle(page)
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (124, 198, 244)).save(buf, format="PNG")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "sky.png", "mimeType": "image/png", "buffer": buf.getvalue()}]
    )
    wait_idle(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "0.91373" in text or "0.9137" in text  # 244 / 127.5 - 1 of the uploaded pixel
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 2


def test_predict_upload_then_language_switch_keeps_it(app_server, page):
    base, _, _ = app_server
    data, fp32_name, _ = digit_png(5)
    page.goto(f"{base}/Predict", timeout=BOUND_MS)
    wait_idle(page)
    page.locator('[data-testid="stRadio"] label', has_text="Upload").first.click()
    wait_idle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "digit.png", "mimeType": "image/png", "buffer": data}]
    )
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=BOUND_MS)
    wait_idle(page)
    assert page.locator('[data-testid="stDataFrame"]').count() >= 2  # the fp32 and the int8 top-k
    assert fp32_name in page.locator('[data-testid="stAlert"]').first.inner_text()
    switch_language(page, "日本語")
    assert page.locator('[data-testid="stDataFrame"]').count() >= 2  # the upload is still there
    from qlib.decode import class_names

    ja = class_names("ja")[class_names("en").index(fp32_name)]
    assert ja in page.locator('[data-testid="stAlert"]').first.inner_text()
    screenshot_full(page, str(SHOTS / "predict-upload-ja.png"))


QAT_DONE = """() => [...document.querySelectorAll('[data-testid="stMetric"]')].some(m =>
  m.querySelector('[data-testid="stMetricLabel"]')?.textContent.trim() === 'QAT test accuracy'
  && m.querySelector('[data-testid="stMetricValue"]')?.textContent.includes('%'))"""


def test_train_once_with_a_progress_bar(app_server, page):
    base, _, _ = app_server
    page.goto(f"{base}/QAT_training", timeout=BOUND_MS)
    wait_idle(page)
    page.get_by_role("button", name="Run all three").click()
    # states, not times: the progress bar, then the QAT result (a percentage), then the end of the run
    page.wait_for_selector('[data-testid="stProgress"]', timeout=BOUND_MS)
    seen_progress = page.locator('[data-testid="stProgress"]').count() > 0
    page.wait_for_function(QAT_DONE, timeout=BOUND_MS, polling=200)
    wait_idle(page)
    assert seen_progress
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "QAT" in main and "PTQ" in main
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 2  # live curves and the results
    screenshot_full(page, str(SHOTS / "qat-trained-en.png"))


SWEEP_DONE = """() => [...document.querySelectorAll('[data-testid="stCaptionContainer"]')].some(c =>
  c.textContent.startsWith('Test accuracy by bit width') && c.textContent.includes('2 bits: PTQ'))"""


def test_the_sweep_trains_in_the_pool_and_its_chart_follows(app_server, page):
    """The sweep's job polls in its fragment on a real server, then the page reruns and draws the rows."""
    base, _, _ = app_server
    page.goto(f"{base}/QAT_training", timeout=BOUND_MS)
    wait_idle(page)
    page.get_by_role("button", name="Run the sweep").click()
    # a state: the chart's summary with every row; then its own run's time, or the class's cached one's
    page.wait_for_function(SWEEP_DONE, timeout=BOUND_MS, polling=200)
    wait_idle(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert re.search(r"Done in [\d.]+ s\.|here it took no time", main)
    assert not page.locator('[data-testid="stException"]').count()


def test_two_browsers_do_not_share_a_view(app_server, chromium_browser):
    base, _, _ = app_server
    ctxs = [
        bounded(chromium_browser.new_context(locale="en-US", viewport={"width": 1440, "height": 1000}))
        for _ in range(2)
    ]
    a, b = (c.new_page() for c in ctxs)
    try:
        for pg in (a, b):
            pg.goto(f"{base}/Scale_and_zero_point", timeout=BOUND_MS)
            wait_idle(pg)
        a.locator('[data-testid="stRadio"] label').get_by_text("symmetric", exact=True).click()
        wait_idle(a)
        b.locator('[data-testid="stSlider"] input[type="range"]').first.focus()
        b.keyboard.press("ArrowRight")  # 9 bits in b only
        wait_metric(b, "zero point z", "128")
        assert metric(a, "zero point z") == "0" and metric(a, "scale s") == "0.0471"  # 6 / 127.5
        assert metric(b, "zero point z") == "128" and "bits=9" in b.url and "bits=" not in a.url
        assert exceptions_on(a) == [] and exceptions_on(b) == []
    finally:
        for c in ctxs:
            c.close()
