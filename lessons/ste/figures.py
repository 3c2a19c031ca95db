"""Figures of the STE lesson: forward and backward of fake quant, the 1-D fit, gradient norms.

`tr` is the page's translator (`tr(key, **fmt) -> str`), so every label is in the page's language.
"""

from __future__ import annotations

import plotly.graph_objects as go

from lessons import plot as p
from lessons.common.text import real
from lessons.plot import BLUE, CLIP_FILL, GREEN, GREY, SKY, VERMILION, Tr
from lessons.ste.lesson import Curves, Fit, GradNorms


def _mask_zones(d: Curves, tr: Tr) -> tuple[list[dict], list[dict]]:
    """Shade where the STE passes no gradient (the value clips), the same zones on both charts: (shapes, legend)."""
    (lo, hi), x0, x1 = d.mask, float(d.x[0]), float(d.x[-1])
    shapes = [p.vrect(a, b, CLIP_FILL) for a, b in ((x0, lo), (hi, x1)) if b > a]
    return shapes, [p.legend_patch(tr("fig.clips"), CLIP_FILL, VERMILION)] if shapes else []


def ste_forward(d: Curves, tr: Tr) -> go.Figure:
    """Forward: the staircase against the identity it replaces; flat where the value clips."""
    shapes, legend = _mask_zones(d, tr)
    traces = [
        p.scatter(d.x, d.x, name=tr("fig.identity"), line=dict(color=GREY, dash="dash")),
        p.scatter(d.x, d.y, name=tr("fig.fq"), line=dict(color=BLUE, width=2)),
        *legend,
    ]
    return p.figure(
        traces,
        p.titled(
            420,
            title=tr("fig.forward_title"),
            legend_below=True,  # in a half-width column the legend takes three rows: above, it ran into the title
            shapes=shapes,
            xaxis=dict(title=dict(text="x")),
            yaxis=dict(title=dict(text=tr("fig.forward_axis"))),
        ),
    )


def ste_backward(d: Curves, tr: Tr) -> go.Figure:
    """Backward: the true derivative of rounding (0) against the STE (1 inside the mask, 0 where it clips)."""
    shapes, legend = _mask_zones(d, tr)
    traces = [
        p.scatter(d.x, d.grad_ste, name=tr("fig.grad_ste"), line=dict(color=BLUE, width=3, shape="hv")),
        p.scatter(
            d.x, d.grad_true, name=tr("fig.grad_true"), line=dict(color=VERMILION, width=3, dash="dot")
        ),
        *legend,
    ]
    return p.figure(
        traces,
        p.titled(
            420,
            title=tr("fig.backward_title"),
            legend_below=True,  # in a half-width column the legend takes three rows: above, it ran into the title
            shapes=shapes,
            xaxis=dict(title=dict(text="x")),
            yaxis=dict(title=dict(text=tr("fig.backward_axis")), range=[-0.15, 1.2]),
        ),
    )


def _fit_runs(fit: Fit, tr: Tr, series: str) -> list[dict]:
    """One line per run (with the STE, with the true gradient) of `series` ("loss" or "w") over the steps."""
    traces = []
    for name, color, dash in (("ste", BLUE, "solid"), ("no_ste", VERMILION, "dot")):
        line = dict(color=color, dash=dash, width=2.5)
        run = getattr(fit, name)
        traces.append(p.scatter(None, getattr(run, series), name=tr(f"fig.{name}"), mode="lines", line=line))
    return traces


def _fit_layout(title: str, tr: Tr, **kw) -> dict:
    """The fit charts' common look: a title, the steps below, the legend under the plot."""
    return p.titled(380, title, legend_below=True, xaxis=dict(title=dict(text=tr("fig.step"))), **kw)


def fit_loss(fit: Fit, tr: Tr) -> go.Figure:
    """The 1-D fit's loss over the steps (log scale), with the STE and with the true gradient.

    Its own chart, beside the weight's on a wide screen and above it on a phone (one figure of two subplots
    left each 150 px wide at 390)."""
    yaxis = dict(type="log", dtick=1, exponentformat="power")
    return p.figure(_fit_runs(fit, tr, "loss"), _fit_layout(tr("fig.loss"), tr, yaxis=yaxis))


def fit_weight(fit: Fit, tr: Tr) -> go.Figure:
    """The 1-D fit's float weight w over the steps, with the STE and without, the quantized ŵ and the target."""
    traces = _fit_runs(fit, tr, "w")
    w_q = dict(color=SKY, width=1.5, shape="hv")
    traces.append(p.scatter(None, fit.ste.w_q, name=tr("fig.w_q"), mode="lines", line=w_q))
    target = dict(color=GREEN, dash="dash")  # a line across the plot, named in the legend, not on it
    traces.append(p.legend_entry(tr("fig.target", w=real(fit.target, "g")), target))
    return p.figure(traces, _fit_layout(tr("fig.weight"), tr, shapes=[p.hline(fit.target, target)]))


def grad_norms(g: GradNorms, tr: Tr) -> go.Figure:
    """Per-layer weight-gradient norms on one batch, with the STE and without."""
    traces = [
        p.bar(
            g.layers,
            getattr(g, name),
            name=tr(f"fig.{name}"),
            marker=dict(color=color, pattern=dict(shape=pattern)),
            text=[f"{v:.3g}" for v in getattr(g, name)],
            textposition="outside",
        )
        for name, color, pattern in (("ste", BLUE, ""), ("no_ste", VERMILION, "/"))
    ]
    return p.figure(
        traces,
        p.titled(
            360,
            barmode="group",
            xaxis=dict(title=dict(text=tr("fig.layer"))),
            yaxis=dict(title=dict(text=tr("fig.grad_norm"))),
        ),
    )
