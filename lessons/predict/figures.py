"""Figures and tables of the predict page: the 8x8 input the model sees, the top-k tables, every class's
probability under both models, and the pictures of each step from a photo to the 8x8 (qlib.photo's stages).

`tr` is the page's translator (`tr(key, **fmt) -> str`), so every label is in the page's language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw

from lessons import plot as p
from lessons.common.text import real
from lessons.plot import BLUE, ORANGE, VERMILION, Tr
from lessons.predict.lesson import Row
from qlib.digit_bitmap import BLOCK, SIDE
from qlib.photo import PhotoSteps

FRAME = "#BBBBBB"  # the thin line around each step's picture
STEP_SIDE = 240  # px: each step's picture is drawn this large (a square, the picture centred on white)
STEPS = (
    "original",
    "flat",
    "ink",
    "crop",
    "input",
)  # the page's order; each has strings step.<id>, step.<id>.c


def _look(height: int = 340, **kw) -> dict:
    """The common layout: legend on top, tight margins."""
    kw = {
        "margin": dict(l=60, r=20, t=60, b=50),
        "legend": dict(orientation="h", yanchor="bottom", y=1.08, xanchor="left", x=0),
        **kw,
    }
    return p.look(height, **kw)


def digit(x, tr: Tr, title: str = "") -> go.Figure:
    """What the model sees: the 8x8 input as a heatmap, each pixel's value written on it.

    Ink dark on white, as in the picture beside it: background −1 white, ink +1 black."""
    a = np.asarray(x, dtype=np.float64).reshape(8, 8)
    grey = [[0.0, "#ffffff"], [1.0, "#000000"]]  # plotly.js has no "gray" scale
    text = [[real(round(v, 2) + 0.0, "g") for v in row] for row in a]  # "−0.53" with a real minus
    trace = p.heatmap(
        a,
        zmin=-1,
        zmax=1,
        colorscale=grey,
        colorbar=dict(title=dict(text=tr("fig.value")), thickness=12),
        hovertemplate=tr("fig.hover") + "<extra></extra>",
    )
    return p.figure(
        [trace, p.cell_labels(a, text, -1, 1, grey, size=10)],
        _look(
            360,
            title=dict(text=title, font=dict(size=14)),
            margin=dict(l=30, r=10, t=40, b=30),
            yaxis=dict(autorange="reversed", scaleanchor="x", constrain="domain", dtick=1),
            xaxis=dict(dtick=1, constrain="domain"),
        ),
    )


FLOOR = 1e-6  # %: smaller probabilities are drawn at this height (a log axis has no 0)
TICKS = (1e-6, 1e-4, 1e-2, 1.0, 100.0)  # %


def prob_bars(
    fp32: Sequence[float], int8: Sequence[float], names: Sequence[str], tr: Tr, int8_label: str
) -> go.Figure:
    """Every class's probability under both models, side by side, on a log axis: where int8 moved the mass.

    The axis starts half a decade below FLOOR, so a bar at the floor still shows; the hover gives the true value.
    """
    labels = [str(i) for i in range(len(names))]  # the digit: ten names side by side overlap on a phone
    traces = [
        p.bar(
            labels,
            [max(100 * v, FLOOR) for v in vals],
            name=name,
            marker=style,
            customdata=[[100 * v, n] for v, n in zip(vals, names, strict=True)],
            hovertemplate="%{x} %{customdata[1]}: %{customdata[0]:.4g} %<extra>" + name + "</extra>",
        )
        for vals, name, style in (
            (fp32, tr("fp32"), dict(color=BLUE)),
            (int8, int8_label, dict(color=ORANGE, pattern=dict(shape="/"))),
        )
    ]
    ticktext = [tr("fig.floor"), *(f"{v:g} %" for v in TICKS[1:])]
    yaxis = dict(
        title=p.label(tr("fig.prob_axis")),
        type="log",
        range=[math.log10(FLOOR) - 0.5, 2.2],
        tickvals=list(TICKS),
        ticktext=ticktext,
    )
    xaxis = dict(title=p.label(tr("fig.class_axis")), tickangle=0)
    return p.figure(traces, _look(320, barmode="group", yaxis=yaxis, xaxis=xaxis))


def table(rows: Sequence[Row], tr: Tr, moves: bool) -> list[dict]:
    """A top-k table's rows (best first) with translated headers; the int8 table adds each class's rank move."""
    out = []
    for r in rows:
        row = {tr("col.id"): r.class_id, tr("col.name"): r.class_name, tr("col.prob"): 100 * r.prob}
        if moves:
            row[tr("col.move")] = r.move_text(tr)
        out.append(row)
    return out


@dataclass(frozen=True)
class StepPicture:
    """One step from the photo to the 8x8: its id (of STEPS), its picture, and its caption's string key and fields."""

    step: str
    image: Image.Image
    note: str  # a string key: step.<id>.c or a variant of it
    fmt: dict[str, object]


