"""A photo of one digit -> the model's 8x8, robust to lighting, shadows, paper, lines and polarity; every step kept.

    polarity   which is ink: dark on light paper, or light on a dark board (then the picture is inverted):
               the far tail of the differences from a local median (shade and light are in neither tail)
    lighting   the paper's own brightness under uneven light and shadows: a grey closing (a max filter, then
               a min filter, over a square half the picture wide) fills in the strokes and keeps the shadows
               and the falloff; the picture is divided by it, so ink is how much darker a pixel is than the
               paper around it
    ink        hysteresis thresholds on that darkness, set from this picture's noise and its strongest ink
               (adaptive: each pixel is compared with its own paper, faint stroke ends survive if connected)
    lines      ruled lines (long straight rows of ink across the picture) are removed where they run alone
    digit      the largest piece of ink clear of the picture's edge and the pieces close to it; pieces that
               span the frame (a page edge, a margin line) are not a digit
    bitmap     the digit's box fitted into the data set's 32x32 and counted in 4x4 blocks (qlib.digit_bitmap)

scikit-image provides the image processing (filters, morphology, measure, transform); numpy the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image
from skimage import filters, measure, morphology, transform

from qlib.data import _flatten
from qlib.digit_bitmap import Bitmap, empty, to_bitmap

WORK_SIDE = 512  # pictures are analysed at most this large: a digit 7 % of a phone photo is still 27 px tall
MIN_SIDE = 8  # smaller pictures are padded with their own edge
SMOOTH = 1.0  # px: a light Gaussian blur before anything else, against sensor noise and JPEG blocks
POLARITY_SIDE = 128  # px: the polarity is judged on a smaller copy (a median filter is costly)
CLOSING = 0.5  # the lighting window's side, as a share of the picture's shorter side (wider than any stroke)
EPS = 0.02  # added to pixel and paper before dividing: a black page is not black ink on black paper
MIN_CONTRAST = 0.08  # ink at most 8 % darker than its paper is no ink (a blank page, a shadow's edge) ...
STRONG = 0.4  # ... and marks this dark that do not stand out from each other are everywhere (a chessboard)
NOISE_K = 6.0  # ink must stand this many noise deviations above the paper
HIGH, LOW = 0.5, 0.25  # hysteresis: seeds darker than half the strongest ink, grown down to a quarter of it
BOX = 0.15  # the digit's box holds its pixels with at least 15 % of full ink (fainter edges are cropped)
LINE_SPAN = 0.5  # a ruled line has ink along at least half the picture's width ...
EDGE = 0.05  # ... and reaches both side edges (within 5 % of the width)
LINE_TILT = 20.0  # degrees from horizontal that a ruled line may lean (a rotated page)
REACH = 0.2  # pieces within 20 % of the digit's height of it belong to it (a 5's bar, a broken stroke)
MIN_PIECE = 1e-4  # pieces smaller than this share of the picture are specks of noise or texture
BORDER_ODDS = 0.1  # a piece clear of the edge is the digit if it has at least 10 % of the edge piece's area
FRAME = 0.9  # a piece spanning 90 % of the picture's width or height is an edge or a line, not a digit


@dataclass(frozen=True)
class Piece:
    """One connected piece of ink: its size, its box (top, left, bottom, right; exclusive) and its role."""

    area: int
    box: tuple[int, int, int, int]
    in_digit: bool
    spans_frame: bool


@dataclass(frozen=True)
class PhotoSteps:
    """Every stage from the photo to the 8x8 input, for showing a learner why a photo works or fails.

    Images are 2-D float arrays in [0, 1] at the working size (at most WORK_SIDE a side), masks are bool.
    """

    original: np.ndarray  # the picture in grey, as analysed (1 = white)
    polarity: str  # "dark_on_light" (ink on paper) or "light_on_dark" (chalk on a board)
    flat: np.ndarray  # after lighting removal, as dark ink on white paper (1 = the paper's own level)
    ink: np.ndarray  # every pixel taken for ink (lines removed)
    lines: np.ndarray  # ruled-line pixels removed from the ink
    digit: np.ndarray  # the pieces kept as the digit
    box: tuple[int, int, int, int] | None  # the digit's box in the working picture (None: no ink)
    coverage: np.ndarray  # the digit's ink in its box, 0..1: what is fitted into the 32x32 bitmap
    pieces: tuple[Piece, ...]  # every piece of ink, largest first
    contrast: float  # the strongest ink's darkness relative to its paper (0..1)
    noise: float  # the paper's noise in the same units
    result: Bitmap  # the 32x32 bitmap and the 8x8 levels

    @property
    def x(self) -> torch.Tensor:
        """The model's input, float32 1x1x8x8 in [-1, 1]."""
        return self.result.x


