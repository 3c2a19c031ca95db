"""Quantization-aware training and post-training quantization of a spec'd network, and conversion to integers.

`prepare_qat(model, qconfig)` returns a new model in which every number the integer engine will see is
fake-quantized (`qlib.quant.fake_quant`, forward quantize→dequantize, backward the clipped straight-through
estimator), layer by layer as the model's spec (qlib.spec) states it; for the tiny CNN:

    input ─fq─ conv1 (fq weight) ─ReLU─fq─ conv2 (fq weight) ─ReLU─fq─ flatten ─ fc (fq weight) ─fq─ logits

* weights: symmetric, signed, per output channel by default, codes `qrange(w_bits, signed=True)`, i.e.
  -128..127 with scale max|w| / 127.5 at 8 bits: PyTorch's qint8 weight scheme for x86/fbgemm (narrow_range
  False by default; `w_narrow_range=True` gives the TFLite scheme, -127..127 with scale max|w| / 127).
  Until frozen, the scale follows the current weight's range, so it equals what `convert` computes.
* activations: asymmetric, unsigned (0..2^a_bits-1) per tensor on the input and on the logits; after each
  ReLU the quantizer sees the post-ReLU value (the ReLU is fused into the output quantization, as in
  PyTorch's ConvReLU2d), so its range starts at 0 and the zero point is 0. `a_symmetric=True` makes those
  post-ReLU quantizers symmetric unsigned, PyTorch's quint8 + per_tensor_symmetric: zero point 2^(a_bits-1)
  (128 at 8 bits) and scale max|x| / ((qmax - qmin) / 2), so after a ReLU the codes below the zero point go
  unused (why PyTorch and TFLite quantize one-tailed data asymmetrically); input and logits stay asymmetric. Observers (`qlib.observers`) update in training mode until frozen; eval mode
  uses the qparams last computed. minmax and moving_average recompute scale and zero point on every batch;
  percentile and mse (which sort or search the whole distribution) gather a sample during an epoch and
  recompute at its end.

Which qparams qlib uses while training: the same `calc_qparams` for the fake quantization during training
and for `convert` (PyTorch's observer formula, `_calculate_qparams` in Python: scale in float32,
zero_point = qmin - round(min / scale); symmetric weights max|w| / 127.5), so what the model is trained
against is exactly what the integer model computes. PyTorch's default QAT (`FusedMovingAvgObsFakeQuantize` in
`get_default_qat_qconfig("x86")`) computes the training-time scale and zero point in C++
(`fused_moving_avg_obs_fake_quant` → `ChooseQuantizationParams`), while its `convert` takes them from the
observer's Python `calculate_qparams`. For the symmetric per-channel weights these are two different rules:
training uses max(|min| / 128, |max| / 127) (preserve_sparsity stretches the range to −128·s..127·s),
`convert` uses max(|min|, |max|) / 127.5. Their ratio lies between 127.5/128 ≈ 0.9961 and 127.5/127 ≈ 1.0039;
on the shipped fp32 weights after one QAT step every channel differs, so a PyTorch QAT model is converted to
weight grids up to 0.4 % finer or coarser than those it was trained against. For the affine activations the
two can differ in the last bits of the scale and now and then by one in the zero point.

PTQ is the same model without training: `calibrate(prepare_qat(fp32, qc), x)` records float statistics.

A layer with BatchNorm (qlib.spec `bn`, the MobileNet-style net) is handled as PyTorch's `fuse_modules_qat`
+ `ConvBn2d` handle it (qlib.batchnorm): in training mode the weight is folded with BatchNorm's running
statistics and fake-quantized, and BatchNorm normalises with the batch statistics (`simulated_fold_forward`,
PyTorch's float operations); `freeze_bn_after` switches BatchNorm to its running statistics from that epoch
on, as `torch.ao.nn.intrinsic.qat.freeze_bn_stats` does. In eval mode (evaluation, calibration) the layer is
the folded conv, fq(W')∗x + b' with W', b' from `qlib.batchnorm.fold_weights` (= `fuse_conv_bn_weights`):
exactly the weight and bias `convert` quantizes. (PyTorch's ConvBn2d in eval mode computes the simulated
form with the running statistics instead: the same function, rounded in a different order.)
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from qlib.batchnorm import fold_weights, simulated_fold_forward
from qlib.histogram import EntropyObserver, HistogramObserver
from qlib.int8 import Int8Model
from qlib.layers import Int8Layer
from qlib.model import Net, activation, bn_name, num_threads
from qlib.observers import (
    MinMaxObserver,
    MovingAverageMinMaxObserver,
    MSEObserver,
    Observer,
    PercentileObserver,
)
from qlib.quant import QParams, fake_quant, quantize

OBSERVERS = ("minmax", "moving_average", "percentile", "mse")  # the QAT page's choices (it has their strings)
ALL_OBSERVERS = (*OBSERVERS, "histogram", "entropy")  # every observer a QConfig takes (qlib.histogram's too)
# these recompute at the end of each epoch, not every batch
HISTORY_OBSERVERS = ("percentile", "mse", "histogram", "entropy")
SAMPLE_PER_BATCH = 4096  # values a percentile/mse observer keeps from each training batch


@dataclass(frozen=True)
class QConfig:
    """How to quantize: bit widths, schemes, the activation observer, and when observers freeze."""

    w_bits: int = 8
    a_bits: int = 8
    w_symmetric: bool = True
    w_per_channel: bool = True
    w_narrow_range: bool = False
    a_symmetric: bool = False
    observer: str = "moving_average"  # activations: one of ALL_OBSERVERS
    freeze_observers_after: int | None = None  # epoch index (0-based) from which scale and zero point stay
    percentile: float = 99.99
    averaging_constant: float = 0.01
    freeze_bn_after: int | None = None  # epoch (0-based) from which BatchNorm uses its running statistics

    def __post_init__(self) -> None:
        for name in ("w_bits", "a_bits"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not 2 <= v <= 8:
                raise ValueError(
                    f"{name} must be an integer from 2 to 8 (the integer engine stores int8), got {v!r}"
                )
        if self.observer not in ALL_OBSERVERS:
            raise ValueError(f"observer must be one of {ALL_OBSERVERS}, got {self.observer!r}")
        for name in ("freeze_observers_after", "freeze_bn_after"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                raise ValueError(f"{name} must be None or an integer >= 0, got {v!r}")
        if not 50.0 < self.percentile <= 100.0:
            raise ValueError(f"percentile must be in (50, 100], got {self.percentile!r}")
        if not 0.0 < self.averaging_constant <= 1.0:
            raise ValueError(f"averaging_constant must be in (0, 1], got {self.averaging_constant!r}")

    @property
    def name(self) -> str:
        """Short label such as 'w8a8'."""
        return f"w{self.w_bits}a{self.a_bits}"

    def as_dict(self) -> dict:
        """Plain dict (JSON, metrics); `freeze_bn_after` only when set, so BatchNorm-free configs keep their
        earlier form."""
        d = asdict(self)
        if d["freeze_bn_after"] is None:
            del d["freeze_bn_after"]
        return d


def make_observer(
    kind: str, qc: QConfig, bits: int, axis: int | None = None, symmetric: bool = False
) -> Observer:
    """A fresh qlib observer of the given kind (mse: searched for this activation code, unsigned; histogram:
    PyTorch's L2 search; entropy: TensorRT's KL threshold for 2^(bits-1) levels; both per tensor only)."""
    if kind == "histogram":
        return HistogramObserver()
    if kind == "entropy":
        return EntropyObserver(bits)
    if kind == "minmax":
        return MinMaxObserver(axis=axis)
    if kind == "moving_average":
        return MovingAverageMinMaxObserver(qc.averaging_constant, axis=axis)
    if kind == "percentile":
        return PercentileObserver(qc.percentile, axis=axis)
    return MSEObserver(bits=bits, symmetric=symmetric, signed=False, axis=axis, steps=40)


@dataclass(frozen=True)
class QuantizerState:
    """A quantizer's scale and zero point as plain numbers: one entry per tensor, or one per channel."""

    scale: tuple[float, ...]
    zero_point: tuple[int, ...]
    qmin: int
    qmax: int

    @property
    def per_channel(self) -> bool:
        return len(self.scale) > 1

    @property
    def mean_scale(self) -> float:
        """The scale, or the channels' mean scale: one number to trace over training."""
        return sum(self.scale) / len(self.scale)

    @classmethod
    def of(cls, qp: QParams) -> QuantizerState:
        return cls(
            tuple(qp.scale.reshape(-1).tolist()), tuple(qp.zero_point.reshape(-1).tolist()), qp.qmin, qp.qmax
        )


