"""AppTest of page 4 (QAT training): both languages, a short training run, the bit sweep, cached models untouched."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from lessons.i18n import t
from lessons.qat_training import lesson as lab
from qlib.model import evaluate
from qlib.quant import quant_error
from tests import digest
from tests.app.apptest import finish_training, no_errors, run_page
from ui.state import QAT_RUNS, QAT_SWEEP
from ui.widgets import digit_splits, shipped_fake_quant, shipped_model, shipped_qat_name

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


def fig_summary(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def percent(text: str) -> float:
    return float(re.match(r"([\d.]+) %", text)[1]) / 100


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_renders_in_both_languages(lang):
    at = open_page(lang)
    assert at.title[0].value == t("qat_training.title", lang)
    assert t("qat_training.no_results", lang) in [i.value for i in at.info]
    assert [b.label for b in at.button if not b.key.startswith("q_")][:4] == [  # not the questions' buttons
        t(f"qat_training.btn.{k}", lang) for k in ("fp32", "ptq", "qat", "all")
    ]
    assert chart(at, "qat_fig_hist")["data"][0]["name"] == t("qat_training.fig.float", lang)
    assert any(r"\mathrm{clamp}" in x.value for x in at.latex)


def metrics(at: AppTest) -> dict:
    return {m.label: m for m in at.metric}


def test_training_run_shows_curves_and_results_and_leaves_cached_models_alone():
    names = ("fp32", "qat-w8a8", "ptq-w8a8")  # the models pages 4 and 5 read
    before = {n: digest(shipped_model(n)) for n in names}
    at = open_page()
    at.select_slider(key="qat_wbits").set_value(4)
    at.select_slider(key="qat_abits").set_value(4)
    finish_training(
        at.button(key="qat_btn_qat").click().run()
    )  # QAT starts from a copy of the cached fp32 model
    finish_training(at.button(key="qat_btn_ptq").click().run())
    no_errors(at)
    runs = at.session_state[QAT_RUNS]
    assert (
        runs.fp32 is None
        and runs.start.origin == "shipped"
        and runs.start.epochs == lab.shipped_fp32_epochs()
    )
    assert lab.Config.of(runs.qat.qconfig) == lab.Config.of(runs.ptq.qconfig) == lab.Config(4, 4)
    shown = metrics(at)
    for run, r in (
        ("ptq", runs.ptq),
        ("qat", runs.qat),
    ):  # shown: the session's integer model's test accuracy
        value = percent(shown[t(f"qat_training.metric.{run}", "en")].value)
        assert value == pytest.approx(evaluate(r.int8, *digit_splits().test), abs=5e-4)
    start = percent(
        shown[t("qat_training.metric.fp32", "en")].value
    )  # the shipped model PTQ and QAT started from
    assert start == pytest.approx(evaluate(shipped_model("fp32"), *digit_splits().test), abs=5e-4)
    curves = chart(at, "qat_fig_curves")
    qat = [d for d in curves["data"] if d["name"] == "QAT"]
    assert qat[0]["x"] == [runs.start.epochs + 1]  # after the shipped model's epochs
    assert qat[0]["y"] == pytest.approx([runs.qat.history[0].train_loss])
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
    finish_training(at.button(key="qat_btn_fp32").click().run())
    assert [d["name"] for d in chart(at, "qat_fig_curves")["data"]][:1] == ["fp32"]
    at.session_state["lang"] = "ja"
    at.run()
    no_errors(at)
    assert at.select_slider(key="qat_wbits").value == 4
    assert [m.label for m in at.metric][0] == t("qat_training.metric.fp32", "ja")
    assert {n: digest(shipped_model(n)) for n in names} == before
    other = open_page()  # another session sees none of it
    assert QAT_RUNS not in other.session_state


def test_qat_is_compared_on_an_equal_budget_and_drawn_after_fp32():
    """B8: QAT 'beat' fp32 by training 2 epochs more than it; now QAT's delta is against fp32 trained the same
    extra epochs in float (same learning rate, schedule, batches), and its epochs follow fp32's on the curves."""
    at = open_page()
    at.number_input(key="qat_fp32_epochs").set_value(2)
    finish_training(at.button(key="qat_btn_all").click().run())
    no_errors(at)
    runs = at.session_state[QAT_RUNS]
    more = runs.fp32_more
    assert len(runs.fp32.history) == 2 and len(runs.qat.history) == len(more.history) == 1
    assert more.test_acc == pytest.approx(evaluate(more.model, *digit_splits().test))
    shown = metrics(at)
    qat = shown[t("qat_training.metric.qat", "en")]
    assert qat.proto.delta == t(
        "qat_training.metric.delta", "en", delta=100 * (runs.qat.test_acc - more.test_acc)
    )
    assert qat.help == t("qat_training.metric.delta_help.qat", "en")  # says what the delta is against
    assert percent(shown[t("qat_training.metric.fp32_more", "en")].value) == pytest.approx(
        more.test_acc, abs=5e-4
    )
    budget = t(
        "qat_training.budget_note", "en", n=2, m=1, delta=100 * (runs.qat.test_acc - runs.fp32.test_acc)
    )
    assert budget in [c.value for c in at.caption]
    curves = {
        d["name"]: d["x"] for d in chart(at, "qat_fig_curves")["data"] if d.get("showlegend") is not False
    }
    assert (
        curves["fp32"] == [1, 2]
        and curves["QAT"] == [3]
        and curves[t("qat_training.run.fp32_more", "en")] == [3]
    )


