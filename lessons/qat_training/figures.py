"""Figures of the QAT page: training curves, the bit sweep, histograms, the qparam trace.

Each run keeps its colour (Okabe-Ito) and a dash on every chart.

`tr` is the page's translator (`tr(key, **fmt) -> str`), so every label is in the page's language.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lessons import plot as p
from lessons.common.memo import kept
from lessons.i18n import Translator
from lessons.plot import BLACK, BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILION, YELLOW, Tr
from lessons.qat_training.lesson import CurvePoint, LayerValues, Runs, TraceRow, curve_points, trace_rows
from qlib.train import Result, SweepRow

RUN_COLOURS = {"fp32": BLUE, "ptq": ORANGE, "qat": GREEN, "fp32_more": SKY}
RUN_DASH = {
    "fp32": "solid",
    "ptq": "dot",
    "qat": "dash",
    "fp32_more": "dashdot",
}  # a second cue besides colour


# ---- the page's figures of a finished run, built once per run and language (lessons.common.memo): a run the class
# shares is one object in every session, so 30 pages that show it draw one figure


def run_curves(runs: Runs, T: Translator) -> go.Figure:
    """`curves` of every epoch the session's runs trained."""
    return kept(runs, ("curves", T.lang, T.namespace), lambda: curves(curve_points(runs), T))


def layer_histogram(h: LayerValues, kind: str, T: Translator) -> go.Figure:
    """`histogram` of one layer's values (kept with their model by lesson.layer_values); counts on a log axis
    for activations."""
    return kept(
        h,
        ("histogram", kind, T.lang, T.namespace),
        lambda: histogram(h.floats, h.quantized, T, grid=h.grid, log_y=kind == "activation"),
    )


def run_trace(qat: Result, T: Translator) -> go.Figure:
    """`qparam_trace` of a QAT run, epoch by epoch."""
    return kept(qat, ("trace", T.lang, T.namespace), lambda: qparam_trace(trace_rows(qat), T, qat.frozen_at))


def _look(height: int = 340, **kw) -> dict:
    """The common layout: legend on top, tight margins."""
    kw = {
        "margin": dict(l=60, r=20, t=60, b=50),
        "legend": dict(orientation="h", yanchor="bottom", y=1.08, xanchor="left", x=0),
        **kw,
    }
    return p.look(height, **kw)


def _pair(x, left, right, name: str, group: str, line: dict, **left_kw) -> list[dict]:
    """One series on both panels of a two-column figure: left (x, y) in the legend, right (x2, y2) grouped with it."""
    both = dict(name=name, legendgroup=group, mode="lines+markers", line=line)
    return [
        p.scatter(x, left, **both, **left_kw),
        p.scatter(x, right, **both, showlegend=False, xaxis="x2", yaxis="y2"),
    ]


def curves(points: Sequence[CurvePoint], tr: Tr) -> go.Figure:
    """Loss (left) and validation accuracy (right) per epoch, one line per run (fp32, QAT, its float twin)."""
    traces = []
    for run in dict.fromkeys(h.run for h in points):
        rows = [h for h in points if h.run == run]
        style = dict(color=RUN_COLOURS.get(run, GREY), dash=RUN_DASH.get(run, "solid"), width=2.5)
        ep, loss, acc = [h.epoch for h in rows], [h.loss for h in rows], [100 * h.val_acc for h in rows]
        traces += _pair(ep, loss, acc, tr(f"run.{run}"), run, style)
    axes, titles = p.columns(2, 0.12, (tr("fig.loss"), tr("fig.val_acc")))
    for k in ("xaxis", "xaxis2"):
        axes[k].update(title=p.label(tr("fig.epoch")), dtick=1)
    axes["yaxis"].update(title=p.label(tr("fig.loss_axis")), rangemode="tozero")
    axes["yaxis2"].update(title=p.label(tr("fig.acc_axis")), ticksuffix=" %")
    legend = dict(orientation="h", yanchor="bottom", y=1.14, xanchor="left", x=0)  # above the plots' titles
    return p.figure(
        traces, _look(350, annotations=titles, legend=legend, margin=dict(l=60, r=20, t=90, b=50), **axes)
    )


def sweep(rows: Sequence[SweepRow], fp32_acc: float | None, tr: Tr) -> go.Figure:
    """Test accuracy against bit width (8 down to 2), PTQ and QAT, with the float model as a reference line."""
    rows = sorted(rows, key=lambda r: -r.bits)
    bits = [r.bits for r in rows]
    accs = {"ptq": [100 * r.ptq for r in rows], "qat": [100 * r.qat for r in rows]}
    traces = [
        p.scatter(
            bits,
            accs[run],
            name=tr(f"run.{run}"),
            mode="lines+markers+text",
            text=[f"{a:.0f}" for a in accs[run]],
            textposition=where,
            textfont=dict(color=RUN_COLOURS[run]),
            marker=dict(symbol=symbol, size=10),
            line=dict(color=RUN_COLOURS[run], dash=RUN_DASH[run], width=2.5),
        )
        for run, symbol, where in (("ptq", "circle", "bottom center"), ("qat", "diamond", "top center"))
    ]
    shapes, notes = _fp32_line(fp32_acc, tr)
    low = min([*accs["ptq"], *accs["qat"], 100])
    return p.figure(
        traces,
        _look(
            360,
            shapes=shapes,
            annotations=notes,
            xaxis=dict(title=p.label(tr("fig.bits_axis")), autorange="reversed", dtick=1),
            yaxis=dict(
                title=p.label(tr("fig.test_acc_axis")), ticksuffix=" %", range=[max(0, low - 12), 104]
            ),
        ),
    )


