"""Training, the one front end: the loop (`fit`), fp32 training, PTQ, QAT, the bit sweep, the shipped recipe.

Every function returns a typed `Result` (or `SweepRow`s); the app's QAT page and `python -m qlib.train`
(which writes `assets/models/`) call the same functions, the page with shorter budgets than the shipped recipe.

The loop: Adam on the training split with seeded shuffling and a cosine learning rate, one intra-op thread;
deterministic (the same model, data and seed give bit-identical weights). A model with quantizers
(`qlib.qat.QATNet`) takes part through the `EpochHooks` protocol: the loop calls `start_epoch` (observers
freeze there), `end_epoch` (per-epoch observers compute their range) and reads `quantizer_state()` into each
epoch's `EpochInfo`.

QAT recipe: start from the trained fp32 weights, calibrate the observers on the training set (the PTQ model
is the starting point), then fine-tune with fake quantization (clipped STE) at a smaller learning rate on a
cosine schedule; freeze the observers part way so the last epochs fit the final grids. At 4 bits and below
the activation observer is the MSE search (at 2-3 bits min/max wastes most of the few levels on rare large
values).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import torch
import torch.nn.functional as F
from torch import nn

from qlib.data import Splits
from qlib.int8 import Int8Model
from qlib.model import TinyCNN, evaluate, fp32_nbytes, n_params, num_threads
from qlib.qat import QConfig, QuantizerState, calibrate, convert, prepare_qat

FP32_EPOCHS, FP32_LR = 30, 3e-3
Augment = Callable[[torch.Tensor, int], torch.Tensor]  # (batch, step seed) -> changed batch
SEED = 0


# ---------------------------------------------------------------------------------------------------------------
# the loop


@dataclass(frozen=True)
class EpochInfo:
    """What `fit` reports after each epoch (the app draws live curves from it)."""

    epoch: int  # 1-based
    epochs: int
    train_loss: float
    train_acc: float
    val_acc: float
    seconds: float  # this epoch's wall time
    elapsed: float  # since fit started
    lr: float
    quantizers: dict[str, QuantizerState] = field(default_factory=dict)  # QAT only: name -> scale, zero point


@runtime_checkable
class EpochHooks(Protocol):
    """What a model with quantizers lets the loop do between epochs (qlib.qat.QATNet implements it)."""

    def start_epoch(self, epoch: int) -> None: ...

    def end_epoch(self, epoch: int) -> None: ...

    def quantizer_state(self) -> dict[str, QuantizerState]: ...


def lr_at(step: int, total: int, lr: float, schedule: str) -> float:
    """Constant, or cosine from lr down to lr/100: big steps first, small steps to settle."""
    if schedule == "constant":
        return lr
    if schedule == "cosine":
        return lr * (0.01 + 0.99 * 0.5 * (1.0 + math.cos(math.pi * step / max(total, 1))))
    raise ValueError(f"schedule must be 'constant' or 'cosine', got {schedule!r}")


def fit(
    model: nn.Module,
    splits: Splits,
    epochs: int = 30,
    lr: float = 3e-3,
    batch_size: int = 32,
    seed: int = 0,
    callback: Callable[[EpochInfo], bool | None] | None = None,
    weight_decay: float = 0.0,
    schedule: str = "cosine",
    hooks: EpochHooks | None = None,
    augment: Augment | None = None,
) -> list[EpochInfo]:
    """Train in place; `callback(info)` after every epoch (return False to stop). Returns the epochs' records.

    `hooks` defaults to the model itself when it implements `EpochHooks` (a fake-quantized model).
    `augment(batch, step_seed)` (e.g. qlib.augment.augment), if given, changes each batch before the step; its
    seed is a pure function of `seed` and the step's number, so training stays deterministic.
    """
    if epochs < 0 or batch_size < 1:
        raise ValueError(f"epochs must be >= 0 and batch_size >= 1, got {epochs}, {batch_size}")
    if schedule not in ("constant", "cosine"):
        raise ValueError(f"schedule must be 'constant' or 'cosine', got {schedule!r}")
    hooks = hooks if hooks is not None else model if isinstance(model, EpochHooks) else None
    run = _Run(model, splits, epochs, lr, batch_size, seed, weight_decay, schedule, augment)
    history: list[EpochInfo] = []
    with num_threads(1):  # tiny layers gain nothing from more threads; on a busy machine extra ones spin
        for epoch in range(epochs):
            if hooks is not None:
                hooks.start_epoch(epoch)
            loss, acc, seconds = run.epoch(epoch)
            if hooks is not None:
                hooks.end_epoch(epoch)
            info = EpochInfo(
                epoch + 1,
                epochs,
                loss,
                acc,
                evaluate(model, *splits.val),
                seconds,
                time.perf_counter() - run.t0,
                run.opt.param_groups[0]["lr"],
                hooks.quantizer_state() if hooks is not None else {},
            )
            history.append(info)
            if callback is not None and callback(info) is False:
                break
    model.eval()
    return history


class _Run:
    """One training run's optimizer, shuffling generator and schedule: `epoch(i)` trains one epoch."""

    def __init__(
        self,
        model: nn.Module,
        splits: Splits,
        epochs: int,
        lr: float,
        batch_size: int,
        seed: int,
        weight_decay: float,
        schedule: str,
        augment: Augment | None = None,
    ) -> None:
        self.model, (self.x, self.y) = model, splits.train
        self.seed, self.augment = seed, augment
        self.g = torch.Generator().manual_seed(seed)
        self.opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
        self.batch_size, self.lr, self.schedule = batch_size, lr, schedule
        self.steps = math.ceil(len(self.x) / batch_size)
        self.total = epochs * self.steps
        self.t0 = time.perf_counter()

    def epoch(self, epoch: int) -> tuple[float, float, float]:
        """One pass over the shuffled training split: (mean loss, accuracy, seconds)."""
        t0 = time.perf_counter()
        self.model.train()
        perm = torch.randperm(len(self.x), generator=self.g)
        loss_sum, correct = 0.0, 0
        for i in range(self.steps):
            idx = perm[i * self.batch_size : (i + 1) * self.batch_size]
            for group in self.opt.param_groups:
                group["lr"] = lr_at(epoch * self.steps + i, self.total, self.lr, self.schedule)
            step = epoch * self.steps + i
            xb = self.x[idx] if self.augment is None else self.augment(self.x[idx], (self.seed << 32) + step)
            logits = self.model(xb)
            loss = F.cross_entropy(logits, self.y[idx])
            self.opt.zero_grad(set_to_none=True)
            loss.backward()
            self.opt.step()
            loss_sum += float(loss.detach()) * len(idx)
            correct += int((logits.argmax(1) == self.y[idx]).sum())
        return loss_sum / len(self.x), correct / len(self.x), time.perf_counter() - t0


