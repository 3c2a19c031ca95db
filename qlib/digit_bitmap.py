"""From a picture of one digit's ink to the data set's 8x8: the 32x32 bitmap counted in 4x4 blocks, 0..16.

scikit-learn's digits (UCI optdigits) are NIST-normalised 32x32 bitmaps divided into 4x4 blocks whose on-pixels
are counted, so each of the 8x8 values is 0..16 (sklearn's load_digits DESCR). What the 1,797 samples show,
measured on them, and what this module does to match:
- every digit fills the height: each sample has ink in its top and its bottom row. Here the ink's box is
  scaled so its longer side spans the 32 pixels, keeping the aspect ratio, and centred by its box: every '0'
  of the data set spans exactly columns 1..6 (box centre 3.5 with a standard deviation of 0.00; their centre
  of mass varies by 0.11), so the data set centred the box, not the mass.
- the amount of ink is nearly constant: 185 to 433 of the 1,024 bitmap pixels are on (median 313, the same
  for every class within 10 %): NIST normalised the stroke width. Ink outside that range (a fine pen, a
  fat marker) is thickened or thinned to the nearest end of the middle 90 % of the data set (261..368).
- nearly every sample (1,765 of 1,797) has a block at 16: the counts are stretched so the fullest block is 16.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image
from skimage import morphology

from qlib.data import LEVELS  # 16: a block's count is 0..16

SIDE = 32  # the bitmap's side
BLOCK = 4  # 4x4 blocks -> 8x8, LEVELS = BLOCK * BLOCK
INK_SEEN = (185.0, 433.0)  # on-pixels of the 32x32 bitmap: the data set's least and most
INK_TYPICAL = (261.0, 368.0)  # the middle 90 % of the data set (5th to 95th percentile)


@dataclass(frozen=True)
class Bitmap:
    """The last steps to the model's input: the 32x32 ink (0..1) and its 8x8 block counts."""

    bitmap: np.ndarray  # 32x32 float in [0, 1]: the digit's box fitted and centred, stroke normalised
    levels: np.ndarray  # 8x8 int 0..16
    ink_before: float  # the ink amount (on-pixels of 1,024) before the stroke was normalised

    @property
    def x(self) -> torch.Tensor:
        """The model's input: float32 1x1x8x8, `level / 8 - 1` (0 -> -1 background, 16 -> 1 full ink)."""
        return levels_to_input(self.levels)


def levels_to_input(levels: np.ndarray) -> torch.Tensor:
    """8x8 counts 0..16 -> float32 1x1x8x8 in [-1, 1] by `level / 8 - 1`, the data set's convention."""
    return torch.tensor(np.asarray(levels, dtype=np.float32) / 8 - 1).reshape(1, 1, 8, 8)


def empty() -> Bitmap:
    """No ink at all: the data set's empty background (every level 0, every input -1)."""
    return Bitmap(np.zeros((SIDE, SIDE)), np.zeros((8, 8), dtype=np.int64), 0.0)


def fit_square(ink: np.ndarray) -> np.ndarray:
    """Crop to the ink's box, pad to a centred square (aspect kept), and area-average it to 32x32."""
    rows, cols = np.nonzero(ink > 0)
    if len(rows) == 0:
        return np.zeros((SIDE, SIDE))
    box = ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    h, w = box.shape
    side = max(h, w)
    top, left = (side - h) // 2, (side - w) // 2
    square = np.pad(box, ((top, side - h - top), (left, side - w - left)))
    im = Image.fromarray(square.astype(np.float32), "F").resize((SIDE, SIDE), Image.Resampling.BOX)
    return np.clip(np.asarray(im, dtype=np.float64), 0, 1)


def counts(bitmap: np.ndarray) -> np.ndarray:
    """The 4x4 block sums of a 32x32 bitmap, stretched so the fullest block is 16 (float, not yet rounded)."""
    v = bitmap.reshape(8, BLOCK, 8, BLOCK).sum(axis=(1, 3))
    return v * (LEVELS / v.max()) if v.max() > 0 else v


def _blend_to(bitmap: np.ndarray, target: float, op) -> np.ndarray:
    """Grow (dilation) or shrink (erosion) the strokes, a fraction of a pixel at a time, until the ink amount
    reaches target: whole 3x3 steps while they fall short, then the blend of the last step that hits it."""
    square = morphology.footprint_rectangle((3, 3))
    grow = op is morphology.dilation
    for _ in range(4):
        nxt = op(bitmap, square, mode="constant", cval=0.0)  # beyond the frame there is no ink
        if not nxt.any():
            return bitmap
        if (nxt.sum() >= target) == grow:  # this step reaches it: find the fraction by bisection
            lo, hi = 0.0, 1.0
            for _ in range(12):
                t = (lo + hi) / 2
                lo, hi = (lo, t) if ((bitmap + t * (nxt - bitmap)).sum() >= target) == grow else (t, hi)
            return bitmap + hi * (nxt - bitmap)
        bitmap = nxt
    return bitmap


def normalise_stroke(bitmap: np.ndarray) -> np.ndarray:
    """Ink the data set never had (outside 185..433 on-pixels) is brought to the nearest of 261 / 368.

    The bitmap is 0..1 per pixel with its fullest block at (or near) 16, so its sum is the on-pixel count."""
    amount = bitmap.sum()
    if amount < INK_SEEN[0]:  # a fine pen: at 32x32 its line is a faint sub-pixel trace; make it a full line
        line = np.median(bitmap[bitmap > 0.15 * bitmap.max()])
        bitmap = np.clip(bitmap / line, 0, 1)
        if bitmap.sum() >= INK_TYPICAL[0]:
            return bitmap
        return _blend_to(bitmap, INK_TYPICAL[0], morphology.dilation)
    if amount > INK_SEEN[1]:
        return _blend_to(bitmap, INK_TYPICAL[1], morphology.erosion)
    return bitmap


def to_bitmap(ink: np.ndarray) -> Bitmap:
    """A digit's ink coverage (2-D, 0 = none, 1 = full ink; anything outside the digit already 0) -> Bitmap."""
    ink = np.clip(np.nan_to_num(np.asarray(ink, dtype=np.float64)), 0, 1)
    if not (ink > 0).any():
        return empty()
    square = fit_square(ink)
    v = counts(square)
    if v.max() <= 0:
        return empty()
    stretched = square * (LEVELS / v.max())  # the fullest block becomes 16 ...
    start = np.clip(stretched, 0, 1)  # ... (a pixel is never more than full ink)
    bitmap = np.clip(normalise_stroke(start), 0, 1)
    thinned = start.sum() > INK_SEEN[1]  # stretching again would undo the thinning of a uniform stroke
    blocks = bitmap.reshape(8, BLOCK, 8, BLOCK).sum(axis=(1, 3)) if thinned else counts(bitmap)
    levels = np.clip(np.rint(blocks), 0, LEVELS).astype(np.int64)
    return Bitmap(bitmap, levels, float(v.sum() * LEVELS / v.max()))
