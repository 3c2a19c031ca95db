"""The explorer's questions: where 0.0 lands at 4 bits, clipping the outliers, 0.0 left out of the range."""

from __future__ import annotations

from dataclasses import fields, replace
from functools import cache

from lessons.common.questions import Question, WidgetValue
from lessons.scale_and_zero_point.distributions import sample
from lessons.scale_and_zero_point.lesson import View, analyze, calibrate, code_of
from lessons.scale_and_zero_point.settings import PRESETS, SLIDER, Settings


def widgets(s: Settings) -> dict[str, WidgetValue]:
    """The explorer's widget values for a view (as ui/explorer_state.put sets them): ex_<field>, and the slider."""

    def clip(v: float) -> float:
        return round(min(max(v, SLIDER[0]), SLIDER[1]) * 20) / 20

    values: dict[str, WidgetValue] = {f"ex_{f.name}": getattr(s, f.name) for f in fields(s)}
    values["ex_range"] = (clip(s.lo), clip(s.hi))
    return values


# ---- where does 0.0 land at 4 bits?

FOUR_BITS = replace(PRESETS["seed"], bits=4)


@cache
def _four_bits() -> View:
    return analyze(FOUR_BITS)


def _zero_code_facts() -> dict[str, object]:
    v = _four_bits()
    return dict(
        bits=FOUR_BITS.bits,
        lo=f"{FOUR_BITS.lo:g}".replace("-", "−"),
        hi=f"{FOUR_BITS.hi:g}",
        qmax=v.qmax,
        scale=f"{v.scale:.4f}",
        ratio=f"{FOUR_BITS.lo / v.scale:.2f}".replace("-", "−"),
        zp=v.zero_point,
        code=v.zero_code,
        middle=(v.qmin + v.qmax + 1) // 2,
        mean_code=_mean_code(v),
        mean=f"{v.data.mean:.2f}",
        grid_lo=f"{v.grid_lo:.3f}".replace("-", "−"),
        lo_tex=f"{FOUR_BITS.lo:g}",
    )


def _mean_code(v: View) -> int:
    """The code of the data's mean: where 0.0 would land if the zero point were the mean (it is not)."""
    return code_of(v.data.mean, v.qp)[0]


def _zero_code() -> str:
    v = _four_bits()
    f = _zero_code_facts()
    answers = {"zp": v.zero_code, "zero": 0, "middle": f["middle"], "mean": f["mean_code"]}
    right = [o for o, code in answers.items() if code == v.zero_code]
    return right[0] if len(right) == 1 else "ambiguous"


ZERO_CODE = Question(
    id="zero_code",
    options=("zero", "middle", "zp", "mean"),
    correct="zp",
    derive=_zero_code,
    show=widgets(FOUR_BITS),
    facts=_zero_code_facts,
)


# ---- outliers at 4 bits: cover them all, or clip them?

OUTLIERS = PRESETS["outliers"]


@cache
def _clip_views() -> tuple[View, View]:
    """The outliers at 4 bits with the min-max range and with the range the MSE search picks."""
    data = sample(OUTLIERS.dist)
    out = []
    for method in ("minmax", "mse"):
        lo, hi = calibrate(method, data, OUTLIERS)
        out.append(analyze(replace(OUTLIERS, lo=lo, hi=hi)))
    return out[0], out[1]


def _clip_facts() -> dict[str, object]:
    full, clipped = _clip_views()

    def num(v: float) -> str:
        return f"{v:.2f}".replace("-", "−")

    return dict(
        bits=OUTLIERS.bits,
        full_lo=num(full.settings.lo),
        full_hi=num(full.settings.hi),
        clipped_lo=num(clipped.settings.lo),
        clipped_hi=num(clipped.settings.hi),
        mse_full=f"{full.error.mse:.3g}",
        mse_clipped=f"{clipped.error.mse:.3g}",
        clip_pct=f"{clipped.error.clip_pct:.2f}",
        step_full=f"{full.scale:.3g}",
        step_clipped=f"{clipped.scale:.3g}",
    )


def _clip() -> str:
    full, clipped = _clip_views()
    return "clip" if clipped.error.mse < full.error.mse else "cover"


CLIP = Question(
    id="clip",
    options=("cover", "clip", "same"),
    correct="clip",
    derive=_clip,
    show=widgets(replace(OUTLIERS, lo=_clip_views()[1].settings.lo, hi=_clip_views()[1].settings.hi)),
    facts=_clip_facts,
)


# ---- a range that leaves 0.0 out, with "include zero" off

POSITIVE = PRESETS["positive"]


@cache
def _positive() -> tuple[View, View]:
    """The range 1…5 with 'include zero' off, and the same with it on."""
    return analyze(POSITIVE), analyze(replace(POSITIVE, zero=True))


def _positive_facts() -> dict[str, object]:
    off, on = _positive()
    return dict(
        lo=f"{POSITIVE.lo:g}",
        hi=f"{POSITIVE.hi:g}",
        bits=POSITIVE.bits,
        qmax=off.qmax,
        raw=f"{off.zp_rounded}".replace("-", "−"),
        zp=off.zero_point,
        grid_lo=f"{off.grid_lo:g}",
        grid_hi=f"{off.grid_hi:g}",
        clip_pct=f"{off.error.clip_pct:.2f}",
        on_lo=f"{on.grid_lo:g}",
        on_hi=f"{on.grid_hi:g}",
        on_clip=f"{on.error.clip_pct:.0f}",
    )


def _no_zero() -> str:
    off, _ = _positive()
    if not off.zp_clamped:
        return "outside"
    covers = off.grid_lo <= POSITIVE.lo and off.grid_hi >= POSITIVE.hi
    return "exact" if covers else "shift"


NO_ZERO = Question(
    id="no_zero",
    options=("exact", "outside", "shift"),
    correct="shift",
    derive=_no_zero,
    show=widgets(POSITIVE),
    facts=_positive_facts,
)

QUESTIONS = (ZERO_CODE, CLIP, NO_ZERO)
