"""Lesson 8's questions: what folding does to the channels' ranges, which layer one scale per tensor breaks first,
and which observer fails at 4-bit activations."""

from __future__ import annotations

from functools import cache

from lessons.common.questions import Computed, Question
from lessons.why_defaults import lesson
from qlib import pretrained
from qlib.data import load_digits

# ---- BatchNorm folding: the channels' ranges before and after

FOLD_LAYER = "dw3"


@cache
def _folds() -> dict[str, lesson.FoldView]:
    """Every folded layer of the shipped MobileNet-style net (channel 0: the spreads are per layer)."""
    fp32 = pretrained.load(lesson.FP32)
    return {name: lesson.fold_view(fp32, name, 0) for name in lesson.FOLD_LAYERS}


def stretched_most(v: lesson.FoldView) -> int:
    """The output channel whose weights folding multiplies by the largest γ/σ."""
    return max(range(v.channels), key=v.multipliers.__getitem__)


def _fold_facts() -> dict[str, object]:
    v = _folds()[FOLD_LAYER]
    return dict(
        layer=FOLD_LAYER,
        before=f"{v.spread_before:.2f}",
        after=f"{v.spread_after:.2f}",
        mmin=f"{min(v.multipliers):.2f}",
        mmax=f"{max(v.multipliers):.2f}",
        c=stretched_most(v),
        widened=sum(f.spread_after > f.spread_before for f in _folds().values()),
        folded=len(_folds()),
    )


def _fold() -> str:
    v = _folds()[FOLD_LAYER]
    r = v.spread_after / v.spread_before
    return "wider" if r > 1.05 else "narrower" if r < 1 / 1.05 else "same"


FOLD = Question(
    id="fold",
    options=("same", "narrower", "wider"),
    correct="wider",
    derive=_fold,
    show=Computed(
        lambda: {"why_fold_layer": FOLD_LAYER, "why_fold_channel": stretched_most(_folds()[FOLD_LAYER])}
    ),
    facts=_fold_facts,
)


# ---- one scale per tensor at low bits: which layer breaks first, and what it costs

BITS, LOWER = 4, 3


@cache
def _live(bits: int) -> lesson.Granularity:
    """Live PTQ per channel and per tensor at `bits`, as section 2 computes it."""
    return lesson.granularity(pretrained.load(lesson.FP32), bits, load_digits())


def _breaks_facts() -> dict[str, object]:
    g, low = lesson.recorded_granularity("PTQ", BITS), lesson.recorded_granularity("PTQ", LOWER)
    i = lesson.LAYERS.index(g.breaks_pt)
    return dict(
        bits=BITS,
        layer=g.breaks_pt,
        db_pt=f"{g.own_pt[i]:.1f}",
        db_pc=f"{g.own_pc[i]:.1f}",
        gap=f"{g.own_pc[i] - g.own_pt[i]:.1f}",
        spread=f"{_folds()[g.breaks_pt].spread_after:.2f}",
        pc=f"{100 * g.per_channel:.2f}",
        pt=f"{100 * g.per_tensor:.2f}",
        n=lesson.images(g.per_channel, g.per_tensor),
        low=LOWER,
        pc_low=f"{100 * low.per_channel:.2f}",
        pt_low=f"{100 * low.per_tensor:.2f}",
        n_low=lesson.images(low.per_channel, low.per_tensor),
    )


def _breaks() -> str:
    layer = _live(BITS).per_tensor.breaks_first
    return layer if layer in ("conv1", "dw3", "fc") else "other"


BREAKS = Question(
    id="breaks",
    options=("conv1", "dw3", "fc"),
    correct="dw3",
    derive=_breaks,
    show={"why_bits": BITS},
    facts=_breaks_facts,
)


# ---- calibration at 4-bit activations: the observer that fails

CAL_NET, CAL_BITS = "mobile_cnn", 4


def _worst() -> tuple[lesson.Bakeoff, int, str]:
    """The recorded bake-off, its largest calibration set, and the observer with the lowest accuracy there."""
    b = lesson.bakeoff(CAL_NET, CAL_BITS)
    last = len(b.n_images) - 1
    return b, last, min(lesson.OBSERVERS, key=lambda o: b.acc[o][last])


def _cal_facts() -> dict[str, object]:
    b, last, worst = _worst()
    others = [100 * b.acc[o][last] for o in lesson.OBSERVERS if o != worst]
    return dict(
        bits=CAL_BITS,
        n=f"{b.n_images[last]:,}",
        observers=len(lesson.OBSERVERS),
        rest=len(lesson.OBSERVERS) - 1,
        minmax=f"{100 * b.acc['minmax'][last]:.1f}",
        worst_acc=f"{100 * b.acc[worst][last]:.1f}",
        lo=f"{min(others):.1f}",
        hi=f"{max(others):.1f}",
        fp32=f"{100 * lesson.fp32_accuracy():.1f}",
        chance=f"{100 / 10:.0f}",
    )


def _cal() -> str:
    worst = _worst()[2]
    return worst if worst in ("minmax", "percentile", "entropy") else "other"


CALIB = Question(
    id="calib",
    options=("minmax", "percentile", "entropy"),
    correct="entropy",
    derive=_cal,
    show={"why_cal_net": CAL_NET, "why_cal_bits": CAL_BITS},
    facts=_cal_facts,
)

QUESTIONS = (FOLD, BREAKS, CALIB)
