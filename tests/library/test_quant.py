"""qlib.quant against PyTorch, bit for bit: qparams from the observers, fake quant forward and backward."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.ao.quantization import MinMaxObserver, PerChannelMinMaxObserver

from qlib.quant import (
    EPS,
    QParams,
    calc_qparams,
    dequantize,
    fake_quant,
    fake_quant_no_ste,
    qrange,
    quant_error,
    quantize,
)

F32 = np.float32


def same_bits(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Equal to the last bit: the float32 bit patterns match (so -0.0 != 0.0 and NaN == NaN)."""
    a, b = a.detach().to(torch.float32).contiguous(), b.detach().to(torch.float32).contiguous()
    return a.shape == b.shape and torch.equal(a.view(torch.int32), b.view(torch.int32))


# --- the worked example --------------------------------------------------------------------------------


def test_worked_example_minus2_to_6():
    qp = calc_qparams(-2.0, 6.0, bits=8)
    assert (qp.qmin, qp.qmax) == (0, 255)
    assert float(qp.scale) == pytest.approx(8 / 255, rel=1e-7)
    assert round(float(qp.scale), 4) == 0.0314
    assert 2.0 / float(qp.scale) == pytest.approx(
        63.75, rel=1e-6
    )  # the zero point before rounding: -xmin / scale
    assert int(qp.zero_point) == 64
    assert int(quantize(0.0, qp)) == 64
    assert float(dequantize(quantize(0.0, qp), qp)) == 0.0


# --- qrange ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bits", range(2, 17))
def test_qrange(bits):
    assert qrange(bits, signed=False) == (0, 2**bits - 1)
    assert qrange(bits, signed=True) == (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    assert qrange(bits, signed=True, narrow_range=True) == (-(2 ** (bits - 1)) + 1, 2 ** (bits - 1) - 1)


def test_qrange_8bit_narrow():
    assert qrange(8, True, True) == (-127, 127)


@pytest.mark.parametrize("bits", [1, 17, 0, -8, "8", 8.0, None, True])
def test_qrange_rejects_bits(bits):
    with pytest.raises(ValueError, match="bits must be an integer from 2 to 16"):
        qrange(bits, signed=False)


# --- calc_qparams against PyTorch's observers ------------------------------------------------------------

EDGE_RANGES = [
    (-2.0, 6.0),
    (0.0, 6.0),
    (1.0, 5.0),  # positive only
    (-5.0, -1.0),  # negative only
    (0.0, 0.0),
    (3.0, 3.0),
    (-3.0, -3.0),
    (-1e-30, 1e-30),
    (-1e30, 1e30),
    (-1e-30, 1e30),
    (-1.0, 1.0),  # zero point on a tie: -1 / (2/255) = -127.5
    (-0.5, 1.0),
    (-1e-8, 1e-8),
    (-7.0, 1e-6),
    (-123.456, 0.001),
]


def torch_observer(kind: str, bits: int, per_channel: bool):
    """PyTorch's observer for one of the configurations the contract matches, and qlib's arguments for it."""
    Obs = PerChannelMinMaxObserver if per_channel else MinMaxObserver
    scheme = {
        ("affine", False): torch.per_tensor_affine,
        ("affine", True): torch.per_channel_affine,
        ("symmetric", False): torch.per_tensor_symmetric,
        ("symmetric", True): torch.per_channel_symmetric,
    }
    if kind == "quint8":
        lo, hi = qrange(bits, signed=False)
        obs = Obs(dtype=torch.quint8, qscheme=scheme["affine", per_channel], quant_min=lo, quant_max=hi)
        return obs, dict(bits=bits, symmetric=False, signed=False)
    if kind == "qint8":
        lo, hi = qrange(bits, signed=True)
        obs = Obs(dtype=torch.qint8, qscheme=scheme["affine", per_channel], quant_min=lo, quant_max=hi)
        return obs, dict(bits=bits, symmetric=False, signed=True)
    if kind == "qint8_symmetric":
        lo, hi = qrange(bits, signed=True)
        obs = Obs(dtype=torch.qint8, qscheme=scheme["symmetric", per_channel], quant_min=lo, quant_max=hi)
        return obs, dict(bits=bits, symmetric=True)
    if kind == "quint8_symmetric":  # custom quant_min/quant_max: PyTorch's zero point is (qmin + qmax) // 2
        lo, hi = qrange(bits, signed=False)
        obs = Obs(dtype=torch.quint8, qscheme=scheme["symmetric", per_channel], quant_min=lo, quant_max=hi)
        return obs, dict(bits=bits, symmetric=True, signed=False)
    if kind == "qint8_symmetric_narrow":
        lo, hi = qrange(bits, signed=True, narrow_range=True)
        obs = Obs(dtype=torch.qint8, qscheme=scheme["symmetric", per_channel], quant_min=lo, quant_max=hi)
        return obs, dict(bits=bits, symmetric=True, narrow_range=True)
    raise AssertionError(kind)


def default_observer(kind: str):
    """The observers as PyTorch builds them with no custom range (quint8 0..255, qint8 -128..127)."""
    if kind == "quint8":
        return MinMaxObserver(), dict(bits=8)
    if kind == "qint8":
        return MinMaxObserver(dtype=torch.qint8), dict(bits=8, signed=True)
    if kind == "quint8_symmetric":
        obs = MinMaxObserver(dtype=torch.quint8, qscheme=torch.per_tensor_symmetric)
        return obs, dict(bits=8, symmetric=True, signed=False)
    return MinMaxObserver(dtype=torch.qint8, qscheme=torch.per_tensor_symmetric), dict(bits=8, symmetric=True)


KINDS = ["quint8", "qint8", "qint8_symmetric", "qint8_symmetric_narrow"]


def check_against_observer(obs, kwargs, xmin, xmax):
    obs(torch.tensor([xmin, xmax], dtype=torch.float32))
    t_scale, t_zp = obs.calculate_qparams()
    qp = calc_qparams(F32(xmin), F32(xmax), **kwargs)
    assert same_bits(qp.scale.reshape(1), t_scale), (xmin, xmax, kwargs, qp.scale.item(), t_scale.item())
    assert int(qp.zero_point) == int(t_zp), (xmin, xmax, kwargs, qp.zero_point, t_zp)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bits", range(2, 9))
@pytest.mark.parametrize("xmin,xmax", EDGE_RANGES)
def test_qparams_equal_minmax_observer_on_edges(kind, bits, xmin, xmax):
    obs, kwargs = torch_observer(kind, bits, per_channel=False)
    check_against_observer(obs, kwargs, xmin, xmax)


@pytest.mark.parametrize("kind", ["quint8", "qint8", "qint8_symmetric", "quint8_symmetric"])
@pytest.mark.parametrize("xmin,xmax", EDGE_RANGES)
def test_qparams_equal_default_observers(kind, xmin, xmax):
    obs, kwargs = default_observer(kind)
    check_against_observer(obs, kwargs, xmin, xmax)


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, width=32)


