"""The integer engine: gemmlowp's primitives against big-int references, and Int8Model on realistic layers."""

import math
import random
from fractions import Fraction

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from qlib.int8 import (
    INT32_MAX,
    INT32_MIN,
    Int8Model,
    multiply_by_quantized_multiplier,
    quantize_multiplier,
    requantize_fixed,
    requantize_float,
    rounding_divide_by_pot,
    srdhm,
)
from qlib.quant import dequantize
from tests.library.int8_helpers import (
    fake_quant_forward,
    int8_layers,
    trained_net,
)

pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py

int32s = st.integers(INT32_MIN, INT32_MAX)


# ---------------------------------------------------------------------------------------------------------------
# references: gemmlowp's C code, line by line, in Python big ints


def srdhm_ref(a: int, b: int) -> int:
    """gemmlowp SaturatingRoundingDoublingHighMul, literally."""
    if a == b == INT32_MIN:
        return INT32_MAX
    ab = a * b
    nudge = (1 << 30) if ab >= 0 else 1 - (1 << 30)
    v = ab + nudge
    q = abs(v) // (1 << 31)  # C division truncates towards zero
    return q if v >= 0 else -q


def rdbpot_ref(x: int, n: int) -> int:
    """gemmlowp RoundingDivideByPOT as what it computes: x / 2^n rounded half away from zero."""
    f = Fraction(x, 1 << n)
    r = math.floor(abs(f) + Fraction(1, 2))
    return r if f >= 0 else -r


EDGES = [INT32_MIN, INT32_MIN + 1, -(2**30), -3, -2, -1, 0, 1, 2, 3, 2**30, INT32_MAX - 1, INT32_MAX]


def _random_int32s(k: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.randint(INT32_MIN, INT32_MAX) for _ in range(k)] + EDGES


def test_srdhm_matches_reference_on_random_and_edge_values():
    a_vals = _random_int32s(300, 1)
    b_vals = _random_int32s(300, 2)
    pairs = [(a, b) for a in EDGES for b in EDGES] + list(zip(a_vals, b_vals, strict=True))
    a = torch.tensor([p[0] for p in pairs])
    b = torch.tensor([p[1] for p in pairs])
    assert srdhm(a, b).tolist() == [srdhm_ref(x, y) for x, y in pairs]
    assert srdhm(torch.tensor(INT32_MIN), INT32_MIN).item() == INT32_MAX  # the one saturating case


def test_srdhm_ties_round_towards_plus_infinity():
    # a * b = ±2^30 is exactly ±0.5 after the doubling high mul: +0.5 -> 1, -0.5 -> 0 (not -1)
    assert srdhm(torch.tensor([2**15, -(2**15), 3 * 2**15, -3 * 2**15]), 2**15).tolist() == [1, 0, 2, -1]


@given(int32s, int32s)
@settings(max_examples=150, deadline=None)
def test_srdhm_property(a, b):
    assert srdhm(torch.tensor(a), b).item() == srdhm_ref(a, b)
    if not a == b == INT32_MIN:  # otherwise it is floor(a*b / 2^31 + 1/2)
        assert srdhm_ref(a, b) == math.floor(Fraction(a * b, 2**31) + Fraction(1, 2))


def test_rounding_divide_by_pot_matches_reference_incl_negative_ties_and_shifts_0_31():
    xs = _random_int32s(200, 3) + [-5, -6, -7, 5, 6, 7, -(2**31), 2**31 - 1]
    for n in range(32):
        got = rounding_divide_by_pot(torch.tensor(xs), n).tolist()
        assert got == [rdbpot_ref(x, n) for x in xs], n
    # negative ties go away from zero: -3/2 -> -2, -5/2 -> -3; positive: 3/2 -> 2
    assert rounding_divide_by_pot(torch.tensor([-3, -5, 3, 5, -1, 1]), 1).tolist() == [-2, -3, 2, 3, -1, 1]
    assert rounding_divide_by_pot(torch.tensor([INT32_MIN, INT32_MAX, -(2**30), 2**30]), 31).tolist() == [
        -1,
        1,
        -1,
        1,
    ]
    assert rounding_divide_by_pot(torch.tensor(xs), 0).tolist() == xs


