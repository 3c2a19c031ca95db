"""Figures of the PyTorch & TensorFlow page: qparams side by side, one input's logits in both engines.

`tr` is the page's translator (`tr(key, **fmt) -> str`), so every label is in the page's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from lessons import plot as p
from lessons.plot import BLACK, BLUE, GREY, ORANGE, Tr

if TYPE_CHECKING:  # the lesson's results (importing it at run time would load torch)
    from lessons.pytorch_and_tensorflow.lesson import ActCompare, SampleLogits


def _look(height: int = 340, **kw) -> dict:
    """The common layout: legend on top, tight margins."""
    kw = {"margin": dict(l=60, r=20, t=50, b=50), **kw}
    return p.look(height, legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0), **kw)


def qparam_compare(acts: Sequence[ActCompare], tr: Tr) -> go.Figure:
    """PyTorch's scale divided by qlib's, per tensor: 1 where they agree, 255/127 where reduce_range halves the codes."""
    names = [a.name for a in acts]
    traces = [
        p.bar(
            names,
            ratios,
            name=tr(f"fig.{label}"),
            marker=marker,
            hovertemplate="%{x}: %{y:.4f}<extra></extra>",
        )
        for ratios, label, marker in (
            ([a.full_ratio for a in acts], "full", dict(color=BLUE)),
            ([a.x86_ratio for a in acts], "x86", dict(color=ORANGE, pattern=dict(shape="/"))),
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


def logits_compare(s: SampleLogits, tr: Tr) -> go.Figure:
    """The ten logits of one input from both int8 models; the markers sit on each other when they agree."""
    cls = [str(i) for i in range(len(s.qlib))]
    traces = [
        p.bar(cls, list(s.qlib), name="qlib", marker=dict(color=BLUE)),
        p.scatter(
            cls,
            list(s.torch),
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
