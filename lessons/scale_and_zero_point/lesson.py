"""The scale / zero point explorer's state and numbers: settings, URL parsing, presets, calibration, results.

Everything here is pure: the page turns widgets into `Settings`, and `Settings` into numbers and figures.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import numpy as np
import torch

from lessons.scale_and_zero_point.distributions import DISTRIBUTIONS, Summary, sample, summary
from qlib.observers import MinMaxObserver, MSEObserver, PercentileObserver
from qlib.quant import EPS, QParams, calc_qparams, dequantize, quant_error, quantize

BITS = (2, 16)
LIMIT = 1e6  # |min|, |max| beyond this are clamped: a teaching tool needs no wider range
SLIDER = (-20.0, 20.0)  # the range slider's span; the number inputs go further
MODES = ("asym", "sym")
PERCENTILE = 99.9


@dataclass(frozen=True)
class Settings:
    """One view of the explorer: the code (bits, mode, signed, narrow, include zero), the range, the data."""

    bits: int = 8
    mode: str = "asym"
    signed: bool = False
    narrow: bool = False
    zero: bool = True
    lo: float = -2.0
    hi: float = 6.0
    dist: str = "normal"
    x: float = 0.0

    @property
    def symmetric(self) -> bool:
        return self.mode == "sym"

    def qparams(self) -> QParams:
        """Scale and zero point of this view, by the contract's rules."""
        return calc_qparams(self.lo, self.hi, self.bits, self.symmetric, self.signed, self.narrow, self.zero)

    def to_query(self) -> dict[str, str]:
        """The URL form: short, stable, and read back by `parse_query`."""
        return {
            "bits": str(self.bits),
            "mode": self.mode,
            "signed": str(int(self.signed)),
            "narrow": str(int(self.narrow)),
            "zero": str(int(self.zero)),
            "min": _fmt(self.lo),
            "max": _fmt(self.hi),
            "dist": self.dist,
            "x": _fmt(self.x),
        }


PRESETS: dict[str, Settings] = {
    "seed": Settings(),  # the worked example: -2..6 at 8 bits -> scale 8/255, zero point 63.75 -> 64
    "relu": Settings(lo=0.0, hi=6.0, dist="relu"),
    "weights": Settings(mode="sym", signed=True, narrow=True, lo=-1.0, hi=1.0, dist="laplace"),
    "positive": Settings(zero=False, lo=1.0, hi=5.0, dist="uniform", x=0.0),
    "outliers": Settings(lo=-12.0, hi=12.0, dist="outliers"),
}


def _fmt(v: float) -> str:
    """A float for the URL: up to 6 significant digits, no trailing zeros."""
    return format(float(v), ".6g")


Message = tuple[str, dict]  # an i18n key and its format arguments


def parse_query(params: dict[str, list[str] | str]) -> tuple[Settings, list[Message]]:
    """Settings from URL parameters; bad values are clamped or replaced by defaults, each with a message.

    Accepts a hand-edited URL: unknown names are ignored, repeated names use the last value.
    """
    d, msgs = asdict(Settings()), []
    names = {
        "bits": "bits",
        "mode": "mode",
        "signed": "signed",
        "narrow": "narrow",
        "zero": "zero",
        "min": "lo",
        "max": "hi",
        "dist": "dist",
        "x": "x",
    }
    for name, field in names.items():
        if name not in params:
            continue
        vals = params[name] if isinstance(params[name], list) else [params[name]]
        if not vals:
            continue
        if len(vals) > 1:
            msgs.append(("url.repeated", {"name": name, "value": vals[-1]}))
        raw = str(vals[-1]).strip()[:40]
        value, msg = _parse_one(name, raw, d[field])
        d[field] = value
        if msg:
            msgs.append((msg, {"name": name, "value": raw, "used": _show(value)}))
    s = Settings(**d)
    if s.lo > s.hi:
        s = replace(s, lo=s.hi, hi=s.lo)
        msgs.append(("url.swapped", {"lo": _show(s.lo), "hi": _show(s.hi)}))
    return s, msgs


