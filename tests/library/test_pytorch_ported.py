"""PyTorch's own fake-quant and observer tests, ported to qlib (issue 11 A5).

Sources, read at pytorch/pytorch main:
  test/quantization/core/test_workflow_ops.py     (class TestFakeQuantizeOps)
  test/quantization/core/test_workflow_module.py  (classes TestObserver, TestFakeQuantize)
Each test names the one it ports. Upstream compares the op with a Python reference within 1e-6; here qlib is
compared with PyTorch's kernel (installed torch) bit for bit, which is stronger. The upstream references
(`_fake_quantize_per_tensor_affine_reference` in test_workflow_ops.py, `_fake_quantize_per_channel_affine_
reference` in torch/testing/_internal/common_quantized.py) compute round(x / scale + zero_point): they add the
zero point BEFORE rounding, while the CPU kernels (aten/src/ATen/native/quantized/cpu/kernels/
QuantizedOpKernels.cpp) compute zero_point + nearbyint(x * inv_scale). The two differ by one code on every
rounding tie with an odd zero point; qlib follows the kernel, and the tests below say where.
Not ported, because qlib has no such thing: float16/bfloat16/float64 inputs (qlib is float32), float zero
points, the learnable fake quant, fused observer+fake-quant ops, HistogramObserver, memoryless observers,
state_dict/TorchScript/device tests.
"""

import io
import itertools
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as stnp
from torch.ao import quantization as tq

from qlib.observers import MinMaxObserver, MovingAverageMinMaxObserver, MSEObserver, PercentileObserver
from qlib.quant import EPS, QParams, calc_qparams, dequantize, fake_quant, quantize

F32_MAX = float(np.finfo(np.float32).max)
TOLERANCE = 1e-6  # upstream's `tolerance`


