"""The QAT page's runs: fp32, PTQ and QAT on fresh copies, the bit sweep, per-layer values, the qparam trace.

A thin layer over `qlib.model`, `qlib.qat` and `qlib.pretrained` that returns plain records (`Run`) the page
keeps in its session. Nothing here changes a model it is given: every run deep-copies first.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from qlib.data import Splits, load_digits
from qlib.model import EpochInfo, TinyCNN, evaluate, fit
from qlib.qat import LAYERS, QATCNN, QConfig, calibrate, prepare_qat
from qlib.quant import quant_error

BITS = (2, 3, 4, 5, 6, 7, 8)
SCHEMES = ("asym", "sym")  # of the activations: the integer engine takes symmetric weights
OBSERVERS = ("minmax", "moving_average", "percentile", "mse")
FP32_EPOCHS, QAT_EPOCHS, SWEEP_EPOCHS = 3, 2, 1  # a run takes a few seconds on a laptop
SWEEP_BITS = (8, 6, 5, 4, 3, 2)
LR_FP32, LR_QAT = 3e-3, 1e-3  # QAT fine-tunes: a smaller step than training from scratch


@dataclass(frozen=True)
class Config:
    """What the page's controls choose: bit widths, scheme (activations; weights are symmetric), granularity."""

    wbits: int = 8
    abits: int = 8
    scheme: str = "asym"
    per_channel: bool = True
    observer: str = "moving_average"

    def qconfig(self) -> QConfig:
        """The qlib.qat QConfig of these settings (weights always symmetric, as the integer engine needs)."""
        return QConfig(w_bits=self.wbits, a_bits=self.abits, w_per_channel=self.per_channel,
                       a_symmetric=self.scheme == "sym", observer=self.observer)


@dataclass
class Run:
    """One training / calibration result, owned by one session."""

    model: object  # the session's own model (TinyCNN or a fake-quantized copy)
    config: Config | None  # None for fp32
    history: list[dict]  # {"run", "epoch", "epochs", "loss", "val_acc"} per epoch
    test_acc: float
    seconds: float
    origin: str = "session"  # where PTQ / QAT started: "session" (the session's fp32) or "shipped"
    trace: list[dict] = field(default_factory=list)  # {"step", "name", "scale", "zero_point"} (QAT)
    qparams_now: dict | None = None  # first layer's scales after the run, for the formula


def load_shipped(name: str):
    """A shipped model from assets/ (qlib.pretrained); the page caches it and only ever copies it."""
    from qlib import pretrained

    return pretrained.load(name)


def load_splits() -> Splits:
    """The digits data set's fixed splits."""
    return load_digits()


def test_accuracy(model, splits: Splits) -> float:
    """Top-1 accuracy on the test split."""
    return evaluate(model, *splits.test)


def _row(run: str, info: EpochInfo) -> dict:
    """An EpochInfo as a plain history row (what the curves and the session keep)."""
    return {"run": run, "epoch": info.epoch, "epochs": info.epochs, "loss": info.train_loss, "val_acc": info.val_acc}


def train_fp32(splits: Splits, epochs: int, callback: Callable[[dict], None] | None = None, seed: int = 0) -> Run:
    """A fresh TinyCNN trained for a few epochs; `callback(row)` after each one (live curves)."""
    t0 = time.perf_counter()
    model = TinyCNN(seed)
    hist = fit(model, splits, epochs=epochs, lr=LR_FP32, seed=seed,
               callback=(lambda i: callback(_row("fp32", i))) if callback else None)
    return Run(model, None, [_row("fp32", i) for i in hist], test_accuracy(model, splits),
               time.perf_counter() - t0)


def fresh_copy(model: torch.nn.Module) -> torch.nn.Module:
    """A deep copy: what every PTQ / QAT run starts from, so the model given is never touched."""
    return copy.deepcopy(model)


def _calibrated(fp32: torch.nn.Module, cfg: Config, splits: Splits) -> QATCNN:
    """prepare_qat on a copy of the fp32 model, then the activation ranges recorded on the training images."""
    return calibrate(prepare_qat(fp32, cfg.qconfig()), splits.train[0])


