"""Pure plotly figures for every lesson (no streamlit): data in, a figure out, text through a translator.

`tr` is any callable `tr(key, **fmt) -> str` (the page passes its `T`), so figures speak the page's language.
Colours are Okabe-Ito, safe for the common forms of colour blindness.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

Tr = Callable[..., str]

# Okabe & Ito (2008): distinguishable with protanopia, deuteranopia and tritanopia
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILION, PURPLE, BLACK = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
GREY = "#8C8C8C"
CLIP_FILL = "rgba(213, 94, 0, 0.12)"  # vermilion, light: the clip zones
FONT = "Noto Sans CJK JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif"


def _layout(fig: go.Figure, height: int = 340, title: str | None = None, legend_below: bool = False,
            **kw) -> go.Figure:
    """The common look: white, readable fonts, a title on top, the legend under it (or under the plot)."""
    legend = dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0)
    if legend_below:
        legend = dict(orientation="h", yanchor="top", y=-0.22, xanchor="left", x=0)
    top = (45 if title else 10) + (0 if legend_below else 40)
    fig.update_layout(template="plotly_white", height=height, font=dict(family=FONT, size=14),
                      margin=dict(l=60, r=20, t=top, b=100 if legend_below else 50), legend=legend,
                      title=dict(text=title, x=0, xanchor="left", y=0.98, yanchor="top") if title else None, **kw)
    return fig


def _clip_zones(fig: go.Figure, lo: float, hi: float, view: tuple[float, float], label: str, **where) -> None:
    """Shade where values clip: left of the lowest code and right of the highest."""
    first = True
    for a, b in ((view[0], lo), (hi, view[1])):
        if b > a:
            note = dict(annotation_text=label, annotation_position="bottom left",
                        annotation_font=dict(color=VERMILION)) if first and label else {}
            fig.add_vrect(x0=a, x1=b, fillcolor=CLIP_FILL, line_width=0, layer="below", **note, **where)
            first = False


# ---------------------------------------------------------------- explorer

def number_line(r: dict, view: tuple[float, float], tr: Tr) -> go.Figure:
    """The real axis with the integer grid on it: where each code lands, where 0.0 lands, the clip zones."""
    qmin, qmax, scale, zp = r["qmin"], r["qmax"], r["scale"], r["zero_point"]
    levels = qmax - qmin + 1
    step = max(1, int(np.ceil(levels / 64)))  # at most ~64 ticks drawn; every code when there are few
    codes = np.arange(qmin, qmax + 1, step)
    xs = (codes - zp) * scale
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[view[0], view[1]], y=[0, 0], mode="lines", line=dict(color=GREY, width=1),
                             hoverinfo="skip", showlegend=False))
    fig.add_trace(go.Scatter(
        x=np.repeat(xs, 3), y=np.tile([-0.25, 0.25, np.nan], len(xs)), mode="lines",
        line=dict(color=BLUE, width=1.5), hoverinfo="skip",
        name=tr("explorer.fig.grid", n=levels) if step == 1 else tr("explorer.fig.grid_every", n=levels, k=step)))
    ends = [(qmin, r["grid_lo"]), (qmax, r["grid_hi"])]
    fig.add_trace(go.Scatter(x=[x for _, x in ends], y=[0.55, 0.55], mode="text",
                             text=[f"q={c}" for c, _ in ends], textfont=dict(color=BLUE), showlegend=False,
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=[0.0], y=[0], mode="markers+text", marker=dict(symbol="diamond", size=16, color=VERMILION),
        text=[f"0.0 → q={r['zero_code']}"], textposition="bottom center", textfont=dict(color=VERMILION),
        name=tr("explorer.fig.zero")))
    s = r["settings"]
    fig.add_trace(go.Scatter(x=[s.lo, s.hi], y=[0.0, 0.0], mode="markers", name=tr("explorer.fig.range"),
                             marker=dict(symbol="line-ns", size=30, line=dict(width=3, color=GREEN))))
    _clip_zones(fig, r["grid_lo"], r["grid_hi"], view, tr("explorer.fig.clip"))
    fig.update_yaxes(visible=False, range=[-1, 1])
    fig.update_xaxes(range=list(view), title=tr("explorer.fig.real_axis"), zeroline=False)
    return _layout(fig, height=230)


def staircase(sc: dict, r: dict, view: tuple[float, float], tr: Tr) -> go.Figure:
    """x → fake_quant(x) against the identity, with the error below: steps inside, flat where it clips."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.7, 0.3], vertical_spacing=0.06)
    fig.add_trace(go.Scatter(x=sc["x"], y=sc["x"], name=tr("explorer.fig.identity"),
                             line=dict(color=GREY, dash="dash")), 1, 1)
    fig.add_trace(go.Scatter(x=sc["x"], y=sc["y"], name=tr("explorer.fig.fq"),
                             line=dict(color=BLUE, width=2, shape="hv")), 1, 1)
    fig.add_trace(go.Scatter(x=sc["x"], y=sc["err"], name=tr("explorer.fig.err"),
                             line=dict(color=VERMILION, width=1.5)), 2, 1)
    _clip_zones(fig, r["grid_lo"], r["grid_hi"], view, tr("explorer.fig.clip"), row=1, col=1)
    _clip_zones(fig, r["grid_lo"], r["grid_hi"], view, "", row=2, col=1)
    fig.update_xaxes(range=list(view), title=tr("explorer.fig.x"), row=2, col=1)
    fig.update_yaxes(title=tr("explorer.fig.fq_axis"), row=1, col=1)
    fig.update_yaxes(title=tr("explorer.fig.err_axis"), row=2, col=1)
    return _layout(fig, height=460)


