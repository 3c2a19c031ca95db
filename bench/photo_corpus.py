"""A seeded corpus of realistic photos of digits, and of pictures that are not digits, made by code.

    python -m bench.photo_corpus [sheet.png]     writes a contact sheet of the corpus to look at

Digits are printed (Debian's DejaVu, Liberation and Noto CJK fonts in several weights and slants, some made
bolder with an outline) or handwriting-like (pen strokes along jittered templates, slanted, of varying width).
Each condition stresses one thing a phone camera meets, on top of a mild everyday camera (a little rotation,
lighting falloff, paper grain, noise, blur and JPEG). Every picture is a pure function of (seed, condition,
index): the same seed gives the same bytes on a machine with the same fonts and Pillow.
"""

from __future__ import annotations

import io
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage
from skimage import transform

SEED = 14
PER_CONDITION = 30  # 3 of each digit per condition
FONT_DIR = Path("/usr/share/fonts")
# (file under FONT_DIR, face index in a .ttc, extra outline in % of the glyph height: a marker-bold weight)
FONTS = (
    ("truetype/dejavu/DejaVuSans.ttf", 0, 0),
    ("truetype/dejavu/DejaVuSans-Bold.ttf", 0, 0),
    ("truetype/dejavu/DejaVuSans-ExtraLight.ttf", 0, 0),
    ("truetype/dejavu/DejaVuSansCondensed-Oblique.ttf", 0, 0),
    ("truetype/dejavu/DejaVuSerif.ttf", 0, 0),
    ("truetype/dejavu/DejaVuSerif-Bold.ttf", 0, 0),
    ("truetype/dejavu/DejaVuSansMono.ttf", 0, 0),
    ("truetype/liberation/LiberationSans-Regular.ttf", 0, 0),
    ("truetype/liberation/LiberationSans-Bold.ttf", 0, 4),
    ("truetype/liberation/LiberationSerif-Regular.ttf", 0, 0),
    ("truetype/liberation/LiberationSerif-Italic.ttf", 0, 0),
    ("truetype/liberation/LiberationMono-Regular.ttf", 0, 0),
    ("truetype/liberation/LiberationSansNarrow-Bold.ttf", 0, 0),
    ("opentype/noto/NotoSansCJK-Regular.ttc", 0, 0),
    ("opentype/noto/NotoSansCJK-Bold.ttc", 0, 0),
    ("opentype/noto/NotoSerifCJK-Regular.ttc", 0, 0),
    ("opentype/noto/NotoSerifCJK-Bold.ttc", 0, 6),
)
FONT_PACKAGES = "fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-noto-cjk"
GLYPH = 256  # glyphs are drawn this tall, then mapped into the photo

CONDITIONS = (
    "clean",
    "rotation",
    "perspective",
    "shadow",
    "gradient",
    "texture",
    "ruled",
    "noise",
    "blur",
    "jpeg",
    "inverted",
    "off_centre",
    "small",
    "phone",
)
NON_DIGIT_KINDS = ("blank", "scene", "texture", "text", "several")


@dataclass(frozen=True)
class Photo:
    """One corpus picture as a phone would give it (decoded from its JPEG), with what it shows."""

    image: Image.Image  # RGB
    label: int  # the digit; -1 for a picture that is not a digit
    condition: str  # one of CONDITIONS, or one of NON_DIGIT_KINDS for non-digits
    style: str  # the font file's name, "hand", or what a non-digit shows


# ---------------------------------------------------------------------------------------------------------------
# the digit itself: a float ink coverage in [0, 1], cropped to the ink


def _font(i: int, size: int) -> tuple[ImageFont.FreeTypeFont, int]:
    """The i-th font of FONTS at this pixel size and its outline width; a missing font is an error, not a swap."""
    rel, index, outline = FONTS[i % len(FONTS)]
    path = FONT_DIR / rel
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: apt-get install -y {FONT_PACKAGES}")
    return ImageFont.truetype(str(path), size, index=index), outline


