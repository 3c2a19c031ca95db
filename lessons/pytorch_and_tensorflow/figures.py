"""Figures of the PyTorch & TensorFlow page: qparams side by side, one input's logits in both engines.

`tr` is the page's translator (`tr(key, **fmt) -> str`), so every label is in the page's language.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from lessons import plot as p
from lessons.plot import BLACK, BLUE, GREY, ORANGE, Tr


def _look(height: int = 340, **kw) -> dict:
    """The common layout: legend on top, tight margins."""
    kw = {"margin": dict(l=60, r=20, t=50, b=50), **kw}
    return p.look(height, legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0), **kw)


def qparam_compare(rows: Sequence[dict], tr: Tr) -> go.Figure:
    """PyTorch's scale divided by qlib's, per tensor: 1 where they agree, 255/127 where reduce_range halves the codes."""
    names = [r["name"] for r in rows]
    traces = [
        p.bar(
            names,
            [r[key] / r["qlib_scale"] for r in rows],
            name=tr(f"fig.{label}"),
            marker=marker,
            hovertemplate="%{x}: %{y:.4f}<extra></extra>",
        )
        for key, label, marker in (
            ("full_scale", "full", dict(color=BLUE)),
            ("x86_scale", "x86", dict(color=ORANGE, pattern=dict(shape="/"))),
        )
    ]
    shapes, notes = [], []
    for y, text in ((1.0, "1"), (255 / 127, "255 / 127")):
        shapes.append(p.hline(y, dict(color=GREY, dash="dot")))
        notes.append(p.text(text, 1, y, xref="x domain", yref="y", xanchor="left", yanchor="middle"))
    return p.figure(
        traces,
        _look(
            340,
            barmode="group",
            margin=dict(l=60, r=80, t=50, b=50),
            shapes=shapes,
            annotations=notes,
            yaxis=dict(title=p.label(tr("fig.ratio")), range=[0, 2.4]),
            xaxis=dict(title=p.label(tr("fig.tensor"))),
        ),
    )


def logits_compare(qlib_logits: Sequence[float], torch_logits: Sequence[float], tr: Tr) -> go.Figure:
    """The ten logits of one input from both int8 models; the markers sit on each other when they agree."""
    cls = [str(i) for i in range(len(qlib_logits))]
    traces = [
        p.bar(cls, list(qlib_logits), name="qlib", marker=dict(color=BLUE)),
        p.scatter(
            cls,
            list(torch_logits),
            name="PyTorch",
            mode="markers",
            marker=dict(color=ORANGE, symbol="diamond", size=12, line=dict(color=BLACK, width=1)),
        ),
    ]
    return p.figure(
        traces,
        _look(
            320,
            xaxis=dict(title=p.label(tr("fig.class")), type="category"),
            yaxis=dict(title=p.label(tr("fig.logit"))),
        ),
    )