def histogram(h: dict, r: dict, tr: Tr) -> go.Figure:
    """The data before and after fake quant on the same bins; the clipped mass shaded."""
    e = h["edges"]
    mid, width = (e[:-1] + e[1:]) / 2, e[1] - e[0]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=mid, y=h["before"], width=width, name=tr("explorer.fig.before"),
                         marker=dict(color=SKY, line=dict(width=0)), opacity=0.85))
    fig.add_trace(go.Scatter(x=mid, y=h["after"], name=tr("explorer.fig.after"), mode="lines",
                             line=dict(color=ORANGE, width=2, shape="hvh")))
    view = (float(e[0]) - width, float(e[-1]) + width)
    _clip_zones(fig, h["clip_lo"], h["clip_hi"], view,
                tr("explorer.fig.clipped_mass", pct=f"{100 * h['clip_fraction']:.2f}"))
    d = r["data"]
    for x, name, color, dash in ((d["mean"], tr("explorer.fig.mean"), GREEN, "dash"),
                                 (d["median"], tr("explorer.fig.median"), PURPLE, "dot")):
        fig.add_vline(x=x, line=dict(color=color, dash=dash, width=2))
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=name, line=dict(color=color, dash=dash)))
    zp_x = 0.0
    fig.add_vline(x=zp_x, line=dict(color=BLACK, width=1.5))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=dict(color=BLACK, width=1.5),
                             name=tr("explorer.fig.zp_line", zp=r["zero_point"])))
    fig.update_layout(barmode="overlay", bargap=0)
    fig.update_xaxes(range=list(view), title=tr("explorer.fig.value"))
    fig.update_yaxes(title=tr("explorer.fig.count"))
    return _layout(fig, height=380)


# ---------------------------------------------------------------- STE

def ste_forward(d: dict, tr: Tr) -> go.Figure:
    """Forward: the staircase against the identity it replaces."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=d["x"], y=d["x"], name=tr("ste.fig.identity"), line=dict(color=GREY, dash="dash")))
    fig.add_trace(go.Scatter(x=d["x"], y=d["y"], name=tr("ste.fig.fq"), line=dict(color=BLUE, width=2)))
    fig.update_xaxes(title="x")
    fig.update_yaxes(title=tr("ste.fig.forward_axis"))
    return _layout(fig, height=340, title=tr("ste.fig.forward_title"))


def ste_backward(d: dict, tr: Tr) -> go.Figure:
    """Backward: the true derivative of rounding (0) against the STE (1 inside the range, 0 where clipped)."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=d["x"], y=d["grad_ste"], name=tr("ste.fig.grad_ste"),
                             line=dict(color=BLUE, width=3, shape="hv")))
    fig.add_trace(go.Scatter(x=d["x"], y=d["grad_true"], name=tr("ste.fig.grad_true"),
                             line=dict(color=VERMILION, width=3, dash="dot")))
    fig.update_xaxes(title="x")
    fig.update_yaxes(title=tr("ste.fig.backward_axis"), range=[-0.15, 1.2])
    return _layout(fig, height=340, title=tr("ste.fig.backward_title"))