def _crop(a: np.ndarray, pad: int) -> np.ndarray:
    """Crop a coverage map to its ink and leave `pad` empty pixels around it."""
    rows, cols = np.nonzero(a > 0.02)
    a = a[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    return np.pad(a, pad)


def printed(digit: int, font_index: int) -> np.ndarray:
    """The digit in the i-th font, GLYPH px tall; fonts with an outline weight are drawn bolder."""
    font, outline = _font(font_index, int(GLYPH * 1.4))
    im = Image.new("L", (GLYPH * 2, GLYPH * 2), 0)
    stroke = outline * GLYPH // 100
    ImageDraw.Draw(im).text(
        (GLYPH // 2, GLYPH // 4), str(digit), fill=255, font=font, stroke_width=stroke, stroke_fill=255
    )
    a = _crop(np.asarray(im, dtype=np.float64) / 255, 8)
    return np.array(
        Image.fromarray(a.astype(np.float32), "F").resize(
            (max(1, round(a.shape[1] * GLYPH / a.shape[0])), GLYPH), Image.Resampling.BILINEAR
        )
    )


# Handwriting templates: strokes as control points (x right, y down) in a unit box; each stroke is smoothed
# on its own (a corner is where two strokes meet). Several variants of the digits people write differently.
_E = [(0.5 + 0.45 * np.sin(t), 0.5 - 0.5 * np.cos(t)) for t in np.linspace(0.0, 2.1 * np.pi, 13)]
TEMPLATES: dict[int, list[list[list[tuple[float, float]]]]] = {
    0: [[_E], [[(x * 0.9 + 0.05, y) for x, y in _E]]],
    1: [
        [[(0.5, 0.0), (0.48, 1.0)]],
        [[(0.2, 0.3), (0.55, 0.0)], [(0.55, 0.0), (0.5, 1.0)]],
        [[(0.2, 0.25), (0.55, 0.0)], [(0.55, 0.0), (0.55, 1.0)], [(0.2, 1.0), (0.9, 1.0)]],
    ],
    2: [
        [[(0.1, 0.25), (0.45, 0.0), (0.85, 0.2), (0.75, 0.5), (0.1, 1.0)], [(0.1, 1.0), (0.95, 1.0)]],
        [
            [(0.15, 0.2), (0.55, 0.0), (0.85, 0.3), (0.45, 0.7), (0.1, 1.0)],
            [(0.1, 1.0), (0.45, 0.9), (0.95, 1.0)],
        ],
    ],
    3: [
        [
            [
                (0.1, 0.12),
                (0.5, 0.0),
                (0.85, 0.2),
                (0.75, 0.4),
                (0.4, 0.5),
                (0.85, 0.62),
                (0.88, 0.85),
                (0.5, 1.0),
                (0.1, 0.88),
            ]
        ],
        [
            [(0.1, 0.0), (0.85, 0.0)],
            [(0.85, 0.0), (0.4, 0.42)],
            [(0.4, 0.42), (0.85, 0.6), (0.85, 0.88), (0.45, 1.0), (0.1, 0.9)],
        ],
    ],
    4: [
        [[(0.65, 0.0), (0.05, 0.68)], [(0.05, 0.68), (0.95, 0.68)], [(0.72, 0.3), (0.72, 1.0)]],
        [[(0.15, 0.0), (0.1, 0.6)], [(0.1, 0.6), (0.9, 0.6)], [(0.72, 0.0), (0.72, 1.0)]],
    ],
    5: [
        [
            [(0.85, 0.0), (0.2, 0.0)],
            [(0.2, 0.0), (0.15, 0.45)],
            [(0.15, 0.45), (0.5, 0.38), (0.85, 0.55), (0.85, 0.82), (0.5, 1.0), (0.1, 0.9)],
        ],
        [
            [(0.2, 0.02), (0.15, 0.45), (0.55, 0.38), (0.9, 0.62), (0.7, 0.95), (0.15, 0.9)],
            [(0.2, 0.0), (0.9, 0.0)],
        ],
    ],
    6: [
        [
            [
                (0.75, 0.0),
                (0.35, 0.25),
                (0.12, 0.6),
                (0.2, 0.9),
                (0.5, 1.0),
                (0.82, 0.85),
                (0.8, 0.58),
                (0.5, 0.47),
                (0.15, 0.62),
            ]
        ]
    ],
    7: [
        [[(0.05, 0.0), (0.95, 0.0)], [(0.95, 0.0), (0.4, 1.0)]],
        [[(0.05, 0.05), (0.95, 0.0)], [(0.95, 0.0), (0.5, 1.0)], [(0.3, 0.5), (0.9, 0.48)]],
        [[(0.05, 0.15), (0.1, 0.0), (0.95, 0.0)], [(0.95, 0.0), (0.6, 0.5), (0.45, 1.0)]],
    ],
    8: [
        [
            [
                (0.5, 0.47),
                (0.18, 0.25),
                (0.5, 0.0),
                (0.82, 0.25),
                (0.5, 0.47),
                (0.12, 0.75),
                (0.5, 1.0),
                (0.88, 0.75),
                (0.5, 0.47),
            ]
        ]
    ],
    9: [
        [
            [(0.85, 0.18), (0.5, 0.0), (0.15, 0.2), (0.22, 0.45), (0.55, 0.5), (0.85, 0.3)],
            [(0.85, 0.1), (0.8, 0.6), (0.7, 1.0)],
        ],
        [[(0.85, 0.25), (0.5, 0.0), (0.12, 0.25), (0.45, 0.52), (0.85, 0.25)], [(0.85, 0.25), (0.82, 1.0)]],
    ],
}


def _smooth(points: np.ndarray, per_segment: int = 12) -> np.ndarray:
    """A Catmull-Rom spline through the points (end points repeated): a pen's curve, not a polygon."""
    if len(points) < 3:
        return points
    p = np.vstack([points[:1], points, points[-1:]])
    t = np.linspace(0, 1, per_segment, endpoint=False)[:, None]
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        out.append(
            0.5
            * (
                2 * p1
                + (p2 - p0) * t
                + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                + (3 * p1 - p0 - 3 * p2 + p3) * t**3
            )
        )
    return np.vstack(out + [points[-1:]])


def handwritten(digit: int, rng: np.random.Generator) -> np.ndarray:
    """A digit as a person might write it: a template variant, jittered, slanted, of varying width and pen."""
    variants = TEMPLATES[digit]
    strokes = variants[int(rng.integers(len(variants)))]
    width = rng.uniform(0.55, 0.85) if digit != 1 else rng.uniform(0.3, 0.6)
    slant = rng.uniform(-0.25, 0.1)  # x shifts by slant * (1 - y): most people lean right
    pen = GLYPH * rng.uniform(0.06, 0.14)
    margin = int(pen + 0.3 * GLYPH)
    im = Image.new("L", (GLYPH + 2 * margin, GLYPH + 2 * margin), 0)
    draw = ImageDraw.Draw(im)
    for stroke in strokes:
        pts = np.array(stroke, dtype=np.float64) + rng.normal(0, 0.025, (len(stroke), 2))
        pts[:, 0] = (pts[:, 0] - 0.5) * width + 0.5 + slant * (1 - pts[:, 1])
        xy = _smooth(pts) * GLYPH + margin
        draw.line([tuple(q) for q in xy], fill=255, width=int(pen), joint="curve")
        for q in (xy[0], xy[-1]):  # round pen ends
            draw.ellipse([q[0] - pen / 2, q[1] - pen / 2, q[0] + pen / 2, q[1] + pen / 2], fill=255)
    a = _crop(np.asarray(im, dtype=np.float64) / 255, 8)
    return np.array(
        Image.fromarray(a.astype(np.float32), "F").resize(
            (max(1, round(a.shape[1] * GLYPH / a.shape[0])), GLYPH), Image.Resampling.BILINEAR
        )
    )


# ---------------------------------------------------------------------------------------------------------------
# the camera: geometry, paper, light, shadow, lines, noise, blur, JPEG


@dataclass
class Shot:
    """How one photo is taken; each condition changes some of these from the everyday defaults."""

    size: tuple[int, int] = (800, 600)  # width, height
    height: float = 0.45  # the digit's height as a share of the frame's
    centre: tuple[float, float] = (0.5, 0.5)  # the digit's centre, as shares of the frame
    rotation: float = 0.0  # degrees, counter-clockwise
    keystone: float = 0.0  # perspective: how much narrower the far edge is (share of the digit's size)
    gradient: float = 0.15  # lighting falloff across the frame (share of the brightest)
    vignette: float = 0.1
    shadow: float = 0.0  # darkening inside the shadow (share)
    shadow_soft: float = 10.0  # the shadow edge's blur, px
    shadow_over_digit: bool = False  # the shadow edge passes through the digit
    grain: float = 0.02  # paper texture amplitude
    fibres: int = 0  # count of paper fibres and creases
    paper: tuple[float, float, float] = (236, 232, 222)
    ink: tuple[float, float, float] = (30, 30, 35)
    ink_density: float = 0.95  # 1: fully opaque ink; a pencil is less
    ink_texture: float = 0.05  # patchiness of the ink (pencil, chalk)
    ruled: float = 0.0  # spacing of ruled lines as a share of the frame height (0: plain paper)
    margin_line: bool = False
    noise: float = 3.0  # sensor noise, grey levels (sigma)
    blur: float = 0.7  # camera blur, px (sigma)
    motion: float = 0.0  # motion blur length, px
    quality: int = 88  # JPEG quality


def _jitter(s: Shot, rng: np.random.Generator) -> Shot:
    """The everyday camera: a hand-held phone, never quite straight, never quite evenly lit."""
    s.size = [(800, 600), (600, 800), (640, 480), (1024, 768), (720, 720)][int(rng.integers(5))]
    s.height = rng.uniform(0.3, 0.6)
    s.centre = (0.5 + rng.uniform(-0.08, 0.08), 0.5 + rng.uniform(-0.08, 0.08))
    s.rotation = rng.uniform(-4, 4)
    s.keystone = rng.uniform(0, 0.06)
    s.gradient, s.vignette = rng.uniform(0.05, 0.2), rng.uniform(0.0, 0.15)
    s.grain = rng.uniform(0.01, 0.03)
    s.paper = tuple(rng.uniform(215, 250) - np.array([0, rng.uniform(0, 6), rng.uniform(2, 14)]))
    ink = [(25, 25, 30), (30, 40, 110), (70, 70, 75), (20, 20, 20)][int(rng.integers(4))]
    s.ink = tuple(np.array(ink) + rng.uniform(-8, 8))
    s.ink_density = rng.uniform(0.85, 1.0)
    s.noise, s.blur = rng.uniform(1.5, 5), rng.uniform(0.4, 1.2)
    s.quality = int(rng.integers(70, 95))
    return s


def _condition(name: str, s: Shot, rng: np.random.Generator) -> Shot:
    """What each condition stresses, at a strength a real photo reaches."""
    if name == "rotation":
        s.rotation = rng.choice([-1, 1]) * rng.uniform(8, 20)
    elif name == "perspective":
        s.keystone = rng.uniform(0.2, 0.4)
        s.rotation = rng.uniform(-10, 10)
    elif name == "shadow":
        s.shadow, s.shadow_soft, s.shadow_over_digit = rng.uniform(0.35, 0.6), rng.uniform(3, 40), True
    elif name == "gradient":
        s.gradient, s.vignette = rng.uniform(0.45, 0.7), rng.uniform(0.2, 0.4)
    elif name == "texture":
        s.grain, s.fibres = rng.uniform(0.05, 0.1), int(rng.integers(20, 60))
        s.paper = [(225, 205, 160), (235, 225, 150), (200, 215, 230), (225, 225, 225), (190, 160, 120)][
            int(rng.integers(5))
        ]
        s.ink_texture = rng.uniform(0.2, 0.4)
    elif name == "ruled":
        s.ruled, s.margin_line = rng.uniform(0.06, 0.1), bool(rng.integers(2))
    elif name == "noise":
        s.noise = rng.uniform(12, 25)
    elif name == "blur":
        if rng.integers(2):
            s.blur = rng.uniform(2.5, 5) * s.size[1] / 600
        else:
            s.motion = rng.uniform(10, 25) * s.size[1] / 600
    elif name == "jpeg":
        s.quality = int(rng.integers(6, 20))
    elif name == "inverted":  # chalk on a blackboard, white marker on dark card
        s.paper = [(35, 55, 45), (25, 25, 30), (40, 40, 60)][int(rng.integers(3))]
        s.ink = tuple(rng.uniform(215, 245, 3))
        s.ink_density, s.ink_texture = rng.uniform(0.7, 0.95), rng.uniform(0.1, 0.35)
    elif name == "off_centre":
        s.height = rng.uniform(0.2, 0.35)
        cx, cy = rng.uniform(0.15, 0.25), rng.uniform(0.15, 0.3)
        s.centre = (cx if rng.integers(2) else 1 - cx, cy if rng.integers(2) else 1 - cy)
    elif name == "small":
        s.size = [(1024, 768), (800, 600), (768, 1024)][int(rng.integers(3))]
        s.height = rng.uniform(0.07, 0.12)
        s.centre = (rng.uniform(0.25, 0.75), rng.uniform(0.25, 0.75))
    elif name == "phone":  # issue 14's photo: everything at once, moderately
        s.size = (800, 600) if rng.integers(2) else (600, 800)
        s.rotation = rng.choice([-1, 1]) * rng.uniform(4, 10)
        s.noise, s.gradient = rng.uniform(5, 10), rng.uniform(0.3, 0.5)
        s.shadow, s.shadow_soft = rng.uniform(0.3, 0.5), rng.uniform(15, 40)
        s.shadow_over_digit = bool(rng.integers(2))
        s.quality = int(rng.integers(50, 80))
    return s


def _place(glyph: np.ndarray, s: Shot, rng: np.random.Generator) -> np.ndarray:
    """The glyph mapped into the frame: scaled, rotated, tilted (a projective map), as a coverage map."""
    w, h = s.size
    gh, gw = glyph.shape
    dh = s.height * h
    dw = dh * gw / gh
    half = np.array([[-dw, -dh], [dw, -dh], [dw, dh], [-dw, dh]]) / 2
    k = s.keystone  # the far edge (a random side) is narrower: the camera is tilted towards the near edge
    side = int(rng.integers(4))
    shrink = np.ones((4, 1))
    pairs = ((0, 1), (1, 2), (2, 3), (3, 0))
    for j in pairs[side]:
        shrink[j] = 1 - k
    corners = half * shrink
    t = np.deg2rad(s.rotation)
    rot = np.array([[np.cos(t), np.sin(t)], [-np.sin(t), np.cos(t)]])
    dst = corners @ rot.T + np.array([s.centre[0] * w, s.centre[1] * h])
    src = np.array([[0, 0], [gw, 0], [gw, gh], [0, gh]], dtype=np.float64)
    tf = transform.ProjectiveTransform.from_estimate(src, dst)
    out = transform.warp(glyph, tf.inverse, output_shape=(h, w), order=1, mode="constant", cval=0.0)
    return np.nan_to_num(out)  # a pixel on the projective map's horizon comes back NaN


def _smooth_noise(shape: tuple[int, int], sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Gaussian-filtered white noise scaled to unit standard deviation: texture at one scale.

    Coarse scales are made at a lower resolution and enlarged (bilinear): the same look, many times faster.
    """
    f = max(1, int(sigma / 2))
    small = shape if f == 1 else (-(-shape[0] // f) + 1, -(-shape[1] // f) + 1)
    n = ndimage.gaussian_filter(rng.normal(0, 1, small), sigma / f)
    if f > 1:
        n = ndimage.zoom(n, f, order=1, grid_mode=False)[: shape[0], : shape[1]]
    return n / max(n.std(), 1e-9)


def _light(s: Shot, ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The illumination: a linear falloff in a random direction, a vignette, and a shadow with a soft edge."""
    h, w = ink.shape
    yy, xx = np.mgrid[0:h, 0:w]
    u = rng.normal(0, 1, 2)
    u /= np.linalg.norm(u)
    p = (xx - w / 2) * u[0] + (yy - h / 2) * u[1]
    light = 1 - s.gradient * (p - p.min()) / max(np.ptp(p), 1)
    r2 = ((xx - w / 2) / w) ** 2 + ((yy - h / 2) / h) ** 2
    light *= 1 - s.vignette * r2 / 0.5
    if s.shadow > 0:
        v = rng.normal(0, 1, 2)
        v /= np.linalg.norm(v)
        if s.shadow_over_digit:  # the edge runs through the digit's ink: part of it lies in the shadow
            ys, xs = np.nonzero(ink > 0.5)
            j = int(rng.integers(len(ys))) if len(ys) else 0
            anchor = (xs[j], ys[j]) if len(ys) else (w / 2, h / 2)
        else:  # a corner's shadow (the phone or the hand holding it)
            anchor = (w * rng.choice([0.25, 0.75]), h * rng.choice([0.25, 0.75]))
            v = np.sign(np.array(anchor) - [w / 2, h / 2]) * np.abs(v)
        d = (xx - anchor[0]) * v[0] + (yy - anchor[1]) * v[1]
        inside = 1 / (1 + np.exp(-d / max(s.shadow_soft, 0.5)))  # a logistic edge, soft_px wide
        light *= 1 - s.shadow * inside
    return light


def _paper(s: Shot, rng: np.random.Generator) -> np.ndarray:
    """The paper's own brightness (1 = plain): grain at several scales, fibres and creases, ruled lines."""
    w, h = s.size
    tex = 1 + s.grain * (
        0.5 * _smooth_noise((h, w), 1, rng)
        + 0.35 * _smooth_noise((h, w), 4, rng)
        + 0.35 * _smooth_noise((h, w), 25, rng)
    )
    if s.fibres:
        im = Image.new("L", (w, h), 128)
        d = ImageDraw.Draw(im)
        for _ in range(s.fibres):
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            ang, length = rng.uniform(0, np.pi), rng.uniform(5, 40)
            d.line(
                [(x, y), (x + length * np.cos(ang), y + length * np.sin(ang))],
                fill=int(rng.choice([100, 150])),
                width=1,
            )
        if rng.integers(2):  # a crease: a light and a dark line side by side across the sheet
            x0, x1 = rng.uniform(0, w, 2)
            d.line([(x0, 0), (x1, h)], fill=150, width=2)
            d.line([(x0 + 2, 0), (x1 + 2, h)], fill=105, width=2)
        tex *= 1 + (ndimage.gaussian_filter(np.asarray(im, dtype=np.float64), 0.7) - 128) / 128 * 0.6
    return tex


def _lines(s: Shot, rng: np.random.Generator) -> tuple[np.ndarray, tuple[float, float, float]]:
    """Ruled paper: thin blue lines every `ruled` of the height, tilted with the sheet, and a red margin."""
    w, h = s.size
    im = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(im)
    gap, phase = s.ruled * h, rng.uniform(0, s.ruled * h)
    tilt = np.tan(np.deg2rad(s.rotation)) * w
    thick = max(1, round(h / 400))
    y = phase
    while y < h + abs(tilt):
        d.line([(0, y), (w, y - tilt)], fill=200, width=thick)
        y += gap
    if s.margin_line:
        x = rng.uniform(0.08, 0.15) * w
        d.line([(x, 0), (x, h)], fill=255, width=thick + 1)
    return np.asarray(im, dtype=np.float64) / 255, (120, 150, 200)


def develop(ink: np.ndarray, s: Shot, rng: np.random.Generator) -> Image.Image:
    """Paper, ink, light, noise, blur and JPEG: the coverage map becomes the photo a phone would save."""
    h, w = ink.shape
    paper = np.array(s.paper)[None, None, :] * _paper(s, rng)[..., None]
    cover = ink * s.ink_density * np.clip(1 + s.ink_texture * _smooth_noise((h, w), 1.5, rng), 0, 1)
    img = paper
    if s.ruled:
        lines, colour = _lines(s, rng)
        img = img * (1 - 0.6 * lines[..., None]) + 0.6 * lines[..., None] * np.array(colour)
    img = img * (1 - cover[..., None]) + cover[..., None] * np.array(s.ink)
    img *= _light(s, ink, rng)[..., None]
    if s.motion:
        ang = rng.uniform(0, 180)
        k = np.zeros((int(s.motion) | 1, int(s.motion) | 1))
        k[k.shape[0] // 2] = 1
        k = ndimage.rotate(k, ang, reshape=False, order=1)
        img = np.stack([ndimage.convolve(img[..., c], k / k.sum()) for c in range(3)], axis=-1)
    img = ndimage.gaussian_filter(img, (s.blur, s.blur, 0))
    img += rng.normal(0, s.noise, img.shape) + rng.normal(
        0, s.noise / 2, (h, w, 1)
    )  # colour + luminance noise
    im = Image.fromarray(np.clip(np.rint(img), 0, 255).astype(np.uint8), "RGB")
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=s.quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def digit_photo(condition: str, index: int, seed: int = SEED) -> Photo:
    """The index-th photo of a condition: digit index % 10, printed or handwritten (2 of 5 are handwritten)."""
    rng = np.random.default_rng([seed, CONDITIONS.index(condition), index])
    digit = index % 10
    if (index // 10 + index) % 5 in (1, 3):
        glyph, style = handwritten(digit, rng), "hand"
    else:
        f = int(rng.integers(len(FONTS)))
        glyph, style = printed(digit, f), Path(FONTS[f][0]).stem
    s = _condition(condition, _jitter(Shot(), rng), rng)
    return Photo(develop(_place(glyph, s, rng), s, rng), digit, condition, style)


def digit_photos(
    seed: int = SEED, per_condition: int = PER_CONDITION, conditions: tuple[str, ...] = CONDITIONS
) -> list[Photo]:
    """The digit corpus: per_condition photos of each condition (14 x 30 = 420 by default)."""
    return [digit_photo(c, i, seed) for c in conditions for i in range(per_condition)]


# ---------------------------------------------------------------------------------------------------------------
# pictures that are not a digit


def _scene(s: Shot, rng: np.random.Generator) -> np.ndarray:
    """A landscape: sky, sun, clouds, mountain ridges, hills, trees, sometimes houses; RGB floats."""
    w, h = s.size
    yy, xx = np.mgrid[0:h, 0:w] / h
    top, bottom = np.array([70, 120, 200]) + rng.uniform(-20, 20, 3), np.array([190, 210, 235])
    img = top + (bottom - top) * yy[..., None]
    im = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(im)
    if rng.integers(2):
        cx, cy, r = rng.uniform(0.1, 0.9) * w, rng.uniform(0.05, 0.3) * h, rng.uniform(0.03, 0.08) * h
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(255, 240, 190))
    for _ in range(int(rng.integers(2, 6))):  # clouds
        cx, cy = rng.uniform(0, w), rng.uniform(0.05, 0.35) * h
        for _ in range(5):
            rx, ry = rng.uniform(0.03, 0.08) * w, rng.uniform(0.02, 0.05) * h
            ox, oy = rng.normal(0, rx), rng.normal(0, ry / 2)
            d.ellipse([cx + ox - rx, cy + oy - ry, cx + ox + rx, cy + oy + ry], fill=(245, 245, 250))
    level = rng.uniform(0.35, 0.55)
    for layer in range(int(rng.integers(2, 4))):  # ridges, far (pale) to near (dark)
        n = 40
        ridge = level + np.cumsum(rng.normal(0, 0.03, n)) + 0.08 * layer
        pts = [(x * w / (n - 1), y * h) for x, y in zip(range(n), ridge, strict=True)] + [(w, h), (0, h)]
        shade = np.array([90, 110, 120]) - 25 * layer + rng.uniform(-15, 15, 3)
        d.polygon(pts, fill=tuple(int(c) for c in np.clip(shade, 0, 255)))
    for _ in range(int(rng.integers(10, 60))):  # trees
        x, base = rng.uniform(0, w), rng.uniform(0.65, 1.0) * h
        th = rng.uniform(0.04, 0.15) * h
        green = (int(rng.integers(20, 60)), int(rng.integers(60, 110)), int(rng.integers(20, 60)))
        d.polygon([(x, base - th), (x - th / 3, base), (x + th / 3, base)], fill=green)
    if rng.integers(2):  # a few houses with windows
        for _ in range(int(rng.integers(1, 5))):
            x, y = rng.uniform(0, 0.9) * w, rng.uniform(0.6, 0.85) * h
            bw, bh = rng.uniform(0.05, 0.12) * w, rng.uniform(0.06, 0.12) * h
            d.rectangle([x, y, x + bw, y + bh], fill=tuple(int(c) for c in rng.uniform(120, 230, 3)))
            d.polygon([(x - 5, y), (x + bw / 2, y - bh / 2), (x + bw + 5, y)], fill=(140, 50, 40))
            d.rectangle([x + bw * 0.2, y + bh * 0.3, x + bw * 0.4, y + bh * 0.55], fill=(40, 40, 60))
    return np.asarray(im, dtype=np.float64) * (1 + 0.05 * _smooth_noise((h, w), 2, rng))[..., None]


def _texture(s: Shot, rng: np.random.Generator) -> np.ndarray:
    """A close-up surface: wood, fabric, gravel, bricks, foliage or carpet; RGB floats."""
    w, h = s.size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    kind = int(rng.integers(6))
    if kind == 0:  # wood grain: rings of a warped distance
        warp = 30 * _smooth_noise((h, w), 40, rng)
        g = np.sin((yy + warp + 0.05 * xx) / rng.uniform(6, 14)) * 0.5 + 0.5
        base, dark = np.array([170, 120, 70]), np.array([110, 70, 35])
    elif kind == 1:  # woven fabric
        p = rng.uniform(6, 14)
        g = 0.5 + 0.25 * np.sin(xx / p * np.pi) * np.sin(yy / p * np.pi) + 0.1 * _smooth_noise((h, w), 1, rng)
        base, dark = rng.uniform(120, 220, 3), rng.uniform(30, 120, 3)
    elif kind == 2:  # gravel: many small stones
        im = Image.new("L", (w, h), 120)
        d = ImageDraw.Draw(im)
        for _ in range(int(w * h / 300)):
            x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(3, 12)
            d.ellipse([x - r, y - r * 0.8, x + r, y + r * 0.8], fill=int(rng.integers(40, 230)))
        g = np.asarray(im, dtype=np.float64) / 255
        base, dark = np.array([200, 195, 185]), np.array([50, 48, 45])
    elif kind == 3:  # a brick wall
        bh, bw = rng.uniform(25, 45), rng.uniform(60, 110)
        row = np.floor(yy / bh)
        mortar = ((yy % bh) < 4) | (((xx + (row % 2) * bw / 2) % bw) < 4)
        g = np.where(mortar, 0.9, 0.25 + 0.1 * _smooth_noise((h, w), 3, rng))
        base, dark = np.array([200, 200, 195]), np.array([150, 60, 40])
    elif kind == 4:  # foliage: overlapping leaves in shade and light
        im = Image.new("L", (w, h), 60)
        d = ImageDraw.Draw(im)
        for _ in range(int(w * h / 800)):
            x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(8, 25)
            d.ellipse([x - r, y - r / 2, x + r, y + r / 2], fill=int(rng.integers(30, 255)))
        g = np.asarray(im, dtype=np.float64) / 255
        base, dark = np.array([150, 200, 90]), np.array([20, 50, 15])
    else:  # carpet / concrete: noise at two scales
        g = 0.5 + 0.2 * _smooth_noise((h, w), 1, rng) + 0.15 * _smooth_noise((h, w), 8, rng)
        base, dark = rng.uniform(140, 220, 3), rng.uniform(40, 100, 3)
    g = np.clip(g, 0, 1)[..., None]
    return dark + (base - dark) * g


def _words(rng: np.random.Generator, letters: str) -> str:
    """A line of made-up words."""
    return " ".join(
        "".join(rng.choice(list(letters), int(rng.integers(2, 8)))) for _ in range(int(rng.integers(2, 6)))
    )


def _writing(s: Shot, rng: np.random.Generator, several: bool) -> np.ndarray:
    """Ink coverage of text lines (several=False) or of a number of 2-4 digits (several=True)."""
    w, h = s.size
    im = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(im)
    if several:
        text = "".join(rng.choice(list(string.digits), int(rng.integers(2, 5))))
        font, _ = _font(int(rng.integers(len(FONTS))), int(h * rng.uniform(0.15, 0.35)))
        box = d.textbbox((0, 0), text, font=font)
        d.text(((w - box[2]) / 2 + rng.uniform(-0.1, 0.1) * w, (h - box[3]) / 2), text, fill=255, font=font)
    else:
        font, _ = _font(int(rng.integers(len(FONTS))), int(h * rng.uniform(0.04, 0.09)))
        lines = int(rng.integers(1, 6))
        y = rng.uniform(0.1, 0.5) * h
        for _ in range(lines):
            d.text((rng.uniform(0.03, 0.15) * w, y), _words(rng, string.ascii_letters), fill=255, font=font)
            y += font.size * 1.5
    a = np.array(im, dtype=np.float64) / 255
    tf = transform.AffineTransform(rotation=np.deg2rad(rng.uniform(-4, 4)))
    return transform.warp(a, tf, order=1)


def non_digit_photo(kind: str, index: int, seed: int = SEED) -> Photo:
    """The index-th picture of a kind of non-digit, through the same camera as the digits."""
    rng = np.random.default_rng([seed, 100 + NON_DIGIT_KINDS.index(kind), index])
    s = _jitter(Shot(), rng)
    if kind in ("blank", "text", "several"):
        if kind == "blank":
            s.shadow, s.shadow_soft = rng.choice([0.0, rng.uniform(0.2, 0.5)]), rng.uniform(5, 40)
            s.ruled = rng.choice([0.0, rng.uniform(0.06, 0.1)])
            s.grain = rng.uniform(0.01, 0.08)
            ink = np.zeros(s.size[::-1])
        else:
            ink = _writing(s, rng, several=kind == "several")
        return Photo(develop(ink, s, rng), -1, kind, kind)
    img = _scene(s, rng) if kind == "scene" else _texture(s, rng)
    img *= _light(s, np.zeros(s.size[::-1]), rng)[..., None]
    img = ndimage.gaussian_filter(img, (s.blur, s.blur, 0)) + rng.normal(0, s.noise, img.shape)
    im = Image.fromarray(np.clip(np.rint(img), 0, 255).astype(np.uint8), "RGB")
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=s.quality)
    return Photo(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), -1, kind, kind)


def non_digit_photos(seed: int = SEED, per_kind: int = PER_CONDITION) -> list[Photo]:
    """Scenes, textures, blank paper, text lines and numbers of several digits: 5 x 30 pictures by default."""
    return [non_digit_photo(k, i, seed) for k in NON_DIGIT_KINDS for i in range(per_kind)]


def fingerprint(photos: list[Photo]) -> str:
    """A short hash of every picture's pixels and labels: two runs on the same corpus agree on it."""
    import hashlib

    h = hashlib.sha256()
    for p in photos:
        h.update(f"{p.label}{p.condition}{p.style}{p.image.size}".encode())
        h.update(np.asarray(p.image).tobytes())
    return h.hexdigest()[:16]


def contact_sheet(
    photos: list[Photo], columns: int = 10, thumb: int = 128, caption: Callable[[Photo], str] | None = None
) -> Image.Image:
    """Thumbnails in a grid, each captioned (by default its condition and label), to look at the corpus."""
    caption = caption or (lambda p: f"{p.condition} {p.label if p.label >= 0 else ''}")
    rows = -(-len(photos) // columns)
    sheet = Image.new("RGB", (columns * thumb, rows * (thumb + 14)), (255, 255, 255))
    d = ImageDraw.Draw(sheet)
    for i, p in enumerate(photos):
        im = p.image.copy()
        im.thumbnail((thumb, thumb))
        x, y = (i % columns) * thumb, (i // columns) * (thumb + 14)
        sheet.paste(im, (x + (thumb - im.width) // 2, y + (thumb - im.height) // 2))
        d.text((x + 2, y + thumb), caption(p), fill=(0, 0, 0))
    return sheet


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "photos_sheet.png")
    sample = [digit_photo(c, i) for c in CONDITIONS for i in range(0, PER_CONDITION, 3)]
    sample += [non_digit_photo(k, i) for k in NON_DIGIT_KINDS for i in range(0, PER_CONDITION, 3)]
    contact_sheet(sample).save(out)
    print(f"wrote {out} ({len(sample)} pictures)")
