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
from ui.state import QAT_RUNS, QAT_SWEEP
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
    runs = at.session_state[QAT_RUNS]
    assert runs.fp32 is None and runs.origin == "shipped"
    assert lab.Config.of(runs.qat.qconfig) == lab.Config.of(runs.ptq.qconfig) == lab.Config(4, 4)
    metrics = {m.label: m.value for m in at.metric}
    for run, r in (
        ("ptq", runs.ptq),
        ("qat", runs.qat),
    ):  # shown: the session's integer model's test accuracy
        shown = percent(metrics[t(f"qat_training.metric.{run}", "en")])
        assert shown == pytest.approx(evaluate(r.int8, *digit_splits().test), abs=5e-4)
    assert metrics[t("qat_training.metric.fp32", "en")] == "—"
    curves = chart(at, "qat_fig_curves")
    qat = [d for d in curves["data"] if d["name"] == "QAT"]
    assert qat[0]["x"] == [1] and qat[0]["y"] == pytest.approx([runs.qat.history[0].train_loss])
    assert chart(at, "qat_fig_trace")["data"], "the scale / zero point trace is drawn after QAT"
    q = lab.first_layer(runs.qat)  # the formula's caption carries the run's own scale and zero point
    caption = t(
        "qat_training.formula_caption_trained",
        "en",
        layer=q.layer,
        wscale=q.wscale,
        ascale=q.ascale,
        azp=q.azp,
    )
    assert caption in [c.value for c in at.caption]
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
    assert QAT_RUNS not in other.session_state


def test_sweep_plots_ptq_and_qat(monkeypatch):
    monkeypatch.setattr(lab, "SWEEP_BITS", (8, 3))
    at = open_page()
    at.button(key="qat_btn_sweep").click().run()
    no_errors(at)
    fig = chart(at, "qat_fig_sweep")
    assert [d["name"] for d in fig["data"]] == ["PTQ", "QAT"]
    rows = at.session_state[QAT_SWEEP].rows
    for d, accs in zip(fig["data"], ([r.ptq for r in rows], [r.qat for r in rows]), strict=True):
        assert d["x"] == [8, 3]
        assert d["y"] == pytest.approx([100 * a for a in accs])
    assert rows[0].ptq > 0.8 and rows[0].qat > 0.8  # 8 bits: both near the float model


def test_a_language_switch_sets_no_widget_twice(monkeypatch):
    """B11: a language switch sets every choice again (ui.shell._reassert_choices); a widget that also had a
    default logged 'created with a default value but also had its value set via the Session State API'."""
    from streamlit.elements.lib import policies

    logged = []
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    monkeypatch.setattr(policies._LOGGER, "warning", lambda msg, *args, **kw: logged.append(msg % args))
    at = open_page()
    at.selectbox(key="qat_observer").set_value("minmax").run()
    at.sidebar.get("button_group")[0].set_value("ja").run()  # the sidebar's language switch, its callback too
    no_errors(at)
    assert at.title[0].value == t("qat_training.title", "ja")
    assert at.selectbox(key="qat_observer").value == "minmax"
    assert not [m for m in logged if "default value" in m], logged
