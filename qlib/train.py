"""Recipes and a small high-level API (fp32 training, PTQ, QAT, the bit sweep); `python -m qlib.train` ships models.

The app's QAT page calls the same functions as the command that writes `assets/models/`, so a model trained
in the app with the default settings is the shipped one.

QAT recipe: start from the trained fp32 weights, calibrate the observers on the training set (the PTQ
model is the starting point), then fine-tune with fake quantization (clipped STE) at a smaller learning rate
on a cosine schedule; freeze the observers half way so the last epochs fit the final grids. At 4 bits and
below the activation observer is the MSE search (at 2-3 bits min/max wastes most of the few levels on rare
large values).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from qlib.int8 import Int8Model
from qlib.model import EpochInfo, TinyCNN, evaluate, fit, fp32_nbytes, n_params
from qlib.qat import QConfig, calibrate, convert, prepare_qat

FP32_EPOCHS, FP32_LR = 30, 3e-3
SEED = 0


def qat_recipe(bits: int) -> dict:
    """Epochs, learning rate and QConfig that work at this bit width (weights and activations together)."""
    if bits >= 5:
        return {"epochs": 5, "lr": 1e-3, "qconfig": QConfig(bits, bits, freeze_observers_after=3)}
    epochs, lr, freeze = {4: (8, 2e-3, 5), 3: (10, 3e-3, 6), 2: (15, 3e-3, 8)}[bits]
    return {"epochs": epochs, "lr": lr,
            "qconfig": QConfig(bits, bits, observer="mse", freeze_observers_after=freeze)}


def default_qconfig(bits: int) -> QConfig:
    """The recipe's QConfig at this bit width."""
    return qat_recipe(bits)["qconfig"]


@dataclass
class Result:
    """One trained or calibrated model and how it did (accuracy of the integer engine for quantized ones)."""

    name: str  # "fp32", "ptq-w4a4", "qat-w8a8", ...
    model: nn.Module  # TinyCNN (fp32) or QATCNN (fake-quantized)
    test_acc: float
    seconds: float
    int8: Int8Model | None = None
    qconfig: QConfig | None = None
    history: list[EpochInfo] = field(default_factory=list)


def _splits(splits):
    """The digits splits unless given."""
    if splits is not None:
        return splits
    from qlib.data import load_digits

    return load_digits()


def train_fp32(epochs: int = FP32_EPOCHS, seed: int = SEED, callback: Callable | None = None,
               lr: float = FP32_LR, splits=None, augment: Callable | None = None) -> Result:
    """A fresh TinyCNN trained from its seeded init; `callback(EpochInfo)` after each epoch."""
    splits = _splits(splits)
    t0 = time.perf_counter()
    model = TinyCNN(seed)
    history = fit(model, splits, epochs=epochs, lr=lr, seed=seed, callback=callback, augment=augment)
    return Result("fp32", model, evaluate(model, *splits.test), time.perf_counter() - t0, history=history)


def _init_model(init: nn.Module | None) -> nn.Module:
    """The fp32 starting point: the one given, else the shipped fp32 model."""
    if init is not None:
        return init
    from qlib import pretrained

    return pretrained.load("fp32")


def run_ptq(fp32_model: nn.Module | None = None, qconfig: QConfig | None = None, splits=None) -> Result:
    """Post-training quantization: calibrate observers on the training images, convert; no training."""
    splits = _splits(splits)
    qconfig = qconfig or QConfig()
    t0 = time.perf_counter()
    model = calibrate(prepare_qat(_init_model(fp32_model), qconfig), splits.train[0]).eval()
    int8 = convert(model)
    seconds = time.perf_counter() - t0
    return Result(f"ptq-{qconfig.name}", model, evaluate(int8, *splits.test), seconds, int8, qconfig)


