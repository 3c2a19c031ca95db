"""The straight-through estimator lesson: forward and backward curves, a 1-D fit, and a CNN's gradient norms.

Rounding is a staircase: its true derivative is 0 almost everywhere, so no gradient reaches the weights.
The STE pretends the staircase is the identity on the way back (1 inside the range, 0 where it clips).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import parametrize

from lessons.common.text import real
from lessons.scale_and_zero_point.distributions import cnn_model
from qlib.quant import QParams, calc_qparams, fake_quant, fake_quant_no_ste

FIT_W0 = 0.1  # where the 1-D fit starts (the page's text says so)
FIT_STEPS = 60
BATCH = 64  # digits in the CNN's one batch


@dataclass(frozen=True)
class Curves:
    """fake_quant over x, forward and backward (with the STE and with rounding's true derivative), the grid's
    ends, the STE's mask, and the formulas of this code with its numbers put in.

    The mask is PyTorch's clipped STE: the gradient passes where qmin <= round(x/s) + z <= qmax, i.e. from
    half a step below the lowest code to half a step above the highest, not between the codes themselves.
    """

    x: np.ndarray
    y: np.ndarray
    grad_ste: np.ndarray
    grad_true: np.ndarray
    qp: QParams
    zp_raw: float  # qmin − x_min/s in float32, before rounding: why the grid is not the range asked for
    formulas: tuple[str, str, str]

    @property
    def grid(self) -> tuple[float, float]:
        """The real values of the lowest and the highest code: the ends of the forward staircase."""
        lo, hi = self.qp.real_range()
        return float(lo), float(hi)

    def text_args(self) -> dict[str, object]:
        """The numbers the captions and the grid's explanation put in, written as the page shows them."""
        (glo, ghi), (mlo, mhi) = self.grid, self.mask
        n, z = self.qp.qmax - self.qp.qmin + 1, int(self.qp.zero_point)
        ends = {k: real(v) for k, v in dict(glo=glo, ghi=ghi, mlo=mlo, mhi=mhi).items()}
        return dict(
            n=n,
            steps=n - 1,
            z=z,
            zp=z,
            qmin=self.qp.qmin,
            qmax=self.qp.qmax,
            raw=f"{self.zp_raw:.8g}",
            tie=real(self.tie),
            **ends,
        )

    @property
    def tie(self) -> float:
        """The half-way point the raw zero point lies at or just below (3.5 for 3.4999998)."""
        return math.floor(self.zp_raw) + 0.5

    @property
    def rounding_key(self) -> str:
        """Which sentence says how the raw zero point rounds: an exact tie (half to even) or just below one."""
        return "grid_round.tie" if self.zp_raw == self.tie else "grid_round.below"

    @property
    def mask(self) -> tuple[float, float]:
        """Where the STE passes the gradient: qmin − 0.5 <= x/s + z <= qmax + 0.5 (ties aside)."""
        (lo, hi), half = self.grid, float(self.qp.scale) / 2
        return lo - half, hi + half


def curves(bits: int = 3, lo: float = -1.0, hi: float = 1.0, n: int = 1201) -> Curves:
    """x, fake_quant(x), and d fake_quant / dx with the STE and with rounding's true derivative."""
    qp = calc_qparams(lo, hi, bits)
    pad = 0.4 * (hi - lo)
    x = torch.linspace(lo - pad, hi + pad, n, requires_grad=True)
    y = fake_quant(x, qp)
    (g_ste,) = torch.autograd.grad(y.sum(), x)
    x2 = x.detach().clone().requires_grad_(True)
    (g_true,) = torch.autograd.grad(fake_quant_no_ste(x2, qp).sum(), x2)
    arrays = (x.detach(), y.detach(), g_ste, g_true)
    zp_raw = qp.qmin - float(torch.tensor(lo, dtype=torch.float32) / qp.scale)
    return Curves(*(a.numpy() for a in arrays), qp=qp, zp_raw=zp_raw, formulas=formulas(qp))


def formulas(qp: QParams) -> tuple[str, str, str]:
    """The forward and the two backward rules in LaTeX, with this code's scale and zero point put in.

    The STE's rule is written as PyTorch's kernel tests it (on the code before the clamp), then, on a line of
    its own (narrow screens), as the interval of x it amounts to: the same mask the backward chart draws.
    """
    s, z, qmin, qmax = float(qp.scale), int(qp.zero_point), qp.qmin, qp.qmax
    fwd = (
        rf"\text{{fake\_quant}}(x) = \left(\mathrm{{clamp}}\!\left(\mathrm{{round}}\!\left(\tfrac{{x}}{{{s:.4g}}}"
        rf"\right) + {z},\, {qmin},\, {qmax}\right) - {z}\right) \cdot {s:.4g}"
    )
    a, b = f"{(qmin - z - 0.5) * s:.4g}", f"{(qmax - z + 0.5) * s:.4g}"
    true = r"\frac{\partial\, \mathrm{round}(u)}{\partial u} = 0"
    ste = (
        rf"\frac{{\partial\, \text{{fake\_quant}}}}{{\partial x}} \approx \begin{{cases}} 1 & "
        rf"{qmin} \le \mathrm{{round}}(x/{s:.4g}) + {z} \le {qmax} \\ "
        rf"& \Leftrightarrow\; {a} \le x \le {b} \\ "
        rf"0 & x < {a} \;\lor\; x > {b} \end{{cases}}"
    )
    return fwd, true, ste


@dataclass(frozen=True)
class FitRun:
    """One run of the 1-D fit: loss, float weight w and quantized weight ŵ at every step."""

    loss: tuple[float, ...]
    w: tuple[float, ...]
    w_q: tuple[float, ...]


@dataclass(frozen=True)
class Fit:
    """The 1-D fit with and without the STE, from the same start, toward the same target."""

    ste: FitRun
    no_ste: FitRun
    target: float


def fit_1d(ste: bool, bits: int = 3, target: float = 0.8, lr: float = 0.5, steps: int = FIT_STEPS) -> FitRun:
    """Learn y = w·x with a fake-quantized w by gradient descent from w = FIT_W0; without the STE w never moves."""
    g = torch.Generator().manual_seed(0)
    x = torch.rand(256, generator=g) * 2 - 1
    y = target * x
    qp = calc_qparams(-1.0, 1.0, bits, symmetric=True)
    fq = fake_quant if ste else fake_quant_no_ste
    w = torch.tensor(FIT_W0, requires_grad=True)
    loss_, w_, wq_ = [], [], []
    for _ in range(steps):
        wq = fq(w, qp)
        loss = F.mse_loss(wq * x, y)
        (grad,) = torch.autograd.grad(loss, w)
        loss_.append(max(float(loss.detach()), 1e-8))  # plotted on a log axis
        w_.append(float(w.detach()))
        wq_.append(float(wq.detach()))
        with torch.no_grad():
            w -= lr * grad
    return FitRun(tuple(loss_), tuple(w_), tuple(wq_))


def fit_both(bits: int = 3, target: float = 0.8, lr: float = 0.5, steps: int = FIT_STEPS) -> Fit:
    """The 1-D fit with and without the STE, for the same start."""
    return Fit(fit_1d(True, bits, target, lr, steps), fit_1d(False, bits, target, lr, steps), target)


@cache
def model_and_batch(n: int = BATCH) -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    """The shipped tiny CNN and one batch of n training digits (shared: never changed)."""
    from qlib.data import load_digits

    x, y = load_digits().train
    return cnn_model(), x[:n], y[:n]


class _FakeQuantWeight(nn.Module):
    """A parametrization: the layer sees fake_quant(w) (per tensor, symmetric), with or without the STE."""

    def __init__(self, bits: int, ste: bool) -> None:
        super().__init__()
        self.bits, self.ste = bits, ste

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        m = float(w.detach().abs().max())
        qp = calc_qparams(-m, m, self.bits, symmetric=True)
        return (fake_quant if self.ste else fake_quant_no_ste)(w, qp)


@dataclass(frozen=True)
class GradNorms:
    """‖∂loss/∂W‖ per conv / linear layer on one batch, with the STE and without, and the batch's loss."""

    layers: tuple[str, ...]
    ste: tuple[float, ...]
    no_ste: tuple[float, ...]
    loss: float

    @property
    def largest_ste(self) -> float:
        return max(self.ste)

    @property
    def largest_no_ste(self) -> float:
        return max(self.no_ste)


def _weight_grads(model: nn.Module, x: torch.Tensor, y: torch.Tensor, bits: int, ste: bool):
    """(layer names, weight-gradient norms, loss) of a copy of the model with fake-quantized weights."""
    m = copy.deepcopy(model).train()  # never touch the (cached, shared) model given
    layers = [(name, mod) for name, mod in m.named_modules() if isinstance(mod, (nn.Conv2d, nn.Linear))]
    for _, mod in layers:
        parametrize.register_parametrization(mod, "weight", _FakeQuantWeight(bits, ste))
    loss = F.cross_entropy(m(x), y)
    loss.backward()
    norms = tuple(float(mod.parametrizations.weight.original.grad.norm()) for _, mod in layers)
    return tuple(name for name, _ in layers), norms, float(loss.detach())


def grad_norms(bits: int = 8) -> GradNorms:
    """The shipped CNN's weight-gradient norms on one batch, with fake-quantized weights, STE vs no STE."""
    model, x, y = model_and_batch()
    layers, ste, loss = _weight_grads(model, x, y, bits, True)
    _, no_ste, _ = _weight_grads(model, x, y, bits, False)
    return GradNorms(layers, ste, no_ste, loss)