# ---------------------------------------------------------------------------------------------------------------
# fp32, PTQ, QAT, the sweep


@dataclass(frozen=True)
class Recipe:
    """How to train QAT at one bit width: epochs, learning rate and the QConfig (observers freeze part way)."""

    epochs: int
    lr: float
    qconfig: QConfig


def qat_recipe(bits: int) -> Recipe:
    """The shipped recipe at this bit width (weights and activations together)."""
    if bits >= 5:
        return Recipe(5, 1e-3, QConfig(bits, bits, freeze_observers_after=3))
    epochs, lr, freeze = {4: (8, 2e-3, 5), 3: (10, 3e-3, 6), 2: (15, 3e-3, 8)}[bits]
    return Recipe(epochs, lr, QConfig(bits, bits, observer="mse", freeze_observers_after=freeze))


def default_qconfig(bits: int) -> QConfig:
    """The recipe's QConfig at this bit width."""
    return qat_recipe(bits).qconfig


@dataclass
class Result:
    """One trained or calibrated model and how it did (accuracy of the integer engine for quantized ones)."""

    name: str  # "fp32", "ptq-w4a4", "qat-w8a8", ...
    model: nn.Module  # TinyCNN (fp32) or QATNet (fake-quantized)
    test_acc: float
    seconds: float
    int8: Int8Model | None = None
    qconfig: QConfig | None = None
    history: list[EpochInfo] = field(default_factory=list)
    calibrated: dict[str, QuantizerState] = field(default_factory=dict)  # QAT: the quantizers it started from

    @property
    def frozen_at(self) -> int | None:
        """QAT: the epoch (0-based) from which the observers stayed fixed, if they froze during the run."""
        after = self.qconfig.freeze_observers_after if self.qconfig is not None else None
        return after if self.history and after is not None and after < len(self.history) else None


