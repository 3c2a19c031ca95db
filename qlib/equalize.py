"""Cross-layer equalisation (Nagel et al. 2019, "Data-Free Quantization", §4.1): rescale the output channels
of one layer and the matching input channels of the next so both have the same per-channel weight range.

For two layers y = f(W₂·f(W₁x + b₁) + b₂) with f positively homogeneous (ReLU: f(s·z) = s·f(z) for s > 0),
any positive diagonal S gives the same function with W₁' = S⁻¹W₁, b₁' = S⁻¹b₁ and W₂' = W₂S. With r₁ᵢ the range
of output channel i of W₁ and r₂ᵢ the range of input channel i of W₂, the paper's optimum (its eq. 10, the
scaling that maximises the summed per-channel precision of both tensors) is

    sᵢ = (1/r₂ᵢ)·√(r₁ᵢ·r₂ᵢ) = √(r₁ᵢ/r₂ᵢ),   after which   r₁ᵢ' = r₂ᵢ' = √(r₁ᵢ·r₂ᵢ).

Ranges are max|w| over the channel (symmetric weights: the range is twice that, and the factor cancels).
For a depthwise W₂, input channel i is its own filter i; for a linear layer after a flatten, input channel i
is the block of H·W features that came from channel i. A chain (conv1 → dw2 → pw2 → ...) is equalised pair
by pair, and the sweep repeated until the scales stop changing (the paper iterates to convergence).

ReLU6 is not scale-equivariant: min(max(0, s·z), 6) ≠ s·min(max(0, z), 6) unless s = 1, since the clip at 6
does not move. There are two honest ways: keep the function exact by clipping channel i at 6/sᵢ instead (a
per-channel bound no int8 kernel's fused activation has), or replace ReLU6 by ReLU first and accept the change
of function where pre-activations pass 6. We do the second, as the paper's MobileNetV2 ablation and Qualcomm's
AIMET do (quic/aimet Docs/torch_code_examples: "Replace any ReLU6 layers with ReLU" before cross-layer
scaling), and report the replacement's own effect on accuracy separately (`Equalization.replaced_relu6`).
BatchNorm is folded first (qlib.batchnorm): equalisation acts on the weights the quantizer will see.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch

from qlib.batchnorm import ChannelRanges, channel_ranges, folded_net
from qlib.model import Net
from qlib.spec import Layer, NetSpec


@dataclass(frozen=True)
class PairScales:
    """The total scaling applied between two consecutive layers: W₁ row i ÷ sᵢ, W₂ input channel i × sᵢ."""

    first: str
    second: str
    scales: torch.Tensor  # sᵢ, one per channel between the two layers (product over the iterations)


@dataclass(frozen=True)
class Equalization:
    """An equalised float network, the scales used, and every layer's per-channel weight ranges before/after."""

    model: Net  # BatchNorm folded, ReLU6 replaced by ReLU, equalised
    unequalized: Net  # the same before equalisation (folded, ReLU6 → ReLU): the fair baseline
    pairs: tuple[PairScales, ...]
    iterations: int
    replaced_relu6: tuple[str, ...]  # the layers whose ReLU6 became a ReLU
    before: dict[str, ChannelRanges]
    after: dict[str, ChannelRanges]

    def spread(self, name: str) -> tuple[float, float]:
        """(before, after) ratio of the largest to the smallest channel range of a layer's weight."""
        return self.before[name].spread, self.after[name].spread


def relu_spec(spec: NetSpec) -> NetSpec:
    """The same network with every ReLU6 replaced by a ReLU (scale-equivariant, so equalisation is exact)."""
    return NetSpec(
        f"{spec.name}_relu",
        spec.input_shape,
        tuple(replace(layer, relu6=False) for layer in spec.layers),
    )


def _with_spec(model: Net, spec: NetSpec) -> Net:
    """A copy of a float network under another spec with the same parameter names (e.g. ReLU6 → ReLU)."""
    net = Net(spec)
    net.load_state_dict(model.state_dict())
    return net.eval()


