"""lessons.integer_inference.lesson: the step-by-step split of one output value lands exactly on Int8Model.trace's numbers."""

from __future__ import annotations

import pytest

from lessons.integer_inference.lesson import contributions, explain, layer_shape, output_map, sizes, terms
from qlib import pretrained
from qlib.data import load_digits
from qlib.model import fp32_nbytes


@pytest.fixture(scope="module")
def traced():
    model = pretrained.load("qat-w8a8")
    return model, model.trace(load_digits().test[0][3:4])


def positions(trace, layer):
    n_ch, h, w = layer_shape(trace, layer)
    for c in range(0, n_ch, 3):
        if h is None:
            yield c, None, None
        else:
            for r in range(0, h, 3):
                for col in range(0, w, 3):
                    yield c, r, col


@pytest.mark.parametrize("layer", [0, 1, 2])
def test_every_step_lands_on_the_trace(traced, layer):
    model, trace = traced
    for c, r, col in positions(trace, layer):
        e = explain(model, trace, layer, c, r, col)
        assert e.sum_products == e.acc  # the products shown add up to the engine's accumulator
        assert e.acc + e.b_q == e.acc_bias
        assert min(max(e.pre_clamp, e.lo), e.hi) == e.q_out  # shift, zero point, clamp: the traced code
        if e.lo < e.pre_clamp < e.hi:
            assert abs(e.y_int - e.y_float) <= e.s_out / 2 + 1e-4  # only the last rounding remains


def test_tables_and_sizes(traced):
    model, trace = traced
    e = explain(model, trace, 1, 5, 2, 2)
    bars = contributions(e)
    assert len(bars.labels) == 16 and sum(bars.values) == e.acc  # conv2: one bar per input channel
    assert len(terms(e)) == 144
    assert tuple(output_map(trace, 1, 5).shape) == (4, 4)
    s = sizes(fp32_nbytes(pretrained.load("fp32")), model)
    assert s.int8 == model.nbytes() and s.weights + s.biases + s.qparams == s.int8
    assert s.ratio <= 0.3
