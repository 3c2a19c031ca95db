"""Empirical bias correction (Nagel et al. 2019, "Data-Free Quantization Through Weight Equalization and Bias
Correction", §4.2): quantizing the weights shifts each output channel's mean, E[W̃x] ≠ E[Wx]; with data at hand
the shift is measured and taken back out of the bias, layer by layer.

For a calibrated fake-quantized model (qlib.qat.QATNet, eval mode) and images x, in layer order:

    δ_c = mean over images and positions of (y_float − y_quant)_c,   bias_c += δ_c

with y the layer's output before its activation (`QATNet.preactivation`): y_float from the float network on
x, y_quant from the fake-quantized network, whose earlier layers are already corrected (so each δ also takes in
the shift the layers before it pass on). A layer with BatchNorm gets δ in BatchNorm's β (`bn.bias += δ`): the
folded bias b' = β − γ·μ/σ moves by δ. The activation ranges stay as calibrated. PTQ only: QAT learns its biases.
The float network under a QATNet is the same modules, so after the correction its `quantized=False` path runs
with the corrected biases too: measure against a copy of the model taken before (as the tests do).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from qlib.model import activation, bn_name, num_threads
from qlib.qat import QATNet


@dataclass(frozen=True)
class LayerShift:
    """One layer's correction: the mean and the largest |δ| over its output channels."""

    name: str
    mean_abs: float
    max_abs: float


@dataclass(frozen=True)
class BiasCorrection:
    """The correction applied to every layer, in order."""

    layers: tuple[LayerShift, ...]


def _bias(model: QATNet, name: str) -> torch.Tensor:
    """The tensor a bias correction adds to: BatchNorm's β if the layer has one, else the layer's bias."""
    layer = model.spec.layer(name)
    return getattr(model, bn_name(layer)).bias if layer.bn else getattr(model, name).bias


@torch.no_grad()
def channel_means(y: torch.Tensor) -> torch.Tensor:
    """The mean of each output channel (axis 1) over everything else."""
    return y.double().transpose(0, 1).reshape(y.shape[1], -1).mean(1).float()


@torch.no_grad()
def correct_bias(model: QATNet, x: torch.Tensor) -> BiasCorrection:
    """Correct every layer's bias in place from images x (see the module docstring); returns the shifts."""
    was = model.training
    model.eval()
    shifts = []
    try:
        with num_threads(1):
            x_float, x_quant = x, model.act_fq["input"](x)
            for layer in model.spec.layers:
                y_float = model.preactivation(layer.name, x_float, quantized=False)
                delta = channel_means(y_float) - channel_means(model.preactivation(layer.name, x_quant))
                _bias(model, layer.name).add_(delta)
                shifts.append(LayerShift(layer.name, float(delta.abs().mean()), float(delta.abs().max())))
                x_float = activation(layer, y_float)
                x_quant = model.layer_forward(layer.name, x_quant)
    finally:
        model.train(was)
    return BiasCorrection(tuple(shifts))
