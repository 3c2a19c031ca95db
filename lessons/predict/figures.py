"""Figures and tables of the predict page: the 8x8 input the model sees, the top-k tables, every class's
probability under both models.

`tr` is the page's translator (`tr(key, **fmt) -> str`), so every label is in the page's language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from lessons import plot as p
from lessons.plot import BLUE, ORANGE, Tr
from lessons.predict.lesson import Row


def _look(height: int = 340, **kw) -> dict:
    """The common layout: legend on top, tight margins."""
    kw = {
        "margin": dict(l=60, r=20, t=60, b=50),
        "legend": dict(orientation="h", yanchor="bottom", y=1.08, xanchor="left", x=0),
        **kw,
    }
    return p.look(height, **kw)


def digit(x, tr: Tr, title: str = "") -> go.Figure:
    """What the model sees: the 8x8 input as a heatmap, ink bright, each pixel's value written on it."""
    a = np.asarray(x, dtype=np.float64).reshape(8, 8)
    trace = p.heatmap(
        a,
        zmin=-1,
        zmax=1,
        colorscale=[
            [0.0, "#000000"],
            [1.0, "#ffffff"],
        ],  # background −1 black, ink +1 white (plotly.js has no "gray")
        text=np.round(a, 2),
        texttemplate="%{text}",
        textfont=dict(size=10),
        colorbar=dict(title=dict(text=tr("fig.value")), thickness=12),
        hovertemplate=tr("fig.hover") + "<extra></extra>",
    )
    return p.figure(
        [trace],
        _look(
            360,
            title=dict(text=title, font=dict(size=14)),
            margin=dict(l=30, r=10, t=40, b=30),
            yaxis=dict(autorange="reversed", scaleanchor="x", constrain="domain", dtick=1),
            xaxis=dict(dtick=1, constrain="domain"),
        ),
    )


FLOOR = 1e-6  # %: smaller probabilities are drawn at this height (a log axis has no 0)
TICKS = (1e-6, 1e-4, 1e-2, 1.0, 100.0)  # %


def prob_bars(
    fp32: Sequence[float], int8: Sequence[float], names: Sequence[str], tr: Tr, int8_label: str
) -> go.Figure:
    """Every class's probability under both models, side by side, on a log axis: where int8 moved the mass.

    The axis starts half a decade below FLOOR, so a bar at the floor still shows; the hover gives the true value.
    """
    labels = [f"{i} {n}" for i, n in enumerate(names)]
    traces = [
        p.bar(
            labels,
            [max(100 * v, FLOOR) for v in vals],
            name=name,
            marker=style,
            customdata=[100 * v for v in vals],
            hovertemplate="%{x}: %{customdata:.4g} %<extra>" + name + "</extra>",
        )
        for vals, name, style in (
            (fp32, tr("fp32"), dict(color=BLUE)),
            (int8, int8_label, dict(color=ORANGE, pattern=dict(shape="/"))),
        )
    ]
    ticktext = [tr("fig.floor"), *(f"{v:g} %" for v in TICKS[1:])]
    yaxis = dict(
        title=p.label(tr("fig.prob_axis")),
        type="log",
        range=[math.log10(FLOOR) - 0.5, 2.2],
        tickvals=list(TICKS),
        ticktext=ticktext,
    )
    return p.figure(traces, _look(320, barmode="group", yaxis=yaxis))


def table(rows: Sequence[Row], tr: Tr, moves: bool) -> list[dict]:
    """A top-k table's rows (best first) with translated headers; the int8 table adds each class's rank move."""
    out = []
    for r in rows:
        row = {tr("col.id"): r.class_id, tr("col.name"): r.class_name, tr("col.prob"): 100 * r.prob}
        if moves:
            row[tr("col.move")] = r.move_text
        out.append(row)
    return out
