"""Every file of the hostile-upload corpus (tests/data/make_corpus.py) gets the expected result or message."""

import numpy as np
import pytest
import torch

from qlib.data import (
    IMAGE_ERROR_KEYS,
    IMAGE_ERROR_MESSAGES,
    ImageError,
    load_image,
    to_model_input,
)
from tests.data.make_corpus import EXPECTED, build_corpus, centred_test_digit


@pytest.fixture(scope="module")
def corpus():
    return build_corpus()


def test_corpus_is_small_except_the_oversized_file(corpus):
    assert corpus.keys() == EXPECTED.keys()
    assert set(EXPECTED.values()) - {"ok"} == set(IMAGE_ERROR_KEYS)  # every message is exercised
    assert len(corpus["bomb.png"]) < 20_000  # 100 million pixels
    assert sum(len(d) for n, d in corpus.items() if n != "too_large.png") < 200_000


@pytest.mark.parametrize("name", EXPECTED)
def test_corpus_entry(corpus, name):
    try:
        im = load_image(corpus[name])
        x = to_model_input(im)
    except ImageError as err:
        assert err.key == EXPECTED[name] and str(err) == IMAGE_ERROR_MESSAGES[err.key]
        return
    assert EXPECTED[name] == "ok"
    assert im.mode in ("L", "RGB") and max(im.size) <= 1024
    levels = (x + 1) * 8
    assert x.shape == (1, 1, 8, 8) and x.dtype == torch.float32 and torch.equal(levels, levels.round())
    assert levels.min() >= 0 and levels.max() <= 16


def test_what_the_ok_files_show(corpus):
    """Not only no error: the right picture, the right way up, on white paper."""
    digit = to_model_input(load_image(corpus["digit.png"]))
    assert (digit - centred_test_digit()).abs().max() <= 0.125  # the test sample it was drawn from
    assert load_image(corpus["exif_rotated.jpg"]).size == (32, 48)  # stored 48x32, shown upright
    assert torch.equal(to_model_input(load_image(corpus["1x1.png"])), torch.full((1, 1, 8, 8), -1.0))
    sevens = [
        to_model_input(load_image(corpus[n]))
        for n in ("16bit.png", "cmyk.jpg", "palette_transparency.png", "la.png", "animated.gif")
    ]
    for s in sevens:  # the same hand-made '7' in five encodings gives (nearly) the same model input
        assert (s - sevens[0]).abs().mean() < 0.05
    top_row, bottom_row = sevens[0][0, 0, 0].numpy(), sevens[0][0, 0, -1].numpy()
    assert (top_row > 0).sum() >= 4 and (bottom_row > 0).sum() <= 2  # a 7: a full top bar, a narrow foot
    assert np.asarray(load_image(corpus["palette_transparency.png"]))[0, 0].tolist() == [255, 255, 255]
