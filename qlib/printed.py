"""Printed digits as extra training samples, rendered from Debian's fonts through the photos' own 8x8 path.

scikit-learn's digits were written by 43 people who draw a 7 with a bar and a 1 with a long flag: a model
trained on them alone reads a printed 7 as a 3 and a printed 1 as a 2 (bench/photos.py measures it). Here
each digit is drawn in TRAINING_FONTS, tilted, slanted and made bolder at random, and turned into 8x8 by
qlib.digit_bitmap exactly as a photo is. The faces are none of those the photo benchmark prints with
(bench/photo_corpus.FONTS; a test checks it), and no Noto face is used, so the benchmark's Noto CJK digits
are a family the models never saw. The validation and test splits are left as they are.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont
from skimage import transform

from qlib.data import Splits
from qlib.digit_bitmap import to_bitmap

FONT_DIR = Path("/usr/share/fonts/truetype")
FONT_PACKAGES = "fonts-dejavu-core fonts-dejavu-extra fonts-liberation"
TRAINING_FONTS = tuple(
    [f"dejavu/{n}.ttf" for n in (
        "DejaVuSans-Oblique", "DejaVuSans-BoldOblique", "DejaVuSansCondensed", "DejaVuSansCondensed-Bold",
        "DejaVuSansCondensed-BoldOblique", "DejaVuSansMono-Bold", "DejaVuSansMono-Oblique",
        "DejaVuSansMono-BoldOblique", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic", "DejaVuSerifCondensed",
        "DejaVuSerifCondensed-Bold", "DejaVuSerifCondensed-Italic", "DejaVuSerifCondensed-BoldItalic",
        "DejaVuMathTeXGyre")]
    + [f"liberation/{n}.ttf" for n in (
        "LiberationMono-Bold", "LiberationMono-Italic", "LiberationMono-BoldItalic", "LiberationSans-Italic",
        "LiberationSans-BoldItalic", "LiberationSansNarrow-Regular", "LiberationSansNarrow-Italic",
        "LiberationSansNarrow-BoldItalic", "LiberationSerif-Bold", "LiberationSerif-BoldItalic")]
)  # fmt: skip
SIZE = 96  # px: the glyphs are drawn this large, then fitted into 32x32 like a photo's digit
VARIANTS = 4  # drawings of each digit in each font
TILT, SLANT, BOLD = 8.0, 0.15, 3  # up to +-8 degrees, +-0.15 shear, an outline of up to 3 px


def _font(rel: str) -> ImageFont.FreeTypeFont:
    """A training font; a missing one is an error (the samples, and so the models, would change)."""
    path = FONT_DIR / rel
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: apt-get install -y {FONT_PACKAGES}")
    return ImageFont.truetype(str(path), SIZE)


def render(rel: str, digit: int, rng: np.random.Generator) -> np.ndarray:
    """One digit in one font as ink coverage (0..1), tilted, slanted and emboldened as rng draws."""
    im = Image.new("L", (2 * SIZE, 2 * SIZE), 0)
    bold = int(rng.integers(0, BOLD + 1))
    ImageDraw.Draw(im).text(
        (SIZE // 2, SIZE // 4), str(digit), fill=255, font=_font(rel), stroke_width=bold, stroke_fill=255
    )
    centre = transform.AffineTransform(translation=(-SIZE, -SIZE))
    turn = transform.AffineTransform(
        rotation=np.deg2rad(rng.uniform(-TILT, TILT)), shear=rng.uniform(-SLANT, SLANT)
    )
    tf = centre + turn + transform.AffineTransform(translation=(SIZE, SIZE))
    return transform.warp(np.asarray(im, dtype=np.float64) / 255, tf.inverse, order=1)


def printed_digits(variants: int = VARIANTS, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Every digit in every training font, `variants` times: (x float32 N x 1 x 8 x 8 in [-1, 1], y int64)."""
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for rel in TRAINING_FONTS:
        for digit in range(10):
            for _ in range(variants):
                xs.append(to_bitmap(render(rel, digit, rng)).x)
                ys.append(digit)
    return torch.cat(xs), torch.tensor(ys, dtype=torch.int64)


def with_printed(splits: Splits, variants: int = VARIANTS, seed: int = 0) -> Splits:
    """The splits with printed digits appended to the training set (1,000 by default); val and test unchanged."""
    px, py = printed_digits(variants, seed)
    x, y = splits.train
    return Splits((torch.cat([x, px]), torch.cat([y, py])), splits.val, splits.test)
