"""The figures are pure plotly, build in both languages, and qlib never imports streamlit."""

import subprocess
import sys

import plotly.graph_objects as go
import pytest

from lessons.home import figures as home_fig
from lessons.i18n import Translator
from lessons.integer_inference import figures as int8_fig
from lessons.predict import figures as predict_fig
from lessons.preprocess import figures as pp_fig
from lessons.preprocess import lesson as pp
from lessons.pytorch_and_tensorflow import figures as torch_fig
from lessons.pytorch_and_tensorflow import lesson as torch_lesson
from lessons.qat_training import figures as qat_fig
from lessons.qat_training import lesson as qat_lesson
from lessons.scale_and_zero_point import figures as ex_fig
from lessons.scale_and_zero_point.lesson import analyze, histogram, staircase
from lessons.scale_and_zero_point.settings import PRESETS, Settings
from lessons.ste import figures as ste_fig
from lessons.ste import lesson as ste
from qlib.train import SweepRow


def tr_for(lang, namespace="scale_and_zero_point"):
    return Translator(lang, namespace)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("preset", list(PRESETS))
def test_explorer_figures(lang, preset):
    tr = tr_for(lang)
    v = analyze(PRESETS[preset])
    figs = [
        ex_fig.number_line(v, tr),
        ex_fig.staircase(staircase(v), v, tr),
        ex_fig.histogram(histogram(v), v, tr),
    ]
    for fig in figs:
        assert isinstance(fig, go.Figure) and len(fig.data) >= 2
        assert "scale_and_zero_point." not in fig.to_json()  # every label translated


def test_number_line_draws_every_code_at_low_bits_and_a_subset_at_16():
    fig = ex_fig.number_line(analyze(Settings(bits=4)), tr_for("en"))
    assert "16 codes" in fig.to_json()
    fig = ex_fig.number_line(analyze(Settings(bits=16)), tr_for("en"))
    assert len(fig.data[1].x) < 400


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_ste_and_preprocess_figures(lang):
    tr, tp = tr_for(lang, "ste"), tr_for(lang, "preprocess")
    c = ste.curves(3)
    f = ste.fit_both(steps=10)
    g = ste.GradNorms(("conv1", "fc"), (0.1, 0.2), (0.0, 0.0), 2.3)
    img = pp.sample_image()
    figs = [
        ste_fig.ste_forward(c, tr),
        ste_fig.ste_backward(c, tr),
        ste_fig.fit_loss(f, tr),
        ste_fig.fit_weight(f, tr),
        ste_fig.grad_norms(g, tr),
        pp_fig.channel_histograms(img, pp.hist_edges(None), "a", "b", tp),
    ]
    for fig in figs:
        assert isinstance(fig, go.Figure) and fig.data
        assert "ste." not in fig.to_json() and "preprocess." not in fig.to_json()


def test_flow_diagram_is_dot_in_both_languages():
    for lang in ("en", "ja"):
        dot = home_fig.qat_flow_dot(tr_for(lang, "home"))
        assert dot.startswith("digraph") and "preprocess_input" in dot and dot.count("->") >= 8
    assert "損失" in home_fig.qat_flow_dot(tr_for("ja", "home"))


def test_ste_numbers():
    c = ste.curves(3)
    assert set(c.grad_true.tolist()) == {0.0}
    assert set(c.grad_ste.tolist()) == {0.0, 1.0}
    f = ste.fit_both()
    assert f.no_ste.w[-1] == f.no_ste.w[0] == pytest.approx(ste.FIT_W0)  # no gradient, no learning
    assert f.ste.loss[-1] < 0.05 * f.ste.loss[0]
    model = ste.model_and_batch()[0]
    before = [p.clone() for p in model.parameters()]
    g = ste.grad_norms()
    assert all(v > 0 for v in g.ste) and all(v == 0 for v in g.no_ste) and g.largest_no_ste == 0
    assert all(
        (a == b).all() for a, b in zip(before, model.parameters(), strict=True)
    )  # the model is untouched