def run_ptq(fp32: torch.nn.Module, cfg: Config, splits: Splits, origin: str = "session") -> Run:
    """Post-training quantization: calibrate and round, no training; the fp32 model is left as it was."""
    t0 = time.perf_counter()
    model = _calibrated(fp32, cfg, splits).eval()
    return Run(model, cfg, [], test_accuracy(model, splits), time.perf_counter() - t0, origin,
               qparams_now=first_layer_qparams(model))


def train_qat(fp32: torch.nn.Module, cfg: Config, splits: Splits, epochs: int,
              callback: Callable[[dict], None] | None = None, origin: str = "session", seed: int = 0) -> Run:
    """QAT: calibrate a fake-quantized copy, then fine-tune it with the STE; the scales are traced per epoch."""
    t0 = time.perf_counter()
    model = _calibrated(fp32, cfg, splits)
    trace = trace_rows(0, model.quantizer_state())

    def on_epoch(info: EpochInfo) -> None:
        trace.extend(trace_rows(info.epoch, info.quantizers))
        if callback:
            callback(_row("qat", info))

    hist = fit(model, splits, epochs=epochs, lr=LR_QAT, seed=seed, callback=on_epoch)
    return Run(model, cfg, [_row("qat", i) for i in hist], test_accuracy(model, splits),
               time.perf_counter() - t0, origin, trace, first_layer_qparams(model))


def trace_rows(step: int, state: dict[str, dict]) -> list[dict]:
    """One epoch's quantizer state as rows: activations as they are, per-channel weights by their mean scale."""
    rows = []
    for name, d in state.items():
        if not d:
            continue
        scale, zp = d["scale"], d["zero_point"]
        if isinstance(scale, list):
            scale, zp = sum(scale) / len(scale), round(sum(zp) / len(zp))
        rows.append({"step": step, "name": name, "scale": float(scale), "zero_point": int(zp)})
    return rows


def first_layer_qparams(model: QATCNN) -> dict:
    """conv1's weight scale (channel 0) and output scale / zero point: the numbers the formula shows."""
    state = model.quantizer_state()
    w, a = state["conv1.weight"], state["conv1.output"]
    ws = w["scale"][0] if isinstance(w["scale"], list) else w["scale"]
    return {"layer": "conv1", "wscale": float(ws), "ascale": float(a["scale"]), "azp": int(a["zero_point"])}


def sweep(fp32: torch.nn.Module, splits: Splits, epochs: int, callback: Callable[[float, int, str], None] | None = None,
          cfg: Config | None = None, bits: tuple[int, ...] = SWEEP_BITS) -> tuple[list[dict], float]:
    """PTQ and QAT test accuracy at each bit width (weights and activations alike), all from the same fp32 model."""
    t0, cfg, rows = time.perf_counter(), cfg or Config(), []
    for i, b in enumerate(bits):
        c = Config(b, b, cfg.scheme, cfg.per_channel, cfg.observer)
        if callback:
            callback(i / len(bits), b, "ptq")
        ptq = run_ptq(fp32, c, splits).test_acc
        if callback:
            callback((i + 0.3) / len(bits), b, "qat")
        qat = train_qat(fp32, c, splits, epochs).test_acc
        rows.append({"bits": b, "ptq": ptq, "qat": qat})
    return rows, time.perf_counter() - t0


def layer_names(model) -> tuple[str, ...]:
    """The quantized layers of a fake-quantized model."""
    return LAYERS


@torch.no_grad()
def layer_values(model: QATCNN, layer: str, kind: str, splits: Splits, n: int = 256) -> dict:
    """A layer's weights or output activations (on n test images), float and fake-quantized, with their stats.

    Works on a deep copy, so a shared model is neither hooked nor switched to eval mode.
    """
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
    return {"float": x.numpy().ravel(), "quant": q.numpy().ravel(), "n": x.numel(),
            "levels": int(torch.unique(q).numel()),
            "grid": (float(lo), float(hi)) if lo.dim() == 0 else None,
            "scale": (float(scales.min()), float(scales.max())),
            "zero_point": int(qp.zero_point.reshape(-1)[0]), "per_channel": scales.numel() > 1,
            "mse": err["mse"], "clip_fraction": err["clip_fraction"]}
