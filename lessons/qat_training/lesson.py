"""The QAT page's lesson: its settings as a QConfig, its runs through `qlib.train` (the one training front end),
the rows its charts draw, and one layer's values for the histograms.

Runs are `qlib.train.Result`s, kept per session in a `Runs`. Nothing here changes a model it is given:
`qlib.qat.prepare_qat` copies, and the per-layer views work on a deep copy. Accuracies of quantized runs are
those of the integer engine (`qlib.int8.Int8Model`), as in the shipped models' metrics.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch

from lessons.plot import Tr
from qlib import train
from qlib.data import Splits
from qlib.model import evaluate
from qlib.qat import OBSERVERS, QATNet, QConfig, QuantizerState
from qlib.quant import qrange, quant_error
from qlib.spec import TINY_CNN
from qlib.train import Result, SweepRow

BITS = (2, 3, 4, 5, 6, 7, 8)
SCHEMES = ("asym", "sym")  # of the activations: the integer engine takes symmetric weights
FP32_EPOCHS, QAT_EPOCHS, SWEEP_EPOCHS = 3, 2, 1  # a run takes a few seconds on a laptop
SWEEP_BITS = (8, 6, 4, 3, 2)
LAYER_NAMES = TINY_CNN.names


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

    @classmethod
    def of(cls, qc: QConfig) -> Config:
        """The page's settings a QConfig was made from."""
        return cls(qc.w_bits, qc.a_bits, "sym" if qc.a_symmetric else "asym", qc.w_per_channel, qc.observer)


OBSERVER_CHOICES = (Config.observer, *(o for o in OBSERVERS if o != Config.observer))  # the default first


def config_label(c: Config, tr: Tr) -> str:
    """'W8A8 · Symmetric · per-channel · Min–max' in the translator's language."""
    return tr(
        "config",
        w=c.wbits,
        a=c.abits,
        scheme=tr(f"scheme.{c.scheme}"),
        granularity=tr("granularity." + ("per_channel" if c.per_channel else "per_tensor")),
        observer=tr(f"observer.{c.observer}"),
    )


# ---------------------------------------------------------------------------------------------------------------
# the session's runs


@dataclass(frozen=True)
class Runs:
    """One session's results. Training fp32 starts afresh; PTQ and QAT start from it, else from the shipped one."""

    fp32: Result | None = None
    ptq: Result | None = None
    qat: Result | None = None

    @property
    def empty(self) -> bool:
        return self.fp32 is None and self.ptq is None and self.qat is None

    def items(self) -> tuple[tuple[str, Result | None], ...]:
        """(run id, result or None) for fp32, PTQ and QAT, in that order."""
        return (("fp32", self.fp32), ("ptq", self.ptq), ("qat", self.qat))

    @property
    def origin(self) -> str:
        """Where PTQ and QAT start: "session" (this session's fp32 model) or "shipped"."""
        return "session" if self.fp32 is not None else "shipped"

    def stale(self, cfg: Config) -> Config | None:
        """The settings of a quantized run that differ from the page's current ones, if any."""
        made = [Config.of(r.qconfig) for r in (self.ptq, self.qat) if r is not None]
        return next((c for c in made if c != cfg), None)


STEPS = {"fp32": ("fp32",), "ptq": ("ptq",), "qat": ("qat",), "all": ("fp32", "ptq", "qat")}  # per button


@dataclass(frozen=True)
class Plan:
    """What one button press trains: the steps, the settings and the two epoch budgets."""

    steps: tuple[str, ...]
    cfg: Config
    fp32_epochs: int
    qat_epochs: int

    @property
    def total(self) -> int:
        """Progress units: one per epoch, one for PTQ's calibration."""
        return (
            self.fp32_epochs * ("fp32" in self.steps)
            + ("ptq" in self.steps)
            + self.qat_epochs * ("qat" in self.steps)
        )


@dataclass(frozen=True)
class CurvePoint:
    """One epoch of one run on the training curves."""

    run: str  # "fp32" or "qat"
    epoch: int
    loss: float
    val_acc: float


@dataclass(frozen=True)
class Tick:
    """Where a button's training is: the step and epoch just done, the share of the plan, the curves so far."""

    run: str
    epoch: int
    epochs: int
    loss: float
    val_acc: float
    fraction: float
    points: tuple[CurvePoint, ...]


