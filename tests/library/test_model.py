"""TinyCNN and its training loop: architecture, seeded init, deterministic training, the per-epoch callback."""

from types import SimpleNamespace

import pytest
import torch
from torch import nn

from qlib.data import load_digits
from qlib.model import TinyCNN, evaluate, fp32_nbytes, n_params
from qlib.train import EpochInfo, fit


@pytest.fixture(scope="module")
def small():
    """A small slice of the digits splits: unit tests train for seconds, not minutes."""
    s = load_digits()
    return SimpleNamespace(
        train=(s.train[0][:256], s.train[1][:256]), val=(s.val[0][:128], s.val[1][:128]), test=s.test
    )


def weights_of(model: nn.Module) -> list[torch.Tensor]:
    return [p.detach().clone() for p in model.parameters()]


def test_architecture_is_fixed():
    m = TinyCNN()
    assert (m.conv1.in_channels, m.conv1.out_channels, m.conv1.kernel_size, m.conv1.padding) == (
        1,
        16,
        (3, 3),
        (1, 1),
    )
    assert (m.conv2.in_channels, m.conv2.out_channels, m.conv2.stride, m.conv2.padding) == (
        16,
        32,
        (2, 2),
        (1, 1),
    )
    assert (m.fc.in_features, m.fc.out_features) == (512, 10)
    assert not any(isinstance(x, nn.modules.batchnorm._BatchNorm) for x in m.modules())
    assert n_params(m) == 16 * 9 + 16 + 32 * 16 * 9 + 32 + 512 * 10 + 10 == 9930
    assert fp32_nbytes(m) == 4 * 9930
    assert m(torch.zeros(5, 1, 8, 8)).shape == (5, 10)


def test_init_is_a_function_of_the_seed_and_leaves_the_global_rng_alone():
    state = torch.random.get_rng_state()
    a, b, c = TinyCNN(0), TinyCNN(0), TinyCNN(1)
    assert torch.equal(torch.random.get_rng_state(), state)
    assert all(torch.equal(x, y) for x, y in zip(weights_of(a), weights_of(b), strict=True))
    assert not torch.equal(a.conv1.weight, c.conv1.weight)


def test_training_is_deterministic(small):
    torch.use_deterministic_algorithms(True)
    try:
        runs = []
        for _ in range(2):
            m = TinyCNN(3)
            fit(m, small, epochs=2, lr=3e-3, seed=7)
            runs.append(weights_of(m))
    finally:
        torch.use_deterministic_algorithms(False)
    assert all(torch.equal(x, y) for x, y in zip(*runs, strict=True))
    other = TinyCNN(3)
    fit(other, small, epochs=2, lr=3e-3, seed=8)  # another shuffling seed: other weights
    assert not torch.equal(weights_of(other)[0], runs[0][0])


def test_callback_once_per_epoch_with_the_fields(small):
    seen: list[EpochInfo] = []
    history = fit(TinyCNN(0), small, epochs=3, callback=seen.append)
    assert [i.epoch for i in seen] == [1, 2, 3] and seen == history
    for info in seen:
        assert info.epochs == 3 and info.seconds > 0 and info.elapsed >= info.seconds
        assert 0 <= info.train_acc <= 1 and 0 <= info.val_acc <= 1 and info.train_loss > 0
        assert info.quantizers == {}  # a float model has none
    assert seen[-1].train_loss < seen[0].train_loss


def test_callback_returning_false_stops(small):
    history = fit(TinyCNN(0), small, epochs=5, callback=lambda info: info.epoch < 2)
    assert len(history) == 2


def test_fit_learns_and_leaves_eval_mode(small):
    m = TinyCNN(0)
    fit(m, small, epochs=4, lr=3e-3)
    assert not m.training
    assert evaluate(m, *small.val) > 0.8


def test_evaluate_counts_top1_with_ties_to_the_lowest_index():
    y = torch.tensor([0, 1, 2, 3])
    logits = torch.tensor([[1.0, 0, 0], [0, 2, 0], [5, 5, 5], [0, 0, 1]])
    assert evaluate(lambda x: x, logits, y) == 0.5  # row 2 ties -> class 0; row 3 predicts 2, not 3


def test_fit_rejects_bad_arguments(small):
    with pytest.raises(ValueError):
        fit(TinyCNN(0), small, epochs=1, schedule="warp")
    with pytest.raises(ValueError):
        fit(TinyCNN(0), small, epochs=-1)
