"""The scale / zero point explorer's numbers: one view's scale, zero point, error, notes, pictures, calibration.

Everything here is pure: the page turns widgets into `Settings` (settings.py), and `Settings` into a `View`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import torch

from lessons.common.tex import chain, par
from lessons.common.text import real
from lessons.scale_and_zero_point.distributions import Summary, sample, summary
from lessons.scale_and_zero_point.settings import Message, Settings, normalize
from qlib.observers import MinMaxObserver, MSEObserver, PercentileObserver
from qlib.quant import EPS, QParams, dequantize, fake_quant, quant_error, quantize

PERCENTILE = 99.9


def calibrate(method: str, data: np.ndarray, s: Settings) -> tuple[float, float]:
    """The range an observer picks for this data and this code: 'minmax', 'percentile' (99.9) or 'mse'."""
    code = dict(
        bits=s.bits, symmetric=s.symmetric, signed=s.signed, narrow_range=s.narrow, include_zero=s.zero
    )
    obs = {
        "minmax": MinMaxObserver,
        "percentile": lambda: PercentileObserver(PERCENTILE),
        "mse": lambda: MSEObserver(**code),  # the best range depends on the code it is searched for
    }[method]()
    obs(torch.as_tensor(data))
    lo, hi = obs.range()
    return float(lo), float(hi)


@dataclass(frozen=True)
class Probe:
    """One real value x through the code: its integer code (decimal and binary), x̂ read back, and the formula."""

    code: int
    binary: str
    back: float
    error: float  # x̂ − x
    tex: str


def code_of(value: float, qp: QParams) -> tuple[int, float]:
    """A real value's integer code and the value it reads back as."""
    q = int(quantize(torch.tensor([value], dtype=torch.float32), qp)[0])
    return q, float(dequantize(torch.tensor([q]), qp)[0])


def binary(q: int, bits: int) -> str:
    """A code as its `bits` stored bits (two's complement when negative)."""
    return format(q & ((1 << bits) - 1), f"0{bits}b")


@dataclass(frozen=True)
class Error:
    """What quantizing the data costs, split into its two causes.

    mse = mse_round + mse_clip: the mean of (x̂ − x)² over all values, summed separately over the values inside
    the grid (rounding: at most half a step each) and those beyond its ends (clipping: grows with the distance).
    """

    mse: float
    mse_round: float
    mse_clip: float
    sqnr_db: float
    max_abs_err: float
    clip_fraction: (
        float  # qlib.quant.quant_error's: the share of values whose code falls outside [qmin, qmax]
    )
    clip_below: float
    clip_above: float

    @property
    def clip_pct(self) -> float:
        return 100 * self.clip_fraction


def in_range(x: torch.Tensor, qp: QParams) -> torch.Tensor:
    """Where qmin <= round(x/s) + z <= qmax: exactly where fake_quant passes a gradient (the contract's mask)."""
    x = x.detach().clone().requires_grad_(True)
    fake_quant(x, qp).sum().backward()
    return x.grad.bool()


def error_of(data: np.ndarray, qp: QParams) -> Error:
    """quant_error of the data, with the MSE split into its rounding and its clipping part."""
    e = quant_error(data, qp)
    x = torch.as_tensor(data)
    sq = (dequantize(quantize(x, qp), qp) - x).double().pow(2)
    inside = in_range(x, qp)
    n = max(x.numel(), 1)
    below = float((~inside & (x < 0)).sum()) / n
    return Error(
        mse=e["mse"],
        mse_round=float(sq[inside].sum()) / n,
        mse_clip=float(sq[~inside].sum()) / n,
        sqnr_db=e["sqnr_db"],
        max_abs_err=e["max_abs_err"],
        clip_fraction=e["clip_fraction"],
        clip_below=below,
        clip_above=e["clip_fraction"] - below,
    )


@dataclass(frozen=True)
class Note:
    """A sentence the page shows under the formulas: a string key, its numbers, and how loud (warning / info)."""

    key: str
    fmt: dict
    kind: str = "info"


CLIPS_MUCH = 0.05  # a scheme that clips this share of the data or more gets a sentence
WASTED = 0.25  # one-tailed data with this share of the codes below its zero code gets a sentence
VISIBLE_SHIFT = 0.01  # a grid shift beyond this share of the range shows on the number line


