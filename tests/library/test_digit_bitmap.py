"""qlib.digit_bitmap: the data set's 32x32 -> 4x4 counts, box fitted with its aspect ratio, stroke range."""

import numpy as np
import torch

from qlib.data import load_digits
from qlib.digit_bitmap import INK_SEEN, INK_TYPICAL, counts, fit_square, levels_to_input, to_bitmap


def test_a_centred_data_set_sample_comes_back_exactly():
    """A sample drawn as a 32x32 coverage (each 4x4 block at its level) whose ink is centred left to right
    is its own box after fitting: its 8x8 levels are returned unchanged (for the 98 % of samples with a block
    at 16; the others are stretched so that one is)."""
    x, _ = load_digits().train
    levels = ((x[:, 0] + 1) * 8).numpy()
    centred = [
        lv for lv in levels if (c := np.nonzero(lv.any(axis=0))[0]).min() + c.max() == 7 and lv.max() == 16
    ]
    assert len(centred) >= 50
    for lv in centred[:50]:
        np.testing.assert_array_equal(to_bitmap(np.kron(lv / 16, np.ones((4, 4)))).levels, lv)


def test_aspect_ratio_is_kept_and_the_box_centred():
    bar = np.zeros((100, 300))
    bar[10:90, 140:160] = 1  # a stroke 4 times taller than wide
    b = fit_square(bar)
    cols = np.nonzero(b.any(axis=0))[0]
    assert b.any(axis=1).all() and 7 <= len(cols) <= 9 and abs((cols.min() + cols.max()) / 2 - 15.5) <= 1


def test_a_fine_line_is_thickened_into_the_data_sets_range_and_a_fat_one_thinned():
    thin = np.zeros((400, 400))
    thin[50:350, 199:201] = 1
    thin[50:52, 150:250] = 1
    b = to_bitmap(thin)
    assert b.ink_before < INK_SEEN[0] and abs(b.levels.sum() - INK_TYPICAL[0]) <= 32
    fat = np.zeros((100, 100))
    fat[10:90, 10:90] = 1
    fat[30:70, 30:70] = 0  # a very bold 0
    f = to_bitmap(fat)
    assert f.ink_before > INK_SEEN[1] and abs(f.levels.sum() - INK_TYPICAL[1]) <= 32


def test_counts_are_stretched_to_16_and_the_input_is_level_over_8_minus_1():
    v = counts(np.full((32, 32), 0.5))
    assert v.max() == 16
    x = levels_to_input(np.arange(64).reshape(8, 8) % 17)
    assert x.shape == (1, 1, 8, 8) and x.dtype == torch.float32 and x.min() == -1 and x.max() == 1


def test_nothing_is_the_empty_background():
    assert torch.equal(to_bitmap(np.zeros((10, 10))).x, torch.full((1, 1, 8, 8), -1.0))
    assert torch.equal(to_bitmap(np.full((10, 10), np.nan)).x, torch.full((1, 1, 8, 8), -1.0))
