"""Page 4's layer histogram values (lessons.qat_training.lesson.layer_values): computed once per model, read-only."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from lessons.common import memo
from lessons.qat_training import lesson as lab
from qlib import pretrained
from qlib.data import load_digits


@pytest.fixture(scope="module")
def splits():
    return load_digits()


@pytest.mark.parametrize("kind", ["weight", "activation"])
def test_a_model_s_layer_values_are_computed_once_and_equal_a_fresh_computation(splits, kind):
    """The same model asked twice gives the same object; another copy of it is computed afresh, to the same
    numbers; the arrays every session shares cannot be written."""
    name = next(n for n in pretrained.available() if n.startswith("qat-"))
    a, b = pretrained.load_fake_quant(name), pretrained.load_fake_quant(name)
    first = lab.layer_values(a, "conv2", kind, splits)
    assert lab.layer_values(a, "conv2", kind, splits) is first
    other = lab.layer_values(b, "conv2", kind, splits)
    assert other is not first and lab.layer_values(a, "fc", kind, splits) is not first
    assert np.array_equal(other.floats, first.floats) and np.array_equal(other.quantized, first.quantized)
    assert (other.n, other.levels, other.scale, other.mse, other.clipped) == (
        first.n,
        first.levels,
        first.scale,
        first.mse,
        first.clipped,
    )
    with pytest.raises(ValueError):
        first.floats[0] = 0.0


def test_the_values_go_with_their_model(splits):
    """The memo holds its model weakly: a session's model let go takes its values with it."""
    name = next(n for n in pretrained.available() if n.startswith("qat-"))
    model = pretrained.load_fake_quant(name)
    lab.layer_values(model, "conv1", "weight", splits)
    before = memo.owners()
    del model
    gc.collect()
    assert memo.owners() == before - 1
