"""Lesson 8's numbers: why the libraries fold BatchNorm, quantize weights per channel, calibrate as they do, and
what low bits cost, on the shipped MobileNet-style net (qlib.spec.MOBILE_CNN).

Live (computed here from the shipped fp32 weights, cached per process): the fold of one layer (qlib.batchnorm)
checked against `torch.ao.quantization.fuse_modules`; PTQ per channel and per tensor at 8, 6, 4 and 3 bits with
per-layer SQNR (qlib.train.run_ptq, qlib.sensitivity); cross-layer equalisation (qlib.equalize). Recorded
(bench/results/*.json, written by `python -m bench.mobile` and `python -m bench.lowbit`, recomputed by
tests/bench): QAT per channel / per tensor, the BatchNorm-freezing study, the calibration bake-off and the
low-bit ladder, whose runs take 3-300 CPU-seconds each.

Every claim the page makes is chosen here from the numbers (a `Claim`: a string key and its values), so the
text cannot say what the numbers do not.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import torch
from torch import nn

from qlib import mobile
from qlib.batchnorm import fold
from qlib.data import Splits
from qlib.equalize import equalize
from qlib.model import bn_name
from qlib.sensitivity import Sensitivity, sensitivity
from qlib.spec import MOBILE_CNN
from qlib.train import run_ptq

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
FP32 = "mobile/fp32"
BITS = mobile.W_BITS  # (8, 6, 4, 3)
FOLD_LAYERS = tuple(layer.name for layer in MOBILE_CNN.layers if layer.bn)
MAX_FOLD_CHANNEL = max(MOBILE_CNN.layer(name).out_channels for name in FOLD_LAYERS) - 1  # the URL's bound
LAYERS = MOBILE_CNN.names
N_TEST = 360  # test images: one image = 1/360 of accuracy
ONE_IMAGE = 1.0 / N_TEST


def images(a: float, b: float) -> int:
    """How many test images two accuracies differ by (a − b, rounded)."""
    return round((a - b) * N_TEST)


@dataclass(frozen=True)
class Claim:
    """A sentence the page says, chosen from the numbers: its string key and the values it is filled with."""

    key: str
    values: dict

    def text(self, tr: Callable[..., str]) -> str:
        """The sentence in the translator's language, and the noise note where a small difference is claimed."""
        text = tr(self.key, **self.values)
        if self.key in NOISY and 1 < self.values["n"] <= NOISE_IMAGES:
            text += " " + tr("noise", n=self.values["n"])
        return text


NOISE_IMAGES = 5  # README: differences up to 5 of 360 images (1.4 points) are inside the noise
NOISY = ("gran.claim_pt", "gran.qat_pt", "cle.claim_worse", "gran.claim_pc", "gran.qat_pc")


# ---------------------------------------------------------------------------------------------------------------
# 1. BatchNorm folding


@dataclass(frozen=True)
class FoldView:
    """One conv + BatchNorm of the shipped net folded, with one output channel's numbers and every channel's
    weight range before and after."""

    layer: str
    channel: int
    channels: int
    gamma: float
    beta: float
    mean: float
    var: float
    eps: float
    sigma: float
    multiplier: float  # γ/σ
    w_min: float  # this channel's weights before
    w_max: float
    wf_min: float  # and after folding
    wf_max: float
    b_fold: float  # b' = β − γ·μ/σ
    absmax_before: tuple[float, ...]  # max|w| per channel
    absmax_after: tuple[float, ...]
    multipliers: tuple[float, ...]
    spread_before: float
    spread_after: float

    @property
    def claim(self) -> Claim:
        """What folding did to this layer's channel ranges."""
        key = "fold.claim_wider" if self.spread_after > self.spread_before else "fold.claim_narrower"
        return Claim(
            key,
            {
                "layer": self.layer,
                "mmin": min(self.multipliers),
                "mmax": max(self.multipliers),
                "before": self.spread_before,
                "after": self.spread_after,
            },
        )


