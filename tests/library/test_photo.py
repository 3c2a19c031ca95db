"""qlib.photo on constructed photos: shadows, lighting falloff, both polarities, ruled lines, a small digit.

Each test degrades one clean picture of a digit and checks the 8x8 the pipeline makes of it stays close to
the clean picture's (and that the shipped fp32 model still reads the digit): the degradation was removed.
"""

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from qlib import pretrained
from qlib.data import to_model_input
from qlib.photo import PhotoSteps, photo_steps

W, H = 640, 480


def ink(digit: str, size: float = 0.5, centre=(0.5, 0.5), pen: float = 0.1) -> np.ndarray:
    """A hand-drawn '7', '1' or '4' as ink coverage (0..1) in a W x H frame; size = share of the height."""
    h = size * H
    x0, y0 = centre[0] * W - 0.35 * h, centre[1] * H - h / 2
    pts = {
        "7": [[(0, 0), (0.7, 0), (0.25, 1)]],
        "1": [[(0.15, 0.2), (0.4, 0), (0.4, 1)]],
        "4": [[(0.5, 0), (0, 0.65), (0.75, 0.65)], [(0.55, 0.3), (0.55, 1)]],
    }[digit]
    im = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(im)
    for stroke in pts:
        d.line(
            [(x0 + x * h, y0 + y * h) for x, y in stroke], fill=255, width=max(1, int(pen * h)), joint="curve"
        )
    return np.asarray(im, dtype=np.float64) / 255


def photo(cover: np.ndarray, paper=230.0, ink_level=30.0, light=None, noise=3.0, seed=0) -> np.ndarray:
    """Paper and ink under a lighting field (1 = full light), with sensor noise: uint8 greyscale."""
    img = paper * (1 - cover) + ink_level * cover
    if light is not None:
        img = img * light
    img = img + np.random.default_rng(seed).normal(0, noise, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def levels(img) -> np.ndarray:
    return ((to_model_input(img)[0, 0] + 1) * 8).numpy()


@pytest.fixture(scope="module")
def fp32():
    return pretrained.load("fp32")


def reads(model, img) -> int:
    return int(model(to_model_input(img)).argmax())


def close(a: np.ndarray, b: np.ndarray) -> bool:
    """Two 8x8 level maps agree to within about one level on average, and no pixel is off by more than 6."""
    return np.abs(a - b).mean() <= 1.0 and np.abs(a - b).max() <= 6


@pytest.mark.parametrize("digit", ["7", "4"])
def test_a_hard_shadow_across_the_digit_is_not_ink(fp32, digit):
    cover = ink(digit)
    yy, xx = np.mgrid[0:H, 0:W]
    shadow = np.where(xx + 0.5 * yy > 0.55 * W, 0.45, 1.0)  # the edge runs through the digit
    clean, shaded = photo(cover), photo(cover, light=shadow)
    assert close(levels(shaded), levels(clean))
    assert reads(fp32, shaded) == reads(fp32, clean) == int(digit)


def test_a_soft_corner_shadow_and_the_issues_thick_seven(fp32):
    """Issue 14's photo: a thick black 7, a lighting gradient and a soft shadow in one corner."""
    cover = ink("7", size=0.6, pen=0.16)
    yy, xx = np.mgrid[0:H, 0:W]
    corner = 1 / (1 + np.exp(-((xx - 0.75 * W) + (yy - 0.7 * H)) / 25))
    light = (1 - 0.4 * xx / W) * (1 - 0.5 * corner)
    assert close(levels(photo(cover, light=light, noise=6)), levels(photo(cover)))
    assert reads(fp32, photo(cover, light=light, noise=6)) == 7


def test_lighting_falloff_and_vignette_are_removed():
    cover = ink("4")
    yy, xx = np.mgrid[0:H, 0:W]
    light = (1 - 0.6 * yy / H) * (1 - 0.4 * (((xx - W / 2) / W) ** 2 + ((yy - H / 2) / H) ** 2) / 0.5)
    steps = photo_steps(photo(cover, light=light))
    assert close(steps.result.levels, levels(photo(cover)))
    f = steps.flat.shape[0] / H  # the working picture is smaller (at most 512 a side)
    paper = steps.flat[np.ix_(np.arange(steps.flat.shape[0]) / f < H, np.arange(steps.flat.shape[1]) / f < W)]
    paper = paper[np.asarray(Image.fromarray(cover).resize(steps.flat.shape[::-1])) == 0]
    assert np.percentile(paper, 5) > 0.85  # the dark corner's paper is paper again after lighting removal


def test_both_polarities_give_the_same_input():
    cover = ink("7")
    board = photo(cover, paper=40, ink_level=225)  # chalk on a blackboard
    assert (
        photo_steps(board).polarity == "light_on_dark"
        and photo_steps(photo(cover)).polarity == "dark_on_light"
    )
    assert close(levels(board), levels(photo(cover)))
    g = photo(cover)
    assert torch.equal(
        to_model_input(g), to_model_input(255 - g)
    )  # exactly, as the inverse of the same picture


def test_ruled_lines_are_removed_but_not_the_stroke_that_crosses_them(fp32):
    cover = ink("1", pen=0.06)
    img = photo(cover).astype(np.float64)
    for y in range(40, H, 42):  # thin blue-grey lines across the page, one through the digit's middle
        img[y : y + 2] = img[y : y + 2] * 0.55 + 40
    img = np.clip(img, 0, 255).astype(np.uint8)
    steps = photo_steps(img)
    assert steps.lines.sum() > W  # lines were found and removed ...
    f = steps.digit.shape[0] / H  # the working picture is smaller (at most 512 a side)
    assert steps.digit.sum() > 0.8 * (cover > 0.5).sum() * f**2  # ... and the 1's stroke is still whole
    assert close(steps.result.levels, levels(photo(cover)))
    assert reads(fp32, img) == reads(
        fp32, photo(cover)
    )  # (the shipped model reads a flagged 1 as 3 either way)


def test_a_small_digit_off_centre_in_a_large_frame(fp32):
    cover = ink("7", size=0.1, centre=(0.8, 0.2), pen=0.12)
    steps = photo_steps(photo(cover))
    top, left, bottom, right = (v / (steps.digit.shape[0] / H) for v in steps.box)  # in the photo's pixels
    assert 0.1 * H < (top + bottom) / 2 < 0.3 * H and 0.7 * W < (left + right) / 2 < 0.9 * W
    assert close(steps.result.levels, levels(photo(ink("7", size=0.5, pen=0.12))))
    assert reads(fp32, photo(cover)) == 7


def test_a_blank_page_with_a_shadow_has_no_ink():
    yy, xx = np.mgrid[0:H, 0:W]
    steps = photo_steps(photo(np.zeros((H, W)), light=np.where(xx > 0.4 * W, 0.5, 1.0), noise=4))
    assert steps.box is None and torch.equal(steps.x, torch.full((1, 1, 8, 8), -1.0))


def test_the_steps_are_a_frozen_record_of_every_stage():
    steps = photo_steps(photo(ink("7")))
    assert isinstance(steps, PhotoSteps)
    with pytest.raises(AttributeError):
        steps.polarity = "x"
    shape = steps.original.shape
    assert max(shape) <= 512 and steps.flat.shape == steps.ink.shape == steps.digit.shape == shape
    assert steps.result.bitmap.shape == (32, 32) and steps.result.levels.shape == (8, 8)
    assert steps.result.levels.max() == 16 and torch.equal(steps.x, to_model_input(photo(ink("7"))))
    assert steps.digit.sum() <= steps.ink.sum() and any(p.in_digit for p in steps.pieces)
