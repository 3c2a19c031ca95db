"""AdaRound-style learned rounding (Nagel et al. 2020, "Up or Down? Adaptive Rounding for Post-Training
Quantization"), small enough to run in seconds: per layer, choose for every weight whether to round down or up
so that the layer's output, not the weight, stays close to the float one.

    W̃ = s · clamp(⌊W/s⌋ + h(V), qmin, qmax),   h(V) = clamp(sigmoid(V)·(ζ − γ) + γ, 0, 1),  ζ = 1.1, γ = −0.1

V starts where h(V) = W/s − ⌊W/s⌋ (so W̃ starts at W, unrounded) and minimises, by Adam on batches of the
calibration images,

    ‖f(W x) − f(W̃ x̃)‖² (per image, summed over outputs, averaged)  +  λ Σ (1 − |2h(V) − 1|^β)

with f the layer's activation (before its output quantizer), x the float network's input to the layer, x̃ the
quantized network's (the layers before already rounded: the paper's asymmetric reconstruction), λ = 0.01 and
β annealed linearly from 20 to 2 after a 20 % warm-up without the regulariser (the paper's settings); then each weight is
rounded up where h(V) ≥ ½ (V ≥ 0). The paper runs 10,000 iterations per layer on 1,024 ImageNet images; here
`steps` (default 500) on the digits' training images, which is what "in seconds" costs. The scale s is the
layer's min-max weight scale (the same grid as round-to-nearest: only the rounding is learned).

The rounded weights are written back as s·q and the layer's weight quantizer is frozen at s, so `convert`
quantizes them to exactly the learned codes. BatchNorm must be folded first (qlib.batchnorm.folded_net): the
codes are of the folded weight.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from qlib.model import activation, num_threads
from qlib.qat import QATNet
from qlib.quant import QParams

ZETA, GAMMA = 1.1, -0.1
LAMBDA, BETA = 0.01, (20.0, 2.0)
STEPS, BATCH, LR, WARMUP = 500, 128, 1e-2, 0.2


def rectified_sigmoid(v: torch.Tensor) -> torch.Tensor:
    """h(V) = clamp(sigmoid(V)·(ζ − γ) + γ, 0, 1): reaches 0 and 1 exactly, unlike a sigmoid."""
    return torch.clamp(torch.sigmoid(v) * (ZETA - GAMMA) + GAMMA, 0.0, 1.0)


def _broadcast(t: torch.Tensor, qp: QParams, ndim: int) -> torch.Tensor:
    return t.reshape([-1] + [1] * (ndim - 1)) if qp.axis is not None else t


class AdaRoundQuantizer(nn.Module):
    """A weight quantizer with learnable rounding: s·clamp(⌊W/s⌋ + h(V), qmin, qmax) (hard: h = [V ≥ 0])."""

    def __init__(self, w: torch.Tensor, qp: QParams) -> None:
        super().__init__()
        self.qp = qp
        self.register_buffer("scale", _broadcast(qp.scale, qp, w.dim()))
        ratio = w.detach() * (1.0 / self.scale)
        self.register_buffer("floor", torch.floor(ratio))
        rest = (ratio - self.floor).clamp(1e-4, 1 - 1e-4)
        self.v = nn.Parameter(-torch.log((ZETA - GAMMA) / (rest - GAMMA) - 1))  # h(V) = rest
        self.hard = False

    def h(self) -> torch.Tensor:
        return (self.v >= 0).to(self.floor.dtype) if self.hard else rectified_sigmoid(self.v)

    def codes(self) -> torch.Tensor:
        """The integer codes the hard rounding gives."""
        with torch.no_grad():
            return torch.clamp(self.floor + (self.v >= 0).to(self.floor.dtype), self.qp.qmin, self.qp.qmax)

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        return self.scale * torch.clamp(self.floor + self.h(), self.qp.qmin, self.qp.qmax)

    def regularizer(self, beta: float) -> torch.Tensor:
        """Σ 1 − |2h(V) − 1|^β: zero only when every h is 0 or 1."""
        return (1 - (2 * rectified_sigmoid(self.v) - 1).abs().pow(beta)).sum()


@dataclass(frozen=True)
class LayerRounding:
    """One layer's learned rounding: the share of weights rounded otherwise than to nearest, and the output
    error ‖f(Wx) − f(W̃x̃)‖² per image, with round-to-nearest and with the learned rounding."""

    name: str
    flipped: float
    nearest_error: float
    learned_error: float


@dataclass(frozen=True)
class Rounding:
    """Every layer's rounding, in order."""

    layers: tuple[LayerRounding, ...]


def _error(y: torch.Tensor, target: torch.Tensor) -> float:
    return float((y - target).flatten(1).pow(2).sum(1).mean())


def adaround(
    model: QATNet, x: torch.Tensor, steps: int = STEPS, batch_size: int = BATCH, lr: float = LR, seed: int = 0
) -> Rounding:
    """Learn every layer's rounding in order (see the module docstring); changes the model in place.

    `model` is calibrated (its activation quantizers have their ranges) and has no BatchNorm.
    """
    if any(layer.bn for layer in model.spec.layers):
        raise ValueError("fold BatchNorm first (qlib.batchnorm.folded_net): AdaRound learns the folded codes")
    was = model.training
    model.eval()
    g = torch.Generator().manual_seed(seed)
    out = []
    try:
        with num_threads(1):
            with torch.no_grad():
                x_float, x_quant = x, model.act_fq["input"](x)
            for layer in model.spec.layers:
                name, fq = layer.name, model.w_fq[layer.name]
                mod = getattr(model, name)
                with torch.no_grad():
                    target = activation(layer, model.preactivation(name, x_float, quantized=False))
                    nearest = _error(activation(layer, model.preactivation(name, x_quant)), target)
                qp = fq.qparams(mod.weight.detach())
                rounder = AdaRoundQuantizer(mod.weight, qp)
                model.w_fq[name] = rounder
                _learn(model, layer, rounder, x_quant, target, steps, batch_size, lr, g)
                rounder.hard = True
                with torch.no_grad():
                    learned = _error(activation(layer, model.preactivation(name, x_quant)), target)
                    nearest_codes = torch.clamp(
                        torch.round(mod.weight * (1.0 / rounder.scale)), qp.qmin, qp.qmax
                    )
                    codes = rounder.codes()
                    mod.weight.copy_(codes * rounder.scale)  # s·q: round-to-nearest gives q back
                fq.qp, fq.frozen = qp, True
                model.w_fq[name] = fq
                flipped = float((codes != nearest_codes).double().mean())
                out.append(LayerRounding(name, flipped, nearest, learned))
                with torch.no_grad():
                    x_float = target
                    x_quant = model.layer_forward(name, x_quant)
    finally:
        model.train(was)
    return Rounding(tuple(out))


def _learn(model, layer, rounder, x_quant, target, steps, batch_size, lr, g) -> None:
    """Adam on V: reconstruction of f(W x) from x̃, plus the annealed rounding regulariser after the warm-up."""
    opt = torch.optim.Adam([rounder.v], lr=lr)
    warmup = int(WARMUP * steps)
    for step in range(steps):
        idx = torch.randint(len(x_quant), (min(batch_size, len(x_quant)),), generator=g)
        y = activation(layer, model.preactivation(layer.name, x_quant[idx]))
        loss = (y - target[idx]).flatten(1).pow(2).sum(1).mean()
        if step >= warmup:
            t = (step - warmup) / max(steps - warmup, 1)
            beta = BETA[1] + (BETA[0] - BETA[1]) * (1 - t)  # 20 → 2, linearly
            loss = loss + LAMBDA * rounder.regularizer(beta)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