class WeightFakeQuant(nn.Module):
    """Fake-quantizes a weight, symmetric and signed; its qparams follow the current weight until frozen."""

    def __init__(self, qc: QConfig) -> None:
        super().__init__()
        self.qc = qc
        self.axis = 0 if qc.w_per_channel else None
        self.frozen = False
        self.enabled = True
        self.qp: QParams | None = None

    def compute_qparams(self, w: torch.Tensor) -> QParams:
        """Scale from the weight's min/max (per output channel), by calc_qparams' symmetric signed rule."""
        obs = MinMaxObserver(axis=self.axis)
        obs(w.detach())
        return obs.qparams(
            self.qc.w_bits, symmetric=self.qc.w_symmetric, signed=True, narrow_range=self.qc.w_narrow_range
        )

    def qparams(self, w: torch.Tensor) -> QParams:
        """The qparams in force: frozen ones, else those of the weight as it is now."""
        if not self.frozen or self.qp is None:
            self.qp = self.compute_qparams(w)
        return self.qp

    def freeze(self, w: torch.Tensor) -> None:
        """Fix the scale at the current weight's range: later weight updates clip to it."""
        self.qp, self.frozen = self.compute_qparams(w), True

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        return fake_quant(w, self.qparams(w)) if self.enabled else w