def every_figure(lang: str) -> list[go.Figure]:
    """One of every figure the lessons draw (built unvalidated, as the pages get them), each in its page's language."""
    import numpy as np

    ex, st_, pp_t = tr_for(lang), tr_for(lang, "ste"), tr_for(lang, "preprocess")
    qat, pred, i8, pt = (
        tr_for(lang, ns) for ns in ("qat_training", "predict", "integer_inference", "pytorch_and_tensorflow")
    )
    v = analyze(PRESETS["seed"])
    c, f = ste.curves(3), ste.fit_both(steps=10)
    hist = [qat_lesson.CurvePoint(run, e, 1.0 / e, 0.9) for run in ("fp32", "qat") for e in (1, 2)]
    trace = [qat_lesson.TraceRow(s, n, 0.1 + s, s) for n in ("input", "conv1.weight") for s in (0, 1, 2)]
    qrows = [torch_lesson.ActCompare("conv1", *(torch_lesson.ScaleZP(s, 0) for s in (1.0, 1.0, 2.0)))]
    codes = np.arange(64).reshape(8, 8)
    return [
        ex_fig.number_line(v, ex),
        ex_fig.staircase(staircase(v), v, ex),
        ex_fig.histogram(histogram(v), v, ex),
        ste_fig.ste_forward(c, st_),
        ste_fig.ste_backward(c, st_),
        ste_fig.fit_loss(f, st_),
        ste_fig.fit_weight(f, st_),
        ste_fig.grad_norms(ste.GradNorms(("conv1", "fc"), (0.1, 0.2), (0.0, 0.0), 2.3), st_),
        pp_fig.channel_histograms(pp.sample_image(), pp.hist_edges(None), "a", "b", pp_t),
        qat_fig.curves(hist, qat),
        qat_fig.sweep([SweepRow(8, 0.9, 0.95, 1.0)], 0.97, qat),
        qat_fig.histogram(
            np.linspace(-1, 1, 50), np.round(np.linspace(-1, 1, 50)), qat, grid=(-1.0, 1.0), log_y=True
        ),
        qat_fig.qparam_trace(trace, qat, frozen_at=1),
        predict_fig.digit(np.zeros(64), pred, "x"),
        predict_fig.prob_bars([0.1] * 10, [0.1] * 10, [str(i) for i in range(10)], pred, "int8"),
        int8_fig.feature_map(codes, (1, 2), 0, i8, "t"),
        int8_fig.contributions(["a", "b"], [3, -2], i8),
        int8_fig.model_size(40, 10, 5, 4, i8),
        torch_fig.qparam_compare(qrows, pt),
        torch_fig.logits_compare(torch_lesson.SampleLogits(0, (1.0,) * 10, (1.0,) * 10), pt),
    ]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_figure_is_valid_plotly(lang):
    """The pages skip plotly's validation for speed (qlib.plot), so it happens here: a misspelt property fails."""
    for fig in every_figure(lang):
        spec = fig.to_plotly_json()
        go.Figure(spec)  # validating constructor: raises ValueError on any unknown property or bad value
        assert spec["layout"]["template"]["layout"]["plot_bgcolor"] == "white"  # plotly_white, as before
        assert "fig." not in fig.to_json()  # every label translated
        for trace in fig.data:  # plotly adds markers to a short scatter whose mode is left unset
            if trace.type == "scatter" and trace.y is not None and len(trace.y) <= 20:
                assert trace.mode, f"scatter {trace.name!r} needs an explicit mode"


def test_the_home_page_imports_no_torch():
    """The home page opens without `import torch` (~2 s); ui.shell.warm_up loads it in the background after."""
    code = (
        "import sys, ui.shell, lessons.home.figures, lessons.i18n;"
        "assert 'torch' not in sys.modules, 'torch imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_input_heatmap_writes_negative_pixels_with_a_real_minus():
    """The cells read "−1" and "−0.53" (U+2212) as the page's sentences do, and a pixel at zero is "0", not "−0"."""
    import numpy as np

    x = np.array([-1.0, -0.534, -0.001, 0.0, 0.5] + [1.0] * 59)
    cells = predict_fig.digit(x, tr_for("en", "predict"), "x").data[1].text
    assert list(cells[:5]) == ["−1", "−0.53", "0", "0", "0.5"]
    assert not any("-" in c for c in cells)


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two '#rrggbb' or 'rgb(r, g, b)' colours."""
    import plotly.colors as pc

    from lessons.plot import luminance

    ya, yb = sorted(luminance(pc.hex_to_rgb(c) if c.startswith("#") else pc.unlabel_rgb(c)) for c in (a, b))
    return (yb + 0.05) / (ya + 0.05)


def test_every_heatmap_number_reads_at_4_5_to_1_on_its_own_cell():
    """Issue 15: the input heatmap's mid-grey cells had their numbers in the white plotly picked (3.9:1). Each
    label is now black or white for its cell; checked against the cell's colour sampled from the same scale."""
    import numpy as np
    import plotly.colors as pc

    x = np.linspace(-1, 1, 64)
    codes = np.arange(64).reshape(8, 8)
    figs = [
        (predict_fig.digit(x, tr_for("en", "predict"), "x"), -1.0, 1.0),
        (int8_fig.feature_map(codes, (0, 0), 0, tr_for("en", "integer_inference")), 0, 63),
    ]
    for fig, lo, hi in figs:
        heat, labels = fig.data
        z = np.asarray(heat.z, dtype=float).ravel()
        cells = pc.sample_colorscale(
            pc.get_colorscale(heat.colorscale)
            if isinstance(heat.colorscale, str)
            else [list(c) for c in heat.colorscale],
            list((z - lo) / (hi - lo)),
        )
        ratios = [_contrast(ink, cell) for ink, cell in zip(labels.textfont.color, cells, strict=True)]
        assert min(ratios) >= 4.5, min(ratios)
        assert len(labels.text) == z.size