def test_rounding_divide_by_pot_per_channel_shifts():
    x = torch.tensor([[-7, 7, -7, 7]])
    assert rounding_divide_by_pot(x, torch.tensor([0, 1, 2, 31])).tolist() == [[-7, 4, -2, 0]]


@given(st.floats(min_value=2.0**-32, max_value=1e6, allow_nan=False))
@settings(max_examples=150, deadline=None)
def test_quantize_multiplier_is_a_31_bit_mantissa(m):
    m0, n = quantize_multiplier(m)
    assert 2**30 <= m0 < 2**31 and 0 <= n <= 62
    assert abs(Fraction(m0, 2**n) - Fraction(m)) <= Fraction(m) * Fraction(1, 2**30)


def test_quantize_multiplier_edges():
    assert quantize_multiplier(0.5) == (2**30, 31)
    assert quantize_multiplier(1.0) == (2**30, 30)
    assert quantize_multiplier(3.0) == (3 * 2**29, 29)
    assert quantize_multiplier(1 - 2**-40) == (2**30, 30)  # the mantissa rounds up to 1.0: renormalised
    assert quantize_multiplier(0.0) == (0, 31)
    assert quantize_multiplier(2.0**-40) == (0, 31)  # |acc * M| < 0.5 for every int32: the answer is 0
    for bad in (-0.1, math.inf, math.nan, 2.0**31):
        with pytest.raises(ValueError):
            quantize_multiplier(bad)


def _mbqm_ref(acc: int, m: float) -> int:
    """TFLite's MultiplyByQuantizedMultiplier in big ints, from the reference primitives."""
    m0, n = quantize_multiplier(m)
    left, right = max(31 - n, 0), max(n - 31, 0)
    x = max(INT32_MIN, min(INT32_MAX, acc * 2**left))
    return rdbpot_ref(srdhm_ref(x, m0), right)


@given(st.integers(-(2**24), 2**24), st.floats(min_value=1e-7, max_value=4.0))
@settings(max_examples=150, deadline=None)
def test_fixed_point_multiply_is_round_of_acc_times_m(acc, m):
    m0, n = quantize_multiplier(m)
    got = multiply_by_quantized_multiplier(torch.tensor([acc]), torch.tensor([m0]), torch.tensor([n])).item()
    assert got == _mbqm_ref(acc, m)
    # rounded twice (the high mul, then the shift by n - 31): within half a step plus half a step of 2^-(n-31)
    bound = 0.5 + (0.5 * 2.0 ** -(n - 31) if n > 31 else 0.0) + 1e-6 * max(1.0, abs(acc * m))
    assert abs(got - acc * m) <= bound


def test_double_rounding_of_gemmlowp_is_reproduced():
    # 1 * 0.25: the high mul rounds 0.5 up to 1, the shift by 1 rounds 0.5 away from zero to 1 (exact: 0)
    m0, n = quantize_multiplier(0.25)
    assert (m0, n) == (2**30, 32)
    assert multiply_by_quantized_multiplier(torch.tensor([1, -1]), m0, n).tolist() == [1, 0]


def test_requantize_fixed_clamps_and_fused_relu():
    m0, n = quantize_multiplier(0.01)
    acc = torch.tensor([-100000, -1000, -49, 0, 50, 1000, 100000])
    assert requantize_fixed(acc, m0, n, 100, 0, 255).tolist() == [0, 90, 100, 100, 101, 110, 255]
    assert requantize_fixed(acc, m0, n, 100, 100, 255).tolist() == [100, 100, 100, 100, 101, 110, 255]