@settings(max_examples=300, deadline=None)
@given(a=finite, b=finite, kind=st.sampled_from(KINDS), bits=st.integers(2, 8))
def test_qparams_equal_minmax_observer_random(a, b, kind, bits):
    obs, kwargs = torch_observer(kind, bits, per_channel=False)
    check_against_observer(obs, kwargs, min(a, b), max(a, b))


@settings(max_examples=300, deadline=None)
@given(a=finite, b=finite, tiny=st.booleans())
def test_symmetric_unsigned_equals_pytorch_quint8_symmetric_random(a, b, tiny):
    """Issue 11 A1: quint8 + per_tensor_symmetric, PyTorch's default observer, to the last bit."""
    scale = 1e-35 if tiny else 1.0  # also ranges so small that the scale is floored at eps
    obs, kwargs = default_observer("quint8_symmetric")
    check_against_observer(obs, kwargs, min(a, b) * scale, max(a, b) * scale)


@pytest.mark.parametrize("bits", range(2, 9))
@pytest.mark.parametrize("xmin,xmax", EDGE_RANGES)
def test_symmetric_unsigned_custom_range_against_pytorch(bits, xmin, xmax):
    """With custom quant_min/quant_max PyTorch's scale is ours to the last bit, but its zero point is not.

    `_calculate_qparams` (torch/ao/quantization/observer.py) takes `(quant_min + quant_max) // 2` when the
    range is customised (127 for a custom 0..255, 7 for 0..15) and 128 only for the default quint8 range;
    the contract's rule is `(qmin + qmax + 1) // 2` at every width (the signed grid shifted, 128 at 8 bits).
    This test pins that one-code difference so that a change on either side is seen.
    """
    obs, kwargs = torch_observer("quint8_symmetric", bits, per_channel=False)
    obs(torch.tensor([xmin, xmax], dtype=torch.float32))
    t_scale, t_zp = obs.calculate_qparams()
    qp = calc_qparams(F32(xmin), F32(xmax), **kwargs)
    assert same_bits(qp.scale.reshape(1), t_scale), (xmin, xmax, bits)
    assert int(qp.zero_point) == 2 ** (bits - 1) == (qp.qmin + qp.qmax + 1) // 2
    assert int(t_zp) == (obs.quant_min + obs.quant_max) // 2 == int(qp.zero_point) - 1


@settings(max_examples=200, deadline=None)
@given(k=st.integers(0, 254), m=st.integers(-30, 30), bits=st.integers(2, 8), signed=st.booleans())
def test_qparams_zero_point_on_rounding_tie(k, m, bits, signed):
    """xmin / scale = -(k + 0.5) exactly: the zero point rounds half to even, as torch.round does."""
    kind = "qint8" if signed else "quint8"
    obs, kwargs = torch_observer(kind, bits, per_channel=False)
    qmin, qmax = (obs.quant_min, obs.quant_max)
    s = 2.0**m
    k = k % (qmax - qmin)
    xmin = -(k + 0.5) * s
    xmax = xmin + (qmax - qmin) * s
    check_against_observer(obs, kwargs, xmin, xmax)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bits", [2, 4, 8])
