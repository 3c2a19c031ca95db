"""Where quantization hurts: each layer's SQNR between the float and the quantized outputs, and the layer
that breaks first.

For a fake-quantized model (qlib.qat.QATNet, eval mode) and images x, per layer:

* `own_db`: the layer quantized alone, i.e. its float input (from the float network), its weight and its
  output fake-quantized, against the same layer in float: the noise this layer adds by itself;
* `cumulative_db`: the layer's output in the integer model (qlib.int8, every layer before it quantized too,
  the codes dequantized) against the float network's: the noise that has piled up by then.

SQNR = 10·log10(Σ y² / Σ (y − ŷ)²) over all the outputs of the batch, in dB (6.02 dB per bit for a uniform
grid). The float network is the same model with its quantizers off (BatchNorm folded, running statistics), so
a QAT model is compared with its own float weights. The layer that breaks first is the one with the lowest
`own_db`: what every later layer inherits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from qlib.int8 import Int8Model
from qlib.model import num_threads
from qlib.qat import QATNet, convert
from qlib.quant import dequantize


@dataclass(frozen=True)
class LayerSQNR:
    """One layer's SQNR (dB) between its float and quantized outputs: alone, and with every layer before it."""

    name: str
    own_db: float
    cumulative_db: float


@dataclass(frozen=True)
class Sensitivity:
    """Every layer's SQNR, in order, and the one that breaks first (the lowest own SQNR)."""

    layers: tuple[LayerSQNR, ...]

    @property
    def breaks_first(self) -> str:
        """The layer whose own quantization costs the most signal."""
        return min(self.layers, key=lambda s: s.own_db).name

    def layer(self, name: str) -> LayerSQNR:
        return next(s for s in self.layers if s.name == name)


def sqnr_db(reference: torch.Tensor, approx: torch.Tensor) -> float:
    """10·log10(Σ ref² / Σ (ref − approx)²) in double; +inf when they are equal."""
    ref, err = reference.double(), (reference.double() - approx.double())
    noise = float(err.pow(2).sum())
    signal = float(ref.pow(2).sum())
    if noise == 0.0:
        return math.inf
    return 10.0 * math.log10(signal / noise) if signal > 0 else -math.inf


@torch.no_grad()
def float_outputs(model: QATNet, x: torch.Tensor) -> list[torch.Tensor]:
    """Each layer's output in the float network under the fake-quantized one (no quantizer anywhere)."""
    was = model.training
    model.eval()
    outs = []
    try:
        for name in model.spec.names:
            x = model.layer_forward(name, x, quantized=False)
            outs.append(x)
    finally:
        model.train(was)
    return outs


@torch.no_grad()
def sensitivity(model: QATNet, x: torch.Tensor, int8: Int8Model | None = None) -> Sensitivity:
    """Per-layer SQNR of a calibrated or trained fake-quantized model on images x (see the module docstring).

    The cumulative figures come from the integer engine (`int8`, else `convert(model)`).
    """
    with num_threads(1):
        was = model.training
        model.eval()
        try:
            ref = float_outputs(model, x)
            inputs = [x, *ref[:-1]]
            own = [
                sqnr_db(r, model.layer_forward(name, xin))
                for name, xin, r in zip(model.spec.names, inputs, ref, strict=True)
            ]
        finally:
            model.train(was)
        int8 = int8 if int8 is not None else convert(model)
        steps = int8.trace(x)
        cum = [
            sqnr_db(r, dequantize(s.q_out, _out_qparams(int8, i)))
            for i, (s, r) in enumerate(zip(steps, ref, strict=True))
        ]
    return Sensitivity(tuple(LayerSQNR(n, o, c) for n, o, c in zip(model.spec.names, own, cum, strict=True)))


def _out_qparams(int8: Int8Model, i: int):
    """How layer i's output codes read as real values."""
    from qlib.quant import QParams

    layer = int8.layers[i]
    return QParams(
        torch.tensor(layer.out_scale, dtype=torch.float32), torch.tensor(layer.out_zp), layer.qmin, layer.qmax
    )