class ActFakeQuant(nn.Module):
    """Fake-quantizes an activation per tensor; the observer records it in training (or calibration) mode."""

    def __init__(self, qc: QConfig, symmetric: bool = False) -> None:
        super().__init__()
        self.qc, self.symmetric = qc, symmetric
        self.observer = make_observer(qc.observer, qc, qc.a_bits, symmetric=symmetric)
        self.frozen = False
        self.calibrating = False  # record statistics and pass values through unchanged (PTQ)
        self.qp: QParams | None = None
        self._dirty = False
        self._g = torch.Generator().manual_seed(0)

    @property
    def per_epoch(self) -> bool:
        """True when the observer is too costly to consult on every training batch."""
        return self.qc.observer in HISTORY_OBSERVERS and not self.calibrating

    def observe(self, x: torch.Tensor) -> None:
        """Feed the observer (a fixed-seed random sample of the batch for percentile/mse during training)."""
        x = x.detach()
        if self.per_epoch and x.numel() > SAMPLE_PER_BATCH:
            x = x.flatten()[torch.randint(x.numel(), (SAMPLE_PER_BATCH,), generator=self._g)]
        self.observer(x)
        self._dirty = True

    def update(self) -> None:
        """Recompute scale and zero point from the observer."""
        if self._dirty:
            self.qp = self.observer.qparams(self.qc.a_bits, symmetric=self.symmetric, signed=False)
            self._dirty = False

    def restart(self) -> None:
        """A fresh observer for a new epoch (percentile/mse: the distribution of this epoch only)."""
        if not self.frozen and self.per_epoch:
            self.observer = make_observer(self.qc.observer, self.qc, self.qc.a_bits, symmetric=self.symmetric)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.frozen and (self.training or self.calibrating):
            self.observe(x)
            if not self.calibrating and (not self.per_epoch or self.qp is None):
                self.update()  # calibration computes qparams once, after its last batch
        if self.calibrating:
            return x
        if self.qp is None:
            raise RuntimeError("this quantizer has seen no data: calibrate the model or train it first")
        return fake_quant(x, self.qp)


