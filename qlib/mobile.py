"""The MobileNet-style net (qlib.spec.MOBILE_CNN): its recipe, its quantized variants, the shipped set, and the
three studies of issue 17 run on it (per-tensor against per-channel weights, BatchNorm freezing in QAT, CLE).

Recipe (qlib.train's loop, one thread, deterministic): fp32 from the seeded init, 40 epochs of Adam at 1e-2 on a
cosine schedule (chosen on the validation split); PTQ calibrates on the training images with BatchNorm folded;
QAT fine-tunes the fp32 weights for 6 epochs at 1e-3 with PyTorch's simulated BatchNorm folding, BatchNorm
statistics frozen from epoch 3 (0-based) and the observers from epoch 4. Activations stay 8-bit throughout:
what changes is the weights' width and granularity, the subject of the lesson.

Names: "mobile/<method>-w<bits>a<bits>" with per-channel weights (as the tiny CNN's names), and a suffix
"-per-tensor" for one scale per weight tensor: "mobile/ptq-w4a8-per-tensor". The tiny CNN's recipe and names
live in qlib.train and are not touched here.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from qlib.data import Splits, load_digits
from qlib.equalize import Equalization, equalize
from qlib.model import Net, evaluate, fp32_nbytes, n_params
from qlib.qat import QConfig
from qlib.sensitivity import Sensitivity, sensitivity
from qlib.spec import MOBILE_CNN
from qlib.train import EpochInfo, Result, fit, run_ptq, train_qat

FP32_EPOCHS, FP32_LR, SEED = 40, 1e-2, 0
QAT_EPOCHS, QAT_LR = 6, 1e-3
FREEZE_BN_AFTER, FREEZE_OBSERVERS_AFTER = 3, 4
W_BITS = (8, 6, 4, 3)  # the widths of the studies
PREFIX = "mobile/"


@dataclass(frozen=True)
class Variant:
    """One quantized form of the net: PTQ or QAT, weight and activation bits, per-channel or per-tensor weights."""

    method: str  # "ptq" or "qat"
    w_bits: int
    a_bits: int = 8
    per_channel: bool = True

    @property
    def name(self) -> str:
        """'mobile/qat-w4a8', 'mobile/ptq-w4a8-per-tensor', ..."""
        return f"{PREFIX}{self.method}-w{self.w_bits}a{self.a_bits}" + (
            "" if self.per_channel else "-per-tensor"
        )

    @property
    def qconfig(self) -> QConfig:
        """The recipe's QConfig (PTQ reads only the bits and the granularity)."""
        return qconfig(self.w_bits, self.a_bits, self.per_channel)

    @classmethod
    def from_name(cls, name: str) -> Variant | None:
        """The variant a shipped name stands for, or None if it is not one."""
        m = re.fullmatch(rf"{re.escape(PREFIX)}(ptq|qat)-w(\d+)a(\d+)(-per-tensor)?", name)
        return cls(m[1], int(m[2]), int(m[3]), m[4] is None) if m else None


def qconfig(
    w_bits: int, a_bits: int = 8, per_channel: bool = True, freeze_bn_after: int | None = FREEZE_BN_AFTER
) -> QConfig:
    """The net's QConfig: symmetric int weights per channel or per tensor, 8-bit moving-average activations."""
    return QConfig(
        w_bits,
        a_bits,
        w_per_channel=per_channel,
        freeze_observers_after=FREEZE_OBSERVERS_AFTER,
        freeze_bn_after=freeze_bn_after,
    )


SHIPPED = (
    *(Variant("ptq", b, 8, pc) for b in (8, 4, 3) for pc in (True, False)),
    Variant("qat", 8),
    *(Variant("qat", b, 8, pc) for b in (4, 3) for pc in (True, False)),
)


# ---------------------------------------------------------------------------------------------------------------
# training