def fold_view(fp32: nn.Module, layer: str, channel: int) -> FoldView:
    """qlib.batchnorm.fold of one layer, read out for one channel (a ValueError for a channel out of range)."""
    if layer not in FOLD_LAYERS:
        raise ValueError(f"layer must be one of {FOLD_LAYERS}, got {layer!r}")
    f = fold(fp32, layer)
    n = int(f.gamma.numel())
    if not 0 <= channel < n:
        raise ValueError(f"channel must be between 0 and {n - 1}, got {channel}")
    c = channel
    return FoldView(
        layer,
        c,
        n,
        float(f.gamma[c]),
        float(f.beta[c]),
        float(f.mean[c]),
        float(f.var[c]),
        f.eps,
        float(f.sigma[c]),
        float(f.multiplier[c]),
        float(f.before.min[c]),
        float(f.before.max[c]),
        float(f.after.min[c]),
        float(f.after.max[c]),
        float(f.folded_bias[c]),
        tuple(float(v) for v in f.before.absmax),
        tuple(float(v) for v in f.after.absmax),
        tuple(float(v) for v in f.multiplier),
        f.before.spread,
        f.after.spread,
    )


@torch.no_grad()
def fuse_difference(fp32: nn.Module, layer: str) -> float:
    """max |qlib's folded weight and bias − torch.ao.quantization.fuse_modules'| for one layer (0.0: bit for bit)."""
    import torch.ao.quantization as tq

    from qlib.torch_ref import TorchNet

    net = TorchNet.from_float(fp32).eval()
    fused = tq.fuse_modules(net, [[layer, bn_name(MOBILE_CNN.layer(layer))]])
    f = fold(fp32, layer)
    conv = getattr(fused, layer)
    return max(
        float((conv.weight - f.folded_weight).abs().max()), float((conv.bias - f.folded_bias).abs().max())
    )


def _json(name: str) -> dict:
    return json.loads((RESULTS / name).read_text(encoding="utf-8"))


@cache
def mobile_json() -> dict:
    """bench/results/mobile.json (python -m bench.mobile), read once."""
    return _json("mobile.json")


@cache
def lowbit_json() -> dict:
    """bench/results/lowbit.json (python -m bench.lowbit), read once."""
    return _json("lowbit.json")


@dataclass(frozen=True)
class FreezeStudy:
    """QAT w4a8 twice from the same weights, BatchNorm statistics frozen from an epoch on, or never (recorded)."""

    w_bits: int
    epochs: int
    freeze_after: int  # 0-based epoch index: frozen from epoch freeze_after + 1 (1-based) on
    frozen_val: tuple[float, ...]
    unfrozen_val: tuple[float, ...]
    frozen_test: float
    unfrozen_test: float
    drift: tuple[tuple[str, float], ...]  # mean |σ_batch/σ_running − 1| per layer

    @property
    def after_freeze(self) -> tuple[float, float]:
        """Mean validation accuracy over the epochs after the freeze: (frozen, not frozen)."""
        k = self.freeze_after
        f, u = self.frozen_val[k:], self.unfrozen_val[k:]
        return sum(f) / len(f), sum(u) / len(u)

    @property
    def claim(self) -> Claim:
        """What freezing did here, from the test accuracies (one image = 0.28 points)."""
        d = images(self.frozen_test, self.unfrozen_test)
        key = "freeze.claim_same" if abs(d) <= 1 else "freeze.claim_better" if d > 0 else "freeze.claim_worse"
        vf, vu = self.after_freeze
        return Claim(
            key,
            {
                "frozen": 100 * self.frozen_test,
                "unfrozen": 100 * self.unfrozen_test,
                "n": abs(d),
                "vf": 100 * vf,
                "vu": 100 * vu,
                "drift_max": 100 * max(v for _, v in self.drift),
                "drift_layer": max(self.drift, key=lambda p: p[1])[0],
            },
        )


def freeze_scale_claim(f: FreezeStudy) -> Claim:
    """Section 5's sentence on BatchNorm freezing, with the same numbers as section 1."""
    v = f.claim.values
    return Claim("scale.freeze", {k: v[k] for k in ("frozen", "unfrozen", "drift_max")})


def freeze_study() -> FreezeStudy:
    """The recorded BatchNorm-freezing study (bench/results/mobile.json 'freeze')."""
    f = mobile_json()["freeze"]
    pairs = tuple((d["layer"], float(d["sigma"])) for d in f["drift"])
    return FreezeStudy(
        f["w_bits"],
        f["epochs"],
        f["freeze_bn_after"],
        tuple(f["frozen_val"]),
        tuple(f["unfrozen_val"]),
        f["frozen_test_acc"],
        f["unfrozen_test_acc"],
        pairs,
    )


# ---------------------------------------------------------------------------------------------------------------
# 2. per-tensor against per-channel, and cross-layer equalisation


