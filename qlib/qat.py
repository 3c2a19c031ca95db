"""Quantization-aware training and post-training quantization of TinyCNN, and conversion to the integer engine.

`prepare_qat(model, qconfig)` returns a new model in which every number the integer engine will see is
fake-quantized (`qlib.quant.fake_quant`, forward quantize→dequantize, backward the clipped straight-through
estimator):

    input ─fq─ conv1 (fq weight) ─ReLU─fq─ conv2 (fq weight) ─ReLU─fq─ flatten ─ fc (fq weight) ─fq─ logits

* weights: symmetric, signed, per output channel by default, codes `qrange(w_bits, signed=True)`, i.e.
  -128..127 with scale max|w| / 127.5 at 8 bits: PyTorch's qint8 weight scheme for x86/fbgemm (narrow_range
  False by default; `w_narrow_range=True` gives the TFLite scheme, -127..127 with scale max|w| / 127).
  Until frozen, the scale follows the current weight's range, so it equals what `convert` computes.
* activations: asymmetric, unsigned (0..2^a_bits-1) per tensor on the input and on the logits; after each
  ReLU the quantizer sees the post-ReLU value (the ReLU is fused into the output quantization, as in
  PyTorch's ConvReLU2d), so its range starts at 0 and the zero point is 0. `a_symmetric=True` makes those
  post-ReLU quantizers symmetric unsigned (zero point 0 by construction); input and logits stay asymmetric,
  as they have negative values. Observers (`qlib.observers`) update in training mode until frozen; eval mode
  uses the qparams last computed. minmax and moving_average recompute scale and zero point on every batch;
  percentile and mse (which sort or search the whole distribution) gather a sample during an epoch and
  recompute at its end.

Which qparams qlib uses while training: the same `calc_qparams` for the fake quantization during training
and for `convert` (it is PyTorch's observer formula, `_calculate_qparams` in Python: scale in float32,
zero_point = qmin - round(min / scale)), so what the model is trained against is exactly what the integer
model computes. PyTorch's default QAT (`FusedMovingAvgObsFakeQuantize` in `get_default_qat_qconfig("x86")`)
computes the training-time scale and zero point in C++ (`fused_moving_avg_obs_fake_quant` →
`ChooseQuantizationParams`: scale in double, zero point from whichever end, min or max, rounds with the
smaller error, nudged with nearbyint), while its `convert` takes them from the observer's Python
`calculate_qparams`: the two can differ in the last bits of the scale and now and then by one in the zero
point, so a PyTorch QAT model can be converted to slightly different grids than it was trained against.

PTQ is the same model without training: `calibrate(prepare_qat(fp32, qc), x)` records float statistics.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from qlib.int8 import Int8Model
from qlib.layers import Int8Layer
from qlib.model import num_threads
from qlib.observers import (
    MinMaxObserver,
    MovingAverageMinMaxObserver,
    MSEObserver,
    Observer,
    PercentileObserver,
)
from qlib.quant import QParams, fake_quant, quantize

OBSERVERS = ("minmax", "moving_average", "percentile", "mse")
HISTORY_OBSERVERS = ("percentile", "mse")  # these recompute at the end of each epoch, not every batch
SAMPLE_PER_BATCH = 4096  # values a percentile/mse observer keeps from each training batch
LAYERS = ("conv1", "conv2", "fc")


@dataclass(frozen=True)
class QConfig:
    """How to quantize: bit widths, schemes, the activation observer, and when observers freeze."""

    w_bits: int = 8
    a_bits: int = 8
    w_symmetric: bool = True
    w_per_channel: bool = True
    w_narrow_range: bool = False
    a_symmetric: bool = False
    observer: str = "moving_average"  # activations: minmax | moving_average | percentile | mse
    freeze_observers_after: int | None = None  # epoch index (0-based) from which scale and zero point stay
    percentile: float = 99.99
    averaging_constant: float = 0.01

    def __post_init__(self) -> None:
        for name in ("w_bits", "a_bits"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not 2 <= v <= 8:
                raise ValueError(
                    f"{name} must be an integer from 2 to 8 (the integer engine stores int8), got {v!r}"
                )
        if self.observer not in OBSERVERS:
            raise ValueError(f"observer must be one of {OBSERVERS}, got {self.observer!r}")
        if self.freeze_observers_after is not None and self.freeze_observers_after < 0:
            raise ValueError(
                f"freeze_observers_after must be None or >= 0, got {self.freeze_observers_after!r}"
            )
        if not 50.0 < self.percentile <= 100.0:
            raise ValueError(f"percentile must be in (50, 100], got {self.percentile!r}")
        if not 0.0 < self.averaging_constant <= 1.0:
            raise ValueError(f"averaging_constant must be in (0, 1], got {self.averaging_constant!r}")

    @property
    def name(self) -> str:
        """Short label such as 'w8a8'."""
        return f"w{self.w_bits}a{self.a_bits}"

    def as_dict(self) -> dict:
        """Plain dict (JSON, metrics)."""
        return asdict(self)


def make_observer(
    kind: str, qc: QConfig, bits: int, axis: int | None = None, symmetric: bool = False
) -> Observer:
    """A fresh qlib observer of the given kind (mse: searched for this activation code, unsigned)."""
    if kind == "minmax":
        return MinMaxObserver(axis=axis)
    if kind == "moving_average":
        return MovingAverageMinMaxObserver(qc.averaging_constant, axis=axis)
    if kind == "percentile":
        return PercentileObserver(qc.percentile, axis=axis)
    return MSEObserver(bits=bits, symmetric=symmetric, signed=False, axis=axis, steps=40)


def _describe(qp: QParams | None) -> dict:
    """Scale and zero point as plain numbers (lists per channel) for callbacks and JSON."""
    if qp is None:
        return {}
    if qp.scale.dim() == 0:
        return {"scale": float(qp.scale), "zero_point": int(qp.zero_point), "qmin": qp.qmin, "qmax": qp.qmax}
    return {
        "scale": qp.scale.tolist(),
        "zero_point": qp.zero_point.tolist(),
        "qmin": qp.qmin,
        "qmax": qp.qmax,
    }


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
            if not self.per_epoch or self.qp is None:
                self.update()
        if self.calibrating:
            return x
        if self.qp is None:
            raise RuntimeError("this quantizer has seen no data: calibrate the model or train it first")
        return fake_quant(x, self.qp)


class QATCNN(nn.Module):
    """TinyCNN with fake quantization on the input, every weight, every (post-ReLU) activation and the logits."""

    def __init__(self, model: nn.Module, qconfig: QConfig) -> None:
        super().__init__()
        self.qconfig = qconfig
        self.conv1, self.conv2, self.fc = model.conv1, model.conv2, model.fc
        self.w_fq = nn.ModuleDict({name: WeightFakeQuant(qconfig) for name in LAYERS})
        self.act_fq = nn.ModuleDict(
            {
                "input": ActFakeQuant(qconfig),
                "conv1": ActFakeQuant(qconfig, symmetric=qconfig.a_symmetric),
                "conv2": ActFakeQuant(qconfig, symmetric=qconfig.a_symmetric),
                "fc": ActFakeQuant(qconfig),
            }
        )

    def weight(self, name: str) -> torch.Tensor:
        """The fake-quantized weight of a layer, as the forward pass uses it."""
        return self.w_fq[name](getattr(self, name).weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act_fq["input"](x)
        x = self.act_fq["conv1"](F.relu(F.conv2d(x, self.weight("conv1"), self.conv1.bias, 1, 1)))
        x = self.act_fq["conv2"](F.relu(F.conv2d(x, self.weight("conv2"), self.conv2.bias, 2, 1)))
        return self.act_fq["fc"](F.linear(torch.flatten(x, 1), self.weight("fc"), self.fc.bias))

    # -- hooks that qlib.model.fit calls ---------------------------------------------------------------------
    def start_epoch(self, epoch: int) -> None:
        """Freeze every observer once `freeze_observers_after` epochs have passed; restart per-epoch ones."""
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
                fq.freeze(getattr(self, name).weight)
        for fq in self.act_fq.values():
            fq.update()
            fq.frozen = True

    @property
    def frozen(self) -> bool:
        """True once every observer is frozen."""
        return all(fq.frozen for fq in [*self.w_fq.values(), *self.act_fq.values()])

    def quantizer_state(self) -> dict[str, dict]:
        """Current scale and zero point of every quantizer (per-channel weights as lists), plain numbers."""
        out = {"input": _describe(self.act_fq["input"].qp)}
        for name in LAYERS:
            out[f"{name}.weight"] = _describe(self.w_fq[name].qparams(getattr(self, name).weight))
            out[f"{name}.output"] = _describe(self.act_fq[name].qp)
        return out


def prepare_qat(model: nn.Module, qconfig: QConfig | None = None) -> QATCNN:
    """A new fake-quantized model built on a deep copy of `model` (which is left untouched)."""
    for name in LAYERS:
        if not hasattr(model, name):
            raise TypeError(f"prepare_qat expects a TinyCNN (conv1, conv2, fc), got {type(model).__name__}")
    qat = QATCNN(copy.deepcopy(model), qconfig or QConfig())
    return qat.train(model.training)


@torch.no_grad()
def calibrate(model: QATCNN, x: torch.Tensor, batch_size: int | None = None) -> QATCNN:
    """PTQ: run float data through the float network so the activation observers record it; no training.

    Weights and activations stay float during calibration (as in PyTorch's PTQ); afterwards the model
    fake-quantizes with the recorded scale and zero point. Returns the model (changed in place).
    """
    if not isinstance(model, QATCNN):
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
def to_int8_layers(model: QATCNN) -> list[Int8Layer]:
    """The integer description of a fake-quantized model: int8 weights, int32 biases, the activation qparams."""
    qc = model.qconfig
    if not qc.w_symmetric:
        raise ValueError("the integer engine takes symmetric weights (zero point 0): use w_symmetric=True")
    acts = model.act_fq
    if any(fq.qp is None for fq in acts.values()):
        raise RuntimeError(
            "convert needs scale and zero point for every activation: calibrate or train first"
        )
    ios = [("conv1", "input", "conv1"), ("conv2", "conv1", "conv2"), ("fc", "conv2", "fc")]
    return [_layer(model, name, acts[src].qp, acts[dst].qp) for name, src, dst in ios]


def _layer(model: QATCNN, name: str, in_qp: QParams, out_qp: QParams) -> Int8Layer:
    """One Int8Layer: w_q = quantize(w), b_q = round(bias / (s_in * s_w)) in float32 as PyTorch's kernel."""
    mod = getattr(model, name)
    wqp = model.w_fq[name].qparams(mod.weight)
    w_scale = wqp.scale.expand(mod.weight.shape[0]).clone() if wqp.scale.dim() == 0 else wqp.scale.clone()
    in_scale, out_scale = float(in_qp.scale), float(out_qp.scale)
    act_times_w = torch.tensor(in_scale, dtype=torch.float32) * w_scale  # float32 product, per channel
    b_q = torch.round(mod.bias.detach() / act_times_w).clamp(-(2**31), 2**31 - 1).to(torch.int32)
    conv = isinstance(mod, nn.Conv2d)
    return Int8Layer(
        kind="conv" if conv else "linear",
        w_q=quantize(mod.weight, wqp).to(torch.int8),
        w_scale=w_scale,
        bias=mod.bias.detach().clone(),
        b_q=b_q,
        in_scale=in_scale,
        in_zp=int(in_qp.zero_point),
        out_scale=out_scale,
        out_zp=int(out_qp.zero_point),
        qmin=out_qp.qmin,
        qmax=out_qp.qmax,
        w_qmin=wqp.qmin,
        w_qmax=wqp.qmax,
        relu=name != "fc",
        stride=mod.stride[0] if conv else 1,
        padding=mod.padding[0] if conv else 0,
        flatten_before=not conv,
    )


def convert(model: QATCNN, requant: str = "fixed") -> Int8Model:
    """The integer-only model (`qlib.int8.Int8Model`) that computes what the fake-quantized model simulates."""
    return Int8Model(to_int8_layers(model), requant=requant, names=list(LAYERS))
