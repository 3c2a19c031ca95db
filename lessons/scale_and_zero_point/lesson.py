"""The scale / zero point explorer's state and numbers: settings, URL parsing, presets, calibration, results.

Everything here is pure: the page turns widgets into `Settings`, and `Settings` into numbers and figures.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import numpy as np
import torch

from lessons.scale_and_zero_point.distributions import DISTRIBUTIONS, sample, summary
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
    """The range an observer picks for this data: 'minmax', 'percentile' (99.9) or 'mse' (for this code)."""
    obs = {
        "minmax": MinMaxObserver,
        "percentile": lambda: PercentileObserver(PERCENTILE),
        "mse": lambda: MSEObserver(s.bits, s.symmetric, s.signed, s.narrow, s.zero),
    }[method]()
    obs(torch.as_tensor(data))
    lo, hi = obs.range()
    return float(lo), float(hi)


def code_of(value: float, qp: QParams, bits: int) -> dict:
    """A real value's integer code in decimal and binary (two's complement when signed) and its round trip."""
    q = int(quantize(torch.tensor([value], dtype=torch.float32), qp)[0])
    back = float(dequantize(torch.tensor([q]), qp)[0])
    return {
        "code": q,
        "binary": format(q & ((1 << bits) - 1), f"0{bits}b"),
        "back": back,
        "error": back - float(np.float32(value)),
    }


def analyze(s: Settings) -> dict:
    """Every number the explorer shows for one view."""
    s = normalize(s)
    qp = s.qparams()
    scale, zp = float(qp.scale), int(qp.zero_point)
    lo_eff, hi_eff = (min(s.lo, 0.0), max(s.hi, 0.0)) if s.zero else (s.lo, s.hi)
    grid_lo, grid_hi = (float(v) for v in qp.real_range())
    data = sample(s.dist)
    zero_code = code_of(0.0, qp, s.bits)
    return {
        "settings": s,
        "qp": qp,
        "scale": scale,
        "zero_point": zp,
        "qmin": qp.qmin,
        "qmax": qp.qmax,
        "levels": qp.qmax - qp.qmin + 1,
        "lo_eff": lo_eff,
        "hi_eff": hi_eff,
        "zp_raw": qp.qmin - lo_eff / scale if not s.symmetric else 0.0,
        "grid_lo": grid_lo,
        "grid_hi": grid_hi,
        "zero_code": zero_code["code"],
        "zero_exact": zero_code["back"] == 0.0,
        "zero_back": zero_code["back"],
        "error": quant_error(data, qp),
        "data": summary(data),
        "value": code_of(s.x, qp, s.bits),
        "fp32_bytes": 4,
        "ratio": 32 / s.bits,
    }


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


def formulas(r: dict) -> list[str]:
    """The formulas of this view in LaTeX, with its numbers put in."""
    s: Settings = r["settings"]
    sc, zp, qmin, qmax = r["scale"], r["zero_point"], r["qmin"], r["qmax"]
    if not s.symmetric:
        first = (
            rf"s = \frac{{x_{{max}} - x_{{min}}}}{{q_{{max}} - q_{{min}}}} = "
            rf"\frac{{{tex(r['hi_eff'])} - ({tex(r['lo_eff'])})}}{{{qmax} - ({qmin})}} = {tex(sc, 7)}"
        )
        second = (
            rf"z = q_{{min}} - \mathrm{{round}}\!\left(\frac{{x_{{min}}}}{{s}}\right) = {qmin} - "
            rf"\mathrm{{round}}({tex(r['lo_eff'] / sc)}) \;\to\; {zp}"
        )
    elif s.signed:
        m = max(abs(r["lo_eff"]), abs(r["hi_eff"])) if s.zero else max(abs(s.lo), abs(s.hi))
        first = (
            rf"s = \frac{{\max(|x_{{min}}|, |x_{{max}}|)}}{{(q_{{max}} - q_{{min}})/2}} = "
            rf"\frac{{{tex(m)}}}{{({qmax} - ({qmin}))/2}} = {tex(sc, 7)}"
        )
        second = r"z = 0"
    else:
        first = rf"s = \frac{{x_{{max}}}}{{q_{{max}} - q_{{min}}}} = \frac{{{tex(r['hi_eff'])}}}{{{qmax - qmin}}} = {tex(sc, 7)}"
        second = r"z = 0"
    if sc <= float(EPS):  # an empty range: the scale is floored at float32's eps
        first = first.rsplit("=", 1)[0] + rf"\to \max(\cdot, \varepsilon) = {tex(sc, 7)}"
    v = r["value"]
    third = (
        rf"q = \mathrm{{clamp}}\!\left(\mathrm{{round}}\!\left(\frac{{{tex(s.x)}}}{{{tex(sc, 6)}}}\right) + {zp},\;"
        rf"{qmin},\; {qmax}\right) = {v['code']}, \quad \hat{{x}} = (q - z)\,s = {tex(v['back'], 6)}"
    )
    return [first, second, third]


def staircase(r: dict, n: int = 2001) -> dict[str, np.ndarray]:
    """x, fake_quant(x) and the error over a view that shows the grid, the clip zones and 0."""
    lo, hi = view_range(r)
    x = torch.linspace(lo, hi, n)
    y = dequantize(quantize(x, r["qp"]), r["qp"])
    return {"x": x.numpy(), "y": y.numpy(), "err": (y - x).numpy()}


def view_range(r: dict) -> tuple[float, float]:
    """A plotting window around the chosen range, the grid and 0, with a margin for the clip zones."""
    lo = min(r["grid_lo"], r["settings"].lo, 0.0)
    hi = max(r["grid_hi"], r["settings"].hi, 0.0)
    pad = 0.15 * (hi - lo) or 1.0
    return lo - pad, hi + pad


def histogram(r: dict, bins: int = 120) -> dict[str, np.ndarray]:
    """The data's histogram before and after fake quant, on shared bins, plus the clipped share."""
    s = r["settings"]
    data = sample(s.dist)
    after = dequantize(quantize(torch.as_tensor(data), r["qp"]), r["qp"]).numpy()
    lo = min(float(data.min()), r["grid_lo"])
    hi = max(float(data.max()), r["grid_hi"])
    edges = np.linspace(lo, hi, bins + 1)
    return {
        "edges": edges,
        "before": np.histogram(data, edges)[0],
        "after": np.histogram(after, edges)[0],
        "clip_lo": r["grid_lo"],
        "clip_hi": r["grid_hi"],
        "clip_fraction": r["error"]["clip_fraction"],
    }