def _splits(splits: Splits | None) -> Splits:
    """The digits splits unless given."""
    if splits is not None:
        return splits
    from qlib.data import load_digits

    return load_digits()


def _init_model(init: nn.Module | None) -> nn.Module:
    """The fp32 starting point: the one given, else the shipped fp32 model."""
    if init is not None:
        return init
    from qlib import pretrained

    return pretrained.load("fp32")


def train_fp32(
    epochs: int = FP32_EPOCHS,
    seed: int = SEED,
    callback: Callable | None = None,
    lr: float = FP32_LR,
    splits: Splits | None = None,
    augment: Augment | None = None,
) -> Result:
    """A fresh TinyCNN trained from its seeded init; `callback(EpochInfo)` after each epoch."""
    splits = _splits(splits)
    t0 = time.perf_counter()
    model = TinyCNN(seed)
    history = fit(model, splits, epochs=epochs, lr=lr, seed=seed, callback=callback, augment=augment)
    return Result("fp32", model, evaluate(model, *splits.test), time.perf_counter() - t0, history=history)


def run_ptq(
    fp32_model: nn.Module | None = None, qconfig: QConfig | None = None, splits: Splits | None = None
) -> Result:
    """Post-training quantization: calibrate observers on the training images, convert; no training."""
    splits = _splits(splits)
    qconfig = qconfig or QConfig()
    t0 = time.perf_counter()
    model = calibrate(prepare_qat(_init_model(fp32_model), qconfig), splits.train[0]).eval()
    int8 = convert(model)
    seconds = time.perf_counter() - t0
    return Result(f"ptq-{qconfig.name}", model, evaluate(int8, *splits.test), seconds, int8, qconfig)


def train_qat(
    qconfig: QConfig | None = None,
    epochs: int | None = None,
    callback: Callable | None = None,
    init: nn.Module | None = None,
    lr: float | None = None,
    seed: int = SEED,
    splits: Splits | None = None,
    augment: Augment | None = None,
) -> Result:
    """QAT: calibrate on the training set, fine-tune with fake quantization, convert. `init` is not changed.

    Epochs and learning rate default to the recipe of the narrower of the two bit widths.
    """
    splits = _splits(splits)
    qconfig = qconfig or QConfig()
    recipe = qat_recipe(min(qconfig.w_bits, qconfig.a_bits))
    epochs = recipe.epochs if epochs is None else epochs
    t0 = time.perf_counter()
    model = calibrate(prepare_qat(_init_model(init), qconfig), splits.train[0])
    start = model.quantizer_state()
    history = fit(
        model, splits, epochs=epochs, lr=lr or recipe.lr, seed=seed, callback=callback, augment=augment
    )
    model.freeze()
    int8 = convert(model)
    seconds = time.perf_counter() - t0
    return Result(
        f"qat-{qconfig.name}", model, evaluate(int8, *splits.test), seconds, int8, qconfig, history, start
    )


@dataclass(frozen=True)
class SweepRow:
    """PTQ against QAT at one bit width (w = a), from the same fp32 model."""

    bits: int
    ptq: float  # test accuracy
    qat: float
    qat_seconds: float


def bit_sweep(
    bits_list: tuple[int, ...] = (8, 6, 4, 3, 2),
    fp32_model: nn.Module | None = None,
    epochs: int | None = None,
    callback: Callable[[SweepRow], None] | None = None,
    splits: Splits | None = None,
) -> list[SweepRow]:
    """PTQ and QAT at each bit width (w = a) with the recipe's settings; `callback(row)` after each width."""
    splits = _splits(splits)
    fp32_model = _init_model(fp32_model)
    rows = []
    for bits in bits_list:
        qc = default_qconfig(bits)
        ptq = run_ptq(fp32_model, qc, splits)
        qat = train_qat(qc, epochs, init=fp32_model, splits=splits)
        rows.append(SweepRow(bits, ptq.test_acc, qat.test_acc, qat.seconds))
        if callback is not None:
            callback(rows[-1])
    return rows


# ---------------------------------------------------------------------------------------------------------------
# the shipped models


SHIPPED_BITS = (8, 4, 3, 2)


