"""Plotly figures for the first lessons (no streamlit): data in, a figure out, text through a translator.

`tr` is any callable `tr(key, **fmt) -> str` (the page passes its `T`), so figures speak the page's language.
Colours are Okabe-Ito, safe for the common forms of colour blindness.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go

from qlib import plot as p
from qlib.plot import FONT  # noqa: F401 (re-exported: one font list)

Tr = Callable[..., str]

# Okabe & Ito (2008): distinguishable with protanopia, deuteranopia and tritanopia
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILION, PURPLE, BLACK = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
GREY = "#8C8C8C"
CLIP_FILL = "rgba(213, 94, 0, 0.12)"  # vermilion, light: the clip zones


def _look(height: int = 340, title: str | None = None, legend_below: bool = False, **kw) -> dict:
    """The common layout: a title on top, the legend under it (or under the plot), margins to fit."""
    legend = dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0)
    if legend_below:
        legend = dict(orientation="h", yanchor="top", y=-0.22, xanchor="left", x=0)
    top = (45 if title else 10) + (0 if legend_below else 40)
    margin = dict(l=60, r=20, t=top, b=100 if legend_below else 50)
    head = dict(text=title, x=0, xanchor="left", y=0.98, yanchor="top") if title else None
    return p.look(height, margin, legend, head, **kw)


def _clip_zones(lo: float, hi: float, view: tuple[float, float], label: str, axis: str = "",
                yref: str = "paper") -> tuple[list[dict], list[dict]]:
    """Shade where values clip, left of the lowest code and right of the highest: (shapes, annotations)."""
    shapes, notes = [], []
    for a, b in ((view[0], lo), (hi, view[1])):
        if b > a:
            if not shapes and label:
                notes.append(p.text(label, a, 0, xref=f"x{axis}", yref=yref, xanchor="left", yanchor="bottom",
                                    font=dict(color=VERMILION)))
            shapes.append(p.vrect(a, b, CLIP_FILL, axis))
    return shapes, notes


# ---------------------------------------------------------------- explorer

def number_line(r: dict, view: tuple[float, float], tr: Tr) -> go.Figure:
    """The real axis with the integer grid on it: where each code lands, where 0.0 lands, the clip zones."""
    qmin, qmax, scale, zp = r["qmin"], r["qmax"], r["scale"], r["zero_point"]
    levels = qmax - qmin + 1
    step = max(1, int(np.ceil(levels / 64)))  # at most ~64 ticks drawn; every code when there are few
    codes = np.arange(qmin, qmax + 1, step)
    xs = (codes - zp) * scale
    ends = [(qmin, r["grid_lo"]), (qmax, r["grid_hi"])]
    s = r["settings"]
    traces = [
        p.scatter([view[0], view[1]], [0, 0], mode="lines", line=dict(color=GREY, width=1), hoverinfo="skip",
                  showlegend=False),
        p.scatter(np.repeat(xs, 3), np.tile([-0.25, 0.25, np.nan], len(xs)), mode="lines",
                  line=dict(color=BLUE, width=1.5), hoverinfo="skip",
                  name=tr("explorer.fig.grid", n=levels) if step == 1 else tr("explorer.fig.grid_every", n=levels,
                                                                              k=step)),
        p.scatter([x for _, x in ends], [0.55, 0.55], mode="text", text=[f"q={c}" for c, _ in ends],
                  textfont=dict(color=BLUE), showlegend=False, hoverinfo="skip"),
        p.scatter([0.0], [0], mode="markers+text", marker=dict(symbol="diamond", size=16, color=VERMILION),
                  text=[f"0.0 → q={r['zero_code']}"], textposition="bottom center", textfont=dict(color=VERMILION),
                  name=tr("explorer.fig.zero")),
        p.scatter([s.lo, s.hi], [0.0, 0.0], mode="markers", name=tr("explorer.fig.range"),
                  marker=dict(symbol="line-ns", size=30, line=dict(width=3, color=GREEN))),
    ]
    shapes, notes = _clip_zones(r["grid_lo"], r["grid_hi"], view, tr("explorer.fig.clip"))
    return p.figure(traces, _look(230, shapes=shapes, annotations=notes, yaxis=dict(visible=False, range=[-1, 1]),
                                  xaxis=dict(range=list(view), title=dict(text=tr("explorer.fig.real_axis")),
                                             zeroline=False)))


def staircase(sc: dict, r: dict, view: tuple[float, float], tr: Tr) -> go.Figure:
    """x → fake_quant(x) against the identity, with the error below: steps inside, flat where it clips."""
    traces = [
        p.scatter(sc["x"][[0, -1]], sc["x"][[0, -1]], name=tr("explorer.fig.identity"),  # a line: two points
                  mode="lines", line=dict(color=GREY, dash="dash")),
        p.scatter(sc["x"], sc["y"], name=tr("explorer.fig.fq"), line=dict(color=BLUE, width=2, shape="hv")),
        p.scatter(sc["x"], sc["err"], name=tr("explorer.fig.err"), line=dict(color=VERMILION, width=1.5),
                  xaxis="x2", yaxis="y2"),
    ]
    top, notes = _clip_zones(r["grid_lo"], r["grid_hi"], view, tr("explorer.fig.clip"), yref="y domain")
    bottom, _ = _clip_zones(r["grid_lo"], r["grid_hi"], view, "", axis="2")
    axes = p.rows([0.7, 0.3], spacing=0.06)
    axes["xaxis2"].update(range=list(view), title=dict(text=tr("explorer.fig.x")))
    axes["yaxis"]["title"] = dict(text=tr("explorer.fig.fq_axis"))
    axes["yaxis2"]["title"] = dict(text=tr("explorer.fig.err_axis"))
    return p.figure(traces, _look(460, shapes=top + bottom, annotations=notes, **axes))


def histogram(h: dict, r: dict, tr: Tr) -> go.Figure:
    """The data before and after fake quant on the same bins; the clipped mass shaded."""
    e = h["edges"]
    mid, width = (e[:-1] + e[1:]) / 2, e[1] - e[0]
    traces = [
        p.bar(mid, h["before"], width=width, name=tr("explorer.fig.before"),
              marker=dict(color=SKY, line=dict(width=0)), opacity=0.85),
        p.scatter(mid, h["after"], name=tr("explorer.fig.after"), mode="lines",
                  line=dict(color=ORANGE, width=2, shape="hvh")),
    ]
    view = (float(e[0]) - width, float(e[-1]) + width)
    shapes, notes = _clip_zones(h["clip_lo"], h["clip_hi"], view,
                                tr("explorer.fig.clipped_mass", pct=f"{100 * h['clip_fraction']:.2f}"))
    d = r["data"]
    for x, name, line in ((d["mean"], tr("explorer.fig.mean"), dict(color=GREEN, dash="dash", width=2)),
                          (d["median"], tr("explorer.fig.median"), dict(color=PURPLE, dash="dot", width=2)),
                          (0.0, tr("explorer.fig.zp_line", zp=r["zero_point"]), dict(color=BLACK, width=1.5))):
        shapes.append(p.vline(x, line))
        traces.append(p.legend_entry(name, line))
    return p.figure(traces, _look(380, shapes=shapes, annotations=notes, barmode="overlay", bargap=0,
                                  xaxis=dict(range=list(view), title=dict(text=tr("explorer.fig.value"))),
                                  yaxis=dict(title=dict(text=tr("explorer.fig.count")))))


# ---------------------------------------------------------------- STE

def ste_forward(d: dict, tr: Tr) -> go.Figure:
    """Forward: the staircase against the identity it replaces."""
    traces = [p.scatter(d["x"], d["x"], name=tr("ste.fig.identity"), line=dict(color=GREY, dash="dash")),
              p.scatter(d["x"], d["y"], name=tr("ste.fig.fq"), line=dict(color=BLUE, width=2))]
    return p.figure(traces, _look(340, title=tr("ste.fig.forward_title"), xaxis=dict(title=dict(text="x")),
                                  yaxis=dict(title=dict(text=tr("ste.fig.forward_axis")))))


def ste_backward(d: dict, tr: Tr) -> go.Figure:
    """Backward: the true derivative of rounding (0) against the STE (1 inside the range, 0 where clipped)."""
    traces = [p.scatter(d["x"], d["grad_ste"], name=tr("ste.fig.grad_ste"), line=dict(color=BLUE, width=3, shape="hv")),
              p.scatter(d["x"], d["grad_true"], name=tr("ste.fig.grad_true"),
                        line=dict(color=VERMILION, width=3, dash="dot"))]
    return p.figure(traces, _look(340, title=tr("ste.fig.backward_title"), xaxis=dict(title=dict(text="x")),
                                  yaxis=dict(title=dict(text=tr("ste.fig.backward_axis")), range=[-0.15, 1.2])))


def fit_curves(fit: dict, tr: Tr) -> go.Figure:
    """The 1-D fit: loss and the weight over the steps, with the STE and without."""
    traces = []
    for name, color, dash in (("ste", BLUE, "solid"), ("no_ste", VERMILION, "dot")):
        label, line = tr(f"ste.fig.{name}"), dict(color=color, dash=dash, width=2.5)
        traces.append(p.scatter(None, fit[name]["loss"], name=label, mode="lines", line=line, legendgroup=name))
        traces.append(p.scatter(None, fit[name]["w"], name=label, mode="lines", showlegend=False, line=line, legendgroup=name,
                                xaxis="x2", yaxis="y2"))
    traces.append(p.scatter(None, fit["ste"]["w_q"], name=tr("ste.fig.w_q"), mode="lines", line=dict(color=SKY, width=1.5, shape="hv"),
                            xaxis="x2", yaxis="y2"))
    axes, titles = p.columns(2, 0.1, (tr("ste.fig.loss"), tr("ste.fig.weight")))
    for k in ("xaxis", "xaxis2"):
        axes[k]["title"] = dict(text=tr("ste.fig.step"))
    axes["yaxis"].update(type="log", dtick=1, exponentformat="power")
    target = tr("ste.fig.target", w=f"{fit['target']:g}")
    notes = [*titles, p.text(target, 1, fit["target"], xref="x2 domain", yref="y2", xanchor="right", yanchor="top")]
    layout = _look(420, legend_below=True, shapes=[p.hline(fit["target"], dict(color=GREEN, dash="dash"), "2")],
                   annotations=notes, **axes)
    layout["margin"]["t"] = 40
    return p.figure(traces, layout)


def grad_norms(g: dict, tr: Tr) -> go.Figure:
    """Per-layer weight-gradient norms on one batch, with the STE and without."""
    traces = [p.bar(g["layers"], g[name], name=tr(f"ste.fig.{name}"), marker=dict(color=color, pattern=dict(shape=pattern)),
                    text=[f"{v:.3g}" for v in g[name]], textposition="outside")
              for name, color, pattern in (("ste", BLUE, ""), ("no_ste", VERMILION, "/"))]
    return p.figure(traces, _look(360, barmode="group", xaxis=dict(title=dict(text=tr("ste.fig.layer"))),
                                  yaxis=dict(title=dict(text=tr("ste.fig.grad_norm")))))


# ---------------------------------------------------------------- preprocess

def channel_histograms(values: np.ndarray, edges: np.ndarray, title: str, xtitle: str, tr: Tr) -> go.Figure:
    """One histogram per colour channel (HWC input), on the given bin edges."""
    mid, width = (edges[:-1] + edges[1:]) / 2, edges[1] - edges[0]
    names = (tr("preprocess.fig.r"), tr("preprocess.fig.g"), tr("preprocess.fig.b"))
    colors = (VERMILION, GREEN, BLUE)
    channels = values.shape[-1] if values.ndim == 3 else 1
    traces = []
    for c in range(channels):
        v = values[..., c] if values.ndim == 3 else values
        traces.append(p.scatter(mid, np.histogram(v, edges)[0], mode="lines",
                                line=dict(color=colors[c % 3], width=2, shape="hvh"),
                                name=names[c] if channels == 3 else tr("preprocess.fig.gray")))
    return p.figure(traces, _look(300, title=title,
                                  xaxis=dict(title=dict(text=xtitle), range=[float(edges[0]) - width,
                                                                             float(edges[-1]) + width]),
                                  yaxis=dict(title=dict(text=tr("preprocess.fig.count")))))


# ---------------------------------------------------------------- home

# the two formulas of the whole app, before any numbers are put in
QUANT_FORMULA = (r"q = \mathrm{clamp}\!\left(\mathrm{round}\!\left(\frac{x}{s}\right) + z,\; q_{min},\; q_{max}\right)"
                 r"\qquad \hat{x} = (q - z)\cdot s")


def qat_flow_dot(tr: Tr) -> str:
    """The QAT loop as a Graphviz DOT string: forward left to right, the gradient coming back below."""
    n = {k: tr(f"home.flow.{k}") for k in ("input", "pre", "fq_in", "fq_w", "out", "loss", "ste", "update")}
    esc = {k: v.replace('"', r"\"") for k, v in n.items()}
    return f"""digraph qat {{
  rankdir=LR; bgcolor="transparent"; nodesep=0.35; ranksep=0.45;
  node [shape=box, style="rounded,filled", fontname="Noto Sans CJK JP, sans-serif", fontsize=15,
        color="{BLUE}", fillcolor="#E8F1F8", penwidth=1.4, margin="0.18,0.10"];
  edge [color="{BLUE}", penwidth=1.4, fontname="Noto Sans CJK JP, sans-serif", fontsize=11];
  input [label="{esc['input']}"]; pre [label="{esc['pre']}"]; fq_in [label="{esc['fq_in']}"];
  fq_w [label="{esc['fq_w']}"]; out [label="{esc['out']}"];
  loss [label="{esc['loss']}", color="{VERMILION}", fillcolor="#FBE9DF"];
  ste [label="{esc['ste']}", color="{VERMILION}", fillcolor="#FBE9DF"];
  update [label="{esc['update']}", color="{GREEN}", fillcolor="#E3F4EE"];
  input -> pre -> fq_in -> fq_w -> out -> loss;
  loss -> ste [color="{VERMILION}", style=dashed, constraint=false];
  ste -> update [color="{VERMILION}", style=dashed, constraint=false];
  update -> fq_w [color="{GREEN}", style=dashed, constraint=false];
  {{ rank=same; out; ste; }}
  {{ rank=same; fq_w; update; }}
}}"""
