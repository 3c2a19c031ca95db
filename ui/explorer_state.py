"""The explorer's settings in session state and in the URL: a shared link restores the view, a bad one is tamed.

The widgets' keys are the source of truth during a visit; the URL mirrors them after every run. When the page
opens (a new session, a reload, a shared or hand-edited link), the URL is read, checked and applied.
"""

from __future__ import annotations

import functools
from dataclasses import fields, replace

import streamlit as st

from lessons.scale_and_zero_point import lesson
from lessons.scale_and_zero_point.distributions import CNN, sample
from lessons.scale_and_zero_point.lesson import (
    PRESETS,
    SLIDER,
    Histogram,
    Message,
    Settings,
    Staircase,
    View,
    calibrate,
    normalize,
    parse_query,
)

KEYS = {f.name: f"ex_{f.name}" for f in fields(Settings)}  # bits -> ex_bits, lo -> ex_lo, ...
RANGE = "ex_range"


def _slider_pair(lo: float, hi: float) -> tuple[float, float]:
    """The range slider's value: the bounds clipped to its span, on its 0.05 grid."""

    def clip(v: float) -> float:
        return round(min(max(v, SLIDER[0]), SLIDER[1]) * 20) / 20

    return clip(lo), clip(hi)


def put(s: Settings) -> None:
    """Set every widget of the explorer to `s` (only before the widgets are drawn, or from a callback)."""
    for name, key in KEYS.items():
        st.session_state[key] = getattr(s, name)
    st.session_state[RANGE] = _slider_pair(s.lo, s.hi)


def load() -> list[Message]:
    """Bring the settings in when the page opens: from the URL (a shared or hand-edited link), else from the
    last visit in this session, else the defaults. While the page is open the widgets lead and the URL follows:
    a rerun may carry a URL the browser has not yet updated, and must not undo the user's last move.
    """
    if all(k in st.session_state for k in (*KEYS.values(), RANGE)):
        return []
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    if params:
        s, msgs = parse_query(params)
        put(s)
        return msgs
    put(st.session_state.get("_ex_saved", PRESETS["seed"]))
    return []


def read() -> Settings:
    """The settings the widgets hold now, made safe."""
    d = {name: st.session_state.get(key, getattr(Settings(), name)) for name, key in KEYS.items()}
    return normalize(Settings(**d))


def save(s: Settings) -> None:
    """Mirror the settings into the URL (so the address bar is a shareable link) and remember them."""
    q = s.to_query()
    if st.query_params.to_dict() != q:
        st.query_params.from_dict(q)
    st.session_state["_ex_saved"] = s


# ---- callbacks (they run before the script, so they may set widget values)


def on_range() -> None:
    """The range slider moved: copy it into the exact number inputs."""
    st.session_state[KEYS["lo"]], st.session_state[KEYS["hi"]] = (float(v) for v in st.session_state[RANGE])


def on_bounds() -> None:
    """A number input changed: keep min <= max (swapping if needed) and move the slider along."""
    lo, hi = st.session_state[KEYS["lo"]], st.session_state[KEYS["hi"]]
    if lo > hi:
        lo, hi = hi, lo
        st.session_state[KEYS["lo"]], st.session_state[KEYS["hi"]] = lo, hi
        st.session_state["_ex_swapped"] = True
    st.session_state[RANGE] = _slider_pair(lo, hi)


def on_mode() -> None:
    """Symmetric codes are usually signed (weights), asymmetric ones unsigned (activations)."""
    st.session_state[KEYS["signed"]] = st.session_state[KEYS["mode"]] == "sym"


def on_dist() -> None:
    """A tensor of the tiny CNN lives on its own scale: start from its min-max range."""
    if st.session_state[KEYS["dist"]] in CNN:
        apply_calibration("minmax")


def apply_preset(name: str) -> None:
    """A preset button: every widget to the preset's settings."""
    put(PRESETS[name])


def apply_calibration(method: str) -> None:
    """Let an observer pick min / max from the chosen data."""
    s = read()
    lo, hi = calibrate(method, sample(s.dist), s)
    st.session_state[KEYS["lo"]], st.session_state[KEYS["hi"]] = lo, hi
    st.session_state[RANGE] = _slider_pair(lo, hi)
    st.session_state["_ex_calibrated"] = (method, lo, hi)


def analyze(s: Settings) -> View:
    """The view's numbers (lesson.analyze), kept per view for every session; read-only for its callers.

    The probed value x is not part of the key: moving it reruns only the page's one-value fragment, which
    finds the view here and computes nothing but x's own code (`probe`).
    """
    return _analyze(replace(s, x=0.0))


@functools.lru_cache(maxsize=256)
def _analyze(s: Settings) -> View:
    """A plain LRU cache: st.cache_data would hash the settings and copy the result on every rerun (~5 ms of
    the explorer's ~30 ms); Settings is frozen, so it is its own key."""
    return lesson.analyze(s)


@functools.lru_cache(maxsize=64)
def _pictures(s: Settings) -> tuple[Staircase, Histogram]:
    v = _analyze(s)
    return lesson.staircase(v), lesson.histogram(v)


def pictures(s: Settings) -> tuple[Staircase, Histogram]:
    """The staircase and histogram data of a view (read-only, cached like analyze)."""
    return _pictures(replace(s, x=0.0))