def fit_curves(fit: dict, tr: Tr) -> go.Figure:
    """The 1-D fit: loss and the weight over the steps, with the STE and without."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=(tr("ste.fig.loss"), tr("ste.fig.weight")))
    for name, color, dash in (("ste", BLUE, "solid"), ("no_ste", VERMILION, "dot")):
        label = tr(f"ste.fig.{name}")
        fig.add_trace(go.Scatter(y=fit[name]["loss"], name=label, line=dict(color=color, dash=dash, width=2.5),
                                 legendgroup=name), 1, 1)
        fig.add_trace(go.Scatter(y=fit[name]["w"], name=label, showlegend=False,
                                 line=dict(color=color, dash=dash, width=2.5), legendgroup=name), 1, 2)
    fig.add_trace(go.Scatter(y=fit["ste"]["w_q"], name=tr("ste.fig.w_q"), line=dict(color=SKY, width=1.5, shape="hv")),
                  1, 2)
    fig.add_hline(y=fit["target"], line=dict(color=GREEN, dash="dash"), row=1, col=2,
                  annotation_text=tr("ste.fig.target", w=f"{fit['target']:g}"), annotation_position="bottom right")
    fig.update_xaxes(title=tr("ste.fig.step"))
    fig.update_yaxes(type="log", dtick=1, exponentformat="power", row=1, col=1)
    _layout(fig, height=420, legend_below=True)
    return fig.update_layout(margin_t=40)


def grad_norms(g: dict, tr: Tr) -> go.Figure:
    """Per-layer weight-gradient norms on one batch, with the STE and without."""
    fig = go.Figure()
    for name, color, pattern in (("ste", BLUE, ""), ("no_ste", VERMILION, "/")):
        vals = g[name]
        fig.add_trace(go.Bar(x=g["layers"], y=vals, name=tr(f"ste.fig.{name}"),
                             marker=dict(color=color, pattern_shape=pattern),
                             text=[f"{v:.3g}" for v in vals], textposition="outside"))
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=tr("ste.fig.layer"))
    fig.update_yaxes(title=tr("ste.fig.grad_norm"))
    return _layout(fig, height=360)


# ---------------------------------------------------------------- preprocess

def channel_histograms(values: np.ndarray, edges: np.ndarray, title: str, xtitle: str, tr: Tr) -> go.Figure:
    """One histogram per colour channel (HWC input), on the given bin edges."""
    fig = go.Figure()
    mid, width = (edges[:-1] + edges[1:]) / 2, edges[1] - edges[0]
    names = (tr("preprocess.fig.r"), tr("preprocess.fig.g"), tr("preprocess.fig.b"))
    colors = (VERMILION, GREEN, BLUE)
    channels = values.shape[-1] if values.ndim == 3 else 1
    for c in range(channels):
        v = values[..., c] if values.ndim == 3 else values
        counts = np.histogram(v, edges)[0]
        fig.add_trace(go.Scatter(x=mid, y=counts, mode="lines", line=dict(color=colors[c % 3], width=2, shape="hvh"),
                                 name=names[c] if channels == 3 else tr("preprocess.fig.gray")))
    fig.update_xaxes(title=xtitle, range=[float(edges[0]) - width, float(edges[-1]) + width])
    fig.update_yaxes(title=tr("preprocess.fig.count"))
    return _layout(fig, height=300, title=title)


# ---------------------------------------------------------------- home

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