def test_qparams_equal_per_channel_observer(kind, bits):
    gen = torch.Generator().manual_seed(bits)
    w = torch.randn(6, 3, 5, 5, generator=gen) * torch.tensor([1e-3, 0.1, 1.0, 10.0, 1e3, 0.5]).view(
        6, 1, 1, 1
    )
    w[1] = w[1].abs() + 0.2  # positive-only channel
    w[2] = -w[2].abs() - 0.1  # negative-only channel
    w[3] = 0.0  # degenerate channel
    for axis in (0, 1):
        obs, kwargs = torch_observer(kind, bits, per_channel=True)
        obs.ch_axis = axis
        obs(w)
        t_scale, t_zp = obs.calculate_qparams()
        qp = calc_qparams(obs.min_val, obs.max_val, axis=axis, **kwargs)
        assert same_bits(qp.scale, t_scale)
        assert torch.equal(qp.zero_point, t_zp.to(torch.int64))
        assert qp.axis == axis


def per_channel_weights(seed: int) -> torch.Tensor:
    """Six channels of very different ranges: tiny, positive-only, negative-only, all zero, huge."""
    gen = torch.Generator().manual_seed(seed)
    w = torch.randn(6, 3, 5, 5, generator=gen) * torch.tensor([1e-3, 0.1, 1.0, 10.0, 1e3, 0.5]).view(
        6, 1, 1, 1
    )
    w[1] = w[1].abs() + 0.2
    w[2] = -w[2].abs() - 0.1
    w[3] = 0.0
    w[5] = 1e-40  # a subnormal channel: the scale is floored at eps
    return w


@pytest.mark.parametrize("axis", [0, 1, 3])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_symmetric_unsigned_equals_pytorch_per_channel(axis, seed):
    """Issue 11 A1 per channel: PerChannelMinMaxObserver(quint8, per_channel_symmetric), zero point 128."""
    w = per_channel_weights(seed)
    obs = PerChannelMinMaxObserver(ch_axis=axis, dtype=torch.quint8, qscheme=torch.per_channel_symmetric)
    obs(w)
    t_scale, t_zp = obs.calculate_qparams()
    qp = calc_qparams(obs.min_val, obs.max_val, bits=8, symmetric=True, signed=False, axis=axis)
    assert same_bits(qp.scale, t_scale)
    assert torch.equal(qp.zero_point, t_zp.to(torch.int64)) and set(qp.zero_point.tolist()) == {128}


def test_symmetric_zero_point_is_zero_and_scales():
    qp = calc_qparams(-2.0, 6.0, bits=8, symmetric=True)
    assert int(qp.zero_point) == 0 and (qp.qmin, qp.qmax) == (-128, 127)
    assert same_bits(qp.scale, torch.tensor(F32(6.0) / F32(127.5)))
    narrow = calc_qparams(-2.0, 6.0, bits=8, symmetric=True, narrow_range=True)
    assert same_bits(narrow.scale, torch.tensor(F32(6.0) / F32(127.0)))


def test_symmetric_unsigned_is_pytorch_quint8_symmetric():
    """Issue 11 A1: -4..8 gives (8 / 127.5, 128), as MinMaxObserver(quint8, per_tensor_symmetric) does."""
    qp = calc_qparams(-4.0, 8.0, bits=8, symmetric=True, signed=False)
    assert int(qp.zero_point) == 128 and (qp.qmin, qp.qmax) == (0, 255)
    assert same_bits(qp.scale, torch.tensor(F32(8.0) / F32(127.5)))
    assert round(float(qp.scale), 4) == 0.0627
    lo, hi = qp.real_range()
    assert same_bits(lo, -128 * qp.scale) and same_bits(hi, 127 * qp.scale)  # the grid is centred on 0
    assert int(quantize(0.0, qp)) == 128 and int(quantize(-4.0, qp)) == 128 - 64
    for bits in range(2, 17):
        qp = calc_qparams(-1.0, 1.0, bits=bits, symmetric=True, signed=False)
        assert int(qp.zero_point) == 2 ** (bits - 1) == (qp.qmin + qp.qmax + 1) // 2


def test_one_tailed_data_uses_the_asymmetric_scheme_with_xmin_0():
    """ReLU outputs: asymmetric with xmin = 0 gives zero point 0 and every code to the data."""
    qp = calc_qparams(0.0, 6.0, bits=8)
    assert int(qp.zero_point) == 0 and same_bits(qp.scale, torch.tensor(F32(6.0) / F32(255.0)))
    sym = calc_qparams(0.0, 6.0, bits=8, symmetric=True, signed=False)
    assert int(quantize(6.0, sym)) == 255 and int(quantize(0.0, sym)) == 128  # half the codes unused


