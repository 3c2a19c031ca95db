"""AppTest of page 4 (QAT training): both languages, a short training run, the bit sweep, cached models untouched."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from lessons.i18n import t
from lessons.qat_training import lesson as lab
from qlib.model import evaluate
from tests import digest
from tests.app.apptest import no_errors, run_page
from ui.widgets import digit_splits, shipped_model

PAGE = "pages/4_QAT_training.py"


def open_page(lang: str = "en") -> AppTest:
    """Page 4 run on its own, in a language, with the smallest epoch counts."""
    at = run_page(PAGE, lang)
    no_errors(at)
    at.number_input(key="qat_fp32_epochs").set_value(1)
    at.number_input(key="qat_qat_epochs").set_value(1)
    return at


def chart(at: AppTest, key: str) -> dict:
    """The plotly figure (as JSON) of the chart with this key."""
    for c in at.get("plotly_chart"):
        if c.proto.id.endswith(key) or key in c.proto.id:
            return json.loads(c.proto.spec)
    raise AssertionError(f"no chart {key}")


def percent(text: str) -> float:
    return float(re.match(r"([\d.]+) %", text)[1]) / 100


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_renders_in_both_languages(lang):
    at = open_page(lang)
    assert at.title[0].value == t("qat_training.title", lang)
    assert t("qat_training.no_results", lang) in [i.value for i in at.info]
    assert [b.label for b in at.button][:4] == [
        t(f"qat_training.btn.{k}", lang) for k in ("fp32", "ptq", "qat", "all")
    ]
    assert chart(at, "qat_fig_hist")["data"][0]["name"] == t("qat_training.fig.float", lang)
    assert any(r"\mathrm{clamp}" in x.value for x in at.latex)


def test_training_run_shows_curves_and_results_and_leaves_cached_models_alone():
    names = ("fp32", "qat-w8a8", "ptq-w8a8")  # the models pages 4 and 5 read
    before = {n: digest(shipped_model(n)) for n in names}
    at = open_page()
    at.select_slider(key="qat_wbits").set_value(4)
    at.select_slider(key="qat_abits").set_value(4)
    at.button(key="qat_btn_qat").click().run()  # QAT starts from a copy of the cached fp32 model
    at.button(key="qat_btn_ptq").click().run()
    no_errors(at)
    results = at.session_state["qat_results"]
    assert set(results) == {"ptq", "qat"} and results["qat"].origin == "shipped"
    assert results["qat"].config == lab.Config(4, 4)
    metrics = {m.label: m.value for m in at.metric}
    for run in ("ptq", "qat"):  # the number shown is the session's integer model's own test accuracy
        shown = percent(metrics[t(f"qat_training.metric.{run}", "en")])
        assert shown == pytest.approx(evaluate(results[run].int8, *digit_splits().test), abs=5e-4)
    assert metrics[t("qat_training.metric.fp32", "en")] == "—"
    curves = chart(at, "qat_fig_curves")
    qat = [d for d in curves["data"] if d["name"] == "QAT"]
    assert qat[0]["x"] == [1] and qat[0]["y"] == pytest.approx([results["qat"].history[0]["loss"]])
    assert chart(at, "qat_fig_trace")["data"], "the scale / zero point trace is drawn after QAT"
    q = results["qat"].qparams_now  # the formula's caption carries the run's own scale and zero point
    assert t("qat_training.formula_caption_trained", "en", **q) in [c.value for c in at.caption]
    assert at.get("progress")[0].proto.text.startswith("Done in")
    # then fp32 from scratch: the curves gain an fp32 line; the results survive a language switch
    at.button(key="qat_btn_fp32").click().run()
    assert [d["name"] for d in chart(at, "qat_fig_curves")["data"]][:1] == ["fp32"]
    at.session_state["lang"] = "ja"
    at.run()
    no_errors(at)
    assert at.select_slider(key="qat_wbits").value == 4
    assert [m.label for m in at.metric][0] == t("qat_training.metric.fp32", "ja")
    assert {n: digest(shipped_model(n)) for n in names} == before
    other = open_page()  # another session sees none of it
    assert "qat_results" not in other.session_state


def test_sweep_plots_ptq_and_qat(monkeypatch):
    monkeypatch.setattr(lab, "SWEEP_BITS", (8, 3))
    at = open_page()
    at.button(key="qat_btn_sweep").click().run()
    no_errors(at)
    fig = chart(at, "qat_fig_sweep")
    assert [d["name"] for d in fig["data"]] == ["PTQ", "QAT"]
    rows = at.session_state["qat_sweep"]["rows"]
    for d, run in zip(fig["data"], ("ptq", "qat"), strict=True):
        assert d["x"] == [8, 3]
        assert d["y"] == pytest.approx([100 * r[run] for r in rows])
    assert rows[0]["ptq"] > 0.8 and rows[0]["qat"] > 0.8  # 8 bits: both near the float model
