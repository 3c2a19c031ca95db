"""The QAT page's lesson: its settings as a QConfig, its runs through `qlib.train` (the one training front end),
the rows its charts draw, and one layer's values for the histograms.

Runs are `qlib.train.Result`s, kept per session in a `Runs`. Nothing here changes a model it is given:
`qlib.qat.prepare_qat` copies, and the per-layer views work on a deep copy. Accuracies of quantized runs are
those of the integer engine (`qlib.int8.Int8Model`), as in the shipped models' metrics.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import torch

from lessons.common.memo import kept
from lessons.common.tex import side_by_side
from lessons.plot import Tr
from qlib import pretrained, train
from qlib.data import Splits
from qlib.model import evaluate
from qlib.qat import OBSERVERS, QATNet, QConfig, QuantizerState
from qlib.quant import QParams, calc_qparams, qrange, quant_error, quantize
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
class Start:
    """The fp32 model PTQ and QAT started from: this session's or the shipped one, its epochs and accuracy."""

    origin: str  # "session" or "shipped"
    epochs: int
    test_acc: float


@dataclass(frozen=True)
class Runs:
    """One session's results. Training fp32 starts afresh; PTQ and QAT start from it, else from the shipped one.

    `fp32_more` is QAT's control: the start model trained as many more epochs as QAT, in float only.
    """

    fp32: Result | None = None
    ptq: Result | None = None
    qat: Result | None = None
    fp32_more: Result | None = None
    start: Start | None = None

    @property
    def empty(self) -> bool:
        return self.start is None

    def stale(self, cfg: Config) -> Config | None:
        """The settings of a quantized run that differ from the page's current ones, if any."""
        made = [Config.of(r.qconfig) for r in (self.ptq, self.qat) if r is not None]
        return next((c for c in made if c != cfg), None)


def shipped_fp32_epochs() -> int:
    """How many epochs the shipped fp32 model trained (assets/models/metrics.json)."""
    return int(pretrained.metrics()["fp32"]["epochs"])


def start_of(runs: Runs, shipped_fp32: torch.nn.Module, splits: Splits) -> tuple[torch.nn.Module, Start]:
    """The model PTQ and QAT start from, and what it is: the session's fp32 model, else the shipped one."""
    if runs.fp32 is not None:
        return runs.fp32.model, Start("session", len(runs.fp32.history), runs.fp32.test_acc)
    if runs.start is not None:
        return shipped_fp32, runs.start
    return shipped_fp32, Start("shipped", shipped_fp32_epochs(), evaluate(shipped_fp32, *splits.test))


def train_more_fp32(
    start: torch.nn.Module, qc: QConfig, epochs: int, callback: Callable | None, splits: Splits
) -> Result:
    """QAT's equal-budget control: a copy of the start model trained `epochs` more epochs exactly as
    `qlib.train.train_qat` trains (its recipe's learning rate, the cosine schedule, the seed, so the same
    batches), in float only. qlib.train has no such function; the lesson needs it for a fair comparison."""
    lr = train.qat_recipe(min(qc.w_bits, qc.a_bits)).lr
    t0 = time.perf_counter()
    model = copy.deepcopy(start)
    history = train.fit(model, splits, epochs=epochs, lr=lr, seed=train.SEED, callback=callback)
    return Result("fp32", model, evaluate(model, *splits.test), time.perf_counter() - t0, history=history)


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
        """Progress units: one per epoch (QAT's and its float control's), one for PTQ's calibration."""
        return (
            self.fp32_epochs * ("fp32" in self.steps)
            + ("ptq" in self.steps)
            + 2 * self.qat_epochs * ("qat" in self.steps)
        )


@dataclass(frozen=True)
class CurvePoint:
    """One epoch of one run on the training curves; QAT's and its control's epochs count on from the start model's."""

    run: str  # "fp32", "qat" or "fp32_more"
    epoch: int
    loss: float
    val_acc: float


@dataclass(frozen=True)
class Tick:
    """Where a button's training is: the step and epoch just done, the share of the plan, the curves so far."""

    run: str  # "fp32", "ptq", "qat" or "fp32_more"
    epoch: int
    epochs: int
    loss: float
    val_acc: float
    fraction: float
    points: tuple[CurvePoint, ...]


def _points(run: str, r: Result | None, offset: int) -> list[CurvePoint]:
    return [CurvePoint(run, offset + i.epoch, i.train_loss, i.val_acc) for i in (r.history if r else ())]


def curve_points(runs: Runs) -> tuple[CurvePoint, ...]:
    """Every epoch of the session's runs: fp32 from 1, QAT and its float control after the start model's epochs."""
    after = runs.start.epochs if runs.start is not None else 0
    return (
        *_points("fp32", runs.fp32, 0),
        *_points("qat", runs.qat, after),
        *_points("fp32_more", runs.fp32_more, after),
    )