def grey(img) -> np.ndarray:
    """PIL image or uint8 array (HxW, HxWx3, HxWx4) -> uint8 greyscale, at most WORK_SIDE px a side.

    Alpha is composited on white (a transparent drawing); larger pictures are area-averaged down.
    """
    if not isinstance(img, Image.Image):
        a = np.asarray(img)
        if a.dtype != np.uint8:
            raise ValueError(f"expected a PIL image or uint8 pixels, got an array of {a.dtype}")
        img = Image.fromarray(a)
    im = _flatten(img).convert("L")
    if max(im.size) > WORK_SIDE:
        s = WORK_SIDE / max(im.size)
        im = im.resize((max(1, round(im.width * s)), max(1, round(im.height * s))), Image.Resampling.BOX)
    a = np.asarray(im)
    short = [(0, max(0, MIN_SIDE - n)) for n in a.shape]
    return np.pad(a, short, mode="edge") if any(p for _, p in short) else a


def dark_on_light(g: np.ndarray) -> bool:
    """Is the ink darker than the paper? Ink is the far tail of what differs from its surroundings: compare
    how far the darkest and the lightest 0.05 % of pixels lie from their neighbourhood's median (a window
    half the picture wide, at most POLARITY_SIDE px a side for speed), in log brightness as lighting multiplies.
    A median keeps the edge of a shadow where it is, so shade and light are in neither tail; strokes are."""
    a = g
    if max(a.shape) > POLARITY_SIDE:
        s = POLARITY_SIDE / max(a.shape)
        a = np.asarray(
            Image.fromarray(g).resize(
                (max(1, round(g.shape[1] * s)), max(1, round(g.shape[0] * s))), Image.Resampling.BOX
            )
        )
    k = max(3, int(CLOSING * min(a.shape))) | 1
    med = filters.rank.median(np.pad(a, k // 2, mode="reflect"), morphology.footprint_rectangle((k, k)))
    med = med[k // 2 : k // 2 + a.shape[0], k // 2 : k // 2 + a.shape[1]]
    r = np.log(a / 255 + EPS) - np.log(med / 255 + EPS)
    lo, hi = np.percentile(r, [0.05, 99.95])
    return -lo >= hi


def paper_level(t: np.ndarray) -> np.ndarray:
    """The paper's brightness under the lighting: a grey closing with a square window half the picture wide.

    A closing (max filter, then min filter) fills every dark feature narrower than the window (strokes) and
    keeps what is wider (shadows, the light's falloff): shadow edges stay sharp, as they are in the photo.
    The picture is first extended by repeating its edge pixels, so that a shadow meeting the frame at a sharp
    angle is not mistaken for ink (a window cut off by the frame would not fit into it).
    """
    k = max(3, int(CLOSING * min(t.shape))) | 1
    pad = k // 2 + 1
    window = morphology.footprint_rectangle((k, k), decomposition="separable")
    return morphology.closing(np.pad(t, pad, mode="edge"), window)[pad:-pad, pad:-pad]


def ruled_lines(mask: np.ndarray) -> np.ndarray:
    """Pixels of long, nearly horizontal straight lines (ruled paper) that do not belong to a crossing stroke.

    A Hough transform finds straight lines with ink along at least LINE_SPAN of the width that reach both
    side edges of the picture (a digit's bar does not); along each, ink whose vertical run is no thicker than
    the line is removed, so a stroke of the digit that crosses the line is kept.
    """
    h, w = mask.shape
    if w < 32 or mask.sum() < LINE_SPAN * w:
        return np.zeros_like(mask)
    tilt = np.deg2rad(LINE_TILT)
    theta = np.concatenate(
        [
            np.linspace(-np.pi / 2, -np.pi / 2 + tilt, 21),
            np.linspace(np.pi / 2 - tilt, np.pi / 2, 21, endpoint=False),
        ]
    )
    acc, angles, dists = transform.hough_line(mask, theta=theta)
    _, peak_angles, peak_dists = transform.hough_line_peaks(
        acc, angles, dists, min_distance=3, threshold=LINE_SPAN * w
    )
    yy, xx = np.mgrid[0:h, 0:w]
    edge = max(2, int(EDGE * w))
    out = np.zeros_like(mask)
    for a, rho in zip(peak_angles, peak_dists, strict=True):
        dist = np.abs(xx * np.cos(a) + yy * np.sin(a) - rho)
        on = (dist <= 2) & mask
        if not (on[:, :edge].any() and on[:, -edge:].any()):  # does not run from edge to edge
            continue
        thick = max(1, int(np.ceil(on.sum() / w)))  # the line's ink per column: its thickness
        crossing = morphology.opening(mask, np.ones((thick + 3, 1), dtype=bool))  # taller than the line
        out |= (dist <= thick + 1) & mask & ~crossing
    return out


def _pieces(mask: np.ndarray) -> tuple[np.ndarray, list]:
    """Connected pieces of ink (8-connected), with their region properties, largest first."""
    labels = measure.label(mask, connectivity=2)
    regions = sorted(measure.regionprops(labels), key=lambda r: -r.area)
    return labels, regions


def _spans(box, shape) -> bool:
    """Does a box span the frame (an edge, a margin line, a shadow's rim) rather than hold a digit?"""
    return box[2] - box[0] >= FRAME * shape[0] or box[3] - box[1] >= FRAME * shape[1]


def _touches(box, shape) -> bool:
    """Does a box touch the picture's edge?"""
    return box[0] == 0 or box[1] == 0 or box[2] == shape[0] or box[3] == shape[1]


def _group(regions: list, shape: tuple[int, int]) -> list:
    """The digit: the largest piece that does not span the frame, and the pieces within REACH of it.

    A piece inside the picture beats one touching its edge (a shadow's corner, the page's edge) unless it is
    much smaller (BORDER_ODDS): a digit cropped tightly may touch the edge, specks of noise do not count.
    """
    big = [r for r in regions if r.area >= max(4, MIN_PIECE * shape[0] * shape[1])]
    inside = [r for r in big if not _spans(r.bbox, shape)] or big
    if not inside:
        return []
    free = [r for r in inside if not _touches(r.bbox, shape)]
    first = free[0] if free and free[0].area >= BORDER_ODDS * inside[0].area else inside[0]
    group, box = [first], list(first.bbox)
    for _ in range(5):  # grow until nothing more is within reach
        reach = max(2, REACH * (box[2] - box[0]))
        near = [
            r
            for r in inside
            if r not in group
            and r.bbox[0] < box[2] + reach
            and r.bbox[2] > box[0] - reach
            and r.bbox[1] < box[3] + reach
            and r.bbox[3] > box[1] - reach
        ]
        if not near:
            break
        group += near
        for r in near:
            box = [
                min(box[0], r.bbox[0]),
                min(box[1], r.bbox[1]),
                max(box[2], r.bbox[2]),
                max(box[3], r.bbox[3]),
            ]
    return group


def photo_steps(img) -> PhotoSteps:
    """A photo or drawing of one digit -> every stage of the path to the model's 8x8 input (see the module)."""
    g8 = grey(img)
    polarity = "dark_on_light" if dark_on_light(g8) else "light_on_dark"
    t8 = (
        g8 if polarity == "dark_on_light" else 255 - g8
    )  # exact in uint8: both polarities give the same input
    t = t8.astype(np.float64) / 255
    smooth = filters.gaussian(t, SMOOTH)  # for finding the ink; the ink's amount is read from t itself
    paper = paper_level(smooth)
    flat = np.clip((t + EPS) / (paper + EPS), 0, 1)
    dark = 1 - flat  # 0 on the paper, up to 1 for black ink
    dark_s = 1 - np.clip((smooth + EPS) / (paper + EPS), 0, 1)
    contrast = float(np.percentile(dark_s, 99.9))
    noise = float(1.4826 * np.median(np.abs(dark_s - np.median(dark_s))))
    nothing = np.zeros_like(t8, dtype=bool)
    if contrast < max(MIN_CONTRAST, NOISE_K * noise):  # nothing stands out: blank, or marks everywhere
        marks = dark_s >= HIGH * contrast if contrast >= STRONG else nothing  # the verdict tells which
        return PhotoSteps(
            g8 / 255,
            polarity,
            flat,
            marks,
            nothing,
            nothing,
            None,
            np.zeros_like(t),
            (),
            contrast,
            noise,
            empty(),
        )
    high = max(HIGH * contrast, NOISE_K * noise, MIN_CONTRAST)
    low = max(LOW * contrast, NOISE_K / 2 * noise, MIN_CONTRAST / 2)
    ink = filters.apply_hysteresis_threshold(dark_s, low, high)
    raw_noise = 1.4826 * np.median(np.abs(dark - np.median(dark)))
    lines = ruled_lines(dark >= max(BOX * contrast, NOISE_K / 2 * raw_noise))  # unsmoothed: a 1-px line too
    ink &= ~lines
    labels, regions = _pieces(ink)
    group = _group(regions, ink.shape)
    keep = {r.label for r in group}
    digit = np.isin(labels, list(keep)) if keep else nothing
    pieces = tuple(
        Piece(int(r.area), tuple(int(v) for v in r.bbox), r.label in keep, _spans(r.bbox, ink.shape))
        for r in regions
    )
    if not keep:
        return PhotoSteps(
            g8 / 255,
            polarity,
            flat,
            ink,
            lines,
            digit,
            None,
            np.zeros_like(t),
            pieces,
            contrast,
            noise,
            empty(),
        )
    strength = float(np.percentile(dark[digit], 99))  # the stroke's own darkness: full ink
    floor = min(NOISE_K / 2 * noise, strength / 2)
    cover = np.clip((dark - floor) / max(strength - floor, 1e-6), 0, 1)
    cover[((labels > 0) & ~digit) | lines] = 0  # other pieces and the ruled lines are not the digit's
    soft = measure.label(cover >= BOX, connectivity=2)  # the digit's faint edges and stroke ends, connected
    zone = np.isin(soft, np.unique(soft[digit & (soft > 0)])) & (soft > 0)
    zone = zone if zone.any() else digit
    rows, cols = np.nonzero(zone)
    box = (int(rows.min()), int(cols.min()), int(rows.max()) + 1, int(cols.max()) + 1)
    inbox = np.zeros_like(cover)
    inbox[box[0] : box[2], box[1] : box[3]] = cover[box[0] : box[2], box[1] : box[3]]
    return PhotoSteps(
        g8 / 255, polarity, flat, ink, lines, digit, box, inbox, pieces, contrast, noise, to_bitmap(inbox)
    )


def photo_to_input(img) -> torch.Tensor:
    """A photo or drawing of one digit -> float32 1x1x8x8 in [-1, 1], as the training data was made."""
    return photo_steps(img).x
