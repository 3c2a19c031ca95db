"""The QAT page's runs: fp32, PTQ and QAT through `qlib.train`, the bit sweep, per-layer values, the qparam trace.

A thin layer over `qlib.train` that returns plain records (`Run`) the page keeps in its session. Nothing here
changes a model it is given: `qlib.qat.prepare_qat` copies, and the per-layer views work on a deep copy.
Accuracies are those of the integer engine (`qlib.int8.Int8Model`), as in the shipped models' metrics.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from qlib import train
from qlib.data import Splits
from qlib.int8 import Int8Model
from qlib.model import evaluate
from qlib.qat import OBSERVERS, QATNet, QConfig, QuantizerState  # noqa: F401 (re-exported)
from qlib.quant import quant_error
from qlib.spec import TINY_CNN
from qlib.train import EpochInfo

BITS = (2, 3, 4, 5, 6, 7, 8)
SCHEMES = ("asym", "sym")  # of the activations: the integer engine takes symmetric weights
FP32_EPOCHS, QAT_EPOCHS, SWEEP_EPOCHS = 3, 2, 1  # a run takes a few seconds on a laptop
SWEEP_BITS = (8, 6, 4, 3, 2)


@dataclass(frozen=True)
class Config:
    """What the page's controls choose: bit widths, activation scheme, weight granularity, observer."""

    wbits: int = 8
    abits: int = 8
    scheme: str = "asym"
    per_channel: bool = True
    observer: str = "moving_average"

    def qconfig(self, epochs: int | None = None) -> QConfig:
        """The qlib.qat QConfig: weights symmetric (as the integer engine needs); observers freeze half way."""
        freeze = max(1, epochs // 2) if epochs and epochs > 1 else None
        return QConfig(
            w_bits=self.wbits,
            a_bits=self.abits,
            w_per_channel=self.per_channel,
            a_symmetric=self.scheme == "sym",
            observer=self.observer,
            freeze_observers_after=freeze,
        )


@dataclass
class Run:
    """One training / calibration result, owned by one session."""

    model: torch.nn.Module  # the session's own model: TinyCNN (fp32) or QATNet (fake-quantized)
    config: Config | None  # None for fp32
    history: list[dict]  # {"run", "epoch", "epochs", "loss", "val_acc"} per epoch
    test_acc: float  # fp32: the float model; PTQ / QAT: the integer engine
    seconds: float
    origin: str = "session"  # where PTQ / QAT started: "session" (the session's fp32) or "shipped"
    int8: Int8Model | None = None
    trace: list[dict] = field(default_factory=list)  # {"step", "name", "scale", "zero_point"} (QAT)
    qparams_now: dict | None = None  # conv1's scales after the run, for the formula
    frozen_at: int | None = None  # QAT: the epoch from which the observers were frozen


def test_accuracy(model, splits: Splits) -> float:
    """Top-1 accuracy on the test split."""
    return evaluate(model, *splits.test)


def _row(run: str, info: EpochInfo) -> dict:
    """An EpochInfo as a plain history row (what the curves and the session keep)."""
    return {
        "run": run,
        "epoch": info.epoch,
        "epochs": info.epochs,
        "loss": info.train_loss,
        "val_acc": info.val_acc,
    }


def _relay(run: str, callback: Callable[[dict], None] | None) -> Callable[[EpochInfo], None] | None:
    """fit's per-epoch EpochInfo -> the page's callback with a plain row."""
    return (lambda info: callback(_row(run, info))) if callback else None


def train_fp32(splits: Splits, epochs: int, callback: Callable[[dict], None] | None = None) -> Run:
    """A fresh TinyCNN trained for a few epochs (qlib.train.train_fp32); `callback(row)` after each one."""
    r = train.train_fp32(epochs=epochs, callback=_relay("fp32", callback), splits=splits)
    return Run(r.model, None, [_row("fp32", i) for i in r.history], r.test_acc, r.seconds)


def run_ptq(fp32: torch.nn.Module, cfg: Config, splits: Splits, origin: str = "session") -> Run:
    """Post-training quantization (qlib.train.run_ptq): calibrate and round, no training."""
    r = train.run_ptq(fp32, cfg.qconfig(), splits)
    return Run(
        r.model, cfg, [], r.test_acc, r.seconds, origin, r.int8, qparams_now=first_layer_qparams(r.model)
    )


def train_qat(
    fp32: torch.nn.Module,
    cfg: Config,
    splits: Splits,
    epochs: int,
    callback: Callable[[dict], None] | None = None,
    origin: str = "session",
) -> Run:
    """QAT (qlib.train.train_qat): calibrate, fine-tune with fake quant and the STE; scales traced per epoch."""
    qc = cfg.qconfig(epochs)
    r = train.train_qat(qc, epochs, _relay("qat", callback), init=fp32, splits=splits)
    trace = trace_rows(0, r.calibrated)  # epoch 0: the state QAT started from
    for info in r.history:
        trace.extend(trace_rows(info.epoch, info.quantizers))
    return Run(
        r.model,
        cfg,
        [_row("qat", i) for i in r.history],
        r.test_acc,
        r.seconds,
        origin,
        r.int8,
        trace,
        first_layer_qparams(r.model),
        qc.freeze_observers_after,
    )


def trace_rows(step: int, state: dict[str, QuantizerState]) -> list[dict]:
    """One epoch's quantizer state as rows: activations as they are, per-channel weights by their mean scale."""
    return [
        {
            "step": step,
            "name": name,
            "scale": q.mean_scale,
            "zero_point": round(sum(q.zero_point) / len(q.zero_point)),
        }
        for name, q in state.items()
    ]


def first_layer_qparams(model: QATNet) -> dict:
    """conv1's weight scale (channel 0) and output scale / zero point: the numbers the formula shows."""
    state = model.quantizer_state()
    w, a = state["conv1.weight"], state["conv1.output"]
    return {"layer": "conv1", "wscale": w.scale[0], "ascale": a.scale[0], "azp": a.zero_point[0]}


def sweep(
    fp32: torch.nn.Module,
    splits: Splits,
    epochs: int,
    callback: Callable[[float, int], None] | None = None,
    bits: tuple[int, ...] = SWEEP_BITS,
) -> tuple[list[dict], float]:
    """PTQ and QAT (the recipe of qlib.train at each width, w = a) from the same fp32 model; test accuracies."""
    t0, done = time.perf_counter(), []

    def step(row: train.SweepRow) -> None:
        done.append(row)
        if callback and len(done) < len(bits):
            callback(len(done) / len(bits), bits[len(done)])

    if callback:
        callback(0.0, bits[0])
    rows = train.bit_sweep(tuple(bits), fp32, epochs, step, splits)
    return [{"bits": r.bits, "ptq": r.ptq, "qat": r.qat} for r in rows], time.perf_counter() - t0


def fresh_copy(model: torch.nn.Module) -> torch.nn.Module:
    """A deep copy, so that a shared model is neither hooked nor switched between train and eval."""
    return copy.deepcopy(model)


@torch.no_grad()
def layer_values(model: QATNet, layer: str, kind: str, splits: Splits, n: int = 256) -> dict:
    """A layer's weights or output activations (on n test images), float and fake-quantized, with their stats."""
    m = fresh_copy(model).eval()
    if kind == "weight":
        x = getattr(m, layer).weight.detach()
        qp = m.w_fq[layer].qparams(x)
        q = m.w_fq[layer](x)
    else:
        seen = {}
        fq = m.act_fq[layer]
        handle = fq.register_forward_hook(lambda mod, inp, out: seen.update(x=inp[0], q=out))
        m(splits.test[0][:n])
        handle.remove()
        x, q, qp = seen["x"], seen["q"], fq.qp
    lo, hi = qp.real_range()
    err = quant_error(x, qp)
    scales = qp.scale.reshape(-1)
    return {
        "float": x.numpy().ravel(),
        "quant": q.numpy().ravel(),
        "n": x.numel(),
        "levels": int(torch.unique(q).numel()),
        "grid": (float(lo), float(hi)) if lo.dim() == 0 else None,
        "scale": (float(scales.min()), float(scales.max())),
        "zero_point": int(qp.zero_point.reshape(-1)[0]),
        "per_channel": scales.numel() > 1,
        "mse": err["mse"],
        "clip_fraction": err["clip_fraction"],
    }


LAYER_NAMES = TINY_CNN.names