def output_absmax(w: torch.Tensor) -> torch.Tensor:
    """r₁: max|w| of each output channel (row) of a weight."""
    return w.detach().abs().flatten(1).amax(1)


def input_absmax(w: torch.Tensor, layer: Layer, channels: int) -> torch.Tensor:
    """r₂: max|w| over everything that reads input channel i (grouped conv, or a linear layer after a flatten)."""
    w = w.detach().abs()
    if layer.kind == "linear":  # features of channel i are the contiguous block [i·HW, (i+1)·HW)
        return w.reshape(w.shape[0], channels, -1).amax(dim=(0, 2))
    per_group = w.shape[1]  # C_in / groups
    out_per_group = w.shape[0] // layer.groups
    # input channel i = group g = i // per_group, column i % per_group, read by that group's output channels
    w = w.reshape(layer.groups, out_per_group, per_group, -1).amax(dim=(1, 3))  # groups × per_group
    return w.reshape(-1)


def _scale_pair(net: Net, first: Layer, second: Layer) -> torch.Tensor:
    """Equalise one pair in place; returns sᵢ (1 where a channel is all zero in either layer)."""
    m1, m2 = getattr(net, first.name), getattr(net, second.name)
    r1 = output_absmax(m1.weight)
    r2 = input_absmax(m2.weight, second, first.out_channels)
    ok = (r1 > 0) & (r2 > 0)
    s = torch.where(ok, torch.sqrt(r1 * r2) / torch.where(ok, r2, 1.0), torch.ones_like(r1))
    with torch.no_grad():
        m1.weight.div_(s.reshape(-1, *[1] * (m1.weight.dim() - 1)))
        m1.bias.div_(s)
        if second.kind == "linear":
            cols = m2.weight.reshape(m2.weight.shape[0], first.out_channels, -1)
            cols.mul_(s.reshape(1, -1, 1))
        elif second.groups == 1:
            m2.weight.mul_(s.reshape(1, -1, 1, 1))
        else:  # input channel i of a grouped conv: column i % per_group of group i // per_group
            per_group = m2.weight.shape[1]
            w = m2.weight.reshape(second.groups, -1, per_group, *m2.weight.shape[2:])
            w.mul_(s.reshape(second.groups, 1, per_group, 1, 1))
    return s


def pairs(spec: NetSpec) -> list[tuple[Layer, Layer]]:
    """Consecutive layers with a ReLU between them (or nothing): the pairs equalisation may rescale."""
    out = []
    for a, b in zip(spec.layers, spec.layers[1:], strict=False):
        if a.kind == "conv" and not a.relu6:
            out.append((a, b))
    return out


@torch.no_grad()
def equalize(model: Net, max_iterations: int = 100, tol: float = 1e-6) -> Equalization:
    """Fold BatchNorm, replace ReLU6 by ReLU, and equalise every pair until max |sᵢ − 1| < tol."""
    folded = folded_net(model)
    replaced = tuple(layer.name for layer in folded.spec.layers if layer.relu6)
    base = _with_spec(folded, relu_spec(folded.spec))
    net = _with_spec(base, base.spec)
    chain = pairs(net.spec)
    totals = {a.name: torch.ones(a.out_channels) for a, _ in chain}
    iterations = 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007 (the count is reported)
        worst = 0.0
        for a, b in chain:
            s = _scale_pair(net, a, b)
            totals[a.name] *= s
            worst = max(worst, float((s - 1).abs().max()))
        if worst < tol:
            break
    return Equalization(
        model=net.eval(),
        unequalized=base,
        pairs=tuple(PairScales(a.name, b.name, totals[a.name]) for a, b in chain),
        iterations=iterations,
        replaced_relu6=replaced,
        before={n: channel_ranges(getattr(base, n).weight) for n in base.spec.names},
        after={n: channel_ranges(getattr(net, n).weight) for n in net.spec.names},
    )
