"""qlib.augment: a pure, seeded function that keeps the data set's form; fit's optional hook."""

import torch

from qlib.augment import RECIPE, Recipe, augment
from qlib.data import load_digits
from qlib.model import TinyCNN
from qlib.train import fit


def batch(n: int = 64) -> torch.Tensor:
    return load_digits().train[0][:n]


def test_same_seed_same_output_other_seed_other_output():
    x = batch()
    a, b, c = augment(x, 7), augment(x, 7), augment(x, 8)
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_pure_the_input_is_not_changed_and_no_global_rng_is_used():
    x = batch()
    before = x.clone()
    state = torch.random.get_rng_state()
    augment(x, 1)
    assert torch.equal(x, before) and torch.equal(torch.random.get_rng_state(), state)


def test_output_has_the_data_sets_form():
    y = augment(batch(), 3)
    levels = (y + 1) * 8
    assert y.shape == (64, 1, 8, 8) and y.dtype == torch.float32
    assert torch.equal(levels, levels.round()) and levels.min() >= 0 and levels.max() <= 16
    assert (levels.amax(dim=(1, 2, 3)) == 16).all()  # the strongest pixel is full ink, as a photo's is


def test_p_decides_how_many_change():
    x = batch()
    assert torch.equal(augment(x, 0, Recipe(p=0.0)), x)
    changed = (augment(x, 0, Recipe(p=1.0)) != x).flatten(1).any(1).float().mean()
    assert changed > 0.9
    kept = (augment(x, 0, RECIPE) == x).flatten(1).all(1).float().mean()
    assert 0.05 < kept < 0.4  # about 1 - p = 20 % left exactly as they were


def test_shift_moves_the_ink():
    x = batch(200)
    r = Recipe(p=1.0, shift=1.0, rotate=0, scale=0, aspect=0, shear=0, stroke=0, blur=0, noise=0)
    centre = lambda t: ((t + 1).sum(dim=(1, 2)) * torch.arange(8)).sum(1) / (t + 1).sum(dim=(1, 2, 3))  # noqa: E731
    moved = (centre(augment(x, 0, r)) - centre(x)).abs()
    assert moved.mean() > 0.2 and moved.max() < 1.6


def test_fit_with_augment_is_deterministic_and_without_it_unchanged():
    splits = load_digits()
    small = type(splits)((splits.train[0][:128], splits.train[1][:128]), splits.val, splits.test)
    a, b, plain = TinyCNN(0), TinyCNN(0), TinyCNN(0)
    fit(a, small, epochs=1, augment=augment)
    fit(b, small, epochs=1, augment=augment)
    fit(plain, small, epochs=1)
    ref = TinyCNN(0)
    fit(ref, small, epochs=1, augment=None)
    for pa, pb, pp, pr in zip(
        a.parameters(), b.parameters(), plain.parameters(), ref.parameters(), strict=True
    ):
        assert torch.equal(pa, pb) and torch.equal(pp, pr) and not torch.equal(pa, pp)
