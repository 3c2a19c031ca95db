"""qlib.printed: the printed training digits are seeded, balanced, and in none of the benchmark's fonts."""

from pathlib import Path

import torch

from bench import photo_corpus
from qlib.data import load_digits
from qlib.printed import TRAINING_FONTS, printed_digits, with_printed


def test_no_training_font_is_a_benchmark_font_and_no_noto_face_is_used():
    bench = {Path(rel).name for rel, _, _ in photo_corpus.FONTS}
    train = {Path(rel).name for rel in TRAINING_FONTS}
    assert not bench & train and not any("Noto" in f for f in train) and len(train) == len(TRAINING_FONTS)


def test_seeded_balanced_and_in_the_data_sets_form():
    x, y = printed_digits(variants=1)
    x2, _ = printed_digits(variants=1)
    assert torch.equal(x, x2) and x.shape == (10 * len(TRAINING_FONTS), 1, 8, 8)
    assert torch.equal(torch.bincount(y), torch.full((10,), len(TRAINING_FONTS)))
    levels = (x + 1) * 8
    assert torch.equal(levels, levels.round()) and levels.min() == 0 and levels.max() == 16
    assert (levels.amax(dim=(1, 2, 3)) == 16).float().mean() > 0.8  # bold faces thinned may peak lower


def test_with_printed_adds_to_training_only():
    s = load_digits()
    e = with_printed(s, variants=1)
    assert len(e.train[1]) == len(s.train[1]) + 10 * len(TRAINING_FONTS)
    assert torch.equal(e.train[0][: len(s.train[0])], s.train[0])
    assert torch.equal(e.val[0], s.val[0]) and torch.equal(e.test[0], s.test[0])