def _show(v) -> str:
    return _fmt(v) if isinstance(v, float) else str(v)


def _parse_one(name: str, raw: str, default):
    """(value, message key or None) for one parameter."""
    if name == "bits":
        try:
            b = int(float(raw))
        except (ValueError, OverflowError):
            return default, "url.invalid"
        c = min(max(b, BITS[0]), BITS[1])
        return c, (None if c == b and float(raw) == b else "url.clamped")
    if name == "mode":
        return (raw, None) if raw in MODES else (default, "url.invalid")
    if name in ("signed", "narrow", "zero"):
        m = {"1": True, "true": True, "0": False, "false": False}
        return (m[raw.lower()], None) if raw.lower() in m else (default, "url.invalid")
    if name == "dist":
        return (raw, None) if raw in DISTRIBUTIONS else (default, "url.invalid")
    try:  # min, max, x
        v = float(raw)
    except ValueError:
        return default, "url.invalid"
    if not math.isfinite(v):
        return default, "url.invalid"
    c = min(max(v, -LIMIT), LIMIT)
    return c, (None if c == v else "url.clamped")


def normalize(s: Settings) -> Settings:
    """Any settings made safe for `calc_qparams`: bits in range, finite bounds, lo <= hi."""
    bits = min(max(int(s.bits), BITS[0]), BITS[1])
    lo = s.lo if math.isfinite(s.lo) else -2.0
    hi = s.hi if math.isfinite(s.hi) else 6.0
    lo, hi = sorted((min(max(lo, -LIMIT), LIMIT), min(max(hi, -LIMIT), LIMIT)))
    x = min(max(s.x, -LIMIT), LIMIT) if math.isfinite(s.x) else 0.0
    mode = s.mode if s.mode in MODES else "asym"
    dist = s.dist if s.dist in DISTRIBUTIONS else "normal"
    return replace(s, bits=bits, lo=float(lo), hi=float(hi), x=float(x), mode=mode, dist=dist)


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
    """What quantizing the data costs (qlib.quant.quant_error)."""

    mse: float
    sqnr_db: float
    max_abs_err: float
    clip_fraction: float

    @property
    def clip_pct(self) -> float:
        return 100 * self.clip_fraction


@dataclass(frozen=True)
class View:
    """Every number the explorer shows for one code and range (the probed value x is not part of it)."""

    settings: Settings
    qp: QParams
    lo_eff: float  # the range after 'include zero' widened it
    hi_eff: float
    zp_raw: float  # the zero point before rounding (asymmetric), else 0
    grid_lo: float  # the real values of the lowest and the highest code
    grid_hi: float
    zero_code: int  # the code of 0.0, and what it reads back as
    zero_back: float
    error: Error
    data: Summary
    scale_tex: str
    zero_point_tex: str
    window: tuple[float, float]  # the plotting window

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
        return not self.qmin <= self.zp_raw <= self.qmax

    @property
    def grid_mid(self) -> float:
        return (self.grid_lo + self.grid_hi) / 2

    @property
    def half_step(self) -> float:
        return self.scale / 2


def analyze(s: Settings) -> View:
    """Every number the explorer shows for one view; s.x is not read (`probe` does that part)."""
    s = replace(normalize(s), x=0.0)
    qp = s.qparams()
    lo_eff, hi_eff = (min(s.lo, 0.0), max(s.hi, 0.0)) if s.zero else (s.lo, s.hi)
    grid_lo, grid_hi = (float(v) for v in qp.real_range())
    data = sample(s.dist)
    zero_code, zero_back = code_of(0.0, qp)
    scale_tex, zero_point_tex = formulas(s, qp, lo_eff, hi_eff)
    return View(
        settings=s,
        qp=qp,
        lo_eff=lo_eff,
        hi_eff=hi_eff,
        zp_raw=qp.qmin - lo_eff / float(qp.scale) if not s.symmetric else 0.0,
        grid_lo=grid_lo,
        grid_hi=grid_hi,
        zero_code=zero_code,
        zero_back=zero_back,
        error=Error(**quant_error(data, qp)),
        data=summary(data),
        scale_tex=scale_tex,
        zero_point_tex=zero_point_tex,
        window=window(s, grid_lo, grid_hi),
    )