@dataclass(frozen=True)
class Quantized:
    """One quantized form of the net: its test accuracy (integer engine) and per-layer SQNR."""

    test_acc: float
    sensitivity: Sensitivity

    @property
    def breaks_first(self) -> str:
        return self.sensitivity.breaks_first

    def own(self, layer: str) -> float:
        return self.sensitivity.layer(layer).own_db

    @property
    def own_db(self) -> tuple[float, ...]:
        return tuple(s.own_db for s in self.sensitivity.layers)


@dataclass(frozen=True)
class Granularity:
    """PTQ at one weight width (activations 8-bit), per channel and per tensor, from the same fp32 weights."""

    w_bits: int
    per_channel: Quantized
    per_tensor: Quantized

    @property
    def claim(self) -> Claim:
        """Which granularity did better here, in test images, and which layer per-tensor breaks first."""
        d = images(self.per_channel.test_acc, self.per_tensor.test_acc)
        key = "gran.claim_same" if abs(d) <= 1 else "gran.claim_pc" if d > 0 else "gran.claim_pt"
        worst = self.per_tensor.breaks_first
        return Claim(
            key,
            {
                "bits": self.w_bits,
                "pc": 100 * self.per_channel.test_acc,
                "pt": 100 * self.per_tensor.test_acc,
                "n": abs(d),
                "layer": worst,
                "db_pt": self.per_tensor.own(worst),
                "db_pc": self.per_channel.own(worst),
                "gap": self.per_channel.own(worst) - self.per_tensor.own(worst),
            },
        )


def _quantized(fp32: nn.Module, w_bits: int, per_channel: bool, splits: Splits) -> Quantized:
    r = run_ptq(fp32, mobile.qconfig(w_bits, per_channel=per_channel), splits)
    return Quantized(r.test_acc, sensitivity(r.model, splits.test[0], r.int8))


class _Memo:
    """Results computed once per process and key; a second caller of a key being computed waits for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: dict = {}
        self._locks: dict = {}

    def get(self, key, compute: Callable):
        with self._lock:
            if key in self._done:
                return self._done[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._done:
                value = compute()
                with self._lock:
                    self._done[key] = value
        return self._done[key]

    def has(self, key) -> bool:
        return key in self._done


_MEMO = _Memo()


def _check_bits(w_bits: int) -> None:
    if w_bits not in BITS:
        raise ValueError(f"w_bits must be one of {BITS}, got {w_bits!r}")


def granularity(fp32: nn.Module, w_bits: int, splits: Splits) -> Granularity:
    """Live PTQ per channel and per tensor at w_bits (memoised per process for this fp32 model)."""
    _check_bits(w_bits)
    return _MEMO.get(
        ("gran", id(fp32), w_bits),
        lambda: Granularity(
            w_bits, _quantized(fp32, w_bits, True, splits), _quantized(fp32, w_bits, False, splits)
        ),
    )


@dataclass(frozen=True)
class CLEView:
    """Cross-layer equalisation at one weight width: per-tensor PTQ after ReLU6 → ReLU (the baseline CLE starts
    from) and after equalising, with every layer's channel spread before and after (live)."""

    w_bits: int
    iterations: int
    replaced: tuple[str, ...]
    spread_before: tuple[float, ...]  # per layer, in LAYERS order
    spread_after: tuple[float, ...]
    relu: Quantized
    equalized: Quantized

    def claim(self, g: Granularity) -> Claim:
        """Did per-tensor recover? Against the baseline, per-tensor as trained, and per-channel."""
        up = images(self.equalized.test_acc, self.relu.test_acc)
        to_pc = images(g.per_channel.test_acc, self.equalized.test_acc)
        if abs(up) <= 1:
            key = "cle.claim_none"
        elif up < 0:
            key = "cle.claim_worse"
        elif to_pc <= 1:
            key = "cle.claim_recovered"
        else:
            key = "cle.claim_partly"
        layer = g.per_tensor.breaks_first
        i = LAYERS.index(layer)
        return Claim(
            key,
            {
                "bits": self.w_bits,
                "relu": 100 * self.relu.test_acc,
                "eq": 100 * self.equalized.test_acc,
                "pt": 100 * g.per_tensor.test_acc,
                "pc": 100 * g.per_channel.test_acc,
                "n": abs(up),
                "layer": layer,
                "sb": self.spread_before[i],
                "sa": self.spread_after[i],
                "db_b": self.relu.own(layer),
                "db_a": self.equalized.own(layer),
            },
        )