class _Progress:
    """The bookkeeping of one button press: units done, the curve points drawn live, the callback."""

    def __init__(self, plan: Plan, runs: Runs, on_tick: Callable[[Tick], None]) -> None:
        self.plan, self.on_tick, self.done = plan, on_tick, 0
        self.points = [] if "fp32" in plan.steps else [p for p in curve_points(runs) if p.run == "fp32"]

    def epoch(self, run: str, offset: int = 0) -> Callable[[train.EpochInfo], None]:
        """qlib.train's per-epoch callback for one run (its epochs drawn after `offset`)."""

        def tick(info: train.EpochInfo) -> None:
            self.done += 1
            self.points.append(CurvePoint(run, offset + info.epoch, info.train_loss, info.val_acc))
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

    def calibrating(self) -> None:
        """PTQ has no epochs: one tick before it calibrates."""
        self.on_tick(Tick("ptq", 0, 0, math.nan, math.nan, self.fraction, tuple(self.points)))
        self.done += 1

    @property
    def fraction(self) -> float:
        return min(self.done / max(self.plan.total, 1), 1.0)


def run_plan(
    plan: Plan, runs: Runs, shipped_fp32: torch.nn.Module, splits: Splits, on_tick: Callable[[Tick], None]
) -> tuple[Runs, float]:
    """Train what a button asks for, on the session's own copies; returns the new runs and the seconds taken."""
    progress, done = _Progress(plan, runs, on_tick), []
    if "fp32" in plan.steps:
        done.append(train.train_fp32(epochs=plan.fp32_epochs, callback=progress.epoch("fp32"), splits=splits))
        runs = Runs(fp32=done[-1])
    model, start = start_of(runs, shipped_fp32, splits)
    runs = replace(runs, start=start)
    if "ptq" in plan.steps:
        progress.calibrating()
        done.append(train.run_ptq(model, plan.cfg.qconfig(), splits))
        runs = replace(runs, ptq=done[-1])
    if "qat" in plan.steps:
        qc, m = plan.cfg.qconfig(plan.qat_epochs), plan.qat_epochs
        qat = train.train_qat(qc, m, progress.epoch("qat", start.epochs), init=model, splits=splits)
        more = train_more_fp32(model, qc, m, progress.epoch("fp32_more", start.epochs), splits)
        done += [qat, more]
        runs = replace(runs, qat=qat, fp32_more=more)
    return runs, sum(r.seconds for r in done)


@dataclass(frozen=True)
class Score:
    """One run's test accuracy beside its fair baseline: PTQ against its start model, QAT against the float
    model trained the same epochs (`fp32_more`); with the training behind it."""

    run: str  # "fp32" (the start model), "ptq", "qat" or "fp32_more"
    test_acc: float | None  # None: not run yet
    delta: float | None  # against the baseline, in accuracy (0..1)
    epochs: int  # epochs behind the model, the start model's included
    extra: int  # epochs on top of the start model
    seconds: float | None
    config: Config | None


def scores(runs: Runs) -> tuple[Score, ...]:
    """The four numbers of the results: the start model, PTQ, QAT and QAT's float control."""
    start = runs.start
    if start is None:
        return ()
    first = runs.fp32.seconds if runs.fp32 is not None else None
    out = [Score("fp32", start.test_acc, None, start.epochs, 0, first, None)]
    for run, r, base in (("ptq", runs.ptq, start.test_acc), ("qat", runs.qat, _acc(runs.fp32_more))):
        extra = len(r.history) if r is not None else 0
        delta = r.test_acc - base if r is not None and base is not None else None
        cfg = Config.of(r.qconfig) if r is not None else None
        out.append(Score(run, _acc(r), delta, start.epochs + extra, extra, _secs(r), cfg))
    more = runs.fp32_more
    extra = len(more.history) if more is not None else 0
    out.append(Score("fp32_more", _acc(more), None, start.epochs + extra, extra, _secs(more), None))
    return tuple(out)


def _acc(r: Result | None) -> float | None:
    return r.test_acc if r is not None else None


def _secs(r: Result | None) -> float | None:
    return r.seconds if r is not None else None


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
    """ŵ = s_w·clamp(round(w/s_w), …), â with the activations' zero point z_a; the STE's mask."""
    wq, aq = qrange(cfg.wbits, signed=True), qrange(cfg.abits, signed=False)  # activations: unsigned codes
    forward = side_by_side(
        rf"\hat w = s_w\,\mathrm{{clamp}}(\mathrm{{round}}(w / s_w),\ {wq[0]},\ {wq[1]})",
        rf"\hat a = s_a\,\big(\mathrm{{clamp}}(\mathrm{{round}}(a / s_a) + z_a,\ {aq[0]},\ {aq[1]}) - z_a\big)",
    )
    backward = (
        rf"\frac{{\partial \hat a}}{{\partial a}} \approx \mathbf{{1}}\left[{aq[0]} \le "
        rf"\mathrm{{round}}(a/s_a) + z_a \le {aq[1]}\right]"
    )
    return Formula(forward, backward, wq, aq)


@dataclass(frozen=True)
class ReluCodes:
    """What an activation quantizer after a ReLU does with data in [0, max] under the page's scheme, by
    qlib.quant.calc_qparams (the rule the QAT model's observers use): its zero point and the codes it uses."""

    zero_point: int
    divisor: float  # scale = max / divisor
    first: int  # the code of 0.0
    qmin: int
    qmax: int

    @property
    def used(self) -> int:
        """Codes a value ≥ 0 can get."""
        return self.qmax - self.first + 1

    @property
    def total(self) -> int:
        return self.qmax - self.qmin + 1