def test_include_zero_off_keeps_the_range_and_clamps_the_zero_point():
    qp = calc_qparams(1.0, 5.0, bits=8, include_zero=False)
    assert same_bits(qp.scale, torch.tensor(F32(4.0) / F32(255.0)))
    assert int(qp.zero_point) == 0  # 0 - round(1 / 0.0157) = -64, clamped into [0, 255]
    lo, hi = (float(v) for v in qp.real_range())
    assert (lo, hi) == (0.0, pytest.approx(4.0))  # the clamped zero point shifts the grid to 0..4
    assert quant_error(torch.tensor([1.0, 2.0, 4.5, 5.0]), qp)["clip_fraction"] == 0.5  # 4.5 and 5 clip
    on = calc_qparams(1.0, 5.0, bits=8, include_zero=True)
    assert (
        float(fake_quant(torch.tensor(0.0), on)) == 0.0
        and quant_error(torch.tensor([5.0]), on)["clip_fraction"] == 0
    )


def test_scale_never_below_eps():
    for lo, hi in [(0.0, 0.0), (-1e-30, 1e-30), (3.0, 3.0)]:
        for sym in (False, True):
            assert float(calc_qparams(lo, hi, symmetric=sym).scale) >= EPS


# --- fake_quant against PyTorch ----------------------------------------------------------------------------


def tricky_inputs(qp) -> torch.Tensor:
    """Values at rounding ties, at and just beyond both clamp edges, zero and random ones."""
    s, zp = qp.scale.double().item(), int(qp.zero_point)
    ks = torch.arange(qp.qmin - zp - 3, qp.qmax - zp + 4, dtype=torch.float64)
    ties = (ks + 0.5) * s
    grid = ks * s
    edges = torch.tensor(
        [(qp.qmin - zp) * s, (qp.qmax - zp) * s, (qp.qmin - zp - 0.5) * s, (qp.qmax - zp + 0.5) * s]
    )
    x = torch.cat([ties, grid, edges, torch.tensor([0.0, -0.0])]).to(torch.float32)
    up, down = torch.nextafter(x, torch.tensor(math.inf)), torch.nextafter(x, torch.tensor(-math.inf))
    rnd = (
        torch.randn(500, generator=torch.Generator().manual_seed(zp + qp.qmax)) * s * (qp.qmax - qp.qmin) / 3
    )
    return torch.cat([x, up, down, rnd.to(torch.float32)])


QP_CASES = [
    dict(xmin=-2.0, xmax=6.0),
    dict(xmin=-1.0, xmax=1.0),
    dict(xmin=0.0, xmax=1.0),
    dict(xmin=-1.0, xmax=1.0, bits=8, symmetric=True),
    dict(xmin=-0.3, xmax=0.7, bits=4),
    dict(xmin=-5.0, xmax=0.1, bits=2),
    dict(xmin=-0.37, xmax=0.9, bits=3, signed=True),
    dict(xmin=-1.0, xmax=1.0, bits=8, symmetric=True, narrow_range=True),
    dict(xmin=1.0, xmax=5.0, include_zero=False),
]


def torch_fq(x, qp, tensor_qparams: bool):
    if tensor_qparams:
        return torch.fake_quantize_per_tensor_affine(
            x, qp.scale.reshape(1), qp.zero_point.to(torch.int32).reshape(1), qp.qmin, qp.qmax
        )
    return torch.fake_quantize_per_tensor_affine(x, float(qp.scale), int(qp.zero_point), qp.qmin, qp.qmax)


@pytest.mark.parametrize("case", QP_CASES)
@pytest.mark.parametrize("tensor_qparams", [False, True])
def test_fake_quant_equals_torch_forward_and_backward(case, tensor_qparams):
    qp = calc_qparams(**case)
    x = tricky_inputs(qp)
    g = torch.randn(x.shape, generator=torch.Generator().manual_seed(1))
    xa, xb = x.clone().requires_grad_(), x.clone().requires_grad_()
    ya, yb = fake_quant(xa, qp), torch_fq(xb, qp, tensor_qparams)
    assert same_bits(ya, yb)
    ya.backward(g)
    yb.backward(g)
    assert same_bits(xa.grad, xb.grad)


@pytest.mark.parametrize("zp", [0, 1, 37, 127, 128, 200, 255])
def test_fake_quant_odd_zero_points(zp):
    qp = calc_qparams(0.0, 1.0)
    qp = type(qp)(torch.tensor(0.0123, dtype=torch.float32), torch.tensor(zp), 0, 255)
    x = tricky_inputs(qp).requires_grad_()
    xb = x.detach().clone().requires_grad_()
    ya, yb = fake_quant(x, qp), torch.fake_quantize_per_tensor_affine(xb, float(qp.scale), zp, 0, 255)
    assert same_bits(ya, yb)
    ya.sum().backward()
    yb.sum().backward()
    assert same_bits(x.grad, xb.grad)