def train_fp32(
    epochs: int = FP32_EPOCHS,
    seed: int = SEED,
    callback: Callable[[EpochInfo], bool | None] | None = None,
    lr: float = FP32_LR,
    splits: Splits | None = None,
) -> Result:
    """A fresh Net(MOBILE_CNN) trained from its seeded init (BatchNorm in training mode), evaluated in eval mode."""
    splits = splits if splits is not None else load_digits()
    t0 = time.perf_counter()
    model = Net(MOBILE_CNN, seed)
    history = fit(model, splits, epochs=epochs, lr=lr, seed=seed, callback=callback)
    return Result(
        f"{PREFIX}fp32", model, evaluate(model, *splits.test), time.perf_counter() - t0, history=history
    )


def quantize(
    fp32: nn.Module,
    variant: Variant,
    splits: Splits | None = None,
    epochs: int = QAT_EPOCHS,
    callback: Callable[[EpochInfo], bool | None] | None = None,
    qc: QConfig | None = None,
) -> Result:
    """PTQ (fold BatchNorm, calibrate, convert) or QAT (simulated folding, fine-tune, convert) of a variant."""
    qc = qc or variant.qconfig
    if variant.method == "ptq":
        r = run_ptq(fp32, qc, splits)
    else:
        r = train_qat(qc, epochs=epochs, callback=callback, init=fp32, lr=QAT_LR, seed=SEED, splits=splits)
    r.name = variant.name
    return r


# ---------------------------------------------------------------------------------------------------------------
# per-tensor against per-channel, layer by layer


@dataclass(frozen=True)
class GranularityRow:
    """One variant's test accuracy (integer engine) and per-layer SQNR on the test images."""

    variant: Variant
    test_acc: float
    sensitivity: Sensitivity
    seconds: float


def granularity(
    fp32: nn.Module,
    bits: tuple[int, ...] = W_BITS,
    methods: tuple[str, ...] = ("ptq", "qat"),
    splits: Splits | None = None,
    callback: Callable[[GranularityRow], None] | None = None,
) -> list[GranularityRow]:
    """Per-channel and per-tensor weights at each width, PTQ and QAT, from the same fp32 weights."""
    splits = splits if splits is not None else load_digits()
    rows = []
    for method in methods:
        for b in bits:
            for per_channel in (True, False):
                v = Variant(method, b, 8, per_channel)
                r = quantize(fp32, v, splits)
                rows.append(
                    GranularityRow(v, r.test_acc, sensitivity(r.model, splits.test[0], r.int8), r.seconds)
                )
                if callback is not None:
                    callback(rows[-1])
    return rows


# ---------------------------------------------------------------------------------------------------------------
# BatchNorm statistics: frozen late in QAT, or not


@dataclass(frozen=True)
class FreezeCurves:
    """The same QAT run with BatchNorm statistics frozen from an epoch on, and never frozen (Krishnamoorthi 2018,
    Figs. 14–15): the validation curves, and the integer models' test accuracy."""

    w_bits: int
    per_channel: bool
    freeze_bn_after: int
    frozen: tuple[EpochInfo, ...]
    unfrozen: tuple[EpochInfo, ...]
    frozen_test_acc: float
    unfrozen_test_acc: float


def bn_freeze_curves(
    fp32: nn.Module,
    w_bits: int = 4,
    per_channel: bool = True,
    epochs: int = 12,
    freeze_bn_after: int = 6,
    splits: Splits | None = None,
) -> FreezeCurves:
    """Two QAT runs differing only in `freeze_bn_after` (observers never frozen in either, to isolate it)."""
    splits = splits if splits is not None else load_digits()
    runs = []
    for freeze in (freeze_bn_after, None):
        qc = QConfig(w_bits, 8, w_per_channel=per_channel, freeze_bn_after=freeze)
        runs.append(train_qat(qc, epochs=epochs, init=fp32, lr=QAT_LR, seed=SEED, splits=splits))
    return FreezeCurves(
        w_bits,
        per_channel,
        freeze_bn_after,
        tuple(runs[0].history),
        tuple(runs[1].history),
        runs[0].test_acc,
        runs[1].test_acc,
    )


# ---------------------------------------------------------------------------------------------------------------
# cross-layer equalisation against per-tensor weights