def train_qat(qconfig: QConfig | None = None, epochs: int | None = None, callback: Callable | None = None,
              init: nn.Module | None = None, lr: float | None = None, seed: int = SEED, splits=None,
              augment: Callable | None = None) -> Result:
    """QAT: calibrate on the training set, fine-tune with fake quantization, convert. `init` is not changed."""
    splits = _splits(splits)
    qconfig = qconfig or QConfig()
    recipe = qat_recipe(min(qconfig.w_bits, qconfig.a_bits))
    epochs = recipe["epochs"] if epochs is None else epochs
    t0 = time.perf_counter()
    model = calibrate(prepare_qat(_init_model(init), qconfig), splits.train[0])
    history = fit(model, splits, epochs=epochs, lr=lr or recipe["lr"], seed=seed, callback=callback,
                  augment=augment)
    model.freeze()
    int8 = convert(model)
    seconds = time.perf_counter() - t0
    return Result(f"qat-{qconfig.name}", model, evaluate(int8, *splits.test), seconds, int8, qconfig, history)


def bit_sweep(bits_list: tuple[int, ...] = (8, 6, 4, 3, 2), fp32_model: nn.Module | None = None,
              epochs: int | None = None, callback: Callable[[dict], None] | None = None, splits=None) -> list[dict]:
    """PTQ and QAT at each bit width (w = a) with the recipe's settings: rows {bits, ptq, qat, seconds}."""
    splits = _splits(splits)
    fp32_model = _init_model(fp32_model)
    rows = []
    for bits in bits_list:
        qc = default_qconfig(bits)
        ptq = run_ptq(fp32_model, qc, splits)
        qat = train_qat(qc, epochs, init=fp32_model, splits=splits)
        rows.append({"bits": bits, "ptq": ptq.test_acc, "qat": qat.test_acc, "qat_seconds": qat.seconds})
        if callback is not None:
            callback(rows[-1])
    return rows


# ---------------------------------------------------------------------------------------------------------------
# shipped models


SHIPPED_BITS = (8, 4, 3, 2)


def build_all(splits=None, log: Callable[[str], None] = print,
              augment: Callable | None = None) -> tuple[dict[str, Result], Result]:
    """fp32, then PTQ and QAT at each shipped bit width, all from the same fp32 weights."""
    splits = _splits(splits)
    fp32 = train_fp32(splits=splits, augment=augment)
    log(f"fp32            test {100 * fp32.test_acc:.2f} %  {fp32.seconds:.1f} s")
    results: dict[str, Result] = {}
    for bits in SHIPPED_BITS:
        qc = default_qconfig(bits)
        for r in (run_ptq(fp32.model, qc, splits), train_qat(qc, init=fp32.model, splits=splits, augment=augment)):
            results[r.name] = r
            log(f"{r.name:15s} test {100 * r.test_acc:.2f} %  {r.seconds:.1f} s")
    return results, fp32


def save_all(out_dir: Path | str | None = None, splits=None, augment: Callable | None = None) -> dict:
    """Train everything and write fp32.pt, one .pt per quantized model and metrics.json."""
    from qlib import pretrained

    out = Path(out_dir) if out_dir is not None else pretrained.MODELS_DIR
    out.mkdir(parents=True, exist_ok=True)
    results, fp32 = build_all(splits, augment=augment)
    torch.save(fp32.model.state_dict(), out / "fp32.pt")
    metrics = {"fp32": {"test_acc": fp32.test_acc, "params": n_params(fp32.model), "nbytes": fp32_nbytes(fp32.model),
                        "seconds": round(fp32.seconds, 2), "epochs": FP32_EPOCHS, "lr": FP32_LR, "seed": SEED}}
    for name, r in results.items():
        pretrained.save_quantized(r.model, out / f"{name}.pt", name)
        metrics[name] = {"test_acc": r.test_acc, "params": r.int8.num_params, "nbytes": r.int8.nbytes(),
                         "seconds": round(r.seconds, 2), "epochs": len(r.history), "qconfig": r.qconfig.as_dict(),
                         "engine": "qlib.int8 fixed-point"}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics


def augmented_splits():
    """Issue 14's recipe: the digits with printed digits added to the training set (qlib.printed)."""
    from qlib.data import load_digits
    from qlib.printed import with_printed

    return with_printed(load_digits())


if __name__ == "__main__":  # python -m qlib.train [--augment [OUT_DIR]]: --augment trains with issue 14's recipe
    import sys

    if "--augment" in sys.argv:
        from qlib.augment import augment

        rest = sys.argv[sys.argv.index("--augment") + 1:]
        save_all(rest[0] if rest else None, augmented_splits(), augment)
    else:
        save_all()
