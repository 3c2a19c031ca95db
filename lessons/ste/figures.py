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


def _fit_traces(fit: Fit, tr: Tr) -> list[dict]:
    """Loss (left) and weight (right) over the steps, with the STE and without, and the quantized ŵ."""
    traces = []
    for name, color, dash in (("ste", BLUE, "solid"), ("no_ste", VERMILION, "dot")):
        label, line = tr(f"fig.{name}"), dict(color=color, dash=dash, width=2.5)
        run = getattr(fit, name)
        traces.append(p.scatter(None, run.loss, name=label, mode="lines", line=line, legendgroup=name))
        traces.append(
            p.scatter(
                None,
                run.w,
                name=label,
                mode="lines",
                showlegend=False,
                line=line,
                legendgroup=name,
                xaxis="x2",
                yaxis="y2",
            )
        )
    traces.append(
        p.scatter(
            None,
            fit.ste.w_q,
            name=tr("fig.w_q"),
            mode="lines",
            line=dict(color=SKY, width=1.5, shape="hv"),
            xaxis="x2",
            yaxis="y2",
        )
    )
    return traces


def fit_curves(fit: Fit, tr: Tr) -> go.Figure:
    """The 1-D fit: loss and the weight over the steps, with the STE and without."""
    traces = _fit_traces(fit, tr)
    # 16 % between the plots: room for the right one's y ticks on a phone
    axes, titles = p.columns(2, 0.16, (tr("fig.loss"), tr("fig.weight")))
    for k in ("xaxis", "xaxis2"):
        axes[k]["title"] = dict(text=tr("fig.step"))
    axes["yaxis"].update(type="log", dtick=1, exponentformat="power")
    target = dict(color=GREEN, dash="dash")  # a line across the weight plot, named in the legend, not on it
    traces.append(p.legend_entry(tr("fig.target", w=real(fit.target, "g")), target))
    layout = p.titled(
        420, legend_below=True, shapes=[p.hline(fit.target, target, "2")], annotations=titles, **axes
    )
    layout["margin"]["t"] = 40
    return p.figure(traces, layout)


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