def same_bits(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Equal to the last bit (float32 bit patterns)."""
    a, b = a.detach().float().contiguous(), b.detach().float().contiguous()
    return a.shape == b.shape and torch.equal(a.view(torch.int32), b.view(torch.int32))


def per_tensor(scale: float, zero_point: int, qmin: int, qmax: int) -> QParams:
    return QParams(torch.tensor(scale, dtype=torch.float32), torch.tensor(zero_point), qmin, qmax)


def per_channel(scale, zero_point, axis: int, qmin: int, qmax: int) -> QParams:
    scale = torch.as_tensor(scale, dtype=torch.float32)
    return QParams(scale, torch.as_tensor(zero_point).to(torch.int64), qmin, qmax, axis)


# --- the upstream references and strategies (trimmed to float32 and integer zero points) ---------------------


def reference_per_tensor(x, scale, zero_point, qmin, qmax):
    """`_fake_quantize_per_tensor_affine_reference` (test_workflow_ops.py): the zero point added BEFORE rounding."""
    return (torch.clamp(torch.round(x * (1.0 / scale) + zero_point), qmin, qmax) - zero_point) * scale


def kernel_disagrees_with_reference(x: torch.Tensor, inv_scale: torch.Tensor, zero_point) -> torch.Tensor:
    """Where round(v + zp) != round(v) + zp, v = x * (1/scale): ties with an odd zero point (and nowhere else)."""
    v = x * inv_scale
    return torch.round(v + zero_point) != torch.round(v) + zero_point


@st.composite
def hu_qparams(draw, qmin: int, qmax: int):
    """`hu.qparams(dtypes=torch.quint8 | torch.qint8)`: a zero point in range, a float32 scale in [eps, max]."""
    zero_point = draw(st.integers(qmin, qmax))
    scale = draw(st.floats(min_value=EPS, max_value=F32_MAX, width=32))
    return scale, zero_point


def hu_valid_min_max(scale: float, zero_point: int) -> tuple[float, float]:
    """`hu._get_valid_min_max`: values whose codes stay inside int64, clipped to float32."""
    adjustment = 1 + EPS
    long_min, long_max = -(2.0**63) / adjustment, (2.0**63 - 1) / adjustment
    lo = max((long_min - zero_point) * scale, long_min / scale + zero_point)
    hi = min((long_max - zero_point) * scale, long_max / scale + zero_point)
    return float(np.float32(max(lo, -F32_MAX))), float(np.float32(min(hi, F32_MAX)))


def dynamic_qparams(x: np.ndarray, qmin: int, qmax: int) -> tuple[float, int]:
    """`_calculate_dynamic_qparams` (common_quantized.py), affine: the scale and zero point of X's own range."""
    min_val, max_val = x.min(), x.max()
    if min_val == max_val:
        return 1.0, 0
    max_val, min_val = max(max_val, 0.0), min(min_val, 0.0)
    scale = max((max_val - min_val) / (qmax - qmin), np.finfo(np.float32).eps)
    zero_point = min(qmax, max(qmin, qmin - round(min_val / scale)))
    return float(scale), int(zero_point)


@st.composite
def hu_tensor(draw, qmin: int = 0, qmax: int = 255, min_dims: int = 1):
    """`hu.tensor(shapes=hu.array_shapes(1, 5), qparams=hu.qparams(quint8))`: X and the qparams of its range."""
    scale, zero_point = draw(hu_qparams(qmin, qmax))
    lo, hi = hu_valid_min_max(scale, zero_point)
    shape = draw(stnp.array_shapes(min_dims=min_dims, max_dims=5, min_side=1, max_side=6))
    elements = st.floats(lo, hi, allow_nan=False, allow_infinity=False, width=32)
    x = draw(stnp.arrays(dtype=np.float32, shape=shape, elements=elements))
    return x, dynamic_qparams(x, qmin, qmax)


@st.composite
def hu_per_channel_tensor(draw, qmin: int = 0, qmax: int = 255, min_dims: int = 1):
    """`hu.per_channel_tensor`: as hu_tensor, one (equal) qparam per channel, the channel axis swapped to `axis`."""
    x, (scale, zero_point) = draw(hu_tensor(qmin, qmax, min_dims))
    axis = draw(st.integers(0, x.ndim - 1))
    scales = np.full(x.shape[0], scale)
    zero_points = np.full(x.shape[0], zero_point)
    perm = np.arange(x.ndim)
    perm[0], perm[axis] = axis, 0
    return np.ascontiguousarray(np.transpose(x, perm)), scales, zero_points, axis


def torch_and_qlib(x: torch.Tensor, qp: QParams, torch_op, g: torch.Tensor | None = None):
    """Forward (and backward with g) of qlib's fake_quant and of a PyTorch op on the same x."""
    xa, xb = x.clone().requires_grad_(), x.clone().requires_grad_()
    ya, yb = fake_quant(xa, qp), torch_op(xb)
    g = torch.rand_like(x) if g is None else g
    ya.backward(g)
    yb.backward(g)
    return ya, yb, xa.grad, xb.grad


def torch_per_tensor(qp: QParams, tensor_qparams: bool = False):
    if tensor_qparams:
        s, z = qp.scale.reshape(1), qp.zero_point.to(torch.int32).reshape(1)
        return lambda t: torch.fake_quantize_per_tensor_affine(t, s, z, qp.qmin, qp.qmax)
    return lambda t: torch.fake_quantize_per_tensor_affine(
        t, float(qp.scale), int(qp.zero_point), qp.qmin, qp.qmax
    )


def torch_per_channel(qp: QParams):
    z = qp.zero_point.to(torch.int32)
    return lambda t: torch.fake_quantize_per_channel_affine(t, qp.scale, z, qp.axis, qp.qmin, qp.qmax)


# --- test_workflow_ops.py :: TestFakeQuantizeOps ----------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(data=hu_tensor())
def test_forward_per_tensor(data):
    """Port of test_workflow_ops.py::TestFakeQuantizeOps::test_forward_per_tensor.

    Against the kernel bit for bit; against upstream's reference within its tolerance, except on the ties where
    the reference (zero point added before rounding) and the kernel disagree: there qlib follows the kernel.
    """
    x_np, (scale, zero_point) = data
    x = torch.from_numpy(x_np)
    qp = per_tensor(scale, zero_point, 0, 255)
    y = fake_quant(x, qp)
    assert same_bits(y, torch.fake_quantize_per_tensor_affine(x, scale, zero_point, 0, 255))
    ref = reference_per_tensor(x, qp.scale, zero_point, 0, 255)
    agree = ~kernel_disagrees_with_reference(x, 1.0 / qp.scale, zero_point)
    np.testing.assert_allclose(y[agree], ref[agree], rtol=TOLERANCE, atol=TOLERANCE)


@settings(max_examples=100, deadline=None)
@given(data=hu_tensor())
def test_backward_per_tensor(data):
    """Port of test_workflow_ops.py::TestFakeQuantizeOps::test_backward_per_tensor (skipped upstream:
    "temporarily disable the test"): the gradient is dY where the kernel's code is in range, else 0."""
    x_np, (scale, zero_point) = data
    x = torch.from_numpy(x_np)
    qp = per_tensor(scale, zero_point, 0, 255)
    g = torch.rand(x.shape, generator=torch.Generator().manual_seed(19))
    ya, yb, ga, gb = torch_and_qlib(x, qp, torch_per_tensor(qp), g)
    assert same_bits(ya, yb) and same_bits(ga, gb)


def _observed_qparams(obs, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    obs(x)
    return obs.calculate_qparams()


@pytest.mark.parametrize("torch_type", [torch.qint8, torch.quint8])
@pytest.mark.parametrize("strided", [False, True])
@pytest.mark.parametrize("tensor_qparams", [True, False])
def test_forward_backward_per_tensor_cachemask(torch_type, strided, tensor_qparams):
    """Port of test_workflow_ops.py::TestFakeQuantizeOps::test_forward_per_tensor_cachemask_cpu and
    ::test_backward_per_tensor_cachemask_cpu (float32 inputs): qparams from MinMaxObserver(X * 0.75), so that
    some values clip; a contiguous and a strided X (randn(4, 16)[:, ::2])."""
    gen = torch.Generator().manual_seed(19)
    x = torch.randn(4, 16, generator=gen)[:, ::2] if strided else torch.randn(4, 8, generator=gen)
    obs = tq.MinMaxObserver(torch_type)
    scale, zero_point = _observed_qparams(obs, x * 0.75)
    qp = per_tensor(float(scale), int(zero_point), obs.quant_min, obs.quant_max)
    ours = MinMaxObserver()
    ours(x * 0.75)
    signed = torch_type == torch.qint8
    assert same_bits(ours.qparams(8, signed=signed).scale, qp.scale)
    ya, yb, ga, gb = torch_and_qlib(x, qp, torch_per_tensor(qp, tensor_qparams))
    assert same_bits(ya, yb) and same_bits(ga, gb)
    assert 0 < int((ga == 0).sum()) < x.numel()  # some values clip, as upstream intends


def test_fake_quantize_per_tensor_affine_inf():
    """Port of test_workflow_ops.py::TestFakeQuantizeOps::test_fake_quantize_per_tensor_affine_inf
    (pytorch/pytorch#154328): +inf at scale 0.01, zero point 0, 0..255 gives 2.55, the top code."""
    x = torch.tensor([torch.inf])
    qp = per_tensor(0.01, 0, 0, 255)
    ref = (min(255, max(0, torch.round(x / 0.01) + 0)) - 0) * torch.tensor(0.01)
    assert same_bits(fake_quant(x, qp), torch.Tensor([ref]))
    assert same_bits(fake_quant(x, qp), torch.fake_quantize_per_tensor_affine(x, 0.01, 0, 0, 255))


@settings(max_examples=100, deadline=None)
@given(data=hu_per_channel_tensor())
def test_forward_backward_per_channel(data):
    """Port of test_workflow_ops.py::TestFakeQuantizeOps::test_forward_per_channel and ::test_backward_per_channel
    (the latter skipped upstream): against the kernel bit for bit, and against upstream's per-channel reference
    (`_fake_quantize_per_channel_affine_reference`) except on the ties where that reference disagrees."""
    x_np, scales, zero_points, axis = data
    x = torch.from_numpy(x_np)
    qp = per_channel(scales, zero_points, axis, 0, 255)
    ya, yb, ga, gb = torch_and_qlib(x, qp, torch_per_channel(qp))
    assert same_bits(ya, yb) and same_bits(ga, gb)
    shape = [1] * x.dim()
    shape[axis] = -1
    s, z = qp.scale.reshape(shape), qp.zero_point.reshape(shape).float()
    ref = reference_per_tensor(x, s, z, 0, 255)
    agree = ~kernel_disagrees_with_reference(x, 1.0 / s, z)
    np.testing.assert_allclose(ya.detach()[agree], ref[agree], rtol=TOLERANCE, atol=TOLERANCE)


@pytest.mark.parametrize("torch_type", [torch.qint8, torch.quint8])
def test_forward_backward_per_channel_cachemask(torch_type):
    """Port of test_workflow_ops.py::TestFakeQuantizeOps::test_forward_per_channel_cachemask_cpu and
    ::test_backward_per_channel_cachemask_cpu (float32 input, int zero point): X of shape (1, 2, 4, 4), axis 1,
    qparams from PerChannelMinMaxObserver(X * 0.75)."""
    x = torch.randn(1, 2, 4, 4, generator=torch.Generator().manual_seed(19))
    obs = tq.PerChannelMinMaxObserver(1, torch_type)
    scale, zero_point = _observed_qparams(obs, x * 0.75)
    qp = per_channel(scale, zero_point, 1, obs.quant_min, obs.quant_max)
    ours = MinMaxObserver(axis=1)
    ours(x * 0.75)
    mine = ours.qparams(8, signed=torch_type == torch.qint8)
    assert same_bits(mine.scale, qp.scale) and torch.equal(mine.zero_point, qp.zero_point)
    ya, yb, ga, gb = torch_and_qlib(x, qp, torch_per_channel(qp))
    assert same_bits(ya, yb) and same_bits(ga, gb)


@settings(max_examples=50, deadline=None)
@given(data=hu_per_channel_tensor())
def test_fake_quant_per_channel_qparam_range(data):
    """Port of test_workflow_ops.py::TestFakeQuantizeOps::test_fake_quant_per_channel_qparam_range (integer
    zero points; qlib has no float ones): a zero point below quant_min is refused, a RuntimeError in PyTorch,
    a ValueError (at QParams) in qlib."""
    x_np, scales, zero_points, axis = data
    bad = torch.full(zero_points.shape, -1, dtype=torch.int32)
    with pytest.raises(RuntimeError, match="`zero_point` must be between `quant_min` and `quant_max`."):
        torch.fake_quantize_per_channel_affine(
            torch.from_numpy(x_np), torch.tensor(scales).float(), bad, axis, 0, 255
        )
    with pytest.raises(ValueError, match="zero_point must be between qmin and qmax"):
        per_channel(scales, bad, axis, 0, 255)


def test_fake_quant_per_channel_qparam_range_empty_input():
    """Port of test_workflow_ops.py::TestFakeQuantizeOps::test_fake_quant_per_channel_qparam_range_empty_input:
    an empty input runs no kernel, yet an out-of-range zero point is still refused; an in-range one gives an
    empty result."""
    x = torch.empty(0, 3)
    with pytest.raises(ValueError, match="zero_point must be between qmin and qmax"):
        per_channel(torch.ones(3), torch.full((3,), -1), 1, 0, 255)
    qp = per_channel(torch.ones(3), torch.zeros(3, dtype=torch.int64), 1, 0, 255)
    assert fake_quant(x, qp).shape == x.shape and quantize(x, qp).shape == x.shape


@pytest.mark.parametrize("test_type", ["per_tensor", "per_channel"])
@pytest.mark.parametrize("torch_type", [torch.qint8, torch.quint8])
def test_numerical_consistency(test_type, torch_type):
    """Port of test_workflow_ops.py::TestFakeQuantizeOps::test_numerical_consistency_per_tensor and
    ::_per_channel (float32, int zero points): quantize then dequantize equals fake quant, in PyTorch
    (quantize_per_tensor / quantize_per_channel) and in qlib, and the two libraries agree."""
    torch.manual_seed(19)
    info = torch.iinfo(torch_type)
    for _ in range(20):
        x = torch.randn(3, 3)
        scales = (10 * torch.randn(3)).abs()
        zeros = (10 * torch.randn(3)).abs().to(dtype=torch.int)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # quantize_per_* are deprecated in torch 2.13
            if test_type == "per_tensor":
                scale, zero = scales.mean().item(), zeros.max().item()
                qp = per_tensor(scale, zero, info.min, info.max)
                y_torch = torch.dequantize(torch.quantize_per_tensor(x, scale, zero, torch_type))
                y_fq = torch.fake_quantize_per_tensor_affine(x, scale, zero, info.min, info.max)
            else:
                qp = per_channel(scales, zeros, 1, info.min, info.max)
                y_torch = torch.dequantize(torch.quantize_per_channel(x, scales, zeros, 1, torch_type))
                y_fq = torch_per_channel(qp)(x)
        ours = dequantize(quantize(x, qp), qp)
        assert same_bits(ours, fake_quant(x, qp)) and same_bits(ours, y_fq) and same_bits(ours, y_torch)


def test_fq_serializable_per_tensor():
    """Port of test_workflow_ops.py::TestFakeQuantizeOps::test_fq_serializable_per_tensor (the numbers, not
    the state_dict): default_observer with quant_min 0, quant_max 127 on [-5, -3.5, -2, 0, 3, 5, 7] gives
    scale 0.094488 and zero point 53; qlib's 7-bit unsigned code is that range."""
    x = torch.tensor([-5, -3.5, -2, 0, 3, 5, 7], dtype=torch.float32)
    fq = tq.FakeQuantize(tq.default_observer, 0, 127)
    y_ref = fq(x)
    obs = MinMaxObserver()
    obs(x)
    qp = obs.qparams(bits=7)
    assert (qp.qmin, qp.qmax) == (0, 127) and int(qp.zero_point) == 53 == int(fq.zero_point)
    assert abs(float(qp.scale) - 0.094488) < 1e-5 and same_bits(qp.scale.reshape(1), fq.scale)
    assert same_bits(fake_quant(x, qp), y_ref)
    buf = io.BytesIO()
    torch.save({"scale": qp.scale, "zero_point": qp.zero_point}, buf)
    buf.seek(0)
    loaded = torch.load(buf, weights_only=True)
    assert same_bits(fake_quant(x, QParams(loaded["scale"], loaded["zero_point"], 0, 127)), y_ref)


@settings(max_examples=100, deadline=None)
@given(data=hu_tensor())
def test_fq_module_per_tensor(data):
    """Port of test_workflow_ops.py::TestFakeQuantizeOps::test_fq_module_per_tensor: default_fake_quant
    (MovingAverageMinMaxObserver, quint8 with reduce_range=True, so codes 0..127: qlib's 7-bit unsigned code;
    upstream's reference is given 0..255) on X, forward and backward; qlib's moving-average observer,
    qparams and fake_quant give the same bits."""
    x = torch.from_numpy(data[0])
    fq = tq.default_fake_quant()
    obs = MovingAverageMinMaxObserver(averaging_constant=0.01)
    obs(x)
    qp = obs.qparams(bits=7)
    assert (qp.qmin, qp.qmax) == (fq.quant_min, fq.quant_max) == (0, 127)
    ya, yb, ga, gb = torch_and_qlib(x, qp, fq)
    assert same_bits(qp.scale.reshape(1), fq.scale) and int(qp.zero_point) == int(fq.zero_point)
    assert same_bits(ya, yb) and same_bits(ga, gb)


# --- test_workflow_module.py :: TestObserver, TestFakeQuantize ---------------------------------------------------


def _bits_and_signed(qdtype, reduce_range: bool) -> tuple[int, bool]:
    """PyTorch's dtype (with reduce_range: one bit fewer) as qlib's bit width and signedness."""
    return (7 if reduce_range else 8), qdtype == torch.qint8


PER_TENSOR_CASES = [
    (qdtype, qscheme, reduce_range)
    for qdtype, qscheme, reduce_range in itertools.product(
        (torch.qint8, torch.quint8), (torch.per_tensor_affine, torch.per_tensor_symmetric), (False, True)
    )
    if not (qdtype == torch.quint8 and qscheme == torch.per_tensor_symmetric and reduce_range)
]


@pytest.mark.parametrize("qdtype,qscheme,reduce_range", PER_TENSOR_CASES)
def test_per_tensor_observers(qdtype, qscheme, reduce_range):
    """Port of test_workflow_module.py::TestObserver::test_per_tensor_observers: MinMax and MovingAverage(0.5)
    see x then y; min 1, max 8; the reference scales and zero points (quint8 symmetric: zero point 128)."""
    symmetric = qscheme == torch.per_tensor_symmetric
    bits, signed = _bits_and_signed(qdtype, reduce_range)
    for ours, theirs, x, y in (
        (
            MinMaxObserver(),
            tq.MinMaxObserver(dtype=qdtype, qscheme=qscheme, reduce_range=reduce_range),
            torch.tensor([1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
            torch.tensor([4.0, 5.0, 5.0, 6.0, 7.0, 8.0]),
        ),
        (
            MovingAverageMinMaxObserver(0.5),
            tq.MovingAverageMinMaxObserver(0.5, dtype=qdtype, qscheme=qscheme, reduce_range=reduce_range),
            torch.tensor([0.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
            torch.tensor([2.0, 5.0, 5.0, 6.0, 7.0, 10.0]),
        ),
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # reduce_range is deprecated; the empty-observer warning
            theirs(x), theirs(y)
            t_scale, t_zp = theirs.calculate_qparams()
        assert ours(x) is x and ours(y) is y
        assert float(ours.min_val) == 1.0 and float(ours.max_val) == 8.0
        qp = ours.qparams(bits, symmetric=symmetric, signed=signed)
        if symmetric:
            ref_scale, ref_zp = 0.062745, (0 if signed else 128)
        else:
            ref_scale, ref_zp = 0.0313725, (-128 if signed else 0)
        if reduce_range:
            ref_scale, ref_zp = ref_scale * 255 / 127, (-64 if signed and not symmetric else ref_zp)
        assert int(qp.zero_point) == ref_zp == int(t_zp)
        assert abs(float(qp.scale) - ref_scale) <= 1e-5 and same_bits(qp.scale.reshape(1), t_scale)


PER_CHANNEL_X = torch.tensor(
    [
        [[[1.0, 2.0], [2.0, 2.5]], [[3.0, 4.0], [4.5, 6.0]]],
        [[[-4.0, -3.0], [5.0, 5.0]], [[6.0, 3.0], [7.0, 8.0]]],
    ]
)
REF_MIN = [[1.0, -4.0], [-4.0, 3.0], [-4.0, 2.0], [-4.0, -3.0]]
REF_MAX = [[6.0, 8.0], [5.0, 8.0], [6.0, 8.0], [7.0, 8.0]]
REF_SYMMETRIC_SCALES = [
    [0.04705882, 0.06274509],
    [0.03921569, 0.0627451],
    [0.04705882, 0.0627451],
    [0.05490196, 0.0627451],
]
REF_AFFINE_SCALES = [
    [0.02352941, 0.04705882],
    [0.03529412, 0.03137255],
    [0.03921569, 0.03137255],
    [0.04313726, 0.04313726],
]
REF_QINT8_ZP = [[-128, -43], [-15, -128], [-26, -128], [-35, -58]]
REF_QUINT8_ZP = [[0, 85], [113, 0], [102, 0], [93, 70]]


@pytest.mark.parametrize("ch_axis", [0, 1, 2, 3])
@pytest.mark.parametrize(
    "qdtype,qscheme,reduce_range",
    [
        (qd, qs, rr)
        for qd, qs, rr in itertools.product(
            (torch.qint8, torch.quint8),
            (torch.per_channel_affine, torch.per_channel_symmetric),
            (False, True),
        )
        if not (qd == torch.quint8 and qs == torch.per_channel_symmetric and rr)
    ],
)
def test_per_channel_observers(ch_axis, qdtype, qscheme, reduce_range):
    """Port of test_workflow_module.py::TestObserver::test_per_channel_observers (per_channel_affine_float_qparams
    left out: qlib's zero points are integers): PerChannelMinMax on X and MovingAveragePerChannel(0.5) on
    0.5 X then 1.5 X record the reference minima and maxima per axis and give the reference qparams."""
    symmetric = qscheme == torch.per_channel_symmetric
    bits, signed = _bits_and_signed(qdtype, reduce_range)
    x = PER_CHANNEL_X
    pairs = (
        (MinMaxObserver(axis=ch_axis), tq.PerChannelMinMaxObserver, [x]),
        (
            MovingAverageMinMaxObserver(0.5, axis=ch_axis),
            tq.MovingAveragePerChannelMinMaxObserver,
            [0.5 * x, 1.5 * x],
        ),
    )
    for ours, Theirs, batches in pairs:
        kwargs = dict(averaging_constant=0.5) if Theirs is tq.MovingAveragePerChannelMinMaxObserver else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = Theirs(
                reduce_range=reduce_range, ch_axis=ch_axis, dtype=qdtype, qscheme=qscheme, **kwargs
            )
            for b in batches:
                assert ours(b) is b
                theirs(b)
            t_scale, t_zp = theirs.calculate_qparams()
        assert ours.min_val.tolist() == REF_MIN[ch_axis] and ours.max_val.tolist() == REF_MAX[ch_axis]
        qp = ours.qparams(bits, symmetric=symmetric, signed=signed)
        if symmetric:
            ref_scales, ref_zps = REF_SYMMETRIC_SCALES[ch_axis], ([0, 0] if signed else [128, 128])
        else:
            ref_scales = REF_AFFINE_SCALES[ch_axis]
            ref_zps = REF_QINT8_ZP[ch_axis] if signed else REF_QUINT8_ZP[ch_axis]
        if reduce_range:
            ref_scales = [s * 255 / 127 for s in ref_scales]
            ref_zps = [z // 2 for z in ref_zps]  # upstream: math.floor(z / 2)
        torch.testing.assert_close(qp.scale, torch.tensor(ref_scales), rtol=1e-5, atol=1e-4)
        assert qp.zero_point.tolist() == ref_zps == t_zp.tolist()
        assert same_bits(qp.scale, t_scale) and qp.axis == ch_axis


def test_zero_numel():
    """Port of test_workflow_module.py::TestObserver::test_zero_numel: an empty tensor passes every observer
    (and fake_quant) without a crash, and records nothing."""
    x = torch.tensor([])
    for obs in (
        MinMaxObserver(),
        MovingAverageMinMaxObserver(),
        MinMaxObserver(axis=0),
        MovingAverageMinMaxObserver(axis=0),
        PercentileObserver(99.0),
        MSEObserver(),
    ):
        assert obs(x) is x and obs.min_val is None
    assert fake_quant(x, calc_qparams(-1.0, 1.0)).shape == (0,)


@settings(max_examples=100, deadline=None)
@given(data=hu_per_channel_tensor(-128, 127, min_dims=2))  # upstream: hu.array_shapes(2, 5)
def test_fq_module_per_channel(data):
    """Port of test_workflow_module.py::TestFakeQuantize::test_fq_module_per_channel: FakeQuantize with
    default_per_channel_weight_observer (qint8, per_channel_symmetric) along the axis, forward and backward,
    equals qlib's per-channel MinMax observer, symmetric qparams and fake_quant, bit for bit."""
    x_np, _, _, axis = data
    x = torch.from_numpy(x_np)
    fq = tq.FakeQuantize(tq.default_per_channel_weight_observer, -128, 127, ch_axis=axis)
    obs = MinMaxObserver(axis=axis)
    obs(x)
    qp = obs.qparams(8, symmetric=True)
    ya, yb, ga, gb = torch_and_qlib(x, qp, fq)
    assert same_bits(qp.scale, fq.scale) and torch.equal(qp.zero_point, fq.zero_point.to(torch.int64))
    assert same_bits(ya, yb) and same_bits(ga, gb)


def test_fq_serializable_per_channel():
    """Port of test_workflow_module.py::TestFakeQuantize::test_fq_serializable_per_channel (the numbers):
    scales [0.054902, 0.078431] (max|x| / 127.5) and zero points [0, 0]."""
    x = torch.tensor([[-5, -3.5, -2, 0, 3, 5, 7], [1, 3, 2, 5, 6.5, 8, 10]], dtype=torch.float32)
    fq = tq.FakeQuantize(tq.default_per_channel_weight_observer, -128, 127)
    y_ref = fq(x)
    obs = MinMaxObserver(axis=0)
    obs(x)
    qp = obs.qparams(8, symmetric=True)
    torch.testing.assert_close(qp.scale, torch.tensor([0.054902, 0.078431]), rtol=1e-5, atol=1e-6)
    assert qp.zero_point.tolist() == [0, 0] and same_bits(fake_quant(x, qp), y_ref)


# --- edge cases: tiny and zero ranges, ties --------------------------------------------------------------------


@pytest.mark.parametrize(
    "values", [[0.0, 0.0], [3.0, 3.0], [-3.0, -3.0], [1e-40, 2e-40], [-1e-38, 1e-38], [-1e-7, 0.0]]
)
@pytest.mark.parametrize(
    "qdtype,qscheme,kwargs",
    [
        (torch.quint8, torch.per_tensor_affine, dict(bits=8)),
        (torch.qint8, torch.per_tensor_affine, dict(bits=8, signed=True)),
        (torch.qint8, torch.per_tensor_symmetric, dict(bits=8, symmetric=True)),
        (torch.quint8, torch.per_tensor_symmetric, dict(bits=8, symmetric=True, signed=False)),
    ],
)
def test_tiny_and_zero_ranges_equal_pytorch(values, qdtype, qscheme, kwargs):
    """Zero, one-valued, subnormal and eps-sized ranges: the scale floors at eps exactly as PyTorch's does."""
    x = torch.tensor(values)
    theirs = tq.MinMaxObserver(dtype=qdtype, qscheme=qscheme)
    t_scale, t_zp = _observed_qparams(theirs, x)
    ours = MinMaxObserver()
    ours(x)
    qp = ours.qparams(**kwargs)
    assert same_bits(qp.scale.reshape(1), t_scale) and int(qp.zero_point) == int(t_zp)
    probe = torch.cat([x, x * 1e6, torch.tensor([0.0, EPS, -EPS, 1.0])])
    ya, yb, ga, gb = torch_and_qlib(probe, qp, torch_per_tensor(qp))
    assert same_bits(ya, yb) and same_bits(ga, gb)


@pytest.mark.parametrize("zero_point", [1, 3, 37, 127, 255])
def test_ties_follow_the_kernel_not_the_reference(zero_point):
    """At x / scale = k + 0.5 with an odd zero point, round(x / scale) + zp (the kernel, and qlib) and
    round(x / scale + zp) (upstream's Python reference) are one code apart; qlib equals the kernel."""
    scale = 2.0**-4
    qp = per_tensor(scale, zero_point, 0, 255)
    k = torch.arange(-20, 20, dtype=torch.float32)
    x = (k + 0.5) * scale
    y = fake_quant(x, qp)
    assert same_bits(y, torch.fake_quantize_per_tensor_affine(x, scale, zero_point, 0, 255))
    ref = reference_per_tensor(x, qp.scale, zero_point, 0, 255)
    inside = (k + zero_point >= 1) & (k + zero_point <= 254)
    assert torch.equal((ref - y)[inside].abs(), torch.full((int(inside.sum()),), scale))  # one step apart
    assert torch.equal(y[inside], (torch.round(x / scale) * scale)[inside])  # ties to even, then + zp
