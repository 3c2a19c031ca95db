"""Training-time augmentation of the 8x8 digits, so the models meet what photos and drawings give them.

What varies between a person's digit and the data set's, after qlib.photo has fitted it into the 32x32 frame:
its exact place (a pixel or so), a small tilt or slant, its proportions, the stroke's width, the blur of a
camera and the noise of a sensor. `augment(x, seed)` draws each of these per sample from `Recipe`, then
gives the result the data set's form again: the strongest pixel full ink and the 17 levels 0..16.
A pure function: the same images and seed always give the same output, and nothing else is read or changed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F

from qlib.data import LEVELS


@dataclass(frozen=True)
class Recipe:
    """The ranges each sample's changes are drawn from (uniformly) and how often each is applied."""

    p: float = 0.8  # share of samples augmented at all; the rest are left exactly as in the data set
    shift: float = 0.75  # pixels (of 8), each direction
    rotate: float = 12.0  # degrees, either way
    scale: float = 0.1  # size 1 +- this
    aspect: float = 0.15  # width relative to height 1 +- this
    shear: float = 0.15  # slant: x moves by shear * y
    stroke: float = 0.5  # stroke width: blend towards a 3x3 dilation (+) or erosion (-) by up to this much
    blur: float = 0.5  # Gaussian blur sigma up to this, in pixels (of 8)
    noise: float = 0.03  # Gaussian noise sigma up to this, in ink units (0..1)

    def as_dict(self) -> dict:
        """Plain dict (for JSON reports and metrics files)."""
        return asdict(self)


RECIPE = Recipe()


def _u(g: torch.Generator, n: int, lo: float, hi: float) -> torch.Tensor:
    """n uniform draws in [lo, hi)."""
    return lo + (hi - lo) * torch.rand(n, generator=g)


def _geometry(ink: torch.Tensor, g: torch.Generator, r: Recipe) -> torch.Tensor:
    """Shift, rotate, scale, stretch and slant each sample (bilinear; outside the frame is background)."""
    n = len(ink)
    a = torch.deg2rad(_u(g, n, -r.rotate, r.rotate))
    s = _u(g, n, 1 - r.scale, 1 + r.scale)
    w = _u(g, n, 1 - r.aspect, 1 + r.aspect)
    k = _u(g, n, -r.shear, r.shear)
    t = _u(g, 2 * n, -r.shift, r.shift).reshape(n, 2) * (2 / 8)  # pixels -> affine_grid's [-1, 1] units
    cos, sin = torch.cos(a), torch.sin(a)
    # affine_grid maps each output pixel to where it samples the input: rotation @ (scale, stretch, slant)
    sx, sy = 1 / (s * w), 1 / s
    m = torch.stack(
        [
            torch.stack([cos * sx, -sin * sy + cos * k * sy, t[:, 0]], 1),
            torch.stack([sin * sx, cos * sy + sin * k * sy, t[:, 1]], 1),
        ],
        1,
    )
    grid = F.affine_grid(m, list(ink.shape), align_corners=False)
    return F.grid_sample(ink, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def _stroke(ink: torch.Tensor, g: torch.Generator, r: Recipe) -> torch.Tensor:
    """Thicker or thinner strokes: a blend towards the 3x3 grey dilation (t > 0) or erosion (t < 0)."""
    t = _u(g, len(ink), -r.stroke, r.stroke).reshape(-1, 1, 1, 1)
    grown = F.max_pool2d(ink, 3, stride=1, padding=1)
    shrunk = -F.max_pool2d(-F.pad(ink, (1, 1, 1, 1), value=0.0), 3, stride=1)
    return torch.where(t >= 0, ink + t * (grown - ink), ink - t * (shrunk - ink))


def _blur(ink: torch.Tensor, g: torch.Generator, r: Recipe) -> torch.Tensor:
    """A Gaussian blur of a per-sample sigma (a 5x5 kernel; sigma 0 leaves the sample as it is)."""
    sigma = _u(g, len(ink), 0.0, r.blur).clamp_min(1e-3).reshape(-1, 1)
    d = torch.arange(-2, 3, dtype=ink.dtype)
    k1 = torch.exp(-(d**2) / (2 * sigma**2))
    k1 = k1 / k1.sum(1, keepdim=True)
    k2 = (k1[:, :, None] * k1[:, None, :]).unsqueeze(1)  # n x 1 x 5 x 5
    out = F.conv2d(F.pad(ink, (2, 2, 2, 2)).transpose(0, 1), k2, groups=len(ink))
    return out.transpose(0, 1)


def augment(x: torch.Tensor, seed: int, recipe: Recipe = RECIPE) -> torch.Tensor:
    """A batch of data-set digits (N x 1 x 8 x 8 in [-1, 1]) with seeded random changes, in the same form.

    Each changed sample is stretched so its strongest pixel is full ink and rounded to the 17 levels, as
    qlib.digit_bitmap gives a photo. Samples not drawn for a change (1 - recipe.p of them) come back unchanged.
    """
    g = torch.Generator().manual_seed(int(seed) % (2**63))
    ink = (x.detach().to(torch.float32) + 1) / 2  # levels / 16: 0 background .. 1 full ink
    n = len(ink)
    if n == 0:
        return x.clone()
    out = _geometry(ink, g, recipe)
    out = _stroke(out, g, recipe)
    out = _blur(out, g, recipe)
    out = out + _u(g, n, 0.0, recipe.noise).reshape(-1, 1, 1, 1) * torch.randn(out.shape, generator=g)
    out = out.clamp(0, 1)
    peak = out.amax(dim=(1, 2, 3), keepdim=True)
    out = torch.where(peak > 0, out / peak.clamp_min(1e-6), out)
    out = torch.round(out * LEVELS) / LEVELS
    keep = torch.rand(n, generator=g) >= recipe.p
    return torch.where(keep.reshape(-1, 1, 1, 1), x.to(torch.float32), out * 2 - 1)