@dataclass(frozen=True)
class EqualizationRow:
    """Per-tensor PTQ at one width: as trained (ReLU6), with ReLU6 → ReLU, equalised; and per-channel, the bar."""

    w_bits: int
    per_tensor: float
    per_tensor_relu: float  # the replacement alone
    per_tensor_equalized: float
    per_channel: float
    before: Sensitivity  # ReLU6 → ReLU, per tensor: the same function CLE starts from
    after: Sensitivity  # equalised, per tensor


def cle_study(
    fp32: nn.Module, bits: tuple[int, ...] = W_BITS, splits: Splits | None = None
) -> tuple[Equalization, list[EqualizationRow]]:
    """Equalise the fp32 net once, then PTQ at each width per tensor before and after, and per channel."""
    splits = splits if splits is not None else load_digits()
    eq = equalize(fp32)
    x = splits.test[0]
    rows = []
    for b in bits:
        pt, pc = qconfig(b, per_channel=False), qconfig(b)
        relu = run_ptq(eq.unequalized, pt, splits)
        cle = run_ptq(eq.model, pt, splits)
        rows.append(
            EqualizationRow(
                b,
                run_ptq(fp32, pt, splits).test_acc,
                relu.test_acc,
                cle.test_acc,
                run_ptq(fp32, pc, splits).test_acc,
                sensitivity(relu.model, x, relu.int8),
                sensitivity(cle.model, x, cle.int8),
            )
        )
    return eq, rows


# ---------------------------------------------------------------------------------------------------------------
# the shipped models


def build_all(
    splits: Splits | None = None, log: Callable[[str], None] = print
) -> tuple[dict[str, Result], Result, dict[str, float]]:
    """fp32, then every shipped variant from the same fp32 weights; also each run's CPU seconds."""
    splits = splits if splits is not None else load_digits()
    cpu: dict[str, float] = {}
    c0 = time.process_time()
    fp32 = train_fp32(FP32_EPOCHS, splits=splits)  # the module's figures when called, not when defined
    cpu[fp32.name] = time.process_time() - c0
    log(
        f"{fp32.name:30s} test {100 * fp32.test_acc:.2f} %  {fp32.seconds:.1f} s ({cpu[fp32.name]:.1f} CPU-s)"
    )
    results: dict[str, Result] = {}
    for v in SHIPPED:
        c0 = time.process_time()
        r = quantize(fp32.model, v, splits, epochs=QAT_EPOCHS)
        cpu[v.name] = time.process_time() - c0
        results[v.name] = r
        log(f"{v.name:30s} test {100 * r.test_acc:.2f} %  {r.seconds:.1f} s ({cpu[v.name]:.1f} CPU-s)")
    return results, fp32, cpu


def save_all(out_dir: Path | str | None = None, splits: Splits | None = None) -> dict:
    """Train everything and write assets/models/mobile/: fp32.pt, one .pt per variant, metrics.json (returned)."""
    from qlib import pretrained

    out = Path(out_dir) if out_dir is not None else pretrained.ZOOS[MOBILE_CNN.name].dir
    out.mkdir(parents=True, exist_ok=True)
    results, fp32, cpu = build_all(splits)
    torch.save(fp32.model.state_dict(), out / "fp32.pt")
    metrics = {
        fp32.name: {
            "test_acc": fp32.test_acc,
            "params": n_params(fp32.model),
            "nbytes": fp32_nbytes(fp32.model),
            "seconds": round(fp32.seconds, 2),
            "cpu_seconds": round(cpu[fp32.name], 2),
            "epochs": FP32_EPOCHS,
            "lr": FP32_LR,
            "seed": SEED,
        }
    }
    for name, r in results.items():
        pretrained.save_quantized(r.model, out / f"{name.removeprefix(PREFIX)}.pt", name)
        metrics[name] = {
            "test_acc": r.test_acc,
            "params": r.int8.num_params,
            "nbytes": r.int8.nbytes(),
            "seconds": round(r.seconds, 2),
            "cpu_seconds": round(cpu[name], 2),
            "epochs": len(r.history),
            "qconfig": r.qconfig.as_dict(),
            "engine": "qlib.int8 fixed-point",
        }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics
