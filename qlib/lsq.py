"""Learned step size quantization (LSQ, Esser et al. 2019): QAT in which each quantizer's scale (step size) is
a parameter trained by backpropagation, with its gradient scaled by g = 1/√(N·Qp).

The operation is PyTorch's `torch._fake_quantize_learnable_per_tensor_affine` /
`_fake_quantize_learnable_per_channel_affine` (what `torch.ao.quantization._learnable_fake_quantize.
_LearnableFakeQuantize` calls; aten/src/ATen/native/quantized/FakeQuantPerTensorAffine.cpp and
FakeQuantPerChannelAffine.cpp, the CPU kernels `fake_quant_grad_learnable_{tensor,channel}_stub`), reproduced
here with the same float32 operations in the same order, so forward and all three gradients agree with
PyTorch's bit for bit (tests/library/test_lsq.py):

    forward   fake_quant(x, s, z)  with z = round_half_even(zero_point), clamped to [qmin, qmax]
    backward  v = x·(1/s) + z,  q = round_half_even(v)              (z added *before* rounding here)
              ∂/∂x = dy                      if qmin ≤ q ≤ qmax, else 0
              ∂/∂s = dy·(x̂ − x)·(1/s)·g     inside (x̂ = (q − z)·s: round(x/s) − x/s, the LSQ gradient)
                     dy·(qmin − z)·g  below,  dy·(qmax − z)·g  above
              ∂/∂z = 0 inside, −dy·s·g outside;  summed over the tensor (per channel: over all but the axis)

Where PyTorch's forward and backward differ, so does this: the backward rounds x/s + z, the forward rounds x/s
and then adds z (a tie x/s = k + ½ with z odd can fall on either side); per tensor the backward's zero point
is int(clamp(zero_point + 0.5)) (truncated), the forward's round_half_even(zero_point); PyTorch's
`_LearnableFakeQuantize` sets g = 1/√(numel·quant_max) with numel of the whole tensor, also per channel (the
paper's N is the number of weights of the layer, or of activations of the tensor), and clamps the scale at
float32 eps before each forward. Qp = quant_max: 2^(b−1) − 1 for signed weights, 2^b − 1 for unsigned
activations, as the paper's Q_P.

`LSQNet` is qlib.qat's QATNet with learnable quantizers (its `make_weight_quantizer` / `make_act_quantizer`
hooks): the scales start from the calibrated (PTQ) qparams, as `_LearnableFakeQuantize` starts from its
observer before `enable_param_learning`; the weights' zero points stay 0 (symmetric), the activations' are
learned where the data are two-tailed (the input, the logits) and stay 0 after a ReLU. `train_lsq` is
qlib.train's `train_qat` with it. One difference from the paper matters for reading results: the paper trains
with SGD, where g balances the step sizes' updates against the weights'; qlib's loop (qlib.train.fit) uses
Adam, which divides each parameter's step by its own gradient's running RMS, so a constant g cancels out (but
for Adam's ε = 1e-8): here g is PyTorch's, computed and applied, and the step sizes learn at the weights' rate.
(A tenth of it for the step sizes was tried on the validation split, W4A4 and W2A2 of both nets: no better.)
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable

import torch
from torch import nn

from qlib.data import Splits
from qlib.model import Net, evaluate
from qlib.qat import ActFakeQuant, QATNet, QConfig, WeightFakeQuant, calibrate, convert
from qlib.quant import EPS, QParams, _check_channels, _fake_quant_inplace, qrange

__all__ = [
    "lsq_fake_quant",
    "grad_factor",
    "LSQWeightQuantizer",
    "LSQActQuantizer",
    "LSQNet",
    "prepare_lsq",
    "train_lsq",
]


def grad_factor(numel: int, qmax: int) -> float:
    """g = 1/√(N·Qp), as `_LearnableFakeQuantize(use_grad_scaling=True)` computes it (N: the tensor's numel)."""
    return 1.0 / (numel * qmax) ** 0.5


def _forward_zero_point(zero_point: torch.Tensor, qmin: int, qmax: int) -> torch.Tensor:
    """The zero point the forward uses: round_half_even, clamped (PyTorch's forward, both variants)."""
    return zero_point.detach().round().clamp(qmin, qmax)


def _backward_zero_point(zero_point: torch.Tensor, qmin: int, qmax: int, per_channel: bool) -> torch.Tensor:
    """The zero point the backward uses: per tensor int(clamp(zp + 0.5f)) (`_get_zero_point_from_tensor`,
    truncated towards 0); per channel round_half_even(zp), clamped (`_get_rounded_zero_point`)."""
    zp = zero_point.detach()
    if per_channel:
        return zp.round().clamp(qmin, qmax)
    return (zp.reshape(-1)[:1] + 0.5).clamp(qmin, qmax).trunc().reshape(())


def _fma(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    """a·b + c rounded once to float32, as the fused multiply-add the compiler makes of `zero_point + x *
    inv_scale` and `xfq - x` in PyTorch's AVX2/AVX512 kernels (the product of two float32 is exact in double)."""
    return (a.double() * b.double() + c.double()).to(torch.float32)


class _LearnableFakeQuant(torch.autograd.Function):
    """Forward: fake_quant with the rounded zero point. Backward: PyTorch's learnable kernels, element by element
    in float32 (see the module docstring), then the scale and zero point gradients summed."""

    @staticmethod
    def forward(ctx, x, scale, zero_point, axis, qmin, qmax, g):
        per_channel = axis is not None
        s = scale.detach().reshape(-1) if per_channel else scale.detach().reshape(-1)[0]
        zp = _forward_zero_point(zero_point, qmin, qmax).reshape(s.shape).to(torch.int64)
        qp = QParams(s.to(torch.float32), zp, qmin, qmax, axis)
        ctx.save_for_backward(x, scale, zero_point)
        ctx.params = (axis, qmin, qmax, g)
        return _fake_quant_inplace(_check_channels(x, qp, "x"), qp, need_mask=False)[0]

    @staticmethod
    def backward(ctx, dy):
        x, scale, zero_point = ctx.saved_tensors
        axis, qmin, qmax, g = ctx.params
        per_channel = axis is not None
        shape = [1] * x.dim()
        if per_channel:
            shape[axis] = -1
        s = scale.detach().reshape(shape) if per_channel else scale.detach().reshape(-1)[0]
        z = _backward_zero_point(zero_point, qmin, qmax, per_channel).to(torch.float32)
        z = z.reshape(shape) if per_channel else z
        g32 = torch.tensor(g, dtype=torch.float32)
        inv = torch.tensor(1.0, dtype=torch.float32) / s
        q = torch.round(_fma(x, inv, z))
        inside = (q >= qmin) & (q <= qmax)
        dx = dy * inside
        d_s = torch.where(
            inside,
            dy * _fma(q.clamp(qmin, qmax) - z, s, -x) * inv * g32,
            torch.where(q < qmin, dy * (qmin - z) * g32, dy * (qmax - z) * g32),
        )
        d_z = torch.where(inside, torch.zeros_like(dy), dy * -1 * s * g32)
        dims = [d for d in range(x.dim()) if d != axis] if per_channel else None
        d_scale = (d_s.sum(dims) if per_channel else d_s.sum()).reshape(scale.shape)
        d_zp = (d_z.sum(dims) if per_channel else d_z.sum()).reshape(zero_point.shape)
        return (
            dx if ctx.needs_input_grad[0] else None,
            d_scale if ctx.needs_input_grad[1] else None,
            d_zp if ctx.needs_input_grad[2] else None,
            None,
            None,
            None,
            None,
        )


def lsq_fake_quant(
    x: torch.Tensor,
    scale: torch.Tensor,
    zero_point: torch.Tensor,
    qmin: int,
    qmax: int,
    grad_factor: float = 1.0,
    axis: int | None = None,
) -> torch.Tensor:
    """Fake quantization with learnable scale and zero point (float tensors; one element per tensor, or one per
    channel along `axis`): PyTorch's `_fake_quantize_learnable_per_{tensor,channel}_affine`, forward and backward."""
    if qmin > 0 or qmax < 0:
        raise ValueError(
            f"the code range must contain 0 (as PyTorch's learnable kernels require), got {qmin}..{qmax}"
        )
    return _LearnableFakeQuant.apply(x, scale, zero_point, axis, qmin, qmax, grad_factor)


# ---------------------------------------------------------------------------------------------------------------
# the quantizers


class LSQWeightQuantizer(WeightFakeQuant):
    """A weight quantizer whose step size (per output channel, or one) is learned; zero point 0 (symmetric)."""

    def __init__(self, qc: QConfig, channels: int) -> None:
        super().__init__(qc)
        self.scale = nn.Parameter(torch.ones(channels if qc.w_per_channel else 1))
        self.register_buffer("zero_point", torch.zeros(channels if qc.w_per_channel else 1))
        self.qmin, self.qmax = qrange(qc.w_bits, signed=True, narrow_range=qc.w_narrow_range)
        self.learning = False

    @torch.no_grad()
    def start_learning(self, w: torch.Tensor) -> None:
        """Start from the min-max scale of the weight as it is now (what the plain quantizer would use)."""
        self.scale.copy_(self.compute_qparams(w.detach()).scale.reshape(-1))
        self.learning = True

    def qparams(self, w: torch.Tensor) -> QParams:
        """The learned step size once learning, else the min-max one."""
        if not self.learning:
            return super().qparams(w)
        s = self.scale.detach().clamp(min=EPS)
        zp = torch.zeros(s.shape, dtype=torch.int64)
        if self.axis is None:
            return QParams(s.reshape(()), zp.reshape(()), self.qmin, self.qmax)
        return QParams(s, zp, self.qmin, self.qmax, axis=0)

    def freeze(self, w: torch.Tensor) -> None:
        """Keep the learned step size (stop learning it)."""
        if not self.learning:
            return super().freeze(w)
        self.scale.requires_grad_(False)
        self.frozen = True

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        if not self.enabled or not self.learning:
            return super().forward(w)
        with torch.no_grad():
            self.scale.clamp_(min=EPS)  # as _LearnableFakeQuantize clamps scale.data
        g = grad_factor(w.numel(), self.qmax)
        return lsq_fake_quant(w, self.scale, self.zero_point, self.qmin, self.qmax, g, self.axis)


class LSQActQuantizer(ActFakeQuant):
    """An activation quantizer calibrated as ActFakeQuant, then with a learned step size (and zero point, where
    `learn_zero_point`)."""

    def __init__(self, qc: QConfig, symmetric: bool = False, learn_zero_point: bool = True) -> None:
        super().__init__(qc, symmetric)
        self.scale = nn.Parameter(torch.ones(1))
        self.zero_point = nn.Parameter(torch.zeros(1), requires_grad=learn_zero_point)
        self.learn_zero_point = learn_zero_point
        self.learning = False

    @torch.no_grad()
    def start_learning(self) -> None:
        """Start from the calibrated scale and zero point."""
        self.update()
        if self.qp is None:
            raise RuntimeError("calibrate before learning the step size")
        self.scale.copy_(self.qp.scale.reshape(1))
        self.zero_point.copy_(self.qp.zero_point.reshape(1).float())
        self.learning = True

    def _learned(self) -> QParams:
        qmin, qmax = self.qp.qmin, self.qp.qmax
        zp = _forward_zero_point(self.zero_point, qmin, qmax).to(torch.int64).reshape(())
        return QParams(self.scale.detach().clamp(min=EPS).reshape(()), zp, qmin, qmax)

    def update(self) -> None:
        if self.learning:
            self.qp = self._learned()
        else:
            super().update()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.learning:
            return super().forward(x)
        with torch.no_grad():
            self.scale.clamp_(min=EPS)
        self.qp = self._learned()
        if self.frozen or not self.training:
            return super().forward(x)  # the learned qparams, fixed
        g = grad_factor(x.numel(), self.qp.qmax)
        return lsq_fake_quant(x, self.scale, self.zero_point, self.qp.qmin, self.qp.qmax, g)


class LSQNet(QATNet):
    """QATNet with learned step sizes (LSQ) in every quantizer."""

    def make_weight_quantizer(self, name: str) -> nn.Module:
        return LSQWeightQuantizer(self.qconfig, self.spec.layer(name).out_channels)

    def make_act_quantizer(self, name: str, symmetric: bool) -> nn.Module:
        after_relu = name != "input" and self.spec.layer(name).relu
        return LSQActQuantizer(self.qconfig, symmetric, learn_zero_point=not after_relu and not symmetric)

    def start_learning(self) -> None:
        """Every step size from its calibrated or min-max value; from now on they are parameters."""
        for name, fq in self.w_fq.items():
            fq.start_learning(self.folded(name)[0])
        for fq in self.act_fq.values():
            fq.start_learning()

    def step_size_parameters(self) -> list[nn.Parameter]:
        """The learned scales and zero points (trainable ones)."""
        return [
            p
            for fq in [*self.w_fq.values(), *self.act_fq.values()]
            for p in (fq.scale, getattr(fq, "zero_point", None))
            if isinstance(p, nn.Parameter) and p.requires_grad
        ]


def prepare_lsq(model: Net, qconfig: QConfig | None = None) -> LSQNet:
    """A new LSQNet on a deep copy of `model` (left untouched), as qlib.qat.prepare_qat."""
    if not isinstance(model, Net):
        raise TypeError(f"prepare_lsq expects a qlib.model.Net, got {type(model).__name__}")
    return LSQNet(copy.deepcopy(model), qconfig or QConfig()).train(model.training)


def train_lsq(
    qconfig: QConfig,
    init: Net,
    splits: Splits,
    epochs: int,
    lr: float,
    seed: int = 0,
    callback: Callable | None = None,
):
    """LSQ: calibrate on the training images, learn weights and step sizes together for `epochs` (Adam at `lr`),
    freeze, convert: qlib.train.train_qat's loop, seed and data. Returns a qlib.train.Result "lsq-w<b>a<b>"."""
    from qlib.train import Result, fit

    t0 = time.perf_counter()
    model = calibrate(prepare_lsq(init, qconfig), splits.train[0])
    start = model.quantizer_state()
    model.start_learning()
    history = fit(model, splits, epochs=epochs, lr=lr, seed=seed, callback=callback)
    model.freeze()
    int8 = convert(model)
    seconds = time.perf_counter() - t0
    return Result(
        f"lsq-{qconfig.name}", model, evaluate(int8, *splits.test), seconds, int8, qconfig, history, start
    )
