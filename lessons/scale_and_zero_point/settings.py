"""The explorer's settings: one view as a frozen `Settings`, its presets, its URL form, and making it safe.

Pure: ui/explorer_state.py moves settings between the widgets, the session and the URL; lesson.py turns them
into numbers.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from lessons.scale_and_zero_point.distributions import DISTRIBUTIONS
from qlib.quant import QParams, calc_qparams

BITS = (2, 16)
LIMIT = 1e6  # |min|, |max| beyond this are clamped: a teaching tool needs no wider range
SLIDER = (-20.0, 20.0)  # the range slider's span; the number inputs go further
MODES = ("asym", "sym")


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
    # 4 bits, where clipping the outliers pays; its help says to try 8 bits, where it does not
    "outliers": Settings(bits=4, lo=-12.0, hi=12.0, dist="outliers"),
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
    if s.lo > s.hi:  # a link cannot be left half-typed: swap, and say so
        s = replace(s, lo=s.hi, hi=s.lo)
        msgs.append(("url.swapped", {"lo": _show(s.lo), "hi": _show(s.hi)}))
    if s.narrow and not s.signed:
        s = replace(s, narrow=False)
        msgs.append(("url.narrow_unsigned", {}))
    return s, msgs


def _show(v: object) -> str:
    """A value as the link writes it: 0 / 1 for a switch, up to 6 digits for a number."""
    if isinstance(v, bool):
        return str(int(v))
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
    """Any settings made safe: bits in range, finite bounds within ±LIMIT, known names, narrow only when signed.

    min > max is kept as typed (see `range_problem`): the page says what is wrong instead of swapping.
    """
    bits = min(max(int(s.bits), BITS[0]), BITS[1])
    lo = min(max(s.lo, -LIMIT), LIMIT) if math.isfinite(s.lo) else -2.0
    hi = min(max(s.hi, -LIMIT), LIMIT) if math.isfinite(s.hi) else 6.0
    x = min(max(s.x, -LIMIT), LIMIT) if math.isfinite(s.x) else 0.0
    mode = s.mode if s.mode in MODES else "asym"
    dist = s.dist if s.dist in DISTRIBUTIONS else "normal"
    narrow = bool(s.narrow and s.signed)  # unsigned codes have no narrow range: no hidden switch
    return replace(s, bits=bits, lo=float(lo), hi=float(hi), x=float(x), mode=mode, dist=dist, narrow=narrow)


def range_problem(s: Settings) -> Message | None:
    """What is wrong with the typed range, if anything: min above max has no scale."""
    if s.lo > s.hi:
        return "min_above_max", {"lo": _fmt(s.lo), "hi": _fmt(s.hi)}
    return None