class QATNet(nn.Module):
    """A float network with fake quantization on its input, every weight, every layer's output and the logits.

    The float layers are the wrapped model's own modules (their stride, padding, groups and BatchNorm), run in
    the order and with the activations its spec states; each layer's output quantizer sees the post-ReLU
    (ReLU6) value. A layer with BatchNorm quantizes its folded weight (see the module's docstring).
    """

    def __init__(self, model: Net, qconfig: QConfig) -> None:
        super().__init__()
        self.spec, self.qconfig = model.spec, qconfig
        for layer in self.spec.layers:
            self.add_module(layer.name, getattr(model, layer.name))
            if layer.bn:
                self.add_module(bn_name(layer), getattr(model, bn_name(layer)))
        self.w_fq = nn.ModuleDict({name: self.make_weight_quantizer(name) for name in self.spec.names})
        self.act_fq = nn.ModuleDict({"input": self.make_act_quantizer("input", False)})
        for layer in self.spec.layers:
            self.act_fq[layer.name] = self.make_act_quantizer(layer.name, qconfig.a_symmetric and layer.relu)
        self.bn_frozen = False

    # -- the quantizers: a subclass may make others (a learned step size, a calibration under test) ------------
    def make_weight_quantizer(self, name: str) -> nn.Module:
        """The fake quantizer of a layer's weight: called with the (folded) weight, returns it fake-quantized."""
        return WeightFakeQuant(self.qconfig)

    def make_act_quantizer(self, name: str, symmetric: bool) -> nn.Module:
        """The fake quantizer of an activation ("input" or a layer's output)."""
        return ActFakeQuant(self.qconfig, symmetric=symmetric)

    # -- the weights the integer engine will see -------------------------------------------------------------
    def folded(self, name: str) -> tuple[torch.Tensor, torch.Tensor]:
        """A layer's float weight and bias as inference uses them: BatchNorm folded in if it has one."""
        mod = getattr(self, name)
        if not self.spec.layer(name).bn:
            return mod.weight, mod.bias
        return fold_weights(mod.weight, mod.bias, getattr(self, bn_name(self.spec.layer(name))))

    def weight(self, name: str) -> torch.Tensor:
        """The fake-quantized (folded) weight of a layer, as the eval forward pass and `convert` use it."""
        return self.w_fq[name](self.folded(name)[0])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act_fq["input"](x)
        for layer in self.spec.layers:
            x = self.layer_forward(layer.name, x)
        return x

    def layer_forward(self, name: str, x: torch.Tensor, quantized: bool = True) -> torch.Tensor:
        """One layer on its input: the conv or linear, the activation, the output quantizer.

        `quantized=False` runs the same layer in float (weight and output not fake-quantized): the reference
        per-layer comparisons (qlib.sensitivity) and layer-wise reconstruction methods measure against.
        """
        x = activation(self.spec.layer(name), self.preactivation(name, x, quantized))
        return self.act_fq[name](x) if quantized else x

    def preactivation(self, name: str, x: torch.Tensor, quantized: bool = True) -> torch.Tensor:
        """A layer's conv or linear output before its activation (weight fake-quantized unless quantized=False):
        where a bias correction adds (qlib.bias_correction)."""
        layer, mod = self.spec.layer(name), getattr(self, name)
        if layer.flatten_before:
            x = torch.flatten(x, 1)
        wfq = self.w_fq[name] if quantized else nn.Identity()
        if layer.bn and self.training:  # PyTorch's ConvBn2d: batch statistics, folded fake-quant weight
            return simulated_fold_forward(x, mod, getattr(self, bn_name(layer)), wfq)
        if layer.kind == "conv":
            w, b = self.folded(name)
            return F.conv2d(x, wfq(w), b, mod.stride, mod.padding, mod.dilation, mod.groups)
        return F.linear(x, wfq(mod.weight), mod.bias)

    def float_state_dict(self) -> dict[str, torch.Tensor]:
        """The float network's parameters and BatchNorm buffers (copies), as qlib.model.Net names them."""
        keep = set(self.spec.names) | {bn_name(layer) for layer in self.spec.layers if layer.bn}
        return {k: v.detach().clone() for k, v in self.state_dict().items() if k.split(".")[0] in keep}

    def train(self, mode: bool = True) -> QATNet:
        """Training or eval mode; BatchNorm stays on its running statistics once frozen (as PyTorch's)."""
        super().train(mode)
        if self.bn_frozen:
            for layer in self.spec.layers:
                if layer.bn:
                    getattr(self, bn_name(layer)).eval()
        return self

    def freeze_bn(self) -> None:
        """BatchNorm from now on normalises with its running statistics and stops updating them."""
        self.bn_frozen = True
        self.train(self.training)

    def inputs_outputs(self) -> list[tuple[str, str, str]]:
        """(layer, the quantizer of its input, the quantizer of its output) for every layer, in order."""
        names = self.spec.names
        return [(name, "input" if i == 0 else names[i - 1], name) for i, name in enumerate(names)]

    # -- qlib.train.EpochHooks ---------------------------------------------------------------------------------
    def start_epoch(self, epoch: int) -> None:
        """Freeze BatchNorm statistics and the observers when their epochs come; restart per-epoch observers."""
        bn_after = self.qconfig.freeze_bn_after
        if bn_after is not None and epoch >= bn_after and not self.bn_frozen:
            self.freeze_bn()
        after = self.qconfig.freeze_observers_after
        if after is not None and epoch >= after:
            self.freeze()
        for fq in self.act_fq.values():
            fq.restart()

    def end_epoch(self, epoch: int) -> None:
        """Percentile/mse observers turn this epoch's sample into scale and zero point."""
        for fq in self.act_fq.values():
            if not fq.frozen:
                fq.update()

    def freeze(self) -> None:
        """Stop all observers: scale and zero point stay as they are now."""
        for name, fq in self.w_fq.items():
            if not fq.frozen:
                fq.freeze(self.folded(name)[0].detach())
        for fq in self.act_fq.values():
            fq.update()
            fq.frozen = True

    @property
    def frozen(self) -> bool:
        """True once every observer is frozen."""
        return all(fq.frozen for fq in [*self.w_fq.values(), *self.act_fq.values()])

    def quantizer_state(self) -> dict[str, QuantizerState]:
        """Current scale and zero point of every quantizer ("input", "<layer>.weight", "<layer>.output")."""
        out = (
            {"input": QuantizerState.of(self.act_fq["input"].qp)}
            if self.act_fq["input"].qp is not None
            else {}
        )
        for name in self.spec.names:
            out[f"{name}.weight"] = QuantizerState.of(self.w_fq[name].qparams(self.folded(name)[0].detach()))
            if self.act_fq[name].qp is not None:
                out[f"{name}.output"] = QuantizerState.of(self.act_fq[name].qp)
        return out