def curve_points(runs: Runs) -> tuple[CurvePoint, ...]:
    """Every epoch of the session's runs, in the order the runs were made."""
    made = [("fp32", runs.fp32), ("qat", runs.qat)]
    return tuple(CurvePoint(k, i.epoch, i.train_loss, i.val_acc) for k, r in made if r for i in r.history)


class _Progress:
    """The bookkeeping of one button press: units done, the curve points drawn live, the callback."""

    def __init__(self, plan: Plan, runs: Runs, on_tick: Callable[[Tick], None]) -> None:
        self.plan, self.on_tick, self.done = plan, on_tick, 0
        self.points = [] if "fp32" in plan.steps else list(curve_points(runs))

    def epoch(self, run: str) -> Callable[[train.EpochInfo], None]:
        """qlib.train's per-epoch callback for one run."""

        def tick(info: train.EpochInfo) -> None:
            self.done += 1
            self.points.append(CurvePoint(run, info.epoch, info.train_loss, info.val_acc))
            self.on_tick(
                Tick(
                    run,
                    info.epoch,
                    info.epochs,
                    info.train_loss,
                    info.val_acc,
                    self.fraction,
                    tuple(self.points),
                )
            )

        return tick

    @property
    def fraction(self) -> float:
        return min(self.done / max(self.plan.total, 1), 1.0)


def run_plan(
    plan: Plan, runs: Runs, shipped_fp32: torch.nn.Module, splits: Splits, on_tick: Callable[[Tick], None]
) -> tuple[Runs, float]:
    """Train what a button asks for, on the session's own copies; returns the new runs and the seconds taken."""
    progress, seconds = _Progress(plan, runs, on_tick), 0.0
    if "fp32" in plan.steps:
        fp32 = train.train_fp32(epochs=plan.fp32_epochs, callback=progress.epoch("fp32"), splits=splits)
        runs, seconds = Runs(fp32=fp32), fp32.seconds
    start = runs.fp32.model if runs.fp32 is not None else shipped_fp32
    if "ptq" in plan.steps:
        on_tick(Tick("ptq", 0, 0, float("nan"), float("nan"), progress.fraction, tuple(progress.points)))
        ptq = train.run_ptq(start, plan.cfg.qconfig(), splits)
        progress.done += 1
        runs, seconds = _replace(runs, ptq=ptq), seconds + ptq.seconds
    if "qat" in plan.steps:
        qc = plan.cfg.qconfig(plan.qat_epochs)
        qat = train.train_qat(qc, plan.qat_epochs, progress.epoch("qat"), init=start, splits=splits)
        runs, seconds = _replace(runs, qat=qat), seconds + qat.seconds
    return runs, seconds


def _replace(runs: Runs, **kw: Result) -> Runs:
    """A copy of the runs with some replaced."""
    return Runs(**{"fp32": runs.fp32, "ptq": runs.ptq, "qat": runs.qat, **kw})


# ---------------------------------------------------------------------------------------------------------------
# what the page writes and draws from the runs


@dataclass(frozen=True)
class Formula:
    """Fake quantization with the current bit widths, as LaTeX, and the code ranges its caption names."""

    forward: str
    backward: str
    wq: tuple[int, int]
    aq: tuple[int, int]


def formula(cfg: Config) -> Formula:
    """ŵ = s_w·clamp(round(w/s_w), …) and â with the activations' zero point; the STE's mask."""
    wq, aq = qrange(cfg.wbits, signed=True), qrange(cfg.abits, signed=False)  # activations: unsigned codes
    z = "" if cfg.scheme == "sym" else " + z_a"  # symmetric after the ReLU: zero point 0
    forward = (
        rf"\hat w = s_w\,\mathrm{{clamp}}(\mathrm{{round}}(w / s_w),\ {wq[0]},\ {wq[1]})"
        rf"\qquad \hat a = s_a\,\big(\mathrm{{clamp}}(\mathrm{{round}}(a / s_a){z},\ {aq[0]},\ {aq[1]})"
        + (r"\big)" if not z else r" - z_a\big)")
    )
    backward = (
        r"\frac{\partial \hat a}{\partial a} \approx \mathbf{1}\left["
        + rf"{aq[0]} \le \mathrm{{round}}(a/s_a){z} \le {aq[1]}"
        + r"\right]"
    )
    return Formula(forward, backward, wq, aq)


