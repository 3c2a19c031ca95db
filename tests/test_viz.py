"""The figures are pure plotly, build in both languages, and qlib never imports streamlit."""

import subprocess
import sys

import plotly.graph_objects as go
import pytest

from qlib import preprocess as pp
from qlib import ste, viz
from qlib.explorer import PRESETS, analyze, histogram, staircase, view_range
from qlib.i18n import t


def tr_for(lang):
    return lambda key, **fmt: t(key, lang, **fmt)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("preset", list(PRESETS))
def test_explorer_figures(lang, preset):
    tr = tr_for(lang)
    r = analyze(PRESETS[preset])
    view = view_range(r)
    figs = [viz.number_line(r, view, tr), viz.staircase(staircase(r), r, view, tr), viz.histogram(histogram(r), r, tr)]
    for fig in figs:
        assert isinstance(fig, go.Figure) and len(fig.data) >= 2
        assert "explorer." not in fig.to_json()  # every label translated


def test_number_line_draws_every_code_at_low_bits_and_a_subset_at_16():
    r4 = analyze(PRESETS["seed"].__class__(bits=4))
    fig = viz.number_line(r4, view_range(r4), tr_for("en"))
    assert "16 codes" in fig.to_json()
    r16 = analyze(PRESETS["seed"].__class__(bits=16))
    fig = viz.number_line(r16, view_range(r16), tr_for("en"))
    assert len(fig.data[1].x) < 400


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_ste_and_preprocess_figures(lang):
    tr = tr_for(lang)
    c = ste.curves(3)
    f = ste.fit_both(steps=10)
    g = {"layers": ["conv1", "fc"], "ste": [0.1, 0.2], "no_ste": [0.0, 0.0]}
    img = pp.sample_image()
    figs = [viz.ste_forward(c, tr), viz.ste_backward(c, tr), viz.fit_curves(f, tr), viz.grad_norms(g, tr),
            viz.channel_histograms(img, pp.hist_edges(None), "a", "b", tr)]
    for fig in figs:
        assert isinstance(fig, go.Figure) and fig.data
        assert "ste." not in fig.to_json() and "preprocess." not in fig.to_json()


def test_flow_diagram_is_dot_in_both_languages():
    for lang in ("en", "ja"):
        dot = viz.qat_flow_dot(tr_for(lang))
        assert dot.startswith("digraph") and "preprocess_input" in dot and dot.count("->") >= 8
    assert "損失" in viz.qat_flow_dot(tr_for("ja"))


def test_ste_numbers():
    c = ste.curves(3)
    assert set(c["grad_true"].tolist()) == {0.0}
    assert set(c["grad_ste"].tolist()) == {0.0, 1.0}
    f = ste.fit_both()
    assert f["no_ste"]["w"][-1] == f["no_ste"]["w"][0]  # no gradient, no learning
    assert f["ste"]["loss"][-1] < 0.05 * f["ste"]["loss"][0]
    model, x, y, _ = ste.tiny_model_and_batch(16)
    before = [p.clone() for p in model.parameters()]
    g = ste.grad_norms(model, x, y)
    assert all(v > 0 for v in g["ste"]) and all(v == 0 for v in g["no_ste"])
    assert all((a == b).all() for a, b in zip(before, model.parameters(), strict=True))  # the model is untouched


def test_qlib_imports_no_streamlit():
    code = ("import sys, qlib.viz, qlib.explorer, qlib.ste, qlib.preprocess, qlib.i18n, qlib.distributions;"
            "assert 'streamlit' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def every_figure(tr) -> list[go.Figure]:
    """One of every figure the lessons draw (built unvalidated, as the pages get them)."""
    import numpy as np

    from qlib import viz_int8, viz_train

    r = analyze(PRESETS["seed"])
    view = view_range(r)
    c, f = ste.curves(3), ste.fit_both(steps=10)
    hist = [{"run": run, "epoch": e, "loss": 1.0 / e, "val_acc": 0.9} for run in ("fp32", "qat") for e in (1, 2)]
    trace = [{"step": s, "name": n, "scale": 0.1 + s, "zero_point": s} for n in ("input", "conv1.weight")
             for s in (0, 1, 2)]
    qrows = [{"name": "conv1", "full_scale": 1.0, "x86_scale": 2.0, "qlib_scale": 1.0}]
    codes = np.arange(64).reshape(8, 8)
    return [
        viz.number_line(r, view, tr), viz.staircase(staircase(r), r, view, tr), viz.histogram(histogram(r), r, tr),
        viz.ste_forward(c, tr), viz.ste_backward(c, tr), viz.fit_curves(f, tr),
        viz.grad_norms({"layers": ["conv1", "fc"], "ste": [0.1, 0.2], "no_ste": [0.0, 0.0]}, tr),
        viz.channel_histograms(pp.sample_image(), pp.hist_edges(None), "a", "b", tr),
        viz_train.curves(hist, tr), viz_train.sweep([{"bits": 8, "ptq": 0.9, "qat": 0.95}], 0.97, tr),
        viz_train.histogram(np.linspace(-1, 1, 50), np.round(np.linspace(-1, 1, 50)), tr, grid=(-1.0, 1.0), log_y=True),
        viz_train.qparam_trace(trace, tr, frozen_at=1), viz_train.digit(np.zeros(64), tr, "x"),
        viz_train.prob_bars([0.1] * 10, [0.1] * 10, [str(i) for i in range(10)], tr, "int8"),
        viz_int8.feature_map(codes, (1, 2), 0, tr, "t"), viz_int8.contributions(["a", "b"], [3, -2], tr),
        viz_int8.model_size(40, 10, tr), viz_int8.qparam_compare(qrows, tr),
        viz_int8.logits_compare([1.0] * 10, [1.0] * 10, tr),
    ]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_figure_is_valid_plotly(lang):
    """The pages skip plotly's validation for speed (qlib.plot), so it happens here: a misspelt property fails."""
    for fig in every_figure(tr_for(lang)):
        spec = fig.to_plotly_json()
        go.Figure(spec)  # validating constructor: raises ValueError on any unknown property or bad value
        assert spec["layout"]["template"]["layout"]["plot_bgcolor"] == "white"  # plotly_white, as before
        assert "fig." not in fig.to_json()  # every label translated
        for trace in fig.data:  # plotly adds markers to a short scatter whose mode is left unset
            if trace.type == "scatter" and trace.y is not None and len(trace.y) <= 20:
                assert trace.mode, f"scatter {trace.name!r} needs an explicit mode"


def test_the_home_page_imports_no_torch():
    """The home page opens without `import torch` (~2 s); ui.shell.warm_up loads it in the background after."""
    code = "import sys, ui.shell, qlib.viz, qlib.i18n; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
