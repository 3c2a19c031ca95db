"""lessons.integer_inference.lesson: the step-by-step split of one output value lands exactly on Int8Model.trace's numbers."""

from __future__ import annotations

import math

import pytest
import torch

from lessons.integer_inference.lesson import (
    census,
    codes,
    contributions,
    double_rounding_example,
    explain,
    layer_shape,
    output_map,
    sizes,
    terms,
)
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
        if e.lo < e.pre_clamp < e.hi:  # two roundings and the bias's: the bound the page states
            assert abs(e.y_int - e.y_float) <= e.float_bound * (1 + 1e-6) + 1e-7


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


def test_two_roundings_put_a_code_more_than_half_a_step_off():
    """B1: in qat-w4a4 some conv1 output lands more than half a step from (acc + b_q)·M (the issue found
    image 123, channel 13, row 0, col 7 of the models then shipped: 1.4386 steps, engine code 2)."""
    model, x = pretrained.load("qat-w4a4"), load_digits().test[0]
    w = double_rounding_example(model, x)
    assert w is not None and w.name == "conv1"
    e = explain(model, model.trace(x[w.image : w.image + 1]), w.layer, w.channel, w.row, w.col)
    once = int(math.copysign(math.floor(abs(e.exact) + 0.5), e.exact))  # one rounding, half away from zero
    assert e.once == once != e.rounded and e.high_steps == e.high / 2**e.right
    assert e.rounded == int(math.copysign(math.floor(abs(e.high_steps) + 0.5), e.high_steps))
    assert e.q_out == e.rounded + e.z_out  # the traced code itself, not clamped
    assert 0.5 < abs(e.rounded - e.exact) <= e.rounding_bound == 0.5 * (1 + 2.0**-e.right)
    assert abs(e.y_int - e.y_float) > e.s_out / 2  # "at most half an output step" is false here


@pytest.mark.parametrize("name", pretrained.quantized_names())
def test_the_rounding_bound_holds_on_every_output_and_half_a_step_does_not(name):
    """Every unclamped output of every test image: |engine − (acc + b_q)·M| ≤ ½·(1 + 2^−right) steps."""
    model = pretrained.load(name)
    beyond_half = 0
    for t in model.trace(load_digits().test[0]):
        shape = [1, -1] + [1] * (t.acc.dim() - 2)
        exact = t.acc_bias.double() * t.M.reshape(shape)
        right = (t.n.reshape(shape) - 31).clamp(min=0).double()
        err = ((t.q_out - t.out_zp) - exact).abs()
        free = (t.q_out > t.lo) & (t.q_out < t.hi)
        assert (err - 0.5 * (1 + 2.0**-right))[free].max() <= 1e-9
        beyond_half += int((err > 0.5)[free].sum())
    assert beyond_half > 0


def test_codes_and_packed_sizes_follow_the_bit_width():
    """B9: a 4-bit model's codes are −8…7 and 0…15; packed, its weights take half the bytes."""
    fp32 = fp32_nbytes(pretrained.load("fp32"))
    for name, bits in (("qat-w4a4", 4), ("qat-w2a2", 2), ("qat-w8a8", 8)):
        model = pretrained.load(name)
        c = codes(model)
        assert (c.w_bits, c.w_min, c.w_max) == (bits, -(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
        assert (c.a_bits, c.a_min, c.a_max) == (bits, 0, 2**bits - 1)
        assert c.background == int(model.quantize_input(torch.tensor([-1.0]))[0])
        s = sizes(fp32, model)
        n = sum(layer.w_q.numel() for layer in model.layers)
        packed = sum(-(-layer.w_q.numel() * bits // 8) for layer in model.layers)
        channels = sum(layer.w_scale.numel() for layer in model.layers)
        assert s.int8 == model.nbytes() and s.packed == model.nbytes() - n + packed
        assert s.packed_bits_per_weight == pytest.approx(bits + 32 * channels / n, abs=0.01)
        assert s.bits_per_weight == pytest.approx(8 + 32 * channels / n)
        assert (s.packed == s.int8) == (bits == 8)


def test_the_census_counts_what_explain_shows():
    """The page's count of outputs the two roundings move equals explain's once != rounded, output by output."""
    model = pretrained.load("qat-w4a4")
    trace = model.trace(load_digits().test[0][123:124])
    moved = outputs = 0
    for layer in range(len(trace)):
        n_ch, h, w = layer_shape(trace, layer)
        cells = [(c, None, None) for c in range(n_ch)] if h is None else []
        cells += [(c, r, col) for c in range(n_ch) for r in range(h or 0) for col in range(w or 0)]
        for c, r, col in cells:
            e = explain(model, trace, layer, c, r, col)
            if e.lo < e.q_out < e.hi:
                outputs += 1
                moved += e.once != e.rounded
    got = census(trace)
    assert (got.outputs, got.moved) == (outputs, moved) and moved > 0
