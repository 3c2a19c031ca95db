"""The arithmetic of quantization: integer ranges, scale and zero point, quantize, dequantize, fake quant.

Every formula follows PyTorch to the last bit of float32:
`calc_qparams` is `torch.ao.quantization.MinMaxObserver._calculate_qparams`, and `fake_quant` is the
CPU kernel of `torch.fake_quantize_per_tensor_affine` (x * (1/scale) rounded half to even, zero point added
after rounding, clamped, then (q - zp) * scale).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import torch

EPS = torch.finfo(torch.float32).eps  # the smallest scale PyTorch's observers allow

Number = float | int
TensorLike = torch.Tensor | np.ndarray | Number | list


def qrange(bits: int, signed: bool, narrow_range: bool = False) -> tuple[int, int]:
    """Integer range of a `bits`-bit code: unsigned 0..2^b-1, signed -2^(b-1)..2^(b-1)-1 (narrow drops the lowest)."""
    if isinstance(bits, bool) or not isinstance(bits, (int, np.integer)) or not 2 <= bits <= 16:
        raise ValueError(f"bits must be an integer from 2 to 16, got {bits!r}")
    bits = int(bits)
    if signed:
        return -(2 ** (bits - 1)) + (1 if narrow_range else 0), 2 ** (bits - 1) - 1
    return 0, 2**bits - 1


@dataclass(frozen=True)
class QParams:
    """Scale and zero point of an affine code, q = clamp(round(x / scale) + zero_point, qmin, qmax)."""

    scale: torch.Tensor  # float32, 0-d (per tensor) or 1-d (per channel)
    zero_point: torch.Tensor  # int64, same shape as scale
    qmin: int
    qmax: int
    axis: int | None = None  # None: per tensor; else the channel axis

    def __post_init__(self) -> None:
        """Refuse a zero point outside [qmin, qmax] (as PyTorch's fake-quant ops do) and shape mix-ups."""
        for name in ("qmin", "qmax") + (("axis",) if self.axis is not None else ()):
            if isinstance(getattr(self, name), bool) or not isinstance(getattr(self, name), numbers.Integral):
                raise ValueError(f"QParams {name} must be an integer, got {getattr(self, name)!r}")
        if self.qmin > self.qmax:
            raise ValueError(f"QParams qmin must be <= qmax, got qmin={self.qmin}, qmax={self.qmax}")
        scale, zp = self.scale, self.zero_point
        if not torch.is_tensor(scale) or not scale.is_floating_point():
            raise ValueError(f"QParams scale must be a floating-point tensor, got {scale!r}")
        if not torch.is_tensor(zp) or zp.is_floating_point() or zp.is_complex() or zp.dtype == torch.bool:
            raise ValueError(f"QParams zero_point must be an integer tensor, got {zp!r}")
        if scale.dim() != (0 if self.axis is None else 1) or scale.numel() == 0:
            need = (
                "a 0-d scale per tensor (axis=None)"
                if self.axis is None
                else "a non-empty 1-d scale per channel"
            )
            raise ValueError(
                f"QParams needs {need}, got axis={self.axis} and scale shape {tuple(scale.shape)}"
            )
        if zp.shape != scale.shape:
            raise ValueError(
                f"QParams zero_point must have scale's shape {tuple(scale.shape)}, got {tuple(zp.shape)}"
            )
        if not (torch.isfinite(scale).all() and (scale > 0).all()):
            raise ValueError(f"QParams scale must be finite and > 0, got {scale!r}")
        if zp.min() < self.qmin or zp.max() > self.qmax:
            raise ValueError(
                f"QParams zero_point must be between qmin and qmax ({self.qmin}..{self.qmax}), "
                f"got {int(zp.min())}..{int(zp.max())}"
            )
        object.__setattr__(self, "scale", scale.to(torch.float32))
        object.__setattr__(self, "zero_point", zp.to(torch.int64))

    @property
    def bits(self) -> int:
        """Number of bits the code range needs."""
        return max(1, math.ceil(math.log2(self.qmax - self.qmin + 1)))

    def real_range(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The real values of the lowest and highest codes: everything outside them clips."""
        lo = (self.qmin - self.zero_point).to(torch.float32) * self.scale
        hi = (self.qmax - self.zero_point).to(torch.float32) * self.scale
        return lo, hi


def _bound(v: TensorLike, name: str) -> torch.Tensor:
    """A range bound as a float32 tensor; strings, NaN and infinities are refused with the argument's name."""
    if isinstance(v, (str, bytes)) or v is None:
        raise ValueError(f"{name} must be a finite number or a tensor of finite numbers, got {v!r}")
    try:
        t = torch.as_tensor(v, dtype=torch.float64) if not torch.is_tensor(v) else v.detach().double()
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a finite number or a tensor of finite numbers, got {v!r}") from err
    if t.dim() > 1:
        raise ValueError(
            f"{name} must be a scalar or a 1-d tensor (one value per channel), got shape {tuple(t.shape)}"
        )
    if t.numel() == 0:
        raise ValueError(f"{name} must have at least one channel, got an empty tensor")
    if not torch.isfinite(t).all():
        raise ValueError(f"{name} must be finite (no NaN or infinity), got {v!r}")
    if t.abs().max() > torch.finfo(torch.float32).max:
        raise ValueError(f"{name} must fit in float32 (|value| <= 3.4e38), got {v!r}")
    return t.to(torch.float32)


def calc_qparams(
    xmin: TensorLike,
    xmax: TensorLike,
    bits: int = 8,
    symmetric: bool = False,
    signed: bool | None = None,
    narrow_range: bool = False,
    include_zero: bool = True,
    axis: int | None = None,
) -> QParams:
    """Scale and zero point for the range [xmin, xmax], exactly as PyTorch's MinMaxObserver computes them.

    One exception, by the contract: symmetric unsigned takes zero point (qmin + qmax + 1) // 2 at every width,
    PyTorch's default quint8 value (128); PyTorch itself takes (qmin + qmax) // 2 for a custom quant range.
    """
    if not isinstance(symmetric, (bool, np.bool_)):
        raise ValueError(f"symmetric must be True or False, got {symmetric!r}")
    signed = bool(symmetric) if signed is None else signed
    qmin, qmax = qrange(bits, signed, narrow_range)
    lo, hi = _bound(xmin, "xmin"), _bound(xmax, "xmax")
    if lo.shape != hi.shape:
        raise ValueError(
            f"xmin and xmax must have the same shape, got {tuple(lo.shape)} and {tuple(hi.shape)}"
        )
    if (lo > hi).any():
        raise ValueError(f"xmin must be <= xmax, got xmin={xmin!r}, xmax={xmax!r}")
    if axis is not None and (isinstance(axis, bool) or not isinstance(axis, numbers.Integral)):
        raise ValueError(f"axis must be None (per tensor) or an integer channel axis, got {axis!r}")
    if lo.dim() == 1 and axis is None:
        raise ValueError("per-channel bounds (1-d xmin/xmax) need the channel axis: pass axis=")
    if lo.dim() == 0 and axis is not None:
        raise ValueError("axis is for per-channel bounds: pass 1-d xmin/xmax, one value per channel")
    if include_zero:
        lo, hi = torch.minimum(lo, torch.zeros_like(lo)), torch.maximum(hi, torch.zeros_like(hi))
    eps = torch.tensor(EPS, dtype=torch.float32)
    if symmetric:
        max_abs = torch.maximum(-lo, hi) if include_zero else torch.maximum(lo.abs(), hi.abs())
        scale = torch.maximum(max_abs / (float(qmax - qmin) / 2), eps)
        # signed: 0; unsigned: the middle code, 128 at 8 bits, as PyTorch's quint8 per_tensor_symmetric
        zero_point = torch.full_like(lo, 0 if signed else (qmin + qmax + 1) // 2, dtype=torch.int64)
    else:
        scale = torch.maximum((hi - lo) / float(qmax - qmin), eps)
        # clamped in float: PyTorch's int32 path on every range it accepts, and no int64 overflow
        zero_point = torch.clamp(qmin - torch.round(lo / scale), qmin, qmax).to(torch.int64)
    if not torch.isfinite(scale).all():
        raise ValueError(f"the range {xmin!r}..{xmax!r} is too wide for a float32 scale")
    return QParams(scale.to(torch.float32), zero_point.to(torch.int64), qmin, qmax, axis)


def _as_float(x: TensorLike) -> torch.Tensor:
    """Any number, list, array or tensor as a float32 tensor (tensors keep their autograd graph)."""
    if torch.is_tensor(x):
        return x if x.dtype == torch.float32 else x.to(torch.float32)
    return torch.as_tensor(np.asarray(x, dtype=np.float32))


def _check_channels(x: torch.Tensor, qp: QParams, name: str) -> torch.Tensor:
    """x itself if a per-channel qp fits it: the axis exists, one scale per channel (as PyTorch checks)."""
    if qp.axis is not None:
        if not -x.dim() <= qp.axis < x.dim():
            raise ValueError(f"qp.axis={qp.axis} does not exist in {name}, which has {x.dim()} dimensions")
        if x.shape[qp.axis] != qp.scale.numel():
            raise ValueError(
                f"{name} has {x.shape[qp.axis]} channels along axis {qp.axis}, "
                f"but qp has {qp.scale.numel()} scales and zero points"
            )
    return x


def _broadcast(t: torch.Tensor, qp: QParams, ndim: int) -> torch.Tensor:
    """A per-channel qparam shaped to broadcast along `qp.axis` of an ndim-d tensor."""
    if qp.axis is None or t.dim() == 0:
        return t
    axis = qp.axis % ndim
    shape = [1] * ndim
    shape[axis] = -1
    return t.reshape(shape)


def _codes_unclamped(x: torch.Tensor, qp: QParams) -> torch.Tensor:
    """round_half_even(x * (1/scale)) + zp, in float32 as PyTorch's kernel does: the code before clamping."""
    inv_scale = 1.0 / _broadcast(qp.scale, qp, x.dim())
    zp = _broadcast(qp.zero_point, qp, x.dim()).to(torch.float32)
    return torch.mul(x, inv_scale).round_().add_(zp)  # one new buffer, rounded and shifted in place


def _clamp_codes_(q: torch.Tensor, qp: QParams) -> torch.Tensor:
    """Clamp float codes into [qmin, qmax] in place as PyTorch's CPU kernels do, NaN and overflow included.

    Per tensor (`fake_quantize_tensor_cachemask_kernel`) the clamp is fmin(fmax(q, qmin), qmax) in float, so
    NaN lands on qmin and ±inf on the ends. Per channel (`fake_quant_per_channel_cachemask_cpu`) q is first
    cast to int64, which makes NaN, +inf and every q >= 2^63 INT64_MIN on x86, so all of those land on qmin.
    """
    if qp.axis is None:
        return q.clamp_(qp.qmin, qp.qmax).nan_to_num_(nan=float(qp.qmin))
    return q.masked_fill_(q.lt(2.0**63).logical_not_(), qp.qmin).clamp_(qp.qmin, qp.qmax)


def quantize(x: TensorLike, qp: QParams) -> torch.Tensor:
    """Real values to integer codes: clamp(round_half_even(x * (1/scale)) + zp, qmin, qmax), int32."""
    x = _check_channels(_as_float(x).detach(), qp, "x")
    return _clamp_codes_(_codes_unclamped(x, qp), qp).to(torch.int32)


def dequantize(q: TensorLike, qp: QParams) -> torch.Tensor:
    """Integer codes back to real values: (q - zp) * scale, float32."""
    q = _check_channels(torch.as_tensor(q) if not torch.is_tensor(q) else q, qp, "q")
    zp = _broadcast(qp.zero_point, qp, q.dim())
    return (q.to(torch.int64) - zp).to(torch.float32) * _broadcast(qp.scale, qp, q.dim())


def _fake_quant_inplace(
    x: torch.Tensor, qp: QParams, need_mask: bool
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """(clamp(round(x * (1/scale)) + zp, qmin, qmax) - zp) * scale in one float32 buffer, and the in-range mask.

    Every step is exact in float32 as in PyTorch's kernel (codes and zero points are integers below 2^24), so
    dequantizing in float equals dequantize(quantize(x)); working in place saves five full-size temporaries.
    The mask is taken before the clamp, as the kernel's: NaN, ±inf and codes beyond the ends get no gradient.
    """
    q = _codes_unclamped(x, qp)
    zp = _broadcast(qp.zero_point, qp, x.dim()).to(torch.float32)
    mask = q.ge(qp.qmin).logical_and_(q.le(qp.qmax)) if need_mask else None
    return _clamp_codes_(q, qp).sub_(zp).mul_(_broadcast(qp.scale, qp, x.dim())), mask


class _FakeQuantSTE(torch.autograd.Function):
    """Quantize-dequantize forward; backward passes the gradient where the code was in range (clipped STE)."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, qp: QParams) -> torch.Tensor:
        y, mask = _fake_quant_inplace(x, qp, need_mask=ctx.needs_input_grad[0])
        ctx.save_for_backward(mask)
        return y

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        (mask,) = ctx.saved_tensors
        return grad * mask, None


class _FakeQuantTrueGrad(torch.autograd.Function):
    """Quantize-dequantize forward; backward is rounding's true derivative: zero almost everywhere."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, qp: QParams) -> torch.Tensor:
        return dequantize(quantize(x, qp), qp)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        return torch.zeros_like(grad), None


def fake_quant(x: TensorLike, qp: QParams) -> torch.Tensor:
    """Quantize then dequantize in float, differentiable through the straight-through estimator."""
    return _FakeQuantSTE.apply(_check_channels(_as_float(x), qp, "x"), qp)


def fake_quant_no_ste(x: TensorLike, qp: QParams) -> torch.Tensor:
    """The same forward with rounding's true gradient (0): why training through real int8 learns nothing."""
    return _FakeQuantTrueGrad.apply(_check_channels(_as_float(x), qp, "x"), qp)


def quant_error(x: TensorLike, qp: QParams) -> dict[str, float]:
    """How much quantizing x costs: mean squared error, SQNR in dB, worst error, share of values clipped."""
    x = _check_channels(_as_float(x).detach(), qp, "x")
    err = dequantize(quantize(x, qp), qp) - x
    mse = float(err.double().pow(2).mean()) if x.numel() else 0.0
    signal = float(x.double().pow(2).mean()) if x.numel() else 0.0
    q = _codes_unclamped(x, qp)
    clipped = (q < qp.qmin) | (q > qp.qmax)
    return {
        "mse": mse,
        "sqnr_db": _sqnr_db(signal, mse),
        "max_abs_err": float(err.abs().max()) if x.numel() else 0.0,
        "clip_fraction": float(clipped.double().mean()) if x.numel() else 0.0,
    }


def _sqnr_db(signal: float, noise: float) -> float:
    """10·log10(signal power / noise power); infinite when quantization is lossless."""
    if noise == 0.0:
        return math.inf
    if signal == 0.0:
        return -math.inf
    return 10.0 * math.log10(signal / noise)
