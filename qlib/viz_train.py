"""Pure plotly figures for the QAT-training and predict pages (no streamlit): data in, figure out.

`tr` is any callable `tr(key, **fmt) -> str` (the page passes its `T`), so every label is in the page's language.
Colours are Okabe-Ito, safe for the common forms of colour blindness; each run keeps its colour on every chart.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from qlib.viz import BLACK, BLUE, FONT, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILION, YELLOW, Tr  # one palette

RUN_COLOURS = {"fp32": BLUE, "ptq": ORANGE, "qat": GREEN}
RUN_DASH = {"fp32": "solid", "ptq": "dot", "qat": "dash"}  # a second cue besides colour


def _layout(fig: go.Figure, height: int = 340, **kw) -> go.Figure:
    """The common look: white, readable fonts, legend on top, tight margins."""
    kw = {"margin": dict(l=60, r=20, t=60, b=50),
          "legend": dict(orientation="h", yanchor="bottom", y=1.08, xanchor="left", x=0), **kw}
    fig.update_layout(template="plotly_white", height=height, font=dict(family=FONT, size=14), **kw)
    return fig


def curves(history: Sequence[dict], tr: Tr) -> go.Figure:
    """Loss (left) and validation accuracy (right) per epoch, one line per run (fp32, QAT).

    `history` rows: {"run": "fp32" | "qat", "epoch": int, "loss": float, "val_acc": float}.
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=(tr("qat.fig.loss"), tr("qat.fig.val_acc")),
                        horizontal_spacing=0.12)
    for run in dict.fromkeys(h["run"] for h in history):
        rows = [h for h in history if h["run"] == run]
        ep = [h["epoch"] for h in rows]
        style = dict(color=RUN_COLOURS.get(run, GREY), dash=RUN_DASH.get(run, "solid"), width=2.5)
        name = tr(f"qat.run.{run}")
        fig.add_trace(go.Scatter(x=ep, y=[h["loss"] for h in rows], name=name, legendgroup=run,
                                 mode="lines+markers", line=style), 1, 1)
        fig.add_trace(go.Scatter(x=ep, y=[100 * h["val_acc"] for h in rows], name=name, legendgroup=run,
                                 mode="lines+markers", line=style, showlegend=False), 1, 2)
    fig.update_xaxes(title=tr("qat.fig.epoch"), dtick=1)
    fig.update_yaxes(title=tr("qat.fig.loss_axis"), rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title=tr("qat.fig.acc_axis"), ticksuffix=" %", row=1, col=2)
    return _layout(fig, height=330)


def sweep(rows: Sequence[dict], fp32_acc: float | None, tr: Tr) -> go.Figure:
    """Test accuracy against bit width (8 down to 2), PTQ and QAT, with the float model as a reference line.

    `rows`: {"bits": int, "ptq": float, "qat": float} (accuracies in 0..1).
    """
    rows = sorted(rows, key=lambda r: -r["bits"])
    bits = [r["bits"] for r in rows]
    fig = go.Figure()
    for run, symbol, where in (("ptq", "circle", "bottom center"), ("qat", "diamond", "top center")):
        fig.add_trace(go.Scatter(x=bits, y=[100 * r[run] for r in rows], name=tr(f"qat.run.{run}"),
                                 mode="lines+markers+text", text=[f"{100 * r[run]:.0f}" for r in rows],
                                 textposition=where, textfont=dict(color=RUN_COLOURS[run]),
                                 marker=dict(symbol=symbol, size=10),
                                 line=dict(color=RUN_COLOURS[run], dash=RUN_DASH[run], width=2.5)))
    if fp32_acc is not None:
        fig.add_hline(y=100 * fp32_acc, line=dict(color=RUN_COLOURS["fp32"], dash="solid", width=1.5),
                      annotation_text=tr("qat.fig.fp32_line", acc=100 * fp32_acc), annotation_position="top right")
    low = min([100 * r[k] for r in rows for k in ("ptq", "qat")] + [100])
    fig.update_xaxes(title=tr("qat.fig.bits_axis"), autorange="reversed", dtick=1)
    fig.update_yaxes(title=tr("qat.fig.test_acc_axis"), ticksuffix=" %", range=[max(0, low - 12), 104])
    return _layout(fig, height=360)


