"""The low-bit ladder: weight and activation widths from W8A8 down to W2A2, each quantized five ways from the
same fp32 weights, every model scored on qlib's integer engine (activations below 8 bits included: the engine
takes any code range up to 8 bits, and every method here ends in `convert`).

Methods (all with symmetric per-channel min-max weight scales and asymmetric per-tensor activations):

* ``ptq``: round to nearest, activation ranges calibrated on the training images;
* ``ptq+bc``: the same, then empirical bias correction (qlib.bias_correction, Nagel et al. 2019);
* ``adaround``: the same grid, the rounding learned layer by layer (qlib.adaround, Nagel et al. 2020);
* ``qat``: the net's QAT recipe (clipped STE, observers frozen part way, BatchNorm frozen in the mobile net);
* ``lsq``: the same loop, epochs, learning rate and seed with learned step sizes (qlib.lsq, Esser et al. 2019),
  never frozen until conversion.

The activation observer is the MSE search at 4 bits and below (min/max wastes the few levels on rare large
values), the moving average above, for every method alike. The PTQ methods calibrate on all training images at
once, exactly the model QAT starts from; the mobile net's are computed on its BatchNorm-folded form (the same
integer model as folding inside the QAT model: qlib.batchnorm.folded_net). Budgets: the PTQ methods see the
1,077 training images without labels; QAT and LSQ train on them with labels for the recipe's epochs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from torch import nn

from qlib.adaround import adaround
from qlib.batchnorm import folded_net
from qlib.bias_correction import correct_bias
from qlib.data import Splits, load_digits
from qlib.lsq import train_lsq
from qlib.model import Net, evaluate
from qlib.qat import QConfig, calibrate, convert, prepare_qat
from qlib.train import qat_recipe, train_qat

CONFIGS = ((8, 8), (4, 8), (8, 4), (4, 4), (3, 8), (3, 3), (2, 8), (2, 2))
METHODS = ("ptq", "ptq+bc", "adaround", "qat", "lsq")
PTQ_METHODS = ("ptq", "ptq+bc", "adaround")


@dataclass(frozen=True)
class Recipe:
    """One rung's settings: the QConfig, and the QAT/LSQ epochs and learning rate."""

    qconfig: QConfig
    epochs: int
    lr: float


def recipe(net: Net, w_bits: int, a_bits: int) -> Recipe:
    """The net's own QAT recipe at these widths (qlib.train's for the tiny CNN, qlib.mobile's for the mobile net)."""
    observer = "mse" if a_bits <= 4 else "moving_average"
    if net.spec.name == "mobile_cnn":
        from qlib import mobile

        qc = QConfig(
            w_bits,
            a_bits,
            observer=observer,
            freeze_observers_after=mobile.FREEZE_OBSERVERS_AFTER,
            freeze_bn_after=mobile.FREEZE_BN_AFTER,
        )
        return Recipe(qc, mobile.QAT_EPOCHS, mobile.QAT_LR)
    r = qat_recipe(min(w_bits, a_bits))
    qc = QConfig(w_bits, a_bits, observer=observer, freeze_observers_after=r.qconfig.freeze_observers_after)
    return Recipe(qc, r.epochs, r.lr)


@dataclass(frozen=True)
class Rung:
    """One method at one pair of widths: test accuracy of the integer model, wall and CPU seconds."""

    net: str
    w_bits: int
    a_bits: int
    method: str
    test_acc: float
    seconds: float
    cpu_seconds: float

    @property
    def config(self) -> str:
        return f"W{self.w_bits}A{self.a_bits}"


def quantize(fp32: Net, w_bits: int, a_bits: int, method: str, splits: Splits, seed: int = 0):
    """One method's integer model (qlib.int8.Int8Model) and its fake-quantized model."""
    r = recipe(fp32, w_bits, a_bits)
    x = splits.train[0]
    if method in PTQ_METHODS:
        base = folded_net(fp32) if any(layer.bn for layer in fp32.spec.layers) else fp32
        model = calibrate(prepare_qat(base, r.qconfig), x).eval()
        if method == "ptq+bc":
            correct_bias(model, x)
        elif method == "adaround":
            adaround(model, x, seed=seed)
        return convert(model), model
    if method == "qat":
        res = train_qat(r.qconfig, epochs=r.epochs, init=fp32, lr=r.lr, seed=seed, splits=splits)
    elif method == "lsq":
        qc = replace(r.qconfig, freeze_observers_after=None)
        res = train_lsq(qc, fp32, splits, r.epochs, r.lr, seed=seed)
    else:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return res.int8, res.model


def rung(
    fp32: Net, w_bits: int, a_bits: int, method: str, splits: Splits | None = None, seed: int = 0
) -> Rung:
    """One method at one pair of widths, timed."""
    splits = splits if splits is not None else load_digits()
    w0, c0 = time.perf_counter(), time.process_time()
    int8, _ = quantize(fp32, w_bits, a_bits, method, splits, seed)
    acc = evaluate(int8, *splits.test)
    return Rung(
        fp32.spec.name, w_bits, a_bits, method, acc, time.perf_counter() - w0, time.process_time() - c0
    )


def ladder(
    fp32: nn.Module,
    configs: Sequence[tuple[int, int]] = CONFIGS,
    methods: Sequence[str] = METHODS,
    splits: Splits | None = None,
    callback: Callable[[Rung], None] | None = None,
) -> list[Rung]:
    """Every method at every pair of widths, from the same fp32 net; `callback(rung)` after each."""
    splits = splits if splits is not None else load_digits()
    out = []
    for w, a in configs:
        for m in methods:
            out.append(rung(fp32, w, a, m, splits))
            if callback is not None:
                callback(out[-1])
    return out
