"""qlib.drawing: a canvas's RGBA strokes -> the data set's 8x8; a plainly drawn 1 and 7 are read by both models."""

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from qlib import pretrained
from qlib.drawing import drawing_steps, drawing_to_input, ink_of

ONE = [[(140, 50), (140, 230)]]
SEVEN = [[(80, 60), (200, 60), (120, 230)]]
TRANSPARENT, WHITE = (0, 0, 0, 0), (255, 255, 255, 255)


def canvas(strokes, background=TRANSPARENT, colour=(0, 0, 0, 255), width=18, size=280) -> np.ndarray:
    """What streamlit-drawable-canvas gives: RGBA uint8, antialiased strokes on the background."""
    im = Image.new("RGBA", (size, size), background)
    d = ImageDraw.Draw(im)
    for s in strokes:
        d.line(s, fill=colour, width=width, joint="curve")
    return np.asarray(im)


@pytest.fixture(scope="module")
def models():
    return pretrained.load("fp32"), pretrained.load("qat-w8a8")


@pytest.mark.parametrize("background", [TRANSPARENT, WHITE])
@pytest.mark.parametrize(("strokes", "digit"), [(ONE, 1), (SEVEN, 7)])
def test_a_plain_1_and_7_are_read_by_fp32_and_int8(models, strokes, digit, background):
    x = drawing_to_input(canvas(strokes, background))
    assert [int(m(x).argmax()) for m in models] == [digit, digit]


def test_transparent_and_white_backgrounds_and_any_stroke_colour_give_the_same_input():
    base = drawing_to_input(canvas(SEVEN))
    assert torch.equal(base, drawing_to_input(canvas(SEVEN, WHITE)))
    assert torch.equal(
        base, drawing_to_input(canvas(SEVEN, colour=(255, 0, 0, 255)))
    )  # red ink on transparent
    blue_on_black = canvas(SEVEN, (0, 0, 0, 255), colour=(90, 160, 255, 255))
    assert (drawing_to_input(blue_on_black) - base).abs().max() <= 0.25


def test_the_data_sets_form():
    steps = drawing_steps(canvas(SEVEN))
    levels = steps.result.levels
    assert not steps.empty and levels.dtype == np.int64 and levels.min() == 0 and levels.max() == 16
    assert torch.equal(steps.x, torch.tensor(levels / 8 - 1, dtype=torch.float32).reshape(1, 1, 8, 8))
    assert levels[0].sum() > levels[-1].sum()  # a 7: the bar at the top, one narrow foot


def test_an_empty_canvas_is_empty():
    for background in (TRANSPARENT, WHITE):
        steps = drawing_steps(canvas([], background))
        assert steps.empty and torch.equal(steps.x, torch.full((1, 1, 8, 8), -1.0))


def test_ink_of_rejects_what_is_not_pixels():
    with pytest.raises(ValueError, match="uint8"):
        ink_of(np.zeros((4, 4), np.float32))
    assert ink_of(np.full((5, 5), 255, np.uint8)).max() == 0