def test_requantize_float_rounds_half_to_even():
    w_scale = torch.tensor([0.5])
    # act_times_w = 0.5, multiplier 1: values 0.5, 1.5, 2.5 -> 0, 2, 2
    acc = torch.tensor([0, 1, 2])
    assert requantize_float(acc, torch.tensor([0.25]), 1.0, w_scale, 0.5, 0, 0, 255).tolist() == [0, 2, 2]


# ---------------------------------------------------------------------------------------------------------------
# Int8Model on realistic layers: a briefly trained TinyCNN-shaped net, activation ranges observed on digits


@pytest.fixture(scope="module")
def digits():
    from qlib.data import load_digits

    return load_digits()


@pytest.fixture(scope="module")
def net_and_layers(digits):
    net = trained_net(0)
    return net, int8_layers(net, digits.train[0])


INT_DTYPES = (torch.int8, torch.uint8, torch.int16, torch.int32, torch.int64)


@pytest.mark.parametrize("requant", ["fixed", "float"])
def test_trace_is_integers_only_and_consistent(net_and_layers, digits, requant):
    _, layers = net_and_layers
    model = Int8Model(layers, requant=requant)
    x = digits.test[0][:50]
    steps = model.trace(x)
    assert [s["name"] for s in steps] == model.layer_names == ["conv1", "conv2", "fc"]
    for step, layer in zip(steps, layers, strict=True):
        for key in ("q_in", "acc", "acc_bias", "q_out", "M0", "n", "w_q", "b_q"):
            assert step[key].dtype in INT_DTYPES, (step["name"], key, step[key].dtype)
        assert step["M"].dtype == torch.float64
        assert ((step["M0"] >= 2**30) & (step["M0"] < 2**31)).all()
        assert step["acc"].abs().max() < 2**31 and step["acc_bias"].abs().max() < 2**31
        lo = max(layer.qmin, layer.out_zp) if layer.relu else layer.qmin
        assert step["q_out"].min() >= lo and step["q_out"].max() <= layer.qmax
        assert step["in_scale"] == layer.in_scale and step["out_zp"] == layer.out_zp
    assert steps[1]["q_in"].shape == (50, 16, 8, 8) and steps[1]["q_out"].shape == (50, 32, 4, 4)
    assert steps[2]["q_in"].shape == (50, 512)
    q = model.forward_int(model.quantize_input(x))
    assert q.dtype == torch.int64 and torch.equal(q, steps[-1]["q_out"])
    assert torch.equal(model(x), dequantize(q, model.output_qparams))


def test_conv_int_is_exact_integer_convolution(net_and_layers, digits):
    _, layers = net_and_layers
    model = Int8Model(layers)
    steps = model.trace(digits.test[0][:20])
    for step, layer in zip(steps[:2], layers[:2], strict=True):
        x = (step["q_in"] - layer.in_zp).double()
        want = torch.nn.functional.conv2d(x, layer.w_q.double(), stride=layer.stride, padding=layer.padding)
        assert torch.equal(step["acc"], want.to(torch.int64))  # float64 is exact at these sizes
        assert torch.equal(step["acc_bias"], step["acc"] + layer.b_q.reshape(1, -1, 1, 1))


def test_fixed_and_float_requant_agree_within_one_code_per_layer(net_and_layers, digits):
    _, layers = net_and_layers
    fixed, flt = Int8Model(layers, "fixed"), Int8Model(layers, "float")
    for i, step in enumerate(fixed.trace(digits.test[0])):
        other = flt.run_layer(i, step["q_in"])["q_out"]  # same input codes
        diff = (step["q_out"] - other).abs()
        assert diff.max() <= 1 and (diff > 0).float().mean() <= 0.01