@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("symmetric", [False, True])
@pytest.mark.parametrize("bits", [8, 4, 2])
def test_fake_quant_per_channel_equals_torch(axis, symmetric, bits):
    gen = torch.Generator().manual_seed(axis * 10 + bits)
    w = torch.randn(5, 4, 3, 3, generator=gen) * torch.tensor([0.01, 0.5, 2.0, 7.0, 0.2]).view(5, 1, 1, 1)
    w = w.movedim(0, axis).contiguous()
    lo, hi = torch.aminmax(w.movedim(axis, 0).flatten(1), dim=1)
    qp = calc_qparams(lo, hi, bits=bits, symmetric=symmetric, axis=axis)
    x = torch.cat([w, w * 1.7], dim=1 - axis)  # more values than the observer saw: some clip
    xa, xb = x.clone().requires_grad_(), x.clone().requires_grad_()
    ya = fake_quant(xa, qp)
    yb = torch.fake_quantize_per_channel_affine(
        xb, qp.scale, qp.zero_point.to(torch.int32), axis, qp.qmin, qp.qmax
    )
    assert same_bits(ya, yb)
    g = torch.randn(x.shape, generator=gen)
    ya.backward(g)
    yb.backward(g)
    assert same_bits(xa.grad, xb.grad)


def test_fake_quant_per_channel_ties_and_edges():
    scale = torch.tensor([2.0**-4, 0.1, 0.0123], dtype=torch.float32)
    zp = torch.tensor([0, 5, -3])
    qp = type(calc_qparams(0, 1))(scale, zp, -8, 7, 0)
    rows = []
    for c in range(3):
        s, z = scale[c].double(), int(zp[c])
        ks = torch.arange(-8 - z - 2, 7 - z + 3, dtype=torch.float64)
        rows.append(torch.cat([(ks + 0.5) * s, ks * s]).to(torch.float32))
    x = torch.stack(rows).requires_grad_()
    xb = x.detach().clone().requires_grad_()
    ya = fake_quant(x, qp)
    yb = torch.fake_quantize_per_channel_affine(xb, scale, zp.to(torch.int32), 0, -8, 7)
    assert same_bits(ya, yb)
    ya.sum().backward()
    yb.sum().backward()
    assert same_bits(x.grad, xb.grad)


# --- properties --------------------------------------------------------------------------------------------

qp_args = st.fixed_dictionaries(
    dict(
        xmin=st.floats(-100, 0, width=32),
        xmax=st.floats(0, 100, width=32),
        bits=st.integers(2, 16),
        symmetric=st.booleans(),
        narrow_range=st.booleans(),
    )
)
values = st.lists(st.floats(-200, 200, width=32), min_size=1, max_size=50)


def fixed(args):
    if not args["symmetric"]:
        args = {**args, "narrow_range": False}
    return calc_qparams(**args)


@settings(max_examples=300, deadline=None)
@given(args=qp_args, xs=values)
def test_dequantize_of_quantize_is_fake_quant(args, xs):
    qp = fixed(args)
    x = torch.tensor(xs, dtype=torch.float32)
    assert same_bits(dequantize(quantize(x, qp), qp), fake_quant(x, qp))


@settings(max_examples=300, deadline=None)
@given(args=qp_args, xs=values)
def test_error_within_half_a_step_inside_the_range(args, xs):
    qp = fixed(args)
    lo, hi = (float(v) for v in qp.real_range())
    x = torch.tensor(xs, dtype=torch.float32).clamp(lo, hi)
    err = (fake_quant(x, qp).double() - x.double()).abs()
    s = float(qp.scale)
    assert (err <= s / 2 * (1 + 1e-6) + 1e-6 * x.double().abs()).all()


@settings(max_examples=300, deadline=None)
@given(args=qp_args, xs=values)
def test_fake_quant_idempotent_and_monotonic(args, xs):
    qp = fixed(args)
    x = torch.tensor(sorted(xs), dtype=torch.float32)
    y = fake_quant(x, qp)
    assert same_bits(fake_quant(y, qp), y)
    assert (y[1:] >= y[:-1]).all()


@settings(max_examples=300, deadline=None)
@given(args=qp_args)
def test_zero_exactly_representable_with_include_zero(args):
    qp = fixed(args)
    assert float(fake_quant(torch.tensor(0.0), qp)) == 0.0


@settings(max_examples=200, deadline=None)
@given(
    codes=st.lists(st.integers(-400, 400), min_size=1, max_size=60),
    bits=st.integers(2, 8),
    zp=st.integers(0, 3),
    m=st.integers(-8, 4),
)
def test_clip_fraction_counts_values_outside(codes, bits, zp, m):
    qmin, qmax = qrange(bits, signed=False)
    qp = type(calc_qparams(0, 1))(torch.tensor(2.0**m), torch.tensor(min(zp, qmax)), qmin, qmax)
    x = (torch.tensor(codes, dtype=torch.float64) + 0.25) * 2.0**m  # a quarter step off the grid: no ties
    outside = sum(1 for k in codes if not qmin <= k + int(qp.zero_point) <= qmax)
    assert quant_error(x, qp)["clip_fraction"] == pytest.approx(outside / len(codes), abs=0)