def cle(fp32: nn.Module, w_bits: int, splits: Splits) -> CLEView:
    """Live CLE (qlib.equalize) and per-tensor PTQ before/after at w_bits (memoised per process)."""
    _check_bits(w_bits)

    def compute() -> CLEView:
        eq = _MEMO.get(("eq", id(fp32)), lambda: equalize(fp32))
        return CLEView(
            w_bits,
            eq.iterations,
            eq.replaced_relu6,
            tuple(eq.before[n].spread for n in LAYERS),
            tuple(eq.after[n].spread for n in LAYERS),
            _quantized(eq.unequalized, w_bits, False, splits),
            _quantized(eq.model, w_bits, False, splits),
        )

    return _MEMO.get(("cle", id(fp32), w_bits), compute)


def warm(fp32: nn.Module, splits: Splits, first: int = BITS[0]) -> None:
    """Compute every live study the page can ask for, the shown width first (run in a background thread)."""
    order = [first, *(b for b in BITS if b != first)]
    for b in order:
        granularity(fp32, b, splits)
    for b in order:
        cle(fp32, b, splits)


_warm_started: set[int] = set()
_warm_lock = threading.Lock()


def warm_in_background(fp32: nn.Module, splits: Splits, first: int = BITS[0]) -> bool:
    """Start `warm` once per process and fp32 model in a daemon thread; True if this call started it."""
    with _warm_lock:
        if id(fp32) in _warm_started:
            return False
        _warm_started.add(id(fp32))
    threading.Thread(target=warm, args=(fp32, splits, first), name="why-defaults-warm", daemon=True).start()
    return True


@dataclass(frozen=True)
class RecordedGranularity:
    """One row of the recorded per-channel / per-tensor study (bench/results/mobile.json 'granularity')."""

    method: str  # "PTQ" or "QAT"
    w_bits: int
    per_channel: float
    per_tensor: float
    own_pc: tuple[float, ...]
    own_pt: tuple[float, ...]
    breaks_pc: str
    breaks_pt: str

    @property
    def claim(self) -> Claim:
        d = images(self.per_channel, self.per_tensor)
        key = "gran.qat_same" if abs(d) <= 1 else "gran.qat_pc" if d > 0 else "gran.qat_pt"
        return Claim(
            key,
            {
                "bits": self.w_bits,
                "pc": 100 * self.per_channel,
                "pt": 100 * self.per_tensor,
                "n": abs(d),
                "layer": self.breaks_pt,
            },
        )


def recorded_granularity(method: str, w_bits: int) -> RecordedGranularity:
    """The recorded PTQ or QAT row at w_bits."""
    rows = [r for r in mobile_json()["granularity"] if r["method"] == method and r["w_bits"] == w_bits]
    by = {r["per_channel"]: r for r in rows}
    if set(by) != {True, False}:
        raise ValueError(f"no recorded {method} rows at {w_bits} bits")
    pc, pt = by[True], by[False]
    return RecordedGranularity(
        method,
        w_bits,
        pc["test_acc"],
        pt["test_acc"],
        tuple(pc["own_db"][n] for n in LAYERS),
        tuple(pt["own_db"][n] for n in LAYERS),
        pc["breaks_first"],
        pt["breaks_first"],
    )


# ---------------------------------------------------------------------------------------------------------------
# 3. the calibration bake-off (recorded)

OBSERVERS = ("minmax", "moving_average", "percentile", "mse", "histogram", "entropy")
NETS = ("mobile_cnn", "tiny_cnn")
A_BITS = (8, 4)


@dataclass(frozen=True)
class Bakeoff:
    """One net at one activation width: mean test accuracy per observer and number of calibration images, the
    logits' SQNR, and each layer's own SQNR with 1,000 images (first subset)."""

    net: str
    a_bits: int
    n_images: tuple[int, ...]
    acc: dict  # observer -> tuple of mean accuracies, one per n_images
    output_db: dict  # observer -> tuple of mean logits SQNR (dB)
    layers: tuple[str, ...]
    own_db: dict  # observer -> tuple of own SQNR per layer (1,000 images, seed 0)

    @property
    def weakest_layer(self) -> str:
        """The layer with the lowest own SQNR averaged over the observers."""
        means = [sum(self.own_db[o][i] for o in OBSERVERS) for i in range(len(self.layers))]
        return self.layers[means.index(min(means))]

    def spread_at(self, i: int) -> float:
        """Best minus worst observer's accuracy with n_images[i] images (points)."""
        vals = [self.acc[o][i] for o in OBSERVERS]
        return 100 * (max(vals) - min(vals))

    @property
    def claim(self) -> Claim:
        """Whether the observers differ here, from the recorded means."""
        spreads = [self.spread_at(i) for i in range(len(self.n_images))]
        last = len(self.n_images) - 1
        best = max(OBSERVERS, key=lambda o: self.acc[o][last])
        worst = min(OBSERVERS, key=lambda o: self.acc[o][last])
        key = "cal.claim_close" if max(spreads) <= 0.5 else "cal.claim_apart"
        return Claim(
            key,
            {
                "spread": max(spreads),
                "best": best,
                "best_acc": 100 * self.acc[best][last],
                "worst": worst,
                "worst_acc": 100 * self.acc[worst][last],
                "n": self.n_images[last],
            },
        )