def relu_codes(cfg: Config) -> ReluCodes:
    """The post-ReLU quantizer for data in [0, 1] (scale and codes scale with max)."""
    qp = calc_qparams(0.0, 1.0, cfg.abits, symmetric=cfg.scheme == "sym", signed=False)
    first = int(quantize(torch.tensor(0.0), qp))
    return ReluCodes(int(qp.zero_point), round(1.0 / float(qp.scale), 3), first, qp.qmin, qp.qmax)


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
    epochs: int  # QAT's epochs at each width (PTQ and the fp32 line have none)


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
    return Sweep(tuple(rows), evaluate(fp32, *splits.test), time.perf_counter() - t0, epochs)


# ---------------------------------------------------------------------------------------------------------------
# inside the model


@dataclass(frozen=True)
class LayerValues:
    """A layer's weights or output activations, float and fake-quantized, with the statistics the page states.

    Clamped values are split: `edge` ones lie at most half a step past the last code (they cost no more than
    rounding: a channel's largest positive weight lands on qmax + 0.5 steps, rounds half to even to qmax + 1
    and clamps to qmax), the others are truly clipped, up to `worst` steps past the end.
    """

    n: int
    levels: int  # distinct quantized values used
    grid: tuple[float, float] | None  # the representable range (per tensor only)
    scale: tuple[float, float]  # smallest and largest scale (equal per tensor)
    zero_point: int  # the first channel's
    channels: int  # scales: 1 per tensor
    qmin: int
    qmax: int
    mse: float
    clip_fraction: float
    clipped: int
    edge: int
    worst: float  # steps past the end of the range, the largest of the clamped values
    frozen: bool  # the quantizer's scale was fixed (observers frozen) while training went on
    floats: np.ndarray = field(repr=False)
    quantized: np.ndarray = field(repr=False)

    @property
    def per_channel(self) -> bool:
        return self.channels > 1

    @property
    def beyond_edge(self) -> int:
        """Clamped values more than half a step past the last code: the ones clamping really moved."""
        return self.clipped - self.edge

    @property
    def half(self) -> float:
        """(qmax − qmin) / 2: the symmetric scale's divisor, max|w| / half."""
        return (self.qmax - self.qmin) / 2


def layer_values(model: QATNet, layer: str, kind: str, splits: Splits, n: int = 256) -> LayerValues:
    """A layer's weights or output activations (on n test images), float and fake-quantized, with their stats.

    Kept while the model lives (lessons.common.memo): after 30 identical presses the class's 30 pages compute
    them once, not each page on every rerun (a third of the page's server time); the arrays are read-only."""
    key = ("layer_values", layer, kind, n, id(splits.test[0]))  # the app's test images: one tensor, kept
    return kept(model, key, lambda: _layer_values(model, layer, kind, splits, n))


@torch.no_grad()
def _layer_values(model: QATNet, layer: str, kind: str, splits: Splits, n: int) -> LayerValues:
    m = copy.deepcopy(model).eval()  # a shared model is neither hooked nor switched between train and eval
    if kind == "weight":
        x = getattr(m, layer).weight.detach()
        fq = m.w_fq[layer]
        qp, q = fq.qparams(x), fq(x)
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
    clipped, edge, worst = _clamps(x, qp)
    return LayerValues(
        x.numel(),
        int(torch.unique(q).numel()),
        (float(lo), float(hi)) if lo.dim() == 0 else None,
        (float(scales.min()), float(scales.max())),
        int(qp.zero_point.reshape(-1)[0]),
        scales.numel(),
        qp.qmin,
        qp.qmax,
        err["mse"],
        err["clip_fraction"],
        clipped,
        edge,
        worst,
        bool(fq.frozen),
        _read_only(x.numpy().ravel()),
        _read_only(q.numpy().ravel()),
    )


def _read_only(a: np.ndarray) -> np.ndarray:
    """An array every session showing its model shares: nobody may write to it."""
    a.setflags(write=False)
    return a


def _clamps(x: torch.Tensor, qp: QParams) -> tuple[int, int, float]:
    """(values clamped, of them at most half a step past the end, the largest overshoot in steps)."""
    shape = [-1] + [1] * (x.dim() - 1) if qp.axis is not None else []
    scale, zp = qp.scale.reshape(shape), qp.zero_point.reshape(shape).to(torch.float32)
    code = torch.round(x * (1.0 / scale)) + zp  # the code before clamping, as qlib.quant.quantize rounds it
    clipped = (code < qp.qmin) | (code > qp.qmax)
    exact = x.double() / scale.double() + zp.double()
    over = torch.maximum(exact - qp.qmax, qp.qmin - exact)[clipped]
    if not over.numel():
        return 0, 0, 0.0
    return int(clipped.sum()), int((over <= 0.5 + 1e-4).sum()), float(over.max())  # 1e-4: the float32 scale
