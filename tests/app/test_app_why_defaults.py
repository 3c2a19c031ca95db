"""Page 8, why the defaults: renders in both languages, every control reruns without an error, and the numbers
on the page are the lesson's."""

from __future__ import annotations

import pytest

from lessons.i18n import t
from lessons.why_defaults import lesson
from qlib import pretrained
from qlib.data import load_digits
from tests.app.apptest import no_errors, run_page

PAGE = "pages/8_Why_the_defaults.py"
TIMEOUT = 240  # the first run quantizes the net at 8 bits while the page's warm-up thread runs the rest


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_renders_in_both_languages(lang):
    at = run_page(PAGE, lang, timeout=TIMEOUT)
    no_errors(at)
    assert at.title[0].value == t("why_defaults.title", lang)
    assert len(at.header) == 5
    g = lesson.granularity(pretrained.load(lesson.FP32), 8, load_digits())
    # the page's numbers are the lesson's (the lesson's are pinned to qlib and the bench)
    assert metric(at, t("why_defaults.m.pc", lang)) == f"{100 * g.per_channel.test_acc:.2f} %"
    assert metric(at, t("why_defaults.m.pt", lang)) == f"{100 * g.per_tensor.test_acc:.2f} %"
    text = "\n".join(m.value for m in at.markdown)
    assert g.claim.text(lambda k, **v: t(f"why_defaults.{k}", lang, **v)) in text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_control(lang):
    at = run_page(PAGE, lang, timeout=TIMEOUT)
    at.selectbox(key="why_fold_layer").set_value("pw3").run()
    at.number_input(key="why_fold_channel").set_value(31).run()
    no_errors(at)
    at.selectbox(key="why_fold_layer").set_value("conv1").run()  # 16 channels: the 31 is clamped
    no_errors(at)
    assert at.number_input(key="why_fold_channel").value == 15
    at.toggle(key="why_cle").set_value(True).run()
    no_errors(at)
    for bits in (6, 4, 3):
        at.select_slider(key="why_bits").set_value(bits).run()
        no_errors(at)
    assert metric(at, t("why_defaults.m.breaks", lang)).startswith("dw3")
    at.segmented_control(key="why_cal_net").set_value("tiny_cnn").run()
    at.segmented_control(key="why_cal_bits").set_value(4).run()
    no_errors(at)
    assert t("why_defaults.cal.entropy_why", lang) in [m.value for m in at.markdown]
    at.segmented_control(key="why_ladder_net").set_value("tiny_cnn").run()
    no_errors(at)


def test_language_switch_keeps_the_choices():
    at = run_page(PAGE, "en", timeout=TIMEOUT)
    at.select_slider(key="why_bits").set_value(4).run()
    at.segmented_control(key="why_cal_net").set_value("tiny_cnn").run()
    at.sidebar.segmented_control(key="lang").set_value("ja").run()
    no_errors(at)
    assert at.select_slider(key="why_bits").value == 4
    assert at.segmented_control(key="why_cal_net").value == "tiny_cnn"
    assert at.title[0].value == t("why_defaults.title", "ja")


def test_cleared_choices_fall_back_to_the_default():
    """Clicking the active option of a segmented control clears it: the page shows the default, no error."""
    at = run_page(PAGE, "en", timeout=TIMEOUT)
    at.segmented_control(key="why_cal_net").set_value(None).run()
    at.segmented_control(key="why_cal_bits").set_value(None).run()
    at.segmented_control(key="why_ladder_net").set_value(None).run()
    no_errors(at)
