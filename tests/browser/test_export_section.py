"""Page 7's export section in a real browser: the agreement table fits a phone's width in both languages, and the
.onnx and .tflite the buttons download load in ONNX Runtime and LiteRT."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
from ai_edge_litert.interpreter import Interpreter

from lessons.i18n import t
from tests.browser.util import BOUND_MS, LOCALES, app_errors, bounded, exceptions_on, wait_idle

pytestmark = pytest.mark.browser
URL = "PyTorch_and_TensorFlow"

TABLE_WIDTHS = """(top1) => [...document.querySelectorAll('[data-testid="stTable"]')]
    .filter(t => t.innerText.includes(top1))
    .map(t => ({table: t.querySelector('table').getBoundingClientRect().right,
                box: t.getBoundingClientRect().right, viewport: window.innerWidth}))"""


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_agreement_table_fits_a_phone(app_server, chromium_browser, lang):
    base, _, log_path = app_server
    ctx = bounded(chromium_browser.new_context(locale=LOCALES[lang], viewport={"width": 390, "height": 844}))
    page = ctx.new_page()
    try:
        page.goto(f"{base}/{URL}", timeout=BOUND_MS)
        wait_idle(page)
        assert exceptions_on(page) == []
        widths = page.evaluate(TABLE_WIDTHS, t("pytorch_and_tensorflow.rt.col.top1", lang))
        assert len(widths) == 1
        w = widths[0]
        assert w["table"] <= w["box"] + 1 and w["box"] <= w["viewport"], w  # no sideways scroll, no overflow
    finally:
        ctx.close()
    assert app_errors(log_path.read_text()) == []


def test_the_downloaded_files_load_in_both_runtimes(app_server, chromium_browser, tmp_path):
    base, _, _ = app_server
    ctx = bounded(chromium_browser.new_context(locale="en-US", accept_downloads=True))
    page = ctx.new_page()
    try:
        page.goto(f"{base}/{URL}", timeout=BOUND_MS)
        wait_idle(page)
        files = {}
        for fmt in ("onnx", "tflite"):
            with page.expect_download(timeout=BOUND_MS) as info:
                page.get_by_role("button", name=f"Download .{fmt}").click()
            path = tmp_path / info.value.suggested_filename
            info.value.save_as(path)
            assert path.suffix == f".{fmt}"
            files[fmt] = path.read_bytes()
    finally:
        ctx.close()
    x = np.zeros((2, 1, 8, 8), np.float32)
    sess = ort.InferenceSession(files["onnx"], providers=["CPUExecutionProvider"])
    (logits,) = sess.run(None, {sess.get_inputs()[0].name: x})
    assert logits.shape == (2, 10)
    interp = Interpreter(model_content=files["tflite"], num_threads=1)
    interp.allocate_tensors()
    assert interp.get_output_details()[0]["shape"].tolist() == [1, 10]
