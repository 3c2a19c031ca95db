"""Figures of the preprocessing lesson: the pixel values per colour channel.

`tr` is the page's translator (`tr(key, **fmt) -> str`), so every label is in the page's language.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons import plot as p
from lessons.plot import BLUE, GREEN, VERMILION, Tr


def channel_histograms(values: np.ndarray, edges: np.ndarray, title: str, xtitle: str, tr: Tr) -> go.Figure:
    """One histogram per colour channel (HWC input), on the given bin edges."""
    mid, width = (edges[:-1] + edges[1:]) / 2, edges[1] - edges[0]
    names = (tr("fig.r"), tr("fig.g"), tr("fig.b"))
    colors = (VERMILION, GREEN, BLUE)
    channels = values.shape[-1] if values.ndim == 3 else 1
    traces = []
    for c in range(channels):
        v = values[..., c] if values.ndim == 3 else values
        traces.append(
            p.scatter(
                mid,
                np.histogram(v, edges)[0],
                mode="lines",
                line=dict(color=colors[c % 3], width=2, shape="hvh"),
                name=names[c] if channels == 3 else tr("fig.gray"),
            )
        )
    return p.figure(
        traces,
        p.titled(
            300,
            title=title,
            xaxis=dict(title=dict(text=xtitle), range=[float(edges[0]) - width, float(edges[-1]) + width]),
            yaxis=dict(title=dict(text=tr("fig.count"))),
        ),
    )
