"""Plotly figures from plain dicts: traces, shapes, subplot grids and the common look, built without validation.

Plotly's figure API checks every property as it is set; on the explorer page that took ~150 ms of a 160 ms
rerun (50 ms a figure). Here a figure is written as the JSON plotly.js reads (`{"data": [...], "layout": {...}}`)
and wrapped once with `_validate=False`: the same picture in ~1 ms. tests/test_viz.py validates every
figure the lessons draw, so a misspelt property still fails, in the tests instead of on every rerun.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
import plotly.colors as pc
import plotly.graph_objects as go
import plotly.io as pio

FONT = "Noto Sans CJK JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif"
TRACE_TYPES = ("scatter", "bar", "heatmap")  # the only trace types the lessons draw
NOT_2D = (
    "polar",
    "ternary",
    "scene",
    "geo",
    "colorscale",
)  # 3-D, map and polar axes; heatmaps name their own scale


def _template() -> dict:
    """plotly_white trimmed to flat 2-D charts of these trace types: the same look in a fifth of the bytes."""
    full = pio.templates["plotly_white"].to_plotly_json()
    layout = {k: v for k, v in full["layout"].items() if k not in NOT_2D}
    return {"layout": layout, "data": {k: full["data"][k] for k in TRACE_TYPES}}


TEMPLATE = _template()


def figure(traces: Sequence[dict], layout: dict) -> go.Figure:
    """A go.Figure of plain trace and layout dicts, with the common template, not validated (see above)."""
    return go.Figure({"data": list(traces), "layout": {"template": TEMPLATE, **layout}}, _validate=False)


def scatter(x, y, **kw) -> dict:
    """A scatter / line trace (x None: the points' index, 0, 1, 2, …)."""
    return {"type": "scatter", **({} if x is None else {"x": x}), "y": y, **kw}


def bar(x, y, **kw) -> dict:
    """A bar trace."""
    return {"type": "bar", "x": x, "y": y, **kw}


def heatmap(z, **kw) -> dict:
    """A heatmap trace."""
    return {"type": "heatmap", "z": z, **kw}


def luminance(rgb) -> np.ndarray:
    """WCAG 2's relative luminance of sRGB colours (0-255 channels, last axis): what a contrast ratio is made of."""
    c = np.asarray(rgb, dtype=np.float64) / 255
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722])


@functools.lru_cache(maxsize=16)
def _stops(scale: str | tuple) -> tuple[np.ndarray, np.ndarray]:
    """A colour scale's stop positions and their RGB colours (0-255), parsed once."""
    scale = pc.get_colorscale(scale) if isinstance(scale, str) else scale
    pos = np.array([float(s) for s, _ in scale])
    rgb = np.array([pc.hex_to_rgb(c) if c.startswith("#") else pc.unlabel_rgb(c) for _, c in scale], float)
    return pos, rgb


def sample_scale(colorscale, t: np.ndarray) -> np.ndarray:
    """The RGB colours (0-255) a plotly colour scale (a name or [[pos, colour], ...]) gives at t in [0, 1]."""
    key = colorscale if isinstance(colorscale, str) else tuple(tuple(stop) for stop in colorscale)
    pos, rgb = _stops(key)
    return np.stack([np.interp(t, pos, rgb[:, k]) for k in range(3)], axis=-1)


def ink_on(rgb) -> np.ndarray:
    """Black or white, whichever reads better on each colour: at least 4.58:1 on any background (WCAG AA)."""
    y = luminance(rgb)
    return np.where((y + 0.05) / 0.05 >= 1.05 / (y + 0.05), "#000000", "#ffffff")


def cell_labels(z, text, zmin: float, zmax: float, colorscale, x=None, y=None, size: int = 12) -> dict:
    """A heatmap's numbers as a text trace, each in black or white for its own cell's colour.

    plotly.js writes a heatmap's texttemplate in white or #444, whichever contrasts more (Color.contrast): on
    mid-grey cells that is white at 3.9:1. Black reads at 5.3:1 there; a text scatter can colour each label.
    """
    z = np.asarray(z, dtype=np.float64)
    rows, cols = z.shape
    t = np.clip((z - zmin) / ((zmax - zmin) or 1.0), 0.0, 1.0).ravel()
    xs = [x[j] if x is not None else j for i in range(rows) for j in range(cols)]
    ys = [y[i] if y is not None else i for i in range(rows) for j in range(cols)]
    words = [str(v) for row in text for v in row]
    font = {"size": size, "color": ink_on(sample_scale(colorscale, t)).tolist()}
    return scatter(xs, ys, mode="text", text=words, textfont=font, hoverinfo="skip", showlegend=False)


def label(text: str) -> dict:
    """An axis or colour-bar title."""
    return {"text": text}