def histogram(float_vals, quant_vals, tr: Tr, grid: tuple[float, float] | None = None,
              bins: int = 60, log_y: bool = False) -> go.Figure:
    """Float values against their quantized versions on the same bins; the representable range marked.

    `log_y` for activations: after a ReLU most values are exactly 0 and would flatten everything else.
    """
    f = np.asarray(float_vals, dtype=np.float64).ravel()
    q = np.asarray(quant_vals, dtype=np.float64).ravel()
    lo, hi = float(min(f.min(), q.min())), float(max(f.max(), q.max()))
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    edges = np.linspace(lo, hi, bins + 1)
    centres, width = (edges[:-1] + edges[1:]) / 2, edges[1] - edges[0]
    fig = go.Figure()
    counts, _ = np.histogram(f, edges)
    fig.add_trace(go.Bar(x=centres, y=counts, width=width, name=tr("qat.fig.float"), marker_color=SKY,
                         opacity=0.75))
    counts, _ = np.histogram(q, edges)  # the quantized values as an outline over the float bars
    fig.add_trace(go.Scatter(x=np.r_[edges[0], centres, edges[-1]], y=np.r_[0, counts, 0], mode="lines",
                             line=dict(color=VERMILION, width=2, shape="hvh"), name=tr("qat.fig.quantized")))
    if grid is not None:
        for x in grid:
            fig.add_vline(x=x, line=dict(color=BLACK, dash="dot", width=1))
        fig.add_annotation(x=grid[1], y=1, yref="paper", text=tr("qat.fig.grid_range"), showarrow=False,
                           xanchor="right", yanchor="bottom", font=dict(size=12))
    fig.update_xaxes(title=tr("qat.fig.value"))
    fig.update_yaxes(title=tr("qat.fig.count_log") if log_y else tr("qat.fig.count"),
                     type="log" if log_y else "linear")
    return _layout(fig, height=300, bargap=0)


def qparam_trace(trace: Sequence[dict], tr: Tr, frozen_at: int | None = None) -> go.Figure:
    """How each quantizer's scale (as % change since calibration) and zero point moved, epoch by epoch.

    `trace` rows: {"step": int, "name": str, "scale": float, "zero_point": int}; step 0 is after calibration.
    Relative change puts scales of very different sizes on one axis; the hover shows the scale itself.
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=(tr("qat.fig.scale_change"), tr("qat.fig.zero_point")),
                        horizontal_spacing=0.12)
    palette = (BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, BLACK, YELLOW)
    for i, name in enumerate(dict.fromkeys(r["name"] for r in trace)):
        rows = [r for r in trace if r["name"] == name]
        x, s0 = [r["step"] for r in rows], rows[0]["scale"]
        line = dict(color=palette[i % len(palette)], width=2, dash=("dot" if name.endswith("weight") else "solid"))
        fig.add_trace(go.Scatter(x=x, y=[100 * (r["scale"] / s0 - 1) for r in rows], name=name, legendgroup=name,
                                 mode="lines+markers", line=line, customdata=[r["scale"] for r in rows],
                                 hovertemplate="%{customdata:.5g} (%{y:+.2f} %)<extra>" + name + "</extra>"), 1, 1)
        fig.add_trace(go.Scatter(x=x, y=[r["zero_point"] for r in rows], name=name, legendgroup=name,
                                 mode="lines+markers", line=line, showlegend=False), 1, 2)
    if frozen_at is not None:
        for col in (1, 2):
            fig.add_vline(x=frozen_at, line=dict(color=GREY, dash="dash"), row=1, col=col)
        fig.add_annotation(x=frozen_at, y=0, xref="x", yref="paper", text=tr("qat.fig.frozen"), showarrow=False,
                           xanchor="left", yanchor="bottom", xshift=4, font=dict(size=12, color=GREY))
    fig.update_xaxes(title=tr("qat.fig.step"), dtick=1)
    fig.update_yaxes(ticksuffix=" %", row=1, col=1)
    return _layout(fig, height=380, margin=dict(l=60, r=20, t=110, b=50),
                   legend=dict(orientation="h", yanchor="bottom", y=1.12, xanchor="left", x=0))


def digit(x, tr: Tr, title: str = "") -> go.Figure:
    """What the model sees: the 8x8 input as a heatmap, ink bright, each pixel's value written on it."""
    a = np.asarray(x, dtype=np.float64).reshape(8, 8)
    fig = go.Figure(go.Heatmap(z=a, zmin=-1, zmax=1, colorscale="gray", text=np.round(a, 2),
                               texttemplate="%{text}", textfont=dict(size=10),
                               colorbar=dict(title=tr("predict.fig.value"), thickness=12),
                               hovertemplate=tr("predict.fig.hover") + "<extra></extra>"))
    fig.update_yaxes(autorange="reversed", scaleanchor="x", constrain="domain", dtick=1)
    fig.update_xaxes(dtick=1, constrain="domain")
    return _layout(fig, height=360, title=dict(text=title, font=dict(size=14)), margin=dict(l=30, r=10, t=40, b=30))


def prob_bars(fp32: Sequence[float], int8: Sequence[float], names: Sequence[str], tr: Tr,
              int8_label: str) -> go.Figure:
    """Every class's probability under both models, side by side: where int8 moved the mass."""
    labels = [f"{i} {n}" for i, n in enumerate(names)]
    fig = go.Figure()
    floor = 1e-6  # %: below this a bar would vanish off a log axis
    for vals, name, style in ((fp32, tr("predict.fp32"), dict(color=BLUE)),
                              (int8, int8_label, dict(color=ORANGE, pattern_shape="/"))):
        pct = [max(100 * p, floor) for p in vals]
        fig.add_trace(go.Bar(x=labels, y=pct, name=name, marker=style,
                             hovertemplate="%{x}: %{y:.4g} %<extra>" + name + "</extra>"))
    fig.update_yaxes(title=tr("predict.fig.prob_axis"), type="log", ticksuffix=" %", range=[-6, 2.1],
                     dtick=1, exponentformat="power")
    return _layout(fig, height=320, barmode="group")