@pytest.mark.parametrize("bits", [8, 4, 2])
def test_the_activation_scheme_note_is_what_calc_qparams_gives(bits):
    """A1 on this page: the symmetric scheme's zero point and used codes after a ReLU come from
    qlib.quant.calc_qparams (zero point 0 before issue 11 A1, (qmin + qmax + 1) // 2 after), and the
    PTQ model the page trains uses exactly that zero point."""
    from qlib.quant import calc_qparams

    at = open_page()
    at.select_slider(key="qat_abits").set_value(bits)
    at.radio(key="qat_scheme").set_value("sym").run()
    qp = calc_qparams(0.0, 1.0, bits, symmetric=True, signed=False)
    zp, qmax = int(qp.zero_point), qp.qmax
    div = round(1 / float(qp.scale), 3)
    note = t(
        "qat_training.act_note",
        "en",
        scheme=t("qat_training.scheme.sym", "en"),
        abits=bits,
        zp=zp,
        div=div,
        first=zp,
        qmax=qmax,
        used=qmax - zp + 1,
        total=qmax + 1,
    )
    assert any(c.value.startswith(note) for c in at.caption)
    assert any(t("qat_training.act_waste", "en", qmin=0, below=zp - 1) in c.value for c in at.caption) == (
        zp > 0
    )
    assert any("z_a" in x.value for x in at.latex)  # the formula always carries the zero point
    finish_training(at.button(key="qat_btn_ptq").click().run())
    no_errors(at)
    model = at.session_state[QAT_RUNS].ptq.model
    assert int(model.act_fq["conv1"].qp.zero_point) == zp  # the page says what the model does


def test_the_histogram_says_what_it_draws_and_why_weights_clamp():
    """B8: per-channel weights draw no dotted lines; the '3.47 % clamped' of conv1 is explained."""
    at = open_page()
    no_errors(at)
    assert "dotted" not in t("qat_training.hist_intro", "en")
    text = next(
        c.value for c in at.caption if c.value.startswith(t("qat_training.hist_per_channel", "en", c=16))
    )
    model = shipped_fake_quant(shipped_qat_name())
    w = model.conv1.weight.detach()
    qp = model.w_fq["conv1"].qparams(w)
    clipped = round(
        quant_error(w, qp)["clip_fraction"] * w.numel()
    )  # qlib's own count: x·(1/s), as the kernel
    assert (
        clipped > 0 and f" {clipped} values (" in text and f"({100 * clipped / w.numel():.2f}\u00a0%)" in text
    )
    assert "127.5 steps" in text and "rounds (half to even) to 128 and is clamped to 127" in text


def test_per_tensor_weights_draw_the_range_they_name():
    at = open_page()
    at.toggle(key="qat_per_channel").set_value(False)
    finish_training(at.button(key="qat_btn_ptq").click().run())
    no_errors(at)
    fig = chart(at, "qat_fig_hist")
    dotted = [s["x0"] for s in fig["layout"]["shapes"] if s["line"].get("dash") == "dot"]
    lo, hi = at.session_state[QAT_RUNS].ptq.model.w_fq["conv1"].qp.real_range()
    assert dotted == pytest.approx([float(lo), float(hi)])
    grid = t("qat_training.hist_grid", "en", lo=float(lo), hi=float(hi))
    assert any(c.value.startswith(grid) for c in at.caption)


def test_observers_frozen_is_in_the_legend_not_over_the_lines():
    """B11: the 'observers frozen' label was written at the bottom of the plot, over the data."""
    at = open_page()
    at.number_input(key="qat_qat_epochs").set_value(2)
    finish_training(at.button(key="qat_btn_qat").click().run())
    no_errors(at)
    fig = chart(at, "qat_fig_trace")
    label = t("qat_training.fig.frozen", "en")
    assert label not in [a["text"] for a in fig["layout"].get("annotations", [])]
    assert label in [d.get("name") for d in fig["data"]]
    assert t("qat_training.trace_frozen", "en", k=1, n=2) in [c.value for c in at.caption]


def test_sweep_plots_ptq_and_qat(monkeypatch):
    monkeypatch.setattr(lab, "SWEEP_BITS", (8, 3))
    at = open_page()
    finish_training(at.button(key="qat_btn_sweep").click().run())
    no_errors(at)
    fig = chart(at, "qat_fig_sweep")
    assert [d["name"] for d in fig["data"]] == ["PTQ", "QAT"]
    sweep = at.session_state[QAT_SWEEP]
    rows = sweep.rows
    assert t("qat_training.sweep_summary", "en", epochs=sweep.epochs, rows="").strip() in fig_summary(at)
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
