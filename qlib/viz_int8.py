"""Pure plotly figures for the integer-inference and PyTorch pages (no streamlit).

`tr` is any callable `tr(key, **fmt) -> str` (the page passes its `T`), so figures speak the page's language.
Colours are Okabe-Ito, safe for the common forms of colour blindness.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from qlib.viz import BLACK, BLUE, FONT, GREY, ORANGE, VERMILION, Tr  # one palette


def _layout(fig: go.Figure, height: int = 340, **kw) -> go.Figure:
    """The common look: white, readable fonts, legend on top, tight margins."""
    kw = {"margin": dict(l=60, r=20, t=50, b=50), **kw}
    fig.update_layout(template="plotly_white", height=height, font=dict(family=FONT, size=14),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0), **kw)
    return fig


def feature_map(codes: np.ndarray, pos: tuple[int, int] | None, zero_point: int, tr: Tr,
                title: str = "") -> go.Figure:
    """One output channel's uint8 codes (or the logits' codes as a row), the chosen value boxed.

    Codes at the zero point (real 0.0, where the ReLU clamped) are drawn darkest, so the clamp is visible.
    """
    a = np.atleast_2d(np.asarray(codes, dtype=np.int64))
    fig = go.Figure(go.Heatmap(z=a, colorscale="Cividis", zmin=int(min(a.min(), zero_point)),
                               zmax=int(max(a.max(), zero_point + 1)), text=a, texttemplate="%{text}",
                               textfont=dict(size=12), colorbar=dict(title=tr("int8.fig.code"), thickness=12),
                               hovertemplate=tr("int8.fig.hover_code") + "<extra></extra>"))
    if pos is not None:
        r, c = pos
        fig.add_shape(type="rect", x0=c - 0.5, x1=c + 0.5, y0=r - 0.5, y1=r + 0.5,
                      line=dict(color=VERMILION, width=4))
    fig.update_yaxes(autorange="reversed", scaleanchor="x", constrain="domain", dtick=1,
                     title=tr("int8.fig.row"))
    fig.update_xaxes(dtick=1, constrain="domain", title=tr("int8.fig.col"))
    return _layout(fig, height=360 if a.shape[0] > 1 else 220, margin=dict(l=50, r=10, t=40, b=40),
                   title=dict(text=title, font=dict(size=15)))


def contributions(labels: Sequence[str], values: Sequence[int], tr: Tr) -> go.Figure:
    """The int32 accumulator split into its parts: what each input (or input channel) added."""
    v = np.asarray(values, dtype=np.int64)
    colours = [BLUE if x >= 0 else VERMILION for x in v]
    fig = go.Figure(go.Bar(x=list(labels), y=v, marker=dict(color=colours),
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    fig.update_xaxes(title=tr("int8.fig.part"), type="category")
    fig.update_yaxes(title=tr("int8.fig.contribution"), zeroline=True, zerolinecolor=BLACK)
    return _layout(fig, height=320)


def model_size(fp32_bytes: int, int8_bytes: int, tr: Tr) -> go.Figure:
    """Model size in bytes, float32 against int8 (weights, biases and qparams)."""
    names = [tr("int8.size.fp32"), tr("int8.size.int8")]
    sizes = [fp32_bytes, int8_bytes]
    fig = go.Figure(go.Bar(x=names, y=sizes, marker=dict(color=[BLUE, ORANGE]),
                           text=[f"{b:,} B" for b in sizes], textposition="outside",
                           hovertemplate="%{x}: %{y:,} B<extra></extra>"))
    fig.update_yaxes(title=tr("int8.size.bytes"), range=[0, max(sizes) * 1.2])
    return _layout(fig, height=320)


def qparam_compare(rows: Sequence[dict], tr: Tr) -> go.Figure:
    """PyTorch's scale divided by qlib's, per tensor: 1 where they agree, 255/127 where reduce_range halves the codes."""
    names = [r["name"] for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=names, y=[r["full_scale"] / r["qlib_scale"] for r in rows], name=tr("pytorch.fig.full"),
                         marker=dict(color=BLUE), hovertemplate="%{x}: %{y:.4f}<extra></extra>"))
    fig.add_trace(go.Bar(x=names, y=[r["x86_scale"] / r["qlib_scale"] for r in rows], name=tr("pytorch.fig.x86"),
                         marker=dict(color=ORANGE, pattern=dict(shape="/")), hovertemplate="%{x}: %{y:.4f}<extra></extra>"))
    for y, text in ((1.0, "1"), (255 / 127, "255 / 127")):
        fig.add_hline(y=y, line=dict(color=GREY, dash="dot"), annotation_text=text, annotation_position="right")
    fig.update_yaxes(title=tr("pytorch.fig.ratio"), range=[0, 2.4])
    fig.update_xaxes(title=tr("pytorch.fig.tensor"))
    return _layout(fig, height=340, barmode="group", margin=dict(l=60, r=80, t=50, b=50))


def logits_compare(qlib_logits: Sequence[float], torch_logits: Sequence[float], tr: Tr) -> go.Figure:
    """The ten logits of one input from both int8 models; the markers sit on each other when they agree."""
    cls = [str(i) for i in range(len(qlib_logits))]
    fig = make_subplots(rows=1, cols=1)
    fig.add_trace(go.Bar(x=cls, y=list(qlib_logits), name="qlib", marker=dict(color=BLUE)))
    fig.add_trace(go.Scatter(x=cls, y=list(torch_logits), name="PyTorch", mode="markers",
                             marker=dict(color=ORANGE, symbol="diamond", size=12, line=dict(color=BLACK, width=1))))
    fig.update_xaxes(title=tr("pytorch.fig.class"), type="category")
    fig.update_yaxes(title=tr("pytorch.fig.logit"))
    return _layout(fig, height=320)