def bakeoff(net: str, a_bits: int) -> Bakeoff:
    """The recorded bake-off for one net and activation width (bench/results/lowbit.json)."""
    if net not in NETS or a_bits not in A_BITS:
        raise ValueError(f"net must be one of {NETS} and a_bits one of {A_BITS}")
    block = next(b for b in lowbit_json()["bakeoff"][net] if b["a_bits"] == a_bits)
    ns = tuple(block["n_images"])
    cell = {(c["observer"], c["n_images"]): c for c in block["cells"]}
    acc = {o: tuple(cell[o, n]["mean_acc"] for n in ns) for o in OBSERVERS}
    out = {o: tuple(cell[o, n]["output_sqnr_db"] for n in ns) for o in OBSERVERS}
    first = {
        r["observer"]: r["sensitivity"]["layers"]
        for r in block["runs"]
        if r["n_images"] == ns[-1] and r["seed"] == block["seeds"][0]
    }
    layers = tuple(s["name"] for s in first[OBSERVERS[0]])
    own = {o: tuple(s["own_db"] for s in first[o]) for o in OBSERVERS}
    return Bakeoff(net, a_bits, ns, acc, out, layers, own)


# ---------------------------------------------------------------------------------------------------------------
# 4. the low-bit ladder (recorded)

CONFIGS = ((8, 8), (4, 8), (8, 4), (4, 4), (3, 8), (3, 3), (2, 8), (2, 2))
METHODS = ("ptq", "ptq+bc", "adaround", "qat", "lsq")
MILD = ((4, 8), (8, 4), (4, 4), (3, 8))  # the rungs the README calls "within the noise"


@dataclass(frozen=True)
class Ladder:
    """Test accuracy of every method at every pair of widths for one net, and its fp32 accuracy (recorded)."""

    net: str
    fp32: float
    acc: dict  # (w_bits, a_bits, method) -> accuracy
    cpu: dict  # method -> median CPU seconds

    def row(self, w: int, a: int) -> tuple[float, ...]:
        return tuple(self.acc[w, a, m] for m in METHODS)

    @property
    def claims(self) -> tuple[Claim, ...]:
        """How far the mild rungs stay from fp32, and who wins at W2A2."""
        worst = max(abs(self.fp32 - self.acc[w, a, m]) for w, a in MILD for m in METHODS)
        low = {m: self.acc[2, 2, m] for m in METHODS}
        best = max(METHODS, key=lambda m: low[m])
        w3 = {m: self.acc[3, 3, m] for m in METHODS}
        return (
            Claim(
                "ladder.claim_mild" if worst <= 0.02 else "ladder.claim_mild_drop",
                {"dev": 100 * worst, "fp32": 100 * self.fp32},
            ),
            Claim(
                "ladder.claim_w3a3",
                {"ptq": 100 * w3["ptq"], "lo": 100 * min(w3.values()), "hi": 100 * max(w3.values())},
            ),
            Claim(
                "ladder.claim_w2a2_qat" if best == "qat" else "ladder.claim_w2a2",
                {"best": best, "best_acc": 100 * low[best], "ptq": 100 * low["ptq"], "qat": 100 * low["qat"]},
            ),
        )


def ladder_scale_claim(lad: Ladder) -> Claim:
    """Section 5's sentence on the ladder: whether anything collapses at 4 bits, and QAT / LSQ at W4A4."""
    dev = max(abs(lad.fp32 - lad.acc[w, a, m]) for w, a in MILD for m in METHODS)
    key = "scale.ladder_mild" if dev <= 0.02 else "scale.ladder_drop"
    return Claim(
        key,
        {
            "dev": 100 * dev,
            "qat": 100 * lad.acc[4, 4, "qat"],
            "lsq": 100 * lad.acc[4, 4, "lsq"],
            "fp32": 100 * lad.fp32,
        },
    )


