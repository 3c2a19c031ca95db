"""BatchNorm and quantization: folding BatchNorm into the conv before it, and training with it folded (QAT).

Folding. In eval mode BatchNorm is an affine map per output channel, y = γ·(z − μ)/σ + β with σ = √(var + eps)
and z = W∗x + b the conv's output, so the conv and the BatchNorm are one conv:

    W' = γ·W/σ          b' = β + γ·(b − μ)/σ   (= β − γ·μ/σ when the conv has no bias, as here)

`fold_weights` computes this in the float operations and order of `torch.nn.utils.fusion.fuse_conv_bn_weights`
(torch 2.13.0, torch/nn/utils/fusion.py), which `torch.ao.quantization.fuse_modules` calls through
`fuse_conv_bn_eval`: r = rsqrt(var + eps); W' = W·(γ·r); b' = (b − μ)·r·γ + β, so the results are equal bit for
bit. Each output channel's weights are multiplied by its own γ/σ: channels whose ranges were alike before the
fold can differ by a large factor after it, which is what per-tensor weight quantization cannot take.

QAT with BatchNorm, as PyTorch does it (torch/ao/nn/intrinsic/qat/modules/conv_fused.py, `_ConvBnNd.
_forward_approximate`): the weight is folded with the *running* statistics and fake-quantized, the conv runs
with it, the output is divided by the same γ/σ_running again, and BatchNorm then normalises with the *batch*
statistics (and updates the running ones):

    s = γ / √(running_var + eps);   y = BN_batch( conv(x, fq(W·s)) / s )

so training sees the quantized folded weight, while the normalisation uses the batch statistics training needs.
`freeze_bn_stats` switches BatchNorm to its running statistics (and stops updating them): y is then
exactly the folded conv, conv(x, fq(W·s)) + β − γ·μ/σ, what inference computes (Krishnamoorthi 2018, §3.2).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch
import torch.nn.functional as F
from torch import nn

from qlib.model import Net, activation
from qlib.spec import NetSpec

__all__ = [
    "ChannelRanges",
    "Fold",
    "channel_ranges",
    "fold",
    "fold_all",
    "BatchDrift",
    "batch_drift",
    "fold_weights",
    "folded_net",
    "folded_spec",
    "simulated_fold_forward",
]


@dataclass(frozen=True)
class ChannelRanges:
    """Each output channel's smallest and largest weight (float32, one entry per channel)."""

    min: torch.Tensor
    max: torch.Tensor

    @property
    def absmax(self) -> torch.Tensor:
        """max(|min|, |max|) per channel: what a symmetric per-channel scale is made from."""
        return torch.maximum(self.min.abs(), self.max.abs())

    @property
    def spread(self) -> float:
        """Largest channel's max|w| over the smallest's: 1 means one scale fits all channels equally well."""
        a = self.absmax
        return float(a.max() / a.min()) if float(a.min()) > 0 else float("inf")

    @property
    def tensor_absmax(self) -> float:
        """max|w| over the whole tensor: what one per-tensor scale is made from."""
        return float(self.absmax.max())


def channel_ranges(w: torch.Tensor) -> ChannelRanges:
    """Per-output-channel min and max of a weight (axis 0), as PyTorch's PerChannelMinMaxObserver sees them."""
    lo, hi = torch.aminmax(w.detach().flatten(1), dim=1)
    return ChannelRanges(lo, hi)


def fold_weights(
    w: torch.Tensor, b: torch.Tensor | None, bn: nn.BatchNorm2d
) -> tuple[torch.Tensor, torch.Tensor]:
    """W' = γ·W/σ, b' = β + γ·(b − μ)/σ in fuse_conv_bn_weights' float operations (differentiable)."""
    b = torch.zeros_like(bn.running_mean) if b is None else b
    r = torch.rsqrt(bn.running_var + bn.eps)
    w_fold = w * (bn.weight * r).reshape([-1] + [1] * (w.dim() - 1))
    b_fold = (b - bn.running_mean) * r * bn.weight + bn.bias
    return w_fold, b_fold


@dataclass(frozen=True)
class Fold:
    """One conv + BatchNorm folded into one conv: the numbers that go in, σ, the folded weight and bias."""

    name: str
    weight: torch.Tensor  # W, (C_out, C_in/groups, k, k)
    bias: torch.Tensor  # the conv's own bias b (zeros when it has none)
    gamma: torch.Tensor  # γ, BatchNorm's weight
    beta: torch.Tensor  # β, BatchNorm's bias
    mean: torch.Tensor  # μ, running mean
    var: torch.Tensor  # running variance
    eps: float
    folded_weight: torch.Tensor  # W' = γ·W/σ
    folded_bias: torch.Tensor  # b' = β + γ·(b − μ)/σ

    @property
    def sigma(self) -> torch.Tensor:
        """σ = √(var + eps) per channel."""
        return torch.sqrt(self.var + self.eps)

    @property
    def multiplier(self) -> torch.Tensor:
        """γ/σ per channel: how much folding stretches (or shrinks) each output channel's weights."""
        return self.gamma * torch.rsqrt(self.var + self.eps)

    @property
    def before(self) -> ChannelRanges:
        """Per-channel weight ranges of the conv before folding."""
        return channel_ranges(self.weight)

    @property
    def after(self) -> ChannelRanges:
        """Per-channel weight ranges after folding: what the quantizer sees."""
        return channel_ranges(self.folded_weight)


