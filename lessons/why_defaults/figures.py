"""Figures of lesson 8: folded channel ranges, the freezing curves, per-layer SQNR, equalised spreads, the
calibration bake-off, the low-bit ladder and the papers' numbers beside this net's.

`tr` is the page's translator (`tr(key, **fmt) -> str`), so every label is in the page's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from lessons import plot as p
from lessons.plot import BLACK, BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILION, Tr

if TYPE_CHECKING:  # the lesson's results (importing it at run time would load torch)
    from lessons.why_defaults.lesson import Bakeoff, CLEView, FoldView, FreezeStudy, Ladder, Scale

OBSERVER_COLORS = (BLUE, SKY, GREEN, ORANGE, PURPLE, VERMILION)


# A legend entry's width in a chart of many short entries (the observers): a grid, two to a row on a phone (one
# to a row when each takes its own width, and seven entries left a 390 px chart a strip of plot), four or more on
# a wide screen. Plotly cuts an entry's text at this width, so a chart of few long entries keeps their own widths.
ENTRY_PX = 170


def _look(height: int = 340, grid: bool = False, **kw) -> dict:
    """The common layout: legend on top (`grid`: in a grid of ENTRY_PX entries), tight margins."""
    kw = {"margin": dict(l=60, r=20, t=50, b=50), **kw}
    legend = dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0)
    return p.look(height, legend={**legend, **({"entrywidth": ENTRY_PX} if grid else {})}, **kw)


def fold_ranges(v: FoldView, tr: Tr) -> go.Figure:
    """max|w| of every output channel before and after W' = γ·W/σ; the chosen channel outlined; a dotted line at
    the largest folded range, where one per-tensor scale must reach."""
    ch = [str(i) for i in range(v.channels)]
    edge = [2.5 if i == v.channel else 0 for i in range(v.channels)]
    traces = [
        p.bar(
            ch,
            list(v.absmax_before),
            name=tr("fig.before"),
            marker=dict(color=SKY, line=dict(color=BLACK, width=edge)),
            hovertemplate="%{x}: %{y:.3f}<extra></extra>",
        ),
        p.bar(
            ch,
            list(v.absmax_after),
            name=tr("fig.after"),
            marker=dict(color=ORANGE, line=dict(color=BLACK, width=edge)),
            hovertemplate="%{x}: %{y:.3f}<extra></extra>",
        ),
        p.legend_entry(tr("fig.tensor_max"), dict(color=GREY, dash="dot")),
    ]
    top = max(v.absmax_after)
    return p.figure(
        traces,
        _look(
            340,
            barmode="group",
            shapes=[p.hline(top, dict(color=GREY, dash="dot"))],
            xaxis=dict(title=p.label(tr("fig.channel", layer=v.layer)), type="category"),
            yaxis=dict(title=p.label(tr("fig.absmax"))),
        ),
    )


def freeze_curves(s: FreezeStudy, tr: Tr) -> go.Figure:
    """Validation accuracy per QAT epoch, BatchNorm frozen from an epoch on and never; the freeze marked."""
    ep = list(range(1, s.epochs + 1))
    traces = [
        p.scatter(
            ep,
            [100 * v for v in s.frozen_val],
            name=tr("fig.frozen"),
            mode="lines+markers",
            line=dict(color=BLUE, width=3),
        ),
        p.scatter(
            ep,
            [100 * v for v in s.unfrozen_val],
            name=tr("fig.unfrozen"),
            mode="lines+markers",
            line=dict(color=ORANGE, width=3, dash="dash"),
            marker=dict(symbol="diamond"),
        ),
    ]
    x = s.freeze_after + 0.5
    return p.figure(
        traces,
        _look(
            320,
            shapes=[p.vline(x, dict(color=GREY, dash="dot"))],
            annotations=[p.text(tr("fig.freeze_here"), x, 0.02, xanchor="left", yanchor="bottom")],
            xaxis=dict(title=p.label(tr("fig.epoch")), dtick=1),
            yaxis=dict(title=p.label(tr("fig.val_acc")), ticksuffix=" %"),
        ),
    )


def layer_sqnr(
    layers: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    highlight: str,
    tr: Tr,
    height: int | None = None,
) -> go.Figure:
    """Each layer's own SQNR (dB) for a few quantized forms; the layer that breaks first shaded.

    By default 20 px taller for each legend entry: a phone stacks them one to a row above the plot."""
    colors = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILION)
    patterns = ("", "/", "x", ".", "-", "+")
    traces = [
        p.bar(
            list(layers),
            list(vals),
            name=name,
            marker=dict(color=colors[i % 6], pattern=dict(shape=patterns[i % 6])),
            hovertemplate="%{x}: %{y:.1f} dB<extra></extra>",
        )
        for i, (name, vals) in enumerate(series)
    ]
    i = list(layers).index(highlight)
    lo = min(v for _, vals in series for v in vals)
    hi = max(v for _, vals in series for v in vals)
    traces.append(p.legend_patch(tr("fig.breaks_first", layer=highlight), p.CLIP_FILL, VERMILION))
    return p.figure(
        traces,
        _look(
            height or 280 + 20 * len(traces),
            grid=True,
            barmode="group",
            shapes=[p.vrect(i - 0.5, i + 0.5, p.CLIP_FILL)],
            xaxis=dict(title=p.label(tr("fig.layer")), type="category"),
            yaxis=dict(title=p.label(tr("fig.own_db")), range=[max(0.0, lo - 6.0), hi + 2.0]),
        ),
    )


def cle_spreads(c: CLEView, layers: Sequence[str], tr: Tr) -> go.Figure:
    """Largest over smallest channel range of each layer's weight: folded (ReLU6 → ReLU), then equalised."""
    traces = [
        p.bar(list(layers), list(c.spread_before), name=tr("fig.cle_before"), marker=dict(color=ORANGE)),
        p.bar(
            list(layers),
            list(c.spread_after),
            name=tr("fig.cle_after"),
            marker=dict(color=GREEN, pattern=dict(shape="/")),
        ),
    ]
    return p.figure(
        traces,
        _look(
            300,
            barmode="group",
            shapes=[p.hline(1.0, dict(color=GREY, dash="dot"))],
            xaxis=dict(title=p.label(tr("fig.layer")), type="category"),
            yaxis=dict(title=p.label(tr("fig.spread")), rangemode="tozero"),
        ),
    )