def test_quant_error_numbers():
    qp = calc_qparams(-2.0, 6.0)
    x = torch.tensor([-2.0, 0.0, 1.0, 6.0, 10.0])
    err = dequantize(quantize(x, qp), qp).double() - x.double()
    e = quant_error(x, qp)
    assert e["mse"] == pytest.approx(float(err.pow(2).mean()))
    assert e["max_abs_err"] == pytest.approx(float(err.abs().max()))
    assert e["clip_fraction"] == pytest.approx(1 / 5)
    assert e["sqnr_db"] == pytest.approx(
        10 * math.log10(float(x.double().pow(2).mean()) / float(err.pow(2).mean()))
    )
    exact = quant_error(torch.tensor([0.0]), qp)
    assert exact["sqnr_db"] == math.inf and exact["mse"] == 0.0


# --- gradients ---------------------------------------------------------------------------------------------


def test_true_rounding_gradient_is_zero_everywhere():
    qp = calc_qparams(-2.0, 6.0)
    x = torch.linspace(-5, 9, 1001).requires_grad_()
    fake_quant_no_ste(x, qp).sum().backward()
    assert torch.count_nonzero(x.grad) == 0
    assert same_bits(fake_quant_no_ste(x, qp), fake_quant(x, qp))


def test_ste_gradient_is_exactly_the_in_range_mask():
    qp = calc_qparams(-2.0, 6.0)
    s = float(qp.scale)
    lo, hi = (0 - 64 - 0.5) * s, (255 - 64 + 0.5) * s  # the real values whose rounded code is in range
    x = torch.tensor([-9.0, lo - 1e-3, lo + 1e-3, -1.0, 0.0, 3.0, hi - 1e-3, hi + 1e-3, 9.0]).requires_grad_()
    fake_quant(x, qp).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0]