def prepare_qat(model: Net, qconfig: QConfig | None = None) -> QATNet:
    """A new fake-quantized model built on a deep copy of `model` (which is left untouched)."""
    if not isinstance(model, Net):
        raise TypeError(f"prepare_qat expects a qlib.model.Net (such as TinyCNN), got {type(model).__name__}")
    qat = QATNet(copy.deepcopy(model), qconfig or QConfig())
    return qat.train(model.training)


@torch.no_grad()
def calibrate(model: QATNet, x: torch.Tensor, batch_size: int | None = None) -> QATNet:
    """PTQ: run float data through the float network so the activation observers record it; no training.

    Weights and activations stay float during calibration (as in PyTorch's PTQ); afterwards the model
    fake-quantizes with the recorded scale and zero point. Returns the model (changed in place).
    """
    if not isinstance(model, QATNet):
        raise TypeError("calibrate expects a model from prepare_qat")
    was_training = model.training
    model.eval()
    fqs = list(model.act_fq.values())
    for fq in fqs:
        fq.calibrating = True
    for fq in model.w_fq.values():
        fq.enabled = False
    try:
        step = batch_size or len(x)
        with num_threads(1):
            for i in range(0, len(x), step):
                model(x[i : i + step])
            for fq in fqs:
                fq.update()
    finally:
        for fq in fqs:
            fq.calibrating = False
        for fq in model.w_fq.values():
            fq.enabled = True
    return model.train(was_training)


@torch.no_grad()
def to_int8_layers(model: QATNet) -> list[Int8Layer]:
    """The integer description of a fake-quantized model: int8 weights, int32 biases, the activation qparams."""
    if not model.qconfig.w_symmetric:
        raise ValueError("the integer engine takes symmetric weights (zero point 0): use w_symmetric=True")
    acts = model.act_fq
    if any(fq.qp is None for fq in acts.values()):
        raise RuntimeError(
            "convert needs scale and zero point for every activation: calibrate or train first"
        )
    return [_layer(model, name, acts[src].qp, acts[dst].qp) for name, src, dst in model.inputs_outputs()]


def _layer(model: QATNet, name: str, in_qp: QParams, out_qp: QParams) -> Int8Layer:
    """One Int8Layer: w_q = quantize(w), b_q = round(bias / (s_in * s_w)) in float32 as PyTorch's kernel.

    w and bias are the layer's folded ones (BatchNorm folded in with its running statistics, if it has one).
    """
    mod, spec = getattr(model, name), model.spec.layer(name)
    weight, bias = (t.detach() for t in model.folded(name))
    wqp = model.w_fq[name].qparams(weight)
    w_scale = wqp.scale.expand(weight.shape[0]).clone() if wqp.scale.dim() == 0 else wqp.scale.clone()
    in_scale, out_scale = float(in_qp.scale), float(out_qp.scale)
    act_times_w = torch.tensor(in_scale, dtype=torch.float32) * w_scale  # float32 product, per channel
    b_q = torch.round(bias / act_times_w).clamp(-(2**31), 2**31 - 1).to(torch.int32)
    conv = isinstance(mod, nn.Conv2d)
    return Int8Layer(
        kind="conv" if conv else "linear",
        w_q=quantize(weight, wqp).to(torch.int8),
        w_scale=w_scale,
        bias=bias.clone(),
        b_q=b_q,
        in_scale=in_scale,
        in_zp=int(in_qp.zero_point),
        out_scale=out_scale,
        out_zp=int(out_qp.zero_point),
        qmin=out_qp.qmin,
        qmax=out_qp.qmax,
        w_qmin=wqp.qmin,
        w_qmax=wqp.qmax,
        relu=spec.relu,
        stride=mod.stride[0] if conv else 1,
        padding=mod.padding[0] if conv else 0,
        flatten_before=spec.flatten_before,
        groups=spec.groups,
        relu6=spec.relu6,
    )


def convert(model: QATNet, requant: str = "fixed") -> Int8Model:
    """The integer-only model (`qlib.int8.Int8Model`) that computes what the fake-quantized model simulates."""
    return Int8Model(to_int8_layers(model), requant=requant, names=list(model.spec.names))