@dataclass(frozen=True)
class View:
    """Every number the explorer shows for one code and range (the probed value x is not part of it)."""

    settings: Settings
    qp: QParams
    lo_eff: float  # the range after 'include zero' widened it
    hi_eff: float
    zp_raw: float | None  # asymmetric: the zero point before rounding, qmin − x_min/s; symmetric: None
    zp_rounded: int | None  # asymmetric: qmin − round(x_min/s), before the clamp into [qmin, qmax]
    grid_lo: float  # the real values of the lowest and the highest code
    grid_hi: float
    zero_code: int  # the code of 0.0, and what it reads back as
    zero_back: float
    error: Error
    data: Summary
    scale_tex: str
    zero_point_tex: str
    window: tuple[float, float]  # the plotting window
    notes: tuple[Note, ...]

    @property
    def scale(self) -> float:
        return float(self.qp.scale)

    @property
    def zero_point(self) -> int:
        return int(self.qp.zero_point)

    @property
    def qmin(self) -> int:
        return self.qp.qmin

    @property
    def qmax(self) -> int:
        return self.qp.qmax

    @property
    def levels(self) -> int:
        return self.qp.qmax - self.qp.qmin + 1

    @property
    def zero_exact(self) -> bool:
        return self.zero_back == 0.0

    @property
    def zp_clamped(self) -> bool:
        """The rounded zero point fell outside the codes and was clamped (then the grid misses the range)."""
        return self.zp_rounded is not None and not self.qmin <= self.zp_rounded <= self.qmax

    @property
    def clip_lo(self) -> float:
        """Below this a value's code would fall under qmin: it clips (half a step beyond the lowest code)."""
        return self.grid_lo - self.scale / 2

    @property
    def clip_hi(self) -> float:
        return self.grid_hi + self.scale / 2

    @property
    def grid_mid(self) -> float:
        return (self.grid_lo + self.grid_hi) / 2

    @property
    def half_step(self) -> float:
        return self.scale / 2

    @property
    def fine_steps(self) -> bool:
        """At 6 bits and more the staircase's steps are too fine to see at this size."""
        return self.settings.bits >= 6


def analyze(s: Settings) -> View:
    """Every number the explorer shows for one view; s.x is not read (`probe` does that part).

    The range must be a range (min <= max): the page shows the last valid one while the typed one is not.
    """
    s = replace(normalize(s), x=0.0)
    qp = s.qparams()
    lo_eff, hi_eff = (min(s.lo, 0.0), max(s.hi, 0.0)) if s.zero else (s.lo, s.hi)
    grid_lo, grid_hi = (float(v) for v in qp.real_range())
    data = sample(s.dist)
    zero_code, zero_back = code_of(0.0, qp)
    zp_raw, zp_rounded = _zero_point_before_clamp(s, qp, lo_eff)
    v = View(
        settings=s,
        qp=qp,
        lo_eff=lo_eff,
        hi_eff=hi_eff,
        zp_raw=zp_raw,
        zp_rounded=zp_rounded,
        grid_lo=grid_lo,
        grid_hi=grid_hi,
        zero_code=zero_code,
        zero_back=zero_back,
        error=error_of(data, qp),
        data=summary(data),
        scale_tex="",
        zero_point_tex="",
        window=window(s, qp),
        notes=(),
    )
    scale_tex, zero_point_tex = formulas(v)
    return replace(v, scale_tex=scale_tex, zero_point_tex=zero_point_tex, notes=notes(v))


def _zero_point_before_clamp(s: Settings, qp: QParams, lo: float) -> tuple[float | None, int | None]:
    """The asymmetric zero point before rounding and before clamping, in float32 as calc_qparams computes it."""
    if s.symmetric:
        return None, None
    ratio = torch.tensor(lo, dtype=torch.float32) / qp.scale
    return qp.qmin - float(ratio), qp.qmin - int(torch.round(ratio))


def probe(v: View, x: float) -> Probe:
    """A value x through the view's code: the one part of the page that reruns alone when x moves."""
    q, back = code_of(x, v.qp)
    tex_ = (  # two lines, so that it fits beside the value's input
        r"\begin{gathered} "
        rf"q = \mathrm{{clamp}}\!\left(\mathrm{{round}}\!\left(\frac{{{tex(x)}}}{{{tex(v.scale, 6)}}}\right) + "
        rf"{v.zero_point},\;{v.qmin},\; {v.qmax}\right) = {q} \\ \hat{{x}} = (q - z)\,s = {tex(back, 6)}"
        r" \end{gathered}"
    )
    return Probe(q, binary(q, v.settings.bits), back, back - float(np.float32(x)), tex_)