def bakeoff_curves(b: Bakeoff, observers: Sequence[str], tr: Tr) -> go.Figure:
    """Test accuracy (mean of three subsets) against the number of calibration images, one line per observer."""
    dashes = ("solid", "dash", "dot", "dashdot", "longdash", "solid")
    symbols = ("circle", "square", "diamond", "triangle-up", "cross", "x")
    traces = [
        p.scatter(
            list(b.n_images),
            [100 * v for v in b.acc[o]],
            name=tr(f"obs.{o}"),
            mode="lines+markers",
            line=dict(color=OBSERVER_COLORS[i], dash=dashes[i], width=2.5),
            marker=dict(symbol=symbols[i], size=9),
            hovertemplate="%{x}: %{y:.1f} %<extra></extra>",
        )
        for i, o in enumerate(observers)
    ]
    vals = [100 * v for o in observers for v in b.acc[o]]
    mid = (max(vals) + min(vals)) / 2
    half = max(1.0, (max(vals) - min(vals)) / 2 + 0.3)
    return p.figure(
        traces,
        _look(
            360,
            grid=True,
            margin=dict(l=60, r=20, t=80, b=50),
            xaxis=dict(title=p.label(tr("fig.n_images")), type="log", tickvals=list(b.n_images)),
            yaxis=dict(title=p.label(tr("fig.test_acc")), ticksuffix=" %", range=[mid - half, mid + half]),
        ),
    )


def ladder_heatmap(
    lad: Ladder, configs: Sequence[tuple[int, int]], methods: Sequence[str], tr: Tr
) -> go.Figure:
    """Test accuracy of every method (columns) at every pair of widths (rows), the value written in each cell."""
    z = [[100 * lad.acc[w, a, m] for m in methods] for w, a in configs]
    rows = [f"W{w}A{a}" for w, a in configs]
    cols = [tr(f"method.{m}") for m in methods]
    text = [[f"{v:.1f}" for v in r] for r in z]
    trace = p.heatmap(
        z,
        x=cols,
        y=rows,
        colorscale="Viridis",
        zmin=50,
        zmax=100,
        colorbar=dict(title=p.label(tr("fig.test_acc_pct"))),
        hovertemplate="%{y} · %{x}: %{z:.1f} %<extra></extra>",
    )
    return p.figure(
        [trace, p.cell_labels(z, text, 50, 100, "Viridis", x=cols, y=rows, size=15)],
        _look(
            380,
            margin=dict(l=70, r=20, t=20, b=50),
            yaxis=dict(autorange="reversed", type="category"),
            # "PTQ + bias correction" on two lines: turned on a phone, one line ran into "AdaRound"
            xaxis=dict(type="category", tickvals=cols, ticktext=[c.replace(" + ", " +<br>") for c in cols]),
        ),
    )


def scale_bars(s: Scale, tr: Tr) -> go.Figure:
    """8-bit weights per tensor and per channel, and the float model: MobileNet-v2 on ImageNet (Krishnamoorthi
    2018, Table 2) beside this net on the digits (live)."""
    cats = [tr("fig.per_tensor8"), tr("fig.per_channel8"), tr("fig.float")]
    traces = [
        p.bar(
            cats,
            [0.1, 69.8, 71.9],
            name=tr("fig.imagenet"),
            marker=dict(color=GREY),
            text=["0.1 %", "69.8 %", "71.9 %"],
            textposition="outside",
        ),
        p.bar(
            cats,
            [100 * s.pt8, 100 * s.pc8, 100 * s.fp32],
            name=tr("fig.here"),
            marker=dict(color=BLUE, pattern=dict(shape="/")),
            text=[f"{100 * v:.1f} %" for v in (s.pt8, s.pc8, s.fp32)],
            textposition="outside",
        ),
    ]
    return p.figure(
        traces,
        _look(
            320,
            barmode="group",
            yaxis=dict(title=p.label(tr("fig.top1")), range=[0, 112], ticksuffix=" %"),
            xaxis=dict(type="category"),
        ),
    )