def ladder(net: str) -> Ladder:
    """The recorded ladder of one net (bench/results/lowbit.json)."""
    if net not in NETS:
        raise ValueError(f"net must be one of {NETS}")
    d = lowbit_json()
    rungs = d["ladder"][net]
    acc = {(r["w_bits"], r["a_bits"], r["method"]): r["test_acc"] for r in rungs}
    cpu = {}
    for m in METHODS:
        vals = sorted(r["cpu_seconds"] for r in rungs if r["method"] == m)
        cpu[m] = vals[len(vals) // 2]
    return Ladder(net, d["fp32"][net], acc, cpu)


# ---------------------------------------------------------------------------------------------------------------
# 5. ImageNet scale: the papers' numbers next to this net's


@dataclass(frozen=True)
class Paper:
    """One published result: the source, what was measured, and the numbers (top-1 %, ImageNet)."""

    key: str  # string key of its description
    values: tuple[tuple[str, float], ...]  # (label key, top-1 %)


PAPERS = (
    Paper("paper.krishnamoorthi", (("per_layer", 0.1), ("per_channel", 69.8), ("float", 71.9))),
    Paper("paper.tutorial", (("float", 71.9), ("pt_minmax", 56.7), ("pc_hist", 67.3), ("qat", 71.5))),
    Paper("paper.dfq", (("per_layer", 0.1), ("cle", 69.9))),
)


@dataclass(frozen=True)
class Scale:
    """This net's counterparts of the papers' 8-bit numbers (live PTQ), and its largest folded channel spread."""

    fp32: float
    pt8: float
    pc8: float
    cle8: float
    pt_low: float  # per-tensor at the narrowest width
    pc_low: float
    low_bits: int
    spread_max: float
    spread_layer: str

    @property
    def claims(self) -> tuple[Claim, ...]:
        """What this net shows and does not, from its own numbers against the papers'."""
        gap8 = 100 * (self.pc8 - self.pt8)
        gap_low = 100 * (self.pc_low - self.pt_low)
        d8, d_low = images(self.pc8, self.pt8), images(self.pc_low, self.pt_low)
        key8 = "scale.claim8_none" if abs(d8) <= 1 else "scale.claim8_some" if d8 > 0 else "scale.claim8_pt"
        key_low = (
            "scale.claim_low_none"
            if abs(d_low) <= 1
            else "scale.claim_low_pc"
            if d_low > 0
            else "scale.claim_low_pt"
        )
        return (
            Claim(
                key8,
                {
                    "pt": 100 * self.pt8,
                    "pc": 100 * self.pc8,
                    "gap": gap8,
                    "paper_gap": 69.8 - 0.1,
                    "spread": self.spread_max,
                    "layer": self.spread_layer,
                },
            ),
            Claim(
                key_low,
                {"bits": self.low_bits, "pt": 100 * self.pt_low, "pc": 100 * self.pc_low, "gap": gap_low},
            ),
            Claim(
                "scale.claim_cle" if abs(d8) <= 1 else "scale.claim_cle_plain",
                {"cle": 100 * self.cle8, "pt": 100 * self.pt8},
            ),
        )


def recorded_cle(w_bits: int) -> float:
    """Recorded per-tensor PTQ accuracy after equalisation at w_bits (bench/results/mobile.json 'cle')."""
    return next(r["per_tensor_equalized"] for r in mobile_json()["cle"]["rows"] if r["w_bits"] == w_bits)


def fp32_accuracy() -> float:
    """The shipped fp32 net's test accuracy (assets/models/mobile/metrics.json)."""
    from qlib import pretrained

    return float(pretrained.metrics(MOBILE_CNN.name)[FP32]["test_acc"])


def scale(folds: Sequence[FoldView], low_bits: int = BITS[-1]) -> Scale:
    """This net's numbers the papers' are set against: the recorded PTQ rows at 8 and low_bits bits (the same
    numbers section 2 computes live; the tests check they agree) and the folded spreads (live)."""
    g8, low = recorded_granularity("PTQ", 8), recorded_granularity("PTQ", low_bits)
    f = max(folds, key=lambda v: v.spread_after)
    return Scale(
        fp32_accuracy(),
        g8.per_tensor,
        g8.per_channel,
        recorded_cle(8),
        low.per_tensor,
        low.per_channel,
        low_bits,
        f.spread_after,
        f.layer,
    )
