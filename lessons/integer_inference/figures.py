"""Figures and tables of the integer-inference page: feature maps of codes, the accumulator's parts, the step
table, model size.

`tr` is the page's translator (`tr(key, **fmt) -> str`), so every label is in the page's language.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lessons import plot as p
from lessons.integer_inference.lesson import Codes, Explanation, steps, terms
from lessons.plot import BLACK, BLUE, GREEN, ORANGE, VERMILION, Tr


def _look(height: int = 340, **kw) -> dict:
    """The common layout: legend on top, tight margins."""
    kw = {"margin": dict(l=60, r=20, t=50, b=50), **kw}
    return p.look(height, legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0), **kw)


def feature_map(
    codes: np.ndarray, pos: tuple[int, int] | None, zero_point: int, tr: Tr, title: str = ""
) -> go.Figure:
    """One output channel's uint8 codes (or the logits' codes as a row), the chosen value boxed.

    Codes at the zero point (real 0.0, where the ReLU clamped) are drawn darkest, so the clamp is visible.
    """
    a = np.atleast_2d(np.asarray(codes, dtype=np.int64))
    zmin, zmax = int(min(a.min(), zero_point)), int(max(a.max(), zero_point + 1))
    trace = p.heatmap(
        a,
        colorscale="Cividis",
        zmin=zmin,
        zmax=zmax,
        colorbar=dict(title=dict(text=tr("fig.code")), thickness=12),
        hovertemplate=tr("fig.hover_code") + "<extra></extra>",
    )
    shapes = [] if pos is None else [_box(*pos)]
    return p.figure(
        [trace, p.cell_labels(a, a.tolist(), zmin, zmax, "Cividis")],
        _look(
            360 if a.shape[0] > 1 else 220,
            margin=dict(l=50, r=10, t=40, b=40),
            title=dict(text=title, font=dict(size=15)),
            shapes=shapes,
            yaxis=dict(
                autorange="reversed",
                scaleanchor="x",
                constrain="domain",
                dtick=1,
                title=p.label(tr("fig.row")),
            ),
            xaxis=dict(dtick=1, constrain="domain", title=p.label(tr("fig.col"))),
        ),
    )


def _box(r: int, c: int) -> dict:
    """A thick frame around one cell of a heatmap."""
    return {
        "type": "rect",
        "x0": c - 0.5,
        "x1": c + 0.5,
        "y0": r - 0.5,
        "y1": r + 0.5,
        "xref": "x",
        "yref": "y",
        "line": dict(color=VERMILION, width=4),
    }


def contributions(labels: Sequence[str], values: Sequence[int], tr: Tr) -> go.Figure:
    """The int32 accumulator split into its parts: what each input (or input channel) added."""
    v = np.asarray(values, dtype=np.int64)
    trace = p.bar(
        list(labels),
        v,
        marker=dict(color=[BLUE if x >= 0 else VERMILION for x in v]),
        hovertemplate="%{x}: %{y}<extra></extra>",
    )
    return p.figure(
        [trace],
        _look(
            320,
            xaxis=dict(title=p.label(tr("fig.part")), type="category"),
            yaxis=dict(title=p.label(tr("fig.contribution")), zeroline=True, zerolinecolor=BLACK),
        ),
    )


def model_size(fp32_bytes: int, stored: int, packed: int | None, w_bits: int, tr: Tr) -> go.Figure:
    """Model size in bytes: float32, the integer model as stored and, below 8 bits, with its weight codes packed."""
    labels, sizes = [tr("size.fp32"), tr("fig.size_stored")], [fp32_bytes, stored]
    if packed is not None:
        labels, sizes = [*labels, tr("fig.size_packed", w=w_bits)], [*sizes, packed]
    trace = p.bar(
        labels,
        sizes,
        marker=dict(color=[BLUE, ORANGE, GREEN][: len(sizes)]),
        text=[f"{b:,} B" for b in sizes],
        textposition="outside",
        hovertemplate="%{x}: %{y:,} B<extra></extra>",
    )
    return p.figure(
        [trace], _look(320, yaxis=dict(title=p.label(tr("size.bytes")), range=[0, max(sizes) * 1.2]))
    )


def step_table(e: Explanation, c: Codes, tr: Tr) -> pd.DataFrame:
    """The step table for a static table: formula and value, indexed by the step's name (drawn as row headers)."""
    rows = [
        [tr(f"row.{s.id}", a=c.a_bits), f"`{s.formula}`", s.text] for s in steps(e)
    ]  # as code: "+ z" no list
    headers = [tr("col.step"), tr("col.formula"), tr("col.value")]
    return pd.DataFrame(rows, columns=headers).set_index(headers[0])


def term_table(e: Explanation, tr: Tr) -> pd.DataFrame:
    """Every product of the accumulator, indexed by its input position (row headers), with translated headers."""
    headers = [tr(k) for k in ("term.k", "term.q", "term.qz", "term.w", "term.p")]
    return pd.DataFrame([[t.k, t.q, t.qz, t.w, t.p] for t in terms(e)], columns=headers).set_index(headers[0])
