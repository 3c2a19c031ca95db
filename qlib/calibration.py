"""The calibration bake-off: PTQ with each activation observer and 1 to 1,000 calibration images, scored on the
integer engine (test accuracy) and by per-layer SQNR (qlib.sensitivity).

Everything but the observer and the images is fixed: the same fp32 weights, symmetric per-channel min-max
weights, asymmetric activations, BatchNorm folded. The images are a seeded subset of the training split
(`calibration_images`), fed in batches of 32 as PyTorch's PTQ recipe feeds its data loader, so the moving
average sees one batch after another (with PyTorch's averaging constant 0.01 it stays close to the first
batch's min/max) and the histogram observers re-bin as the range grows. The same subset goes to every observer.

Observers (qlib.qat.ALL_OBSERVERS): minmax, moving_average, percentile (99.99), mse (the least squared error
over 40 shrunken ranges), histogram (PyTorch's HistogramObserver: its L2 bin search) and entropy (TensorRT's
KL threshold).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import torch
from torch import nn

from qlib.data import Splits, load_digits
from qlib.int8 import Int8Model
from qlib.model import Net, evaluate, num_threads
from qlib.qat import ALL_OBSERVERS, QATNet, QConfig, calibrate, convert, prepare_qat
from qlib.sensitivity import Sensitivity, sensitivity

N_IMAGES = (1, 10, 100, 1000)
SEEDS = (0, 1, 2)
BATCH_SIZE = 32


def calibration_images(x: torch.Tensor, n: int, seed: int) -> torch.Tensor:
    """n images drawn without replacement from x by a seeded permutation (the first n of it)."""
    if not 1 <= n <= len(x):
        raise ValueError(f"n must be between 1 and {len(x)} (the images there are), got {n}")
    return x[torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))[:n]]


@dataclass(frozen=True)
class Calibrated:
    """One PTQ model: the fake-quantized net, its integer form and the CPU seconds calibrate + convert took."""

    model: QATNet
    int8: Int8Model
    cpu_seconds: float


def ptq(fp32: nn.Module, qconfig: QConfig, images: torch.Tensor, batch_size: int = BATCH_SIZE) -> Calibrated:
    """Calibrate a fresh fake-quantized copy of fp32 on `images` (in batches) and convert it."""
    c0 = time.process_time()
    with num_threads(1):
        model = calibrate(prepare_qat(fp32, qconfig), images, batch_size=batch_size).eval()
        int8 = convert(model)
    return Calibrated(model, int8, time.process_time() - c0)


@dataclass(frozen=True)
class CalibrationRun:
    """One observer with one seeded subset of n calibration images: test accuracy of the integer model, the
    per-layer SQNR on the test images, and the CPU seconds of calibration and conversion."""

    net: str
    observer: str
    n_images: int
    seed: int
    a_bits: int
    test_acc: float
    sensitivity: Sensitivity
    cpu_seconds: float

    @property
    def output_sqnr_db(self) -> float:
        """SQNR of the integer model's logits against the float network's (dB)."""
        return self.sensitivity.layers[-1].cumulative_db


def base_qconfig(fp32: Net, a_bits: int = 8) -> QConfig:
    """The PTQ setting the bake-off varies the observer of: W8, per-channel, the net's own recipe otherwise."""
    if fp32.spec.name == "mobile_cnn":
        from qlib import mobile

        return replace(mobile.qconfig(8), a_bits=a_bits)
    return QConfig(8, a_bits)


def bakeoff(
    fp32: Net,
    splits: Splits | None = None,
    observers: Sequence[str] = ALL_OBSERVERS,
    n_images: Sequence[int] = N_IMAGES,
    seeds: Sequence[int] = SEEDS,
    a_bits: int = 8,
    callback: Callable[[CalibrationRun], None] | None = None,
) -> list[CalibrationRun]:
    """Every observer × number of images × seed, from the same fp32 net; `callback(run)` after each."""
    splits = splits if splits is not None else load_digits()
    base = base_qconfig(fp32, a_bits)
    x_test, y_test = splits.test
    runs = []
    for n in n_images:
        for seed in seeds:
            images = calibration_images(splits.train[0], n, seed)
            for observer in observers:
                c = ptq(fp32, replace(base, observer=observer), images)
                run = CalibrationRun(
                    fp32.spec.name,
                    observer,
                    n,
                    seed,
                    a_bits,
                    evaluate(c.int8, x_test, y_test),
                    sensitivity(c.model, x_test, c.int8),
                    c.cpu_seconds,
                )
                runs.append(run)
                if callback is not None:
                    callback(run)
    return runs


@dataclass(frozen=True)
class BakeoffCell:
    """One observer at one number of images, over the seeds: accuracy mean/min/max, mean output SQNR (dB),
    mean CPU seconds."""

    observer: str
    n_images: int
    seeds: int
    mean_acc: float
    min_acc: float
    max_acc: float
    output_sqnr_db: float
    cpu_seconds: float


def summarize(runs: Sequence[CalibrationRun]) -> list[BakeoffCell]:
    """The runs grouped by (observer, n_images), in the order they first appear."""
    groups: dict[tuple[str, int], list[CalibrationRun]] = {}
    for r in runs:
        groups.setdefault((r.observer, r.n_images), []).append(r)
    return [
        BakeoffCell(
            obs,
            n,
            len(rs),
            statistics.fmean(r.test_acc for r in rs),
            min(r.test_acc for r in rs),
            max(r.test_acc for r in rs),
            statistics.fmean(r.output_sqnr_db for r in rs),
            statistics.fmean(r.cpu_seconds for r in rs),
        )
        for (obs, n), rs in groups.items()
    ]