def _fp32_line(fp32_acc: float | None, tr: Tr) -> tuple[list[dict], list[dict]]:
    """The float model's accuracy as a horizontal reference line, labelled at the right."""
    if fp32_acc is None:
        return [], []
    y = 100 * fp32_acc
    label = p.text(
        tr("fig.fp32_line", acc=y), 1, y, xref="x domain", yref="y", xanchor="right", yanchor="bottom"
    )
    return [p.hline(y, dict(color=RUN_COLOURS["fp32"], dash="solid", width=1.5))], [label]


def histogram(
    float_vals,
    quant_vals,
    tr: Tr,
    grid: tuple[float, float] | None = None,
    bins: int = 60,
    log_y: bool = False,
) -> go.Figure:
    """Float values against their quantized versions on the same bins; the representable range marked.

    `log_y` for activations: after a ReLU most values are exactly 0 and would flatten everything else.
    """
    f = np.asarray(float_vals, dtype=np.float64).ravel()
    q = np.asarray(quant_vals, dtype=np.float64).ravel()
    edges = _edges(f, q, bins)
    centres, width = (edges[:-1] + edges[1:]) / 2, edges[1] - edges[0]
    counts_q, _ = np.histogram(q, edges)  # the quantized values as an outline over the float bars
    traces = [
        p.bar(
            centres,
            np.histogram(f, edges)[0],
            width=width,
            name=tr("fig.float"),
            marker=dict(color=SKY),
            opacity=0.75,
        ),
        p.scatter(
            np.r_[edges[0], centres, edges[-1]],
            np.r_[0, counts_q, 0],
            mode="lines",
            line=dict(color=VERMILION, width=2, shape="hvh"),
            name=tr("fig.quantized"),
        ),
    ]
    shapes, notes = _grid_marks(grid, tr)
    yaxis = dict(
        title=p.label(tr("fig.count_log") if log_y else tr("fig.count")), type="log" if log_y else "linear"
    )
    layout = _look(
        300,
        bargap=0,
        shapes=shapes,
        annotations=notes,
        xaxis=dict(title=p.label(tr("fig.value"))),
        yaxis=yaxis,
    )
    return p.figure(traces, layout)


def _edges(f: np.ndarray, q: np.ndarray, bins: int) -> np.ndarray:
    """Bin edges shared by the float and the quantized values (a width of 1 if they are all equal)."""
    lo, hi = float(min(f.min(), q.min())), float(max(f.max(), q.max()))
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    return np.linspace(lo, hi, bins + 1)


def _grid_marks(grid: tuple[float, float] | None, tr: Tr) -> tuple[list[dict], list[dict]]:
    """Dotted lines at the ends of the representable range (per tensor only) and their label."""
    if grid is None:
        return [], []
    shapes = [p.vline(x, dict(color=BLACK, dash="dot", width=1)) for x in grid]
    return shapes, [
        p.text(tr("fig.grid_range"), grid[1], 1, xanchor="right", yanchor="bottom", font=dict(size=12))
    ]


def qparam_trace(trace: Sequence[TraceRow], tr: Tr, frozen_at: int | None = None) -> go.Figure:
    """How each quantizer's scale (as % change since calibration) and zero point moved, epoch by epoch.

    Step 0 is after calibration. Relative change puts scales of very different sizes on one axis; the hover
    shows the scale itself.
    """
    names = dict.fromkeys(r.name for r in trace)
    traces = [
        t for i, n in enumerate(names) for t in _quantizer_lines(n, [r for r in trace if r.name == n], i)
    ]
    axes, notes = p.columns(2, 0.12, (tr("fig.scale_change"), tr("fig.zero_point")))
    shapes = []
    if frozen_at is not None:  # named in the legend, not written over the lines
        frozen = dict(color=GREY, dash="dash")
        shapes = [p.vline(frozen_at, frozen, axis) for axis in ("", "2")]
        traces.append(p.legend_entry(tr("fig.frozen"), frozen))
    for k in ("xaxis", "xaxis2"):
        axes[k].update(title=p.label(tr("fig.step")), dtick=1)
    axes["yaxis"]["ticksuffix"] = " %"
    legend = dict(orientation="h", yanchor="bottom", y=1.12, xanchor="left", x=0)
    margin = dict(l=60, r=20, t=110, b=50)
    return p.figure(
        traces, _look(380, shapes=shapes, annotations=notes, margin=margin, legend=legend, **axes)
    )


PALETTE = (BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, BLACK, YELLOW)


def _quantizer_lines(name: str, rows: Sequence[TraceRow], i: int) -> list[dict]:
    """One quantizer's scale change (left) and zero point (right); weights dotted."""
    x, s0 = [r.step for r in rows], rows[0].scale
    line = dict(color=PALETTE[i % len(PALETTE)], width=2, dash="dot" if name.endswith("weight") else "solid")
    change = [100 * (r.scale / s0 - 1) for r in rows]
    hover = "%{customdata:.5g} (%{y:+.2f} %)<extra>" + name + "</extra>"
    zps = [r.zero_point for r in rows]
    return _pair(x, change, zps, name, name, line, customdata=[r.scale for r in rows], hovertemplate=hover)
