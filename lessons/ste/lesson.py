"""The straight-through estimator lesson: forward and backward curves, a 1-D fit, and a CNN's gradient norms.

Rounding is a staircase: its true derivative is 0 almost everywhere, so no gradient reaches the weights.
The STE pretends the staircase is the identity on the way back (1 inside the range, 0 where it clips).
"""

from __future__ import annotations

import copy

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import parametrize

from qlib.quant import calc_qparams, fake_quant, fake_quant_no_ste


def curves(bits: int = 3, lo: float = -1.0, hi: float = 1.0, n: int = 1201) -> dict[str, np.ndarray]:
    """x, fake_quant(x), and d fake_quant / dx with the STE and with rounding's true derivative."""
    qp = calc_qparams(lo, hi, bits)
    pad = 0.4 * (hi - lo)
    x = torch.linspace(lo - pad, hi + pad, n, requires_grad=True)
    y = fake_quant(x, qp)
    (g_ste,) = torch.autograd.grad(y.sum(), x)
    x2 = x.detach().clone().requires_grad_(True)
    (g_true,) = torch.autograd.grad(fake_quant_no_ste(x2, qp).sum(), x2)
    return {
        "x": x.detach().numpy(),
        "y": y.detach().numpy(),
        "grad_ste": g_ste.numpy(),
        "grad_true": g_true.numpy(),
        "scale": float(qp.scale),
        "zero_point": int(qp.zero_point),
    }


def fit_1d(
    ste: bool,
    bits: int = 3,
    target: float = 0.8,
    w0: float = 0.1,
    steps: int = 60,
    lr: float = 0.5,
    seed: int = 0,
) -> dict[str, list[float]]:
    """Learn y = w·x with a fake-quantized w by gradient descent; without the STE w never moves."""
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(256, generator=g) * 2 - 1
    y = target * x
    qp = calc_qparams(-1.0, 1.0, bits, symmetric=True)
    fq = fake_quant if ste else fake_quant_no_ste
    w = torch.tensor(w0, requires_grad=True)
    hist = {"loss": [], "w": [], "w_q": []}
    for _ in range(steps):
        wq = fq(w, qp)
        loss = F.mse_loss(wq * x, y)
        (grad,) = torch.autograd.grad(loss, w)
        hist["loss"].append(max(float(loss.detach()), 1e-8))  # plotted on a log axis
        hist["w"].append(float(w.detach()))
        hist["w_q"].append(float(wq.detach()))
        with torch.no_grad():
            w -= lr * grad
    return hist


def fit_both(bits: int = 3, target: float = 0.8, steps: int = 60, lr: float = 0.5) -> dict:
    """The 1-D fit with and without the STE, for the same start."""
    return {
        "ste": fit_1d(True, bits, target, steps=steps, lr=lr),
        "no_ste": fit_1d(False, bits, target, steps=steps, lr=lr),
        "target": target,
    }


def tiny_model_and_batch(n: int = 64) -> tuple[nn.Module, torch.Tensor, torch.Tensor, str]:
    """The tiny CNN (the shipped one, else freshly initialised), one batch of training digits, and its source."""
    from lessons.scale_and_zero_point.distributions import cnn_model
    from qlib.data import load_digits

    model, source = cnn_model()
    x, y = load_digits().train
    return model, x[:n], y[:n], source


class _FakeQuantWeight(nn.Module):
    """A parametrization: the layer sees fake_quant(w) (per tensor, symmetric), with or without the STE."""

    def __init__(self, bits: int, ste: bool) -> None:
        super().__init__()
        self.bits, self.ste = bits, ste

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        m = float(w.detach().abs().max())
        qp = calc_qparams(-m, m, self.bits, symmetric=True)
        return (fake_quant if self.ste else fake_quant_no_ste)(w, qp)


def grad_norms(model: nn.Module, x: torch.Tensor, y: torch.Tensor, bits: int = 8) -> dict:
    """‖∂loss/∂W‖ of every conv / linear layer on one batch, with fake-quantized weights, STE vs no STE."""
    out: dict = {}
    for ste in (True, False):
        m = copy.deepcopy(model).train()  # never touch the (cached, shared) model given
        layers = [(name, mod) for name, mod in m.named_modules() if isinstance(mod, (nn.Conv2d, nn.Linear))]
        for _, mod in layers:
            parametrize.register_parametrization(mod, "weight", _FakeQuantWeight(bits, ste))
        loss = F.cross_entropy(m(x), y)
        loss.backward()
        out["layers"] = [name for name, _ in layers]
        out["ste" if ste else "no_ste"] = [
            float(mod.parametrizations.weight.original.grad.norm()) for _, mod in layers
        ]
        out["loss"] = float(loss.detach())
    return out


def formulas(c: dict, bits: int, lo: float = -1.0, hi: float = 1.0) -> list[str]:
    """The forward and the two backward rules in LaTeX, with this code's scale and zero point put in."""
    s, z = c["scale"], c["zero_point"]
    qmax = 2**bits - 1
    fwd = (
        rf"\text{{fake\_quant}}(x) = \left(\mathrm{{clamp}}\!\left(\mathrm{{round}}\!\left(\tfrac{{x}}{{{s:.4g}}}"
        rf"\right) + {z},\, 0,\, {qmax}\right) - {z}\right) \cdot {s:.4g}"
    )
    a, b = f"{(0 - z) * s:.4g}", f"{(qmax - z) * s:.4g}"
    true = r"\frac{\partial\, \mathrm{round}(u)}{\partial u} = 0"
    ste = (
        rf"\frac{{\partial\, \text{{fake\_quant}}}}{{\partial x}} \approx \begin{{cases}} 1 & "
        rf"{a} \le x \le {b} \\ 0 & x < {a} \;\lor\; x > {b} \end{{cases}}"
    )
    return [fwd, true, ste]