@torch.no_grad()
def fold(model: nn.Module, name: str) -> Fold:
    """The fold of one conv + BatchNorm layer of a float network (qlib.model.Net) with its numbers."""
    bn = model.bn(name)
    if bn is None:
        raise ValueError(f"{name} has no BatchNorm to fold")
    conv = getattr(model, name)
    w_fold, b_fold = fold_weights(conv.weight, conv.bias, bn)
    b = conv.bias if conv.bias is not None else torch.zeros_like(bn.running_mean)
    return Fold(
        name,
        conv.weight.detach().clone(),
        b.detach().clone(),
        bn.weight.detach().clone(),
        bn.bias.detach().clone(),
        bn.running_mean.clone(),
        bn.running_var.clone(),
        float(bn.eps),
        w_fold.detach().clone(),
        b_fold.detach().clone(),
    )


def fold_all(model: nn.Module) -> list[Fold]:
    """Every conv + BatchNorm of a network, folded, in order."""
    return [fold(model, layer.name) for layer in model.spec.layers if layer.bn]


def folded_spec(spec: NetSpec) -> NetSpec:
    """The same network with every BatchNorm folded away: conv layers with a bias and no BatchNorm."""
    return NetSpec(
        f"{spec.name}_folded", spec.input_shape, tuple(replace(layer, bn=False) for layer in spec.layers)
    )


@torch.no_grad()
def folded_net(model: nn.Module) -> nn.Module:
    """A new float network without BatchNorm computing what `model` computes in eval mode (weights folded)."""
    net = Net(folded_spec(model.spec))
    for layer in model.spec.layers:
        src, dst = getattr(model, layer.name), getattr(net, layer.name)
        w, b = (
            fold_weights(src.weight, src.bias, model.bn(layer.name)) if layer.bn else (src.weight, src.bias)
        )
        dst.weight.copy_(w)
        dst.bias.copy_(b)
    return net.eval()


def simulated_fold_forward(
    x: torch.Tensor, conv: nn.Conv2d, bn: nn.BatchNorm2d, weight_fq: nn.Module
) -> torch.Tensor:
    """PyTorch's QAT conv + BatchNorm (`_forward_approximate`): BN(conv(x, fq(W·s)) / s), s = γ/√(var_run + eps).

    BatchNorm in training mode normalises with the batch's statistics and updates its running ones; frozen
    (eval mode) it uses the running ones, and the whole is the folded conv. Same float operations as PyTorch.
    """
    running_std = torch.sqrt(bn.running_var + bn.eps)
    scale_factor = bn.weight / running_std
    scaled_weight = weight_fq(conv.weight * scale_factor.reshape(-1, 1, 1, 1))
    zero_bias = torch.zeros(conv.out_channels, dtype=x.dtype)
    out = F.conv2d(x, scaled_weight, zero_bias, conv.stride, conv.padding, conv.dilation, conv.groups)
    out = out / scale_factor.reshape(1, -1, 1, 1)
    if conv.bias is not None:
        out = out + conv.bias.reshape(1, -1, 1, 1)
    return bn(out)


@dataclass(frozen=True)
class BatchDrift:
    """How far one BatchNorm's per-batch statistics stray from its running ones: what freezing removes.

    Training normalises with each batch's mean and σ; inference (and frozen QAT) with the running ones.
    `sigma` is the mean over batches and channels of |σ_batch/σ_running − 1|; `mean` of |μ_batch − μ_running|/σ_running.
    """

    name: str
    sigma: float
    mean: float


@torch.no_grad()
def batch_drift(model: nn.Module, x: torch.Tensor, batch_size: int = 32) -> list[BatchDrift]:
    """Each BatchNorm's batch-to-running drift on batches of x (inputs to each layer from the eval-mode net)."""
    out = []
    was = model.training
    model.eval()
    try:
        h = x
        for layer in model.spec.layers:
            if layer.flatten_before:
                h = torch.flatten(h, 1)
            z = getattr(model, layer.name)(h)
            bn = model.bn(layer.name)
            if bn is not None:
                sd_run, sig, mu = torch.sqrt(bn.running_var + bn.eps), [], []
                for part in z.split(batch_size):
                    var, mean = torch.var_mean(part, dim=(0, 2, 3), unbiased=False)
                    sig.append((torch.sqrt(var + bn.eps) / sd_run - 1).abs().mean())
                    mu.append(((mean - bn.running_mean).abs() / sd_run).mean())
                out.append(
                    BatchDrift(layer.name, float(torch.stack(sig).mean()), float(torch.stack(mu).mean()))
                )
                z = bn(z)
            h = activation(layer, z)
    finally:
        model.train(was)
    return out