def notes(v: View) -> tuple[Note, ...]:
    """The sentences this view needs: what the zero point did, what clips, what the codes are spent on."""
    out = []
    if v.zp_clamped:
        fmt = dict(raw=f"{v.zp_raw:.2f}", rounded=v.zp_rounded, zp=v.zero_point, qmin=v.qmin, qmax=v.qmax)
        out.append(Note("zp_clamped", {**fmt, "lo": real(v.grid_lo), "hi": real(v.grid_hi)}, "warning"))
    elif v.zp_raw is not None and _uncovered(v) > VISIBLE_SHIFT * max(v.hi_eff - v.lo_eff, EPS):
        shift = (v.zero_point - v.zp_raw) * v.scale
        fmt = dict(
            raw=f"{v.zp_raw:.2f}",
            zp=v.zero_point,
            shift=real(abs(shift)),
            lo=real(v.grid_lo),
            hi=real(v.grid_hi),
        )
        out.append(Note("grid_shift", {**fmt, "clip_lo": real(v.clip_lo), "clip_hi": real(v.clip_hi)}))
    if not v.settings.zero and not v.zp_clamped:
        out.append(Note("zero_off", {"code": v.zero_code, "back": real(v.zero_back)}))
    e = v.error
    if e.clip_fraction >= CLIPS_MUCH:
        pct = dict(
            pct=f"{e.clip_pct:.1f}", below=f"{100 * e.clip_below:.1f}", above=f"{100 * e.clip_above:.1f}"
        )
        out.append(Note("clips_much", {**pct, "lo": real(v.clip_lo), "hi": real(v.clip_hi)}, "warning"))
    wasted = (v.zero_code - v.qmin) / v.levels
    if v.data.min >= 0 and wasted >= WASTED:
        out.append(Note("one_tailed", {"pct": f"{100 * wasted:.0f}", "n": v.zero_code - v.qmin}))
    return tuple(out)


def _uncovered(v: View) -> float:
    """How far the chosen range reaches beyond the grid's end points (0 when the grid covers it)."""
    return max(v.grid_lo - v.lo_eff, v.hi_eff - v.grid_hi, 0.0)


def tex(v: float, decimals: int = 4) -> str:
    """A number for LaTeX: plain with up to `decimals` decimals, or m×10^e when very small or large."""
    v = float(v)
    if v == 0 or 1e-3 <= abs(v) < 1e6:
        text = f"{v:.{decimals}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    m, e = f"{v:.3e}".split("e")
    return rf"{m} \times 10^{{{int(e)}}}"


def fmt_scale(scale: float) -> str:
    """The scale for a metric: 4 decimals (0.0314) while that keeps 3 significant digits, else 3 significant."""
    return f"{scale:.4f}" if scale >= 0.01 else f"{scale:.3g}"


def formulas(v: View) -> tuple[str, str]:
    """The scale and the zero point of this code in LaTeX, by the contract's rules, with the numbers put in.

    Asymmetric: s = (x_max − x_min)/(q_max − q_min), z = q_min − round(x_min/s). Symmetric (PyTorch's
    per_tensor_symmetric): s = max(|x_min|, |x_max|)/((q_max − q_min)/2); z = 0 for signed codes and the middle
    code (q_min + q_max + 1) // 2 for unsigned ones (quint8: 128).
    """
    sc, zp, qmin, qmax, lo, hi = v.scale, v.zero_point, v.qmin, v.qmax, v.lo_eff, v.hi_eff
    if not v.settings.symmetric:
        first = chain(
            r"s",
            r"\frac{x_{max} - x_{min}}{q_{max} - q_{min}}",
            rf"\frac{{{tex(hi)} - {par(tex(lo))}}}{{{qmax} - {par(qmin)}}}",
            tex(sc, 7),
        )
        second = chain(
            r"z",
            r"q_{min} - \mathrm{round}\!\left(\frac{x_{min}}{s}\right)",
            rf"{qmin} - \mathrm{{round}}({tex(qmin - v.zp_raw)})",
            str(v.zp_rounded),
        ) + (rf" \;\to\; {{\mathrm{{clamp}} \;\to\; {zp}}}" if v.zp_clamped else "")
    else:
        first = chain(
            r"s",
            r"\frac{\max(|x_{min}|, |x_{max}|)}{(q_{max} - q_{min})/2}",
            rf"\frac{{{tex(max(abs(lo), abs(hi)))}}}{{({qmax} - {par(qmin)})/2}}",
            tex(sc, 7),
        )
        second = (
            r"z = 0"
            if v.settings.signed
            else chain(
                "z",
                r"\left\lfloor \frac{q_{min} + q_{max} + 1}{2} \right\rfloor",
                rf"\left\lfloor \frac{{{qmin} + {qmax} + 1}}{{2}} \right\rfloor",
                str(zp),
            )
        )
    if sc <= float(EPS):  # an empty range: the scale is floored at float32's eps
        first = first.rsplit("=", 1)[0] + rf"\to \max(\cdot, \varepsilon) = {{{tex(sc, 7)}}}"
    return first, second