def legend_entry(name: str, line: dict) -> dict:
    """A legend line for something drawn as a shape (shapes have no legend of their own)."""
    return scatter([None], [None], mode="lines", name=name, line=line)


def legend_patch(name: str, fill: str, edge: str) -> dict:
    """A legend square for a shaded area (shapes have no legend of their own), so no label sits on the data."""
    marker = {"symbol": "square", "size": 14, "color": fill, "line": {"width": 1, "color": edge}}
    return scatter([None], [None], mode="markers", name=name, marker=marker)


def vrect(x0: float, x1: float, fill: str, axis: str = "") -> dict:
    """A shaded vertical band from x0 to x1, full height, behind the traces (subplot axis suffix "", "2"…)."""
    return {
        "type": "rect",
        "x0": x0,
        "x1": x1,
        "y0": 0,
        "y1": 1,
        "xref": f"x{axis}",
        "yref": f"y{axis} domain",
        "fillcolor": fill,
        "line": {"width": 0},
        "layer": "below",
    }


def vline(x: float, line: dict, axis: str = "") -> dict:
    """A vertical line across the (sub)plot at x."""
    return {
        "type": "line",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "xref": f"x{axis}",
        "yref": f"y{axis} domain",
        "line": line,
    }


def hline(y: float, line: dict, axis: str = "") -> dict:
    """A horizontal line across the (sub)plot at y."""
    return {
        "type": "line",
        "x0": 0,
        "x1": 1,
        "y0": y,
        "y1": y,
        "xref": f"x{axis} domain",
        "yref": f"y{axis}",
        "line": line,
    }


def text(text: str, x: float, y: float, xref: str = "x", yref: str = "paper", **kw) -> dict:
    """A text annotation without an arrow."""
    return {"text": text, "x": x, "y": y, "xref": xref, "yref": yref, "showarrow": False, **kw}


def columns(n: int, spacing: float, titles: Sequence[str] = ()) -> tuple[dict, list[dict]]:
    """Axes for n side-by-side subplots (x, x2, … over y, y2, …) and their titles: what make_subplots lays out."""
    width = (1.0 - spacing * (n - 1)) / n
    axes, notes = {}, []
    for i in range(n):
        s = "" if i == 0 else str(i + 1)
        lo = i * (width + spacing)
        axes[f"xaxis{s}"] = {"domain": [lo, lo + width], "anchor": f"y{s}"}
        axes[f"yaxis{s}"] = {"domain": [0.0, 1.0], "anchor": f"x{s}"}
        if i < len(titles):
            notes.append(
                text(
                    titles[i],
                    lo + width / 2,
                    1.0,
                    xref="paper",
                    xanchor="center",
                    yanchor="bottom",
                    font={"size": 16},
                )
            )
    return axes, notes


def rows(heights: Sequence[float], spacing: float) -> dict:
    """Axes for subplots stacked top to bottom sharing one x axis (the bottom one shows its ticks)."""
    n, free = len(heights), 1.0 - spacing * (len(heights) - 1)
    total, top, axes = sum(heights), 1.0, {}
    for i, h in enumerate(heights):
        s = "" if i == 0 else str(i + 1)
        bottom = top - free * h / total
        axes[f"yaxis{s}"] = {"domain": [max(bottom, 0.0), top], "anchor": f"x{s}"}
        axes[f"xaxis{s}"] = {
            "anchor": f"y{s}",
            **({"matches": f"x{n}", "showticklabels": False} if i < n - 1 else {}),
        }
        top = bottom - spacing
    return axes


def look(
    height: int, margin: dict, legend: dict | None = None, title: str | dict | None = None, **kw
) -> dict:
    """The layout every lesson shares: readable fonts (CJK first), a height, margins, the legend, a title."""
    out = {"height": height, "font": {"family": FONT, "size": 14}, "margin": margin, **kw}
    if legend is not None:
        out["legend"] = legend
    if title is not None:
        out["title"] = title
    return out


Tr = Callable[..., str]  # a translator: tr(key, **fmt) -> str

# Okabe & Ito (2008): distinguishable with protanopia, deuteranopia and tritanopia
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILION, PURPLE, BLACK = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)
GREY = "#8C8C8C"
CLIP_FILL = "rgba(213, 94, 0, 0.12)"  # vermilion, light: the clip zones


def titled(height: int = 340, title: str | None = None, legend_below: bool = False, **kw) -> dict:
    """The common layout: a title on top, the legend under it (or under the plot), margins to fit."""
    legend = dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0)
    if legend_below:
        legend = dict(orientation="h", yanchor="top", y=-0.22, xanchor="left", x=0)
    top = (45 if title else 10) + (0 if legend_below else 40)
    margin = dict(l=60, r=20, t=top, b=100 if legend_below else 50)
    head = dict(text=title, x=0, xanchor="left", y=0.98, yanchor="top") if title else None
    return look(height, margin, legend, head, **kw)