def _rgb(a: np.ndarray) -> np.ndarray:
    """A 2-D float picture in [0, 1] (1 = white) -> uint8 RGB."""
    g = np.rint(255 * np.clip(np.asarray(a, dtype=np.float64), 0, 1)).astype(np.uint8)
    return np.stack([g, g, g], axis=-1)


def _square(rgb: np.ndarray, side: int, smooth: bool = True) -> tuple[Image.Image, float, tuple[int, int]]:
    """An RGB picture centred on a white square side x side; also its scale and offset (to draw on it)."""
    h, w = rgb.shape[:2]
    scale = side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    resample = Image.Resampling.BOX if smooth and scale < 1 else Image.Resampling.NEAREST
    im = Image.fromarray(rgb, "RGB").resize(size, resample)
    out = Image.new("RGB", (side, side), (255, 255, 255))
    offset = ((side - size[0]) // 2, (side - size[1]) // 2)
    out.paste(im, offset)
    frame = [offset[0] - 1, offset[1] - 1, offset[0] + size[0], offset[1] + size[1]]
    ImageDraw.Draw(out).rectangle(frame, outline=_hex(FRAME))  # where the picture ends on the white square
    return out, scale, offset


def _hex(colour: str) -> tuple[int, int, int]:
    """'#RRGGBB' -> (r, g, b)."""
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def ink_picture(steps: PhotoSteps, side: int = STEP_SIDE) -> Image.Image:
    """The ink mask: the digit's pieces black, other ink orange, removed ruled lines vermilion, the digit's box blue."""
    rgb = np.full((*steps.ink.shape, 3), 255, dtype=np.uint8)
    rgb[steps.ink & ~steps.digit] = _hex(ORANGE)
    rgb[steps.lines] = _hex(VERMILION)
    rgb[steps.digit] = (0, 0, 0)
    im, scale, (ox, oy) = _square(rgb, side, smooth=False)
    if steps.box is not None:
        top, left, bottom, right = steps.box
        ImageDraw.Draw(im).rectangle(
            [ox + left * scale - 2, oy + top * scale - 2, ox + right * scale + 1, oy + bottom * scale + 1],
            outline=_hex(BLUE),
            width=2,
        )
    return im


def bitmap_picture(bitmap: np.ndarray, side: int = STEP_SIDE) -> Image.Image:
    """The 32x32 bitmap, dark ink on white, with its 4x4 blocks (each one of the 8x8 inputs) outlined."""
    im, scale, _ = _square(_rgb(1 - np.asarray(bitmap)), side, smooth=False)
    draw = ImageDraw.Draw(im)
    for k in range(BLOCK, SIDE, BLOCK):
        v = round(k * scale)
        draw.line([(v, 0), (v, side)], fill=_hex(BLUE), width=1)
        draw.line([(0, v), (side, v)], fill=_hex(BLUE), width=1)
    return im


def levels_picture(levels: np.ndarray, side: int = STEP_SIDE) -> Image.Image:
    """The 8x8 counts 0..16 the model sees (as level / 8 - 1), dark ink on white."""
    return _square(_rgb(1 - np.asarray(levels, dtype=np.float64) / 16), side, smooth=False)[0]


def photo_steps(steps: PhotoSteps, side: int = STEP_SIDE) -> list[StepPicture]:
    """The pictures of STEPS: original, after lighting removal, ink mask, crop and centring (32x32), the 8x8."""
    inverted = steps.polarity == "light_on_dark"
    kept = sum(p.in_digit for p in steps.pieces)
    return [
        StepPicture("original", _square(_rgb(steps.original), side)[0], "step.original.c", {}),
        StepPicture(
            "flat",
            _square(_rgb(steps.flat), side)[0],
            "step.flat.c_inverted" if inverted else "step.flat.c",
            {},
        ),
        StepPicture(
            "ink",
            ink_picture(steps, side),
            "step.ink.c" if steps.box is not None else "step.ink.c_none",
            {"n": kept, "total": len(steps.pieces)},
        ),
        StepPicture("crop", bitmap_picture(steps.result.bitmap, side), "step.crop.c", {}),
        StepPicture("input", levels_picture(steps.result.levels, side), "step.input.c", {}),
    ]