def window(s: Settings, qp: QParams) -> tuple[float, float]:
    """A plotting window around the chosen range, 0 and the grid up to where values clip, plus a margin in
    which the clip zones show."""
    lo, hi = (float(v) for v in qp.real_range())
    half = float(qp.scale) / 2
    lo, hi = min(lo - half, s.lo, 0.0), max(hi + half, s.hi, 0.0)
    pad = 0.15 * (hi - lo) or 1.0
    return lo - pad, hi + pad


@dataclass(frozen=True)
class Staircase:
    """x, fake_quant(x) and the error over the view's window."""

    x: np.ndarray
    y: np.ndarray
    err: np.ndarray


def staircase(v: View, n: int = 2001) -> Staircase:
    """The staircase over a window that shows the grid, the clip zones and 0."""
    x = torch.linspace(*v.window, n)
    y = dequantize(quantize(x, v.qp), v.qp)
    return Staircase(*(_frozen(a.numpy()) for a in (x, y, y - x)))


@dataclass(frozen=True)
class Histogram:
    """The data's counts before and after fake quant, on shared bins aligned with the grid."""

    edges: np.ndarray
    before: np.ndarray
    after: np.ndarray


def grid_bins(v: View, lo: float, hi: float, bins: int = 120) -> np.ndarray:
    """About `bins` bin edges over [lo, hi] that keep the grid's codes away from every edge.

    Bins are either k whole steps wide (k codes in each, edges half-way between codes) or a step split into m
    parts (m odd, so each code sits in the middle of a bin): the 'after' counts never depend on where an edge
    happens to cut the grid.
    """
    s, want = v.scale, max(hi - lo, v.scale) / bins
    width = s * math.ceil(want / s) if want >= s else s / _odd(int(s // want))
    anchor = v.grid_lo - s / 2  # an edge half a step below the lowest code
    first = anchor - width * math.ceil((anchor - lo) / width)
    n = math.ceil((hi - first) / width) + 1
    return first + width * np.arange(n + 1)


def _odd(m: int) -> int:
    return max(1, m if m % 2 else m - 1)


def histogram(v: View) -> Histogram:
    """The data's histogram before and after fake quant, on grid-aligned bins over the data and the grid."""
    data = sample(v.settings.dist)
    after = dequantize(quantize(torch.as_tensor(data), v.qp), v.qp).numpy()
    edges = grid_bins(v, min(float(data.min()), v.grid_lo), max(float(data.max()), v.grid_hi))
    return Histogram(
        _frozen(edges), _frozen(np.histogram(data, edges)[0]), _frozen(np.histogram(after, edges)[0])
    )


def _frozen(a: np.ndarray) -> np.ndarray:
    """The array made read-only: results are cached and shared by every session."""
    a.setflags(write=False)
    return a


def calibration_note(before: View, after: View) -> Message:
    """What a calibration did to the error, in its rounding and its clipping part, and what paid off.

    The verdict follows the numbers: smaller or larger total MSE, and whether more clipping caused it.
    """
    b, a = before.error, after.error
    more_clipping = a.mse_clip > b.mse_clip
    if abs(a.mse - b.mse) <= 0.01 * max(b.mse, 1e-30):
        verdict = "cal.same"
    elif a.mse < b.mse:
        verdict = "cal.pays_clip" if more_clipping else "cal.pays_fit"
    else:
        verdict = "cal.costs_clip" if more_clipping else "cal.costs_round"
    fmt = {
        "lo": f"{after.settings.lo:.4f}",
        "hi": f"{after.settings.hi:.4f}",
        "round_b": f"{b.mse_round:.3g}",
        "round_a": f"{a.mse_round:.3g}",
        "clip_b": f"{b.mse_clip:.3g}",
        "clip_a": f"{a.mse_clip:.3g}",
        "mse_b": f"{b.mse:.3g}",
        "mse_a": f"{a.mse:.3g}",
        "pct": f"{a.clip_pct:.2f}",
        "ratio": f"{max(a.mse, b.mse) / max(min(a.mse, b.mse), 1e-30):.2g}",
    }
    return verdict, fmt