def probe(v: View, x: float) -> Probe:
    """A value x through the view's code: the one part of the page that reruns alone when x moves."""
    q, back = code_of(x, v.qp)
    tex_ = (
        rf"q = \mathrm{{clamp}}\!\left(\mathrm{{round}}\!\left(\frac{{{tex(x)}}}{{{tex(v.scale, 6)}}}\right) + "
        rf"{v.zero_point},\;{v.qmin},\; {v.qmax}\right) = {q}, \quad \hat{{x}} = (q - z)\,s = {tex(back, 6)}"
    )
    return Probe(q, binary(q, v.settings.bits), back, back - float(np.float32(x)), tex_)


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


def formulas(s: Settings, qp: QParams, lo: float, hi: float) -> tuple[str, str]:
    """The scale and the zero point of this code in LaTeX, with its numbers put in."""
    sc, zp, qmin, qmax = float(qp.scale), int(qp.zero_point), qp.qmin, qp.qmax
    if not s.symmetric:
        first = (
            rf"s = \frac{{x_{{max}} - x_{{min}}}}{{q_{{max}} - q_{{min}}}} = "
            rf"\frac{{{tex(hi)} - ({tex(lo)})}}{{{qmax} - ({qmin})}} = {tex(sc, 7)}"
        )
        second = (
            rf"z = q_{{min}} - \mathrm{{round}}\!\left(\frac{{x_{{min}}}}{{s}}\right) = {qmin} - "
            rf"\mathrm{{round}}({tex(lo / sc)}) \;\to\; {zp}"
        )
    elif s.signed:
        m = max(abs(lo), abs(hi)) if s.zero else max(abs(s.lo), abs(s.hi))
        first = (
            rf"s = \frac{{\max(|x_{{min}}|, |x_{{max}}|)}}{{(q_{{max}} - q_{{min}})/2}} = "
            rf"\frac{{{tex(m)}}}{{({qmax} - ({qmin}))/2}} = {tex(sc, 7)}"
        )
        second = r"z = 0"
    else:
        first = rf"s = \frac{{x_{{max}}}}{{q_{{max}} - q_{{min}}}} = \frac{{{tex(hi)}}}{{{qmax - qmin}}} = {tex(sc, 7)}"
        second = r"z = 0"
    if sc <= float(EPS):  # an empty range: the scale is floored at float32's eps
        first = first.rsplit("=", 1)[0] + rf"\to \max(\cdot, \varepsilon) = {tex(sc, 7)}"
    return first, second


def window(s: Settings, grid_lo: float, grid_hi: float) -> tuple[float, float]:
    """A plotting window around the chosen range, the grid and 0, with a margin for the clip zones."""
    lo, hi = min(grid_lo, s.lo, 0.0), max(grid_hi, s.hi, 0.0)
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
    """The data's counts before and after fake quant, on shared bins."""

    edges: np.ndarray
    before: np.ndarray
    after: np.ndarray


def histogram(v: View, bins: int = 120) -> Histogram:
    """The data's histogram before and after fake quant, on shared bins over the data and the grid."""
    data = sample(v.settings.dist)
    after = dequantize(quantize(torch.as_tensor(data), v.qp), v.qp).numpy()
    edges = np.linspace(min(float(data.min()), v.grid_lo), max(float(data.max()), v.grid_hi), bins + 1)
    return Histogram(
        _frozen(edges), _frozen(np.histogram(data, edges)[0]), _frozen(np.histogram(after, edges)[0])
    )


def _frozen(a: np.ndarray) -> np.ndarray:
    """The array made read-only: results are cached and shared by every session."""
    a.setflags(write=False)
    return a
