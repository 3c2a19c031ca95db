"""Figures of the scale and zero point explorer: the number line, the staircase, the histogram.

`tr` is the page's translator (`tr(key, **fmt) -> str`), so every label is in the page's language.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons import plot as p
from lessons.plot import BLACK, BLUE, CLIP_FILL, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILION, Tr
from lessons.scale_and_zero_point.lesson import Histogram, Staircase, View


def _clip_zones(v: View, window: tuple[float, float], axis: str = "") -> list[dict]:
    """Shade where values clip: more than half a step below the lowest code or above the highest."""
    lo, hi = window
    return [p.vrect(a, b, CLIP_FILL, axis) for a, b in ((lo, v.clip_lo), (v.clip_hi, hi)) if b > a]


def _clip_legend(v: View, window: tuple[float, float], label: str) -> list[dict]:
    """The clip zones' legend entry, when the window shows one (a label in the legend, never on the data)."""
    lo, hi = window
    return [p.legend_patch(label, CLIP_FILL, VERMILION)] if v.clip_lo > lo or v.clip_hi < hi else []


def _grid_traces(v: View, tr: Tr) -> list[dict]:
    """The number line's axis and code ticks, with the end codes named."""
    step = max(1, int(np.ceil(v.levels / 64)))  # at most ~64 ticks drawn; every code when there are few
    xs = (np.arange(v.qmin, v.qmax + 1, step) - v.zero_point) * v.scale
    ends = [(v.qmin, v.grid_lo), (v.qmax, v.grid_hi)]
    view, levels = v.window, v.levels
    return [
        p.scatter(
            [view[0], view[1]],
            [0, 0],
            mode="lines",
            line=dict(color=GREY, width=1),
            hoverinfo="skip",
            showlegend=False,
        ),
        p.scatter(
            np.repeat(xs, 3),
            np.tile([-0.25, 0.25, np.nan], len(xs)),
            mode="lines",
            line=dict(color=BLUE, width=1.5),
            hoverinfo="skip",
            name=tr("fig.grid", n=levels) if step == 1 else tr("fig.grid_every", n=levels, k=step),
        ),
        p.scatter(
            [x for _, x in ends],
            [0.8, 0.8],  # above the min / max marks, which reach about 0.45 (at 0.55 they crossed the labels)
            mode="text",
            text=[f"q={c}" for c, _ in ends],
            textfont=dict(color=BLUE),
            cliponaxis=False,  # a short plot (a phone, a tall legend) would cut their tops
            showlegend=False,
            hoverinfo="skip",
        ),
    ]


def _marker_traces(v: View, tr: Tr) -> list[dict]:
    """Where 0.0 lands and the chosen min / max, on the number line."""
    s = v.settings
    return [
        p.scatter(
            [0.0],
            [0],
            mode="markers+text",
            marker=dict(symbol="diamond", size=16, color=VERMILION),
            text=[f"0.0 → q={v.zero_code}"],
            textposition="bottom center",
            textfont=dict(color=VERMILION),
            name=tr("fig.zero"),
        ),
        p.scatter(  # bars in data units, so they stay below the end codes' labels at any plot height
            [s.lo, s.lo, None, s.hi, s.hi],
            [-0.45, 0.45, None, -0.45, 0.45],
            mode="lines",
            name=tr("fig.range"),
            line=dict(width=3, color=GREEN),
        ),
    ]


def number_line(v: View, tr: Tr) -> go.Figure:
    """The real axis with the integer grid on it: where each code lands, where 0.0 lands, the clip zones."""
    view = v.window
    layout = p.titled(
        230,
        shapes=_clip_zones(v, view),
        yaxis=dict(visible=False, range=[-1, 1]),
        xaxis=dict(
            range=list(view), dtick=tick_step(view), title=dict(text=tr("fig.real_axis")), zeroline=False
        ),
    )
    # a smaller legend and side margins (the line has no y axis): two entries a row in a 1400 px window (English), not one
    layout["legend"]["font"] = dict(size=12)
    layout["margin"].update(l=16, r=16)
    return p.figure(
        _grid_traces(v, tr) + _marker_traces(v, tr) + _clip_legend(v, view, tr("fig.clip")), layout
    )


def tick_step(view: tuple[float, float], ticks: int = 6) -> float:
    """A round tick step (1, 2 or 5 × 10^k) giving about `ticks` ticks: plotly's own choice on a phone left −2…6
    with only 0 and 5 labelled, not the range's ends."""
    raw = (view[1] - view[0]) / ticks
    k = 10 ** np.floor(np.log10(raw))
    return float(next(m * k for m in (1, 2, 5, 10) if m * k >= raw))


def staircase(sc: Staircase, v: View, tr: Tr) -> go.Figure:
    """x → fake_quant(x) against the identity, with the error below: steps inside, flat where it clips."""
    view = v.window
    traces = [
        p.scatter(
            sc.x[[0, -1]],
            sc.x[[0, -1]],
            name=tr("fig.identity"),  # a line: two points
            mode="lines",
            line=dict(color=GREY, dash="dash"),
        ),
        p.scatter(sc.x, sc.y, name=tr("fig.fq"), line=dict(color=BLUE, width=2, shape="hv")),
        p.scatter(
            sc.x,
            sc.err,
            name=tr("fig.err"),
            line=dict(color=VERMILION, width=1.5),
            xaxis="x2",
            yaxis="y2",
        ),
        *_clip_legend(v, view, tr("fig.clip")),
    ]
    axes = p.rows([0.7, 0.3], spacing=0.06)
    axes["xaxis2"].update(range=list(view), title=dict(text=tr("fig.x")))
    axes["yaxis"]["title"] = dict(text=tr("fig.fq_axis"))
    axes["yaxis2"]["title"] = dict(text=tr("fig.err_axis"))
    shapes = _clip_zones(v, view) + _clip_zones(v, view, axis="2")
    return p.figure(traces, p.titled(460, shapes=shapes, **axes))


def histogram(h: Histogram, v: View, tr: Tr) -> go.Figure:
    """The data before and after fake quant on the same bins; the clipped mass shaded."""
    e = h.edges
    mid, width = (e[:-1] + e[1:]) / 2, e[1] - e[0]
    traces = [
        p.bar(
            mid,
            h.before,
            width=width,
            name=tr("fig.before"),
            marker=dict(color=SKY, line=dict(width=0)),
            opacity=0.85,
        ),
        p.scatter(
            mid, h.after, name=tr("fig.after"), mode="lines", line=dict(color=ORANGE, width=2, shape="hvh")
        ),
    ]
    view = (float(e[0]) - width, float(e[-1]) + width)
    traces += _clip_legend(v, view, tr("fig.clipped_mass", pct=f"{v.error.clip_pct:.2f}"))
    shapes = _clip_zones(v, view)
    d = v.data
    for x, name, line in (
        (d.mean, tr("fig.mean"), dict(color=GREEN, dash="dash", width=2)),
        (d.median, tr("fig.median"), dict(color=PURPLE, dash="dot", width=2)),
        (0.0, tr("fig.zp_line", zp=v.zero_point), dict(color=BLACK, width=1.5)),
    ):
        shapes.append(p.vline(x, line))
        traces.append(p.legend_entry(name, line))
    return p.figure(
        traces,
        p.titled(
            380,
            shapes=shapes,
            barmode="overlay",
            bargap=0,
            xaxis=dict(range=list(view), title=dict(text=tr("fig.value"))),
            yaxis=dict(title=dict(text=tr("fig.count"))),
        ),
    )