def test_dequantized_output_matches_fake_quant_model(net_and_layers, digits):
    net, layers = net_and_layers
    x, y = digits.test
    fq = fake_quant_forward(net, layers, x)
    for requant in ("fixed", "float"):
        out = Int8Model(layers, requant)(x)
        step = layers[-1].out_scale
        assert (out - fq).abs().max() <= 3 * step + 1e-6
        assert (out - fq).abs().mean() <= 0.1 * step
        assert (out.argmax(1) == fq.argmax(1)).float().mean() >= 0.99
        assert abs((out.argmax(1) == y).float().mean() - (fq.argmax(1) == y).float().mean()) <= 0.01


def test_nbytes_and_num_params(net_and_layers):
    net, layers = net_and_layers
    model = Int8Model(layers)
    fp32_bytes = sum(4 * p.numel() for p in net.parameters())
    assert model.num_params == sum(p.numel() for p in net.parameters()) == 9930
    # 9872 int8 weights + 58 int32 biases + 58 float32 weight scales + 4 activation (scale, zero point) pairs
    assert model.nbytes() == 9872 + 4 * 58 + 4 * 58 + 4 * 8
    assert model.nbytes() <= 0.30 * fp32_bytes


def test_accepts_numpy_and_rejects_bad_requant(net_and_layers, digits):
    _, layers = net_and_layers
    x = digits.test[0][:3]
    model = Int8Model(layers)
    assert torch.equal(model(x.numpy()), model(x))
    with pytest.raises(ValueError):
        Int8Model(layers, requant="double")
    with pytest.raises(ValueError):
        Int8Model([])


def test_lower_bit_widths_clamp_to_their_code_range(digits):
    layers = int8_layers(trained_net(0), digits.train[0], w_bits=4, a_bits=4)
    steps = Int8Model(layers).trace(digits.test[0][:30])
    for step in steps:
        assert 0 <= step["q_out"].min() and step["q_out"].max() <= 15
    assert layers[0].w_q.abs().max() <= 8


def test_converted_qlib_model_matches_its_fake_quant_model(digits):
    """qlib.qat's fake-quantized TinyCNN and the Int8Model convert() makes of it say the same thing."""
    from qlib.model import TinyCNN
    from qlib.qat import calibrate, convert, prepare_qat

    net = TinyCNN()
    net.load_state_dict(trained_net(0).state_dict())
    fq_model = calibrate(prepare_qat(net.eval()), digits.train[0]).eval()
    x = digits.test[0]
    with torch.no_grad():
        fq = fq_model(x)
    int8 = convert(fq_model)
    out = int8(x)
    step = int8.layers[-1].out_scale
    assert (out - fq).abs().max() <= 3 * step + 1e-6
    assert (out.argmax(1) == fq.argmax(1)).float().mean() >= 0.99


def test_shipped_quantized_models_on_the_integer_engine(digits):
    """Every shipped quantized model: integers only, ≤ 30 % of fp32's bytes, and what its fake-quant model says."""
    from qlib import pretrained
    from qlib.model import fp32_nbytes

    x = digits.test[0]
    fp32_bytes = fp32_nbytes(pretrained.load("fp32"))
    names = [n for n in pretrained.available() if n != "fp32"]
    assert "qat-w8a8" in names
    for name in names:
        model = pretrained.load(name)
        assert isinstance(model, Int8Model) and model.nbytes() <= 0.30 * fp32_bytes
        steps = model.trace(x[:8])
        assert all(s[k].dtype in INT_DTYPES for s in steps for k in ("q_in", "acc", "acc_bias", "q_out"))
        with torch.no_grad():
            fq = pretrained.load_fake_quant(name).eval()(x)
        out, out_float = model(x), Int8Model(model.layers, "float")(x)
        step = model.layers[-1].out_scale
        assert (out - fq).abs().max() <= step * 1.001, name  # measured: at most 1 code, at every bit width
        assert (out_float - fq).abs().max() <= step * 1.001, (
            name
        )  # measured: identical (qlib.qat emulates fbgemm)
        if model.layers[-1].qmax == 255:  # below 8 bits the top logits often tie, and argmax picks the first
            assert (out.argmax(1) == fq.argmax(1)).float().mean() >= 0.99, name
