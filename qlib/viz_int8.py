"""Plotly figures for the integer-inference and PyTorch pages (no streamlit).

`tr` is any callable `tr(key, **fmt) -> str` (the page passes its `T`), so figures speak the page's language.
Colours are Okabe-Ito, safe for the common forms of colour blindness.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from qlib import plot as p
from qlib.viz import BLACK, BLUE, GREY, ORANGE, VERMILION, Tr  # one palette


def _look(height: int = 340, **kw) -> dict:
    """The common layout: legend on top, tight margins."""
    kw = {"margin": dict(l=60, r=20, t=50, b=50), **kw}
    return p.look(height, legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0), **kw)


def feature_map(codes: np.ndarray, pos: tuple[int, int] | None, zero_point: int, tr: Tr,
                title: str = "") -> go.Figure:
    """One output channel's uint8 codes (or the logits' codes as a row), the chosen value boxed.

    Codes at the zero point (real 0.0, where the ReLU clamped) are drawn darkest, so the clamp is visible.
    """
    a = np.atleast_2d(np.asarray(codes, dtype=np.int64))
    trace = p.heatmap(a, colorscale="Cividis", zmin=int(min(a.min(), zero_point)), zmax=int(max(a.max(), zero_point + 1)),
                      text=a, texttemplate="%{text}", textfont=dict(size=12),
                      colorbar=dict(title=dict(text=tr("int8.fig.code")), thickness=12),
                      hovertemplate=tr("int8.fig.hover_code") + "<extra></extra>")
    shapes = []
    if pos is not None:
        r, c = pos
        shapes.append({"type": "rect", "x0": c - 0.5, "x1": c + 0.5, "y0": r - 0.5, "y1": r + 0.5, "xref": "x",
                       "yref": "y", "line": dict(color=VERMILION, width=4)})
    return p.figure([trace], _look(360 if a.shape[0] > 1 else 220, margin=dict(l=50, r=10, t=40, b=40),
                                   title=dict(text=title, font=dict(size=15)), shapes=shapes,
                                   yaxis=dict(autorange="reversed", scaleanchor="x", constrain="domain", dtick=1,
                                              title=p.label(tr("int8.fig.row"))),
                                   xaxis=dict(dtick=1, constrain="domain", title=p.label(tr("int8.fig.col")))))


def contributions(labels: Sequence[str], values: Sequence[int], tr: Tr) -> go.Figure:
    """The int32 accumulator split into its parts: what each input (or input channel) added."""
    v = np.asarray(values, dtype=np.int64)
    trace = p.bar(list(labels), v, marker=dict(color=[BLUE if x >= 0 else VERMILION for x in v]),
                  hovertemplate="%{x}: %{y}<extra></extra>")
    return p.figure([trace], _look(320, xaxis=dict(title=p.label(tr("int8.fig.part")), type="category"),
                                   yaxis=dict(title=p.label(tr("int8.fig.contribution")), zeroline=True,
                                              zerolinecolor=BLACK)))


def model_size(fp32_bytes: int, int8_bytes: int, tr: Tr) -> go.Figure:
    """Model size in bytes, float32 against int8 (weights, biases and qparams)."""
    sizes = [fp32_bytes, int8_bytes]
    trace = p.bar([tr("int8.size.fp32"), tr("int8.size.int8")], sizes, marker=dict(color=[BLUE, ORANGE]),
                  text=[f"{b:,} B" for b in sizes], textposition="outside",
                  hovertemplate="%{x}: %{y:,} B<extra></extra>")
    return p.figure([trace], _look(320, yaxis=dict(title=p.label(tr("int8.size.bytes")), range=[0, max(sizes) * 1.2])))


def qparam_compare(rows: Sequence[dict], tr: Tr) -> go.Figure:
    """PyTorch's scale divided by qlib's, per tensor: 1 where they agree, 255/127 where reduce_range halves the codes."""
    names = [r["name"] for r in rows]
    traces = [p.bar(names, [r[key] / r["qlib_scale"] for r in rows], name=tr(f"pytorch.fig.{label}"), marker=marker,
                    hovertemplate="%{x}: %{y:.4f}<extra></extra>")
              for key, label, marker in (("full_scale", "full", dict(color=BLUE)),
                                         ("x86_scale", "x86", dict(color=ORANGE, pattern=dict(shape="/"))))]
    shapes, notes = [], []
    for y, text in ((1.0, "1"), (255 / 127, "255 / 127")):
        shapes.append(p.hline(y, dict(color=GREY, dash="dot")))
        notes.append(p.text(text, 1, y, xref="x domain", yref="y", xanchor="left", yanchor="middle"))
    return p.figure(traces, _look(340, barmode="group", margin=dict(l=60, r=80, t=50, b=50), shapes=shapes,
                                  annotations=notes, yaxis=dict(title=p.label(tr("pytorch.fig.ratio")), range=[0, 2.4]),
                                  xaxis=dict(title=p.label(tr("pytorch.fig.tensor")))))


def logits_compare(qlib_logits: Sequence[float], torch_logits: Sequence[float], tr: Tr) -> go.Figure:
    """The ten logits of one input from both int8 models; the markers sit on each other when they agree."""
    cls = [str(i) for i in range(len(qlib_logits))]
    traces = [p.bar(cls, list(qlib_logits), name="qlib", marker=dict(color=BLUE)),
              p.scatter(cls, list(torch_logits), name="PyTorch", mode="markers",
                        marker=dict(color=ORANGE, symbol="diamond", size=12, line=dict(color=BLACK, width=1)))]
    return p.figure(traces, _look(320, xaxis=dict(title=p.label(tr("pytorch.fig.class")), type="category"),
                                  yaxis=dict(title=p.label(tr("pytorch.fig.logit")))))
