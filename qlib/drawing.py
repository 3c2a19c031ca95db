"""A digit drawn on a browser canvas -> the model's 8x8, made as the training data was.

A canvas (streamlit-drawable-canvas's `image_data`) gives RGBA pixels: strokes on a transparent background,
or on an opaque one of a single colour. There is no lighting to remove and no paper to separate: the ink is
the strokes' opacity, or their difference from the background colour. What remains is the data set's own
normalisation (qlib.digit_bitmap): the ink's box fitted into 32x32 with its aspect ratio, the stroke brought
into the data set's range, and the 32x32 counted in 4x4 blocks, 0..16.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from qlib.digit_bitmap import Bitmap, empty, to_bitmap

MIN_INK = 0.1  # coverage below this (antialiasing haze, a canvas's faint background) is not a stroke


@dataclass(frozen=True)
class DrawingSteps:
    """The drawing's ink (H x W, 0..1), whether anything was drawn, and the 32x32 bitmap and 8x8 it gave."""

    ink: np.ndarray
    empty: bool
    result: Bitmap

    @property
    def x(self) -> torch.Tensor:
        """The model's input, float32 1x1x8x8 in [-1, 1] (all -1 for an empty canvas)."""
        return self.result.x


def ink_of(rgba: np.ndarray) -> np.ndarray:
    """Stroke coverage 0..1 of an RGBA (or RGB, or grey) uint8 canvas.

    With transparency in it, the ink is the alpha channel (whatever the stroke colour); a fully opaque
    canvas's ink is each pixel's colour distance from the background (its most common colour along the edge),
    scaled so the strongest stroke is 1.
    """
    a = np.asarray(rgba)
    if a.dtype != np.uint8 or a.ndim not in (2, 3) or min(a.shape[:2]) < 1:
        raise ValueError(f"expected uint8 pixels H x W (x 3 or 4), got {a.dtype} {a.shape}")
    a = a.astype(np.float64) / 255
    if a.ndim == 2:
        a = a[..., None]
    if a.shape[-1] == 4 and a[..., 3].min() < 1:
        return a[..., 3]
    colour = a[..., :3] if a.shape[-1] >= 3 else a[..., :1]
    edge = np.concatenate([colour[0], colour[-1], colour[:, 0], colour[:, -1]])
    values, counts = np.unique(np.round(edge * 255), axis=0, return_counts=True)
    background = values[np.argmax(counts)] / 255
    dist = np.sqrt(((colour - background) ** 2).sum(axis=-1))
    return dist / dist.max() if dist.max() > 0 else dist


def drawing_steps(rgba: np.ndarray) -> DrawingSteps:
    """A canvas's pixels -> the ink, and the 32x32 bitmap and 8x8 levels made from it."""
    ink = ink_of(rgba)
    ink = np.where(ink >= MIN_INK, ink, 0.0)
    if not ink.any():
        return DrawingSteps(ink, True, empty())
    return DrawingSteps(ink, False, to_bitmap(ink))


def drawing_to_input(rgba: np.ndarray) -> torch.Tensor:
    """A canvas's RGBA pixels -> float32 1x1x8x8 in [-1, 1], as scikit-learn's digits were made."""
    return drawing_steps(rgba).x
