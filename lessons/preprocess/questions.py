"""The preprocessing lesson's questions: where 0 and 255 go, ImageNet's range, the zero point of x / 127.5 − 1."""

from __future__ import annotations

from functools import cache

import numpy as np

from lessons.common.questions import Question
from lessons.preprocess import lesson
from qlib.data import preprocess_input


def _minus(v: float, digits: int = 1) -> str:
    return f"{v:.{digits}f}".replace("-", "−")


# ---- 0 and 255 through x / 127.5 − 1


@cache
def _darkest() -> tuple[int, int]:
    """The sample picture's darkest pixel (smallest channel value), row and column."""
    img = lesson.sample_image()
    row, col = np.unravel_index(int(np.argmin(img.min(axis=2))), img.shape[:2])
    return int(row), int(col)


def _ends() -> tuple[float, float]:
    lo, hi = preprocess_input(np.array([0, 255], dtype=np.uint8))
    return float(lo), float(hi)


@cache
def _pixel_facts() -> dict[str, object]:
    lo, hi = _ends()
    p = lesson.pixel(lesson.sample_image(), *_darkest())
    return dict(lo=_minus(lo), hi=_minus(hi), r=p.row, c=p.col, u8=min(p.uint8), tf=_minus(min(p.tf), 3))


def _pixel() -> str:
    ends = {"tf": (-1.0, 1.0), "raw": (0.0, 1.0), "same": (0.0, 255.0), "half": (-127.5, 127.5)}
    return next(o for o, e in ends.items() if np.allclose(_ends(), e))


PIXEL = Question(
    id="pixel",
    options=("same", "raw", "tf", "half"),
    correct="tf",
    derive=_pixel,
    show=dict(zip(("pp_row", "pp_col"), _darkest(), strict=True)),
    facts=_pixel_facts,
)


# ---- ImageNet mean / std: still −1…1?


def _imagenet_ends() -> tuple[float, float]:
    """The lowest and the highest value (x/255 − mean)/std can take, over the three channels."""
    black = lesson.normalize(np.zeros((1, 1, 3), np.uint8), "torch")
    white = lesson.normalize(np.full((1, 1, 3), 255, np.uint8), "torch")
    return float(black.min()), float(white.max())


def _mode_facts() -> dict[str, object]:
    lo, hi = _imagenet_ends()
    mean = ", ".join(f"{v:.3f}" for v in lesson.IMAGENET_MEAN)
    std = ", ".join(f"{v:.3f}" for v in lesson.IMAGENET_STD)
    return dict(lo=_minus(lo, 2), hi=_minus(hi, 2), mean=mean, std=std)


def _mode() -> str:
    lo, hi = _imagenet_ends()
    if lo >= -1 and hi <= 1:
        return "unit" if lo >= 0 else "yes"
    return "wider"


MODE = Question(
    id="mode",
    options=("yes", "unit", "wider"),
    correct="wider",
    derive=_mode,
    show={"pp_mode": "torch"},
    facts=_mode_facts,
)


# ---- x / 127.5 − 1 as (q − z)·s: its zero point


def _zero_point_facts() -> dict[str, object]:
    codes = {c.name: c.zero_point for c in lesson.input_codes()}
    return dict(
        z=codes["exact"],
        obs=codes["observer"],
        tfl=codes["tflite_int8"].replace("-", "−"),
        toco=codes["toco"],
    )


def _zero_point() -> str:
    z = float(next(c.zero_point for c in lesson.input_codes() if c.name == "exact"))
    return {127.5: "half", 0.0: "zero", 128.0: "int"}.get(z, "mean")


ZERO_POINT = Question(
    id="zero_point",
    options=("zero", "mean", "int", "half"),
    correct="half",
    derive=_zero_point,
    facts=_zero_point_facts,
)

QUESTIONS = (PIXEL, MODE, ZERO_POINT)