@dataclass(frozen=True)
class FirstLayer:
    """conv1's weight scale (channel 0) and output scale / zero point after a run: the formula's numbers."""

    layer: str
    wscale: float
    ascale: float
    azp: int


def first_layer(r: Result) -> FirstLayer:
    """conv1's quantizers as a run left them."""
    state = r.model.quantizer_state()
    w, a = state["conv1.weight"], state["conv1.output"]
    return FirstLayer("conv1", w.scale[0], a.scale[0], a.zero_point[0])


@dataclass(frozen=True)
class TraceRow:
    """One quantizer's scale (the channels' mean for per-channel weights) and zero point after one epoch."""

    step: int  # 0 = straight after calibration
    name: str
    scale: float
    zero_point: int


def trace_rows(r: Result) -> tuple[TraceRow, ...]:
    """Every quantizer after calibration (step 0) and after each QAT epoch."""
    states = [(0, r.calibrated)] + [(i.epoch, i.quantizers) for i in r.history]
    return tuple(_trace_row(step, name, q) for step, state in states for name, q in state.items())


def _trace_row(step: int, name: str, q: QuantizerState) -> TraceRow:
    return TraceRow(step, name, q.mean_scale, round(sum(q.zero_point) / len(q.zero_point)))


@dataclass(frozen=True)
class ScaleChange:
    """A quantizer's scale after calibration and after the last epoch."""

    name: str
    first: float
    last: float


def scale_changes(rows: tuple[TraceRow, ...]) -> tuple[ScaleChange, ...]:
    """First and last scale of every quantizer in a trace."""
    names = dict.fromkeys(r.name for r in rows)
    by = {n: [r.scale for r in rows if r.name == n] for n in names}
    return tuple(ScaleChange(n, s[0], s[-1]) for n, s in by.items())


@dataclass(frozen=True)
class Sweep:
    """PTQ against QAT at several bit widths from one fp32 model (test accuracies), and the time it took."""

    rows: tuple[SweepRow, ...]
    fp32: float  # the fp32 model's test accuracy
    seconds: float


def sweep(
    fp32: torch.nn.Module,
    splits: Splits,
    epochs: int,
    callback: Callable[[float, int], None] | None = None,
    bits: tuple[int, ...] = SWEEP_BITS,
) -> Sweep:
    """PTQ and QAT (the recipe of qlib.train at each width, w = a) from the same fp32 model; test accuracies."""
    t0, done = time.perf_counter(), []

    def step(row: SweepRow) -> None:
        done.append(row)
        if callback and len(done) < len(bits):
            callback(len(done) / len(bits), bits[len(done)])

    if callback:
        callback(0.0, bits[0])
    rows = train.bit_sweep(tuple(bits), fp32, epochs, step, splits)
    return Sweep(tuple(rows), evaluate(fp32, *splits.test), time.perf_counter() - t0)


# ---------------------------------------------------------------------------------------------------------------
# inside the model


@dataclass(frozen=True)
class LayerValues:
    """A layer's weights or output activations, float and fake-quantized, with the statistics the page states."""

    n: int
    levels: int  # distinct quantized values used
    grid: tuple[float, float] | None  # the representable range (per tensor only)
    scale: tuple[float, float]  # smallest and largest scale (equal per tensor)
    zero_point: int  # the first channel's
    per_channel: bool
    mse: float
    clip_fraction: float
    floats: np.ndarray = field(repr=False)
    quantized: np.ndarray = field(repr=False)


@torch.no_grad()
def layer_values(model: QATNet, layer: str, kind: str, splits: Splits, n: int = 256) -> LayerValues:
    """A layer's weights or output activations (on n test images), float and fake-quantized, with their stats."""
    m = copy.deepcopy(model).eval()  # a shared model is neither hooked nor switched between train and eval
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
    return LayerValues(
        x.numel(),
        int(torch.unique(q).numel()),
        (float(lo), float(hi)) if lo.dim() == 0 else None,
        (float(scales.min()), float(scales.max())),
        int(qp.zero_point.reshape(-1)[0]),
        scales.numel() > 1,
        err["mse"],
        err["clip_fraction"],
        x.numpy().ravel(),
        q.numpy().ravel(),
    )