def shipped_data() -> tuple[Splits, Augment]:
    """The shipped models' training data (issue 14): the digits plus 1,000 printed digits (qlib.printed),
    each batch augmented (qlib.augment: shifts, rotations, stroke width, blur, noise), so the models meet the
    photos and drawings people give them. Validation and test are the digits' own splits, unchanged."""
    from qlib.augment import augment
    from qlib.data import load_digits
    from qlib.printed import with_printed

    return with_printed(load_digits()), augment


def build_all(
    splits: Splits | None = None, log: Callable[[str], None] = print, augment: Augment | None = None
) -> tuple[dict[str, Result], Result]:
    """fp32, then PTQ and QAT at each shipped bit width, all from the same fp32 weights."""
    splits = _splits(splits)
    fp32 = train_fp32(splits=splits, augment=augment)
    log(f"fp32            test {100 * fp32.test_acc:.2f} %  {fp32.seconds:.1f} s")
    results: dict[str, Result] = {}
    for bits in SHIPPED_BITS:
        qc = default_qconfig(bits)
        qat = train_qat(qc, init=fp32.model, splits=splits, augment=augment)
        for r in (run_ptq(fp32.model, qc, splits), qat):
            results[r.name] = r
            log(f"{r.name:15s} test {100 * r.test_acc:.2f} %  {r.seconds:.1f} s")
    return results, fp32


def save_all(out_dir: Path | str | None = None, plain: bool = False) -> dict:
    """Train everything and write fp32.pt, one .pt per quantized model and metrics.json (returned).

    The shipped recipe trains on `shipped_data()`; `plain=True` on the digits alone, without augmentation.
    """
    from qlib import pretrained

    out = Path(out_dir) if out_dir is not None else pretrained.MODELS_DIR
    out.mkdir(parents=True, exist_ok=True)
    splits, augment = (None, None) if plain else shipped_data()
    results, fp32 = build_all(splits, augment=augment)
    torch.save(fp32.model.state_dict(), out / "fp32.pt")
    metrics = {
        "fp32": {
            "test_acc": fp32.test_acc,
            "params": n_params(fp32.model),
            "nbytes": fp32_nbytes(fp32.model),
            "seconds": round(fp32.seconds, 2),
            "epochs": FP32_EPOCHS,
            "lr": FP32_LR,
            "seed": SEED,
            "data": "digits"
            if plain
            else "digits + 1,000 printed digits, augmented (qlib.train.shipped_data)",
        }
    }
    for name, r in results.items():
        pretrained.save_quantized(r.model, out / f"{name}.pt", name)
        metrics[name] = {
            "test_acc": r.test_acc,
            "params": r.int8.num_params,
            "nbytes": r.int8.nbytes(),
            "seconds": round(r.seconds, 2),
            "epochs": len(r.history),
            "qconfig": r.qconfig.as_dict(),
            "engine": "qlib.int8 fixed-point",
        }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics


def main(argv: list[str] | None = None) -> None:
    """Train and write the shipped models of each network named: tiny_cnn (the default) to assets/models/,
    mobile_cnn to assets/models/mobile/ (qlib.mobile's recipe)."""
    import argparse

    from qlib import mobile

    writers = {"tiny_cnn": save_all, "mobile_cnn": mobile.save_all}
    ap = argparse.ArgumentParser(prog="python -m qlib.train", description=" ".join(main.__doc__.split()))
    ap.add_argument(
        "nets", nargs="*", metavar="NET", help=f"{' and/or '.join(sorted(writers))} (default: tiny_cnn)"
    )
    ap.add_argument("--plain", action="store_true", help="tiny_cnn on the digits alone, without augmentation")
    ap.add_argument("--out", default=None, help="tiny_cnn: write here instead of assets/models/")
    args = ap.parse_args(argv)
    nets = args.nets or ["tiny_cnn"]
    unknown = [n for n in nets if n not in writers]
    if unknown:  # checked here: argparse's choices reject an empty nargs="*" list on Python 3.11
        ap.error(f"unknown network(s) {', '.join(unknown)}; choose from {', '.join(sorted(writers))}")
    for net in nets:
        if net == "tiny_cnn":
            save_all(args.out, plain=args.plain)
        else:
            writers[net]()


if __name__ == "__main__":
    main()