# --- bad arguments -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(xmin=0.0, xmax=1.0, bits=1), "bits must be an integer from 2 to 16"),
        (dict(xmin=0.0, xmax=1.0, bits=17), "bits must be an integer from 2 to 16"),
        (dict(xmin=0.0, xmax=1.0, bits="8"), "bits must be an integer from 2 to 16"),
        (dict(xmin=2.0, xmax=1.0), "xmin must be <= xmax"),
        (dict(xmin=math.nan, xmax=1.0), "xmin must be finite"),
        (dict(xmin=0.0, xmax=math.inf), "xmax must be finite"),
        (dict(xmin=-math.inf, xmax=0.0), "xmin must be finite"),
        (dict(xmin="a", xmax=1.0), "xmin must be a finite number"),
        (dict(xmin=0.0, xmax="1"), "xmax must be a finite number"),
        (dict(xmin=-3e38, xmax=3e38), "too wide"),
        (dict(xmin=0.0, xmax=1e39), "xmax must fit in float32"),
        (dict(xmin=0.0, xmax=1.0, symmetric="yes"), "symmetric must be True or False"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        calc_qparams(**kwargs)


# --- issue 11 A3: NaN and infinities, as PyTorch's CPU kernels ---------------------------------------------

BIG = 2.0**63  # the kernel casts per-channel codes to int64: from here on (and NaN, +inf) it gives INT64_MIN


def specials(scale: float) -> torch.Tensor:
    """NaN, ±inf, the float32 extremes, and the codes on both sides of 2^63 (the int64 cast's edge)."""
    edge = torch.tensor([BIG], dtype=torch.float32)
    below = torch.nextafter(edge, torch.tensor([0.0]))
    x = torch.tensor([math.nan, math.inf, -math.inf, 3.4e38, -3.4e38, 1e30, -1e30, 1e-45, -1e-45, 0.0])
    return torch.cat([x, edge * scale, below * scale, -edge * scale, -below * scale, x.flip(0)])


def test_quantize_of_nan_is_a_code_in_range():
    """Issue 11 A3: quantize(nan) gave -2147483648 (the int32 cast of NaN); now qmin, as fake quant gives."""
    qp = calc_qparams(-2, 6)
    assert quantize(torch.tensor([math.nan]), qp).tolist() == [0]
    assert quantize(torch.tensor([math.inf, -math.inf]), qp).tolist() == [255, 0]


@pytest.mark.parametrize("case", QP_CASES)
def test_quantize_never_leaves_the_range_and_matches_fake_quant_on_specials(case):
    qp = calc_qparams(**case)
    x = specials(float(qp.scale))
    q = quantize(x, qp)
    assert int(q.min()) >= qp.qmin and int(q.max()) <= qp.qmax
    assert same_bits(dequantize(q, qp), fake_quant(x, qp))


@pytest.mark.parametrize("case", QP_CASES)
@pytest.mark.parametrize("tensor_qparams", [False, True])
def test_fake_quant_nan_inf_equal_torch_per_tensor(case, tensor_qparams):
    """Forward and backward on NaN/±inf: fmin(fmax(q, qmin), qmax) puts NaN on qmin; the mask gives it 0."""
    qp = calc_qparams(**case)
    x = torch.cat([specials(float(qp.scale)), tricky_inputs(qp)])
    g = torch.randn(x.shape, generator=torch.Generator().manual_seed(2))
    g[:4] = torch.tensor([math.nan, math.inf, -math.inf, 1.0])  # also odd incoming gradients
    xa, xb = x.clone().requires_grad_(), x.clone().requires_grad_()
    ya, yb = fake_quant(xa, qp), torch_fq(xb, qp, tensor_qparams)
    assert same_bits(ya, yb)
    assert float(ya.detach()[0]) == float((qp.qmin - qp.zero_point) * qp.scale)  # NaN -> the lowest code
    ya.backward(g)
    yb.backward(g)
    assert same_bits(xa.grad, xb.grad)


@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("symmetric", [False, True])
def test_fake_quant_nan_inf_equal_torch_per_channel(axis, symmetric):
    """Per channel the kernel casts to int64 first: NaN, +inf and codes >= 2^63 all land on qmin."""
    scale = torch.tensor([1.0, 0.02, 3.5, 2.0**-10], dtype=torch.float32)
    lo, hi = -scale * 100, scale * 90
    qp = calc_qparams(lo, hi, bits=8, symmetric=symmetric, axis=axis)
    rows = [specials(float(s)) for s in qp.scale]
    x = torch.stack(rows).movedim(0, axis).contiguous()
    xa, xb = x.clone().requires_grad_(), x.clone().requires_grad_()
    ya = fake_quant(xa, qp)
    yb = torch.fake_quantize_per_channel_affine(
        xb, qp.scale, qp.zero_point.to(torch.int32), axis, qp.qmin, qp.qmax
    )
    assert same_bits(ya, yb)
    low = (qp.qmin - qp.zero_point[0]) * qp.scale[0]
    assert float(ya.detach().movedim(axis, 0)[0, 1]) == float(
        low
    )  # +inf -> qmin per channel (qmax per tensor)
    g = torch.randn(x.shape, generator=torch.Generator().manual_seed(3))
    ya.backward(g)
    yb.backward(g)
    assert same_bits(xa.grad, xb.grad)
    assert same_bits(dequantize(quantize(x, qp), qp), ya)


any_float = st.floats(width=32, allow_nan=True, allow_infinity=True)


@settings(max_examples=300, deadline=None)
@given(
    xs=st.lists(any_float, min_size=1, max_size=40),
    args=qp_args,
    per_channel=st.booleans(),
)
def test_fake_quant_any_float_equals_torch(xs, args, per_channel):
    """Every float32, NaN and infinities included, forward and backward, per tensor and per channel."""
    qp = fixed(args)
    x = torch.tensor(xs, dtype=torch.float32)
    if per_channel:
        x = torch.stack([x, x * 0.5, x * 3.0])
        qp = calc_qparams(
            torch.tensor([args["xmin"], args["xmin"] * 0.5, 0.0]),
            torch.tensor([args["xmax"], args["xmax"] * 2.0, 1e-30]),
            bits=args["bits"],
            symmetric=args["symmetric"],
            narrow_range=args["narrow_range"] and args["symmetric"],
            axis=0,
        )
    xa, xb = x.clone().requires_grad_(), x.clone().requires_grad_()
    ya = fake_quant(xa, qp)
    if per_channel:
        yb = torch.fake_quantize_per_channel_affine(
            xb, qp.scale, qp.zero_point.to(torch.int32), 0, qp.qmin, qp.qmax
        )
    else:
        yb = torch_fq(xb, qp, tensor_qparams=False)
    assert same_bits(ya, yb)
    ya.sum().backward()
    yb.sum().backward()
    assert same_bits(xa.grad, xb.grad)
    q = quantize(x, qp)
    assert int(q.min()) >= qp.qmin and int(q.max()) <= qp.qmax


# --- issue 11 A4: QParams and arguments are checked, with messages that name the argument -------------------


def qparams_of(scale, zp, qmin=0, qmax=255, axis=None) -> QParams:
    return QParams(scale, zp, qmin, qmax, axis)


@pytest.mark.parametrize("zp", [-1, 256, 1000])
def test_zero_point_outside_the_code_range_is_a_value_error(zp):
    """PyTorch raises '`zero_point` must be between `quant_min` and `quant_max`.'; so does QParams."""
    x = torch.randn(3, 4)
    with pytest.raises(RuntimeError, match="`zero_point` must be between `quant_min` and `quant_max`"):
        torch.fake_quantize_per_tensor_affine(x, 0.1, zp, 0, 255)
    with pytest.raises(RuntimeError, match="`zero_point` must be between `quant_min` and `quant_max`"):
        torch.fake_quantize_per_channel_affine(x, torch.ones(4), torch.tensor([0, 1, 2, zp]).int(), 1, 0, 255)
    with pytest.raises(ValueError, match=r"zero_point must be between qmin and qmax \(0..255\)"):
        qparams_of(torch.tensor(0.1), torch.tensor(zp))
    with pytest.raises(ValueError, match=r"zero_point must be between qmin and qmax \(0..255\)"):
        qparams_of(torch.ones(4), torch.tensor([0, 1, 2, zp]), axis=1)


@pytest.mark.parametrize(
    "args,match",
    [
        ((torch.ones(3), torch.zeros(3, dtype=torch.int64), 0, 255, None), "0-d scale per tensor"),
        ((torch.tensor(1.0), torch.tensor(0), 0, 255, 0), "non-empty 1-d scale per channel"),
        ((torch.ones(0), torch.zeros(0, dtype=torch.int64), 0, 255, 0), "non-empty 1-d scale per channel"),
        ((torch.ones(3), torch.zeros(2, dtype=torch.int64), 0, 255, 0), "zero_point must have scale's shape"),
        ((torch.tensor(0.0), torch.tensor(0), 0, 255, None), "scale must be finite and > 0"),
        ((torch.tensor(-0.1), torch.tensor(0), 0, 255, None), "scale must be finite and > 0"),
        ((torch.tensor(math.nan), torch.tensor(0), 0, 255, None), "scale must be finite and > 0"),
        ((torch.tensor(math.inf), torch.tensor(0), 0, 255, None), "scale must be finite and > 0"),
        ((0.1, torch.tensor(0), 0, 255, None), "scale must be a floating-point tensor"),
        ((torch.tensor(1), torch.tensor(0), 0, 255, None), "scale must be a floating-point tensor"),
        ((torch.tensor(0.1), torch.tensor(0.0), 0, 255, None), "zero_point must be an integer tensor"),
        ((torch.tensor(0.1), 0, 0, 255, None), "zero_point must be an integer tensor"),
        ((torch.tensor(0.1), torch.tensor(0), 5, 4, None), "qmin must be <= qmax"),
        ((torch.tensor(0.1), torch.tensor(0), 0.0, 255, None), "qmin must be an integer"),
        ((torch.tensor(0.1), torch.tensor(0), 0, "255", None), "qmax must be an integer"),
        ((torch.ones(2), torch.zeros(2, dtype=torch.int64), 0, 255, True), "axis must be an integer"),
    ],
)
def test_qparams_refuses_inconsistent_fields(args, match):
    with pytest.raises(ValueError, match=match):
        qparams_of(*args)


def test_qparams_keeps_float32_scale_and_int64_zero_point():
    qp = qparams_of(torch.tensor(0.5, dtype=torch.float64), torch.tensor(3, dtype=torch.int32))
    assert qp.scale.dtype == torch.float32 and qp.zero_point.dtype == torch.int64


@pytest.mark.parametrize("fn", [quantize, fake_quant, fake_quant_no_ste, quant_error, dequantize])
def test_per_channel_qparams_must_fit_the_tensor(fn):
    """PyTorch: 'dimensions of scale and zero-point are not consistent with input tensor'; we say which."""
    qp = calc_qparams(torch.zeros(3), torch.ones(3), axis=1)
    name = "q" if fn is dequantize else "x"
    fn(torch.zeros(2, 3), qp)  # fits
    with pytest.raises(ValueError, match=f"{name} has 4 channels along axis 1, but qp has 3 scales"):
        fn(torch.zeros(2, 4), qp)
    with pytest.raises(ValueError, match=f"qp.axis=1 does not exist in {name}, which has 1 dimensions"):
        fn(torch.zeros(3), qp)
    with pytest.raises(RuntimeError, match="not consistent with input tensor"):
        torch.fake_quantize_per_channel_affine(torch.zeros(2, 4), qp.scale, qp.zero_point.int(), 1, 0, 255)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(xmin=torch.zeros(2), xmax=torch.ones(2), axis=True), "axis must be None .* or an integer"),
        (dict(xmin=torch.zeros(2), xmax=torch.ones(2), axis=0.0), "axis must be None .* or an integer"),
        (dict(xmin=torch.zeros(0), xmax=torch.zeros(0), axis=0), "at least one channel"),
        (dict(xmin=torch.zeros(2), xmax=torch.ones(3), axis=0), "xmin and xmax must have the same shape"),
        (dict(xmin=torch.zeros(2), xmax=torch.ones(2)), "need the channel axis"),
        (dict(xmin=0.0, xmax=1.0, axis=0), "axis is for per-channel bounds"),
        (
            dict(xmin=torch.zeros(2, 2), xmax=torch.ones(2, 2), axis=0),
            "xmin must be a scalar or a 1-d tensor",
        ),
    ],
)
def test_calc_qparams_checks_shapes_and_axis(kwargs, match):
    with pytest.raises(ValueError, match=match):
        calc_qparams(**kwargs)


@pytest.mark.parametrize("v", [-3e38, -1e30, 3e38])
def test_zero_point_of_a_far_range_without_zero_does_not_overflow(v):
    """include_zero=False on a range far from 0: lo / scale is ±inf in float32; the zero point clamps, not wraps."""
    qp = calc_qparams(v, v, include_zero=False)
    assert int(qp.zero_point) == (255 if v < 0 else 0)  # the far end of the codes, as the formula says
