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
