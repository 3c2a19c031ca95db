"""The explorer's settings in session state and in the URL: a shared link restores the view, a bad one is tamed.

The widgets' keys are the source of truth during a visit; the URL mirrors the view after every run. When the
page opens (a new session, a reload, a shared or hand-edited link), the URL is read, checked and applied.
A typed range that is not a range (min > max) stays in the inputs as typed; the view keeps the last valid one.
"""

from __future__ import annotations

import functools
from dataclasses import fields, replace

import plotly.graph_objects as go
import streamlit as st

from lessons.i18n import Translator
from lessons.scale_and_zero_point import figures, lesson
from lessons.scale_and_zero_point.distributions import CNN, sample
from lessons.scale_and_zero_point.lesson import Histogram, Staircase, View, calibrate, calibration_note
from lessons.scale_and_zero_point.settings import (
    PRESETS,
    SLIDER,
    Message,
    Settings,
    normalize,
    parse_query,
    range_problem,
)
from ui import url_state

KEYS = {f.name: f"ex_{f.name}" for f in fields(Settings)}  # bits -> ex_bits, lo -> ex_lo, ...
RANGE = "ex_range"
SAVED = "_ex_saved"  # the last valid view of this session
CALIBRATED = "_ex_calibrated"  # a calibration's message, shown once


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


URL_NAMES = tuple(Settings().to_query())  # bits, mode, signed, narrow, zero, min, max, dist, x


def load(query: dict[str, list[str]] | None = None) -> list[Message]:
    """Bring the settings in when the page opens: from the URL (a shared or hand-edited link), else from the
    last visit in this session, else the defaults. While the page is open the widgets lead and the URL follows:
    a rerun may carry a URL the browser has not yet updated, and must not undo the user's last move.
    """
    if all(k in st.session_state for k in (*KEYS.values(), RANGE)):
        return []
    if query is None:
        query = {k: st.query_params.get_all(k) for k in st.query_params}
    params = {k: v for k, v in query.items() if k in URL_NAMES}  # lang, present, lock: the shell's
    if params:
        s, msgs = parse_query(params)
        put(s)
        return msgs
    put(st.session_state.get(SAVED, PRESETS["seed"]))
    return []


def typed() -> Settings:
    """The settings the widgets hold now, made safe but kept as typed (min may be above max)."""
    d = {name: st.session_state.get(key, getattr(Settings(), name)) for name, key in KEYS.items()}
    return normalize(Settings(**d))


def read() -> tuple[Settings, Message | None]:
    """The settings to show and what is wrong with the typed ones: a bad range shows the last valid range."""
    s = typed()
    problem = range_problem(s)
    if problem:
        last = st.session_state.get(SAVED, PRESETS["seed"])
        s = replace(s, lo=last.lo, hi=last.hi)
    return s, problem


def save(s: Settings) -> None:
    """Remember a valid view and mirror it into the URL (so the address bar is a shareable link)."""
    st.session_state[SAVED] = s
    url_state.sync()


class ExplorerCodec:
    """The explorer's URL state for the shell (ui/url_state.py): its own parser, since its settings interlock."""

    def controls(self) -> dict[str, tuple[str, ...]]:
        """URL name -> the widgets `?lock=` hides; `presets` and `calibrate` lock the buttons that move them."""
        keys = {name: (KEYS[f.name],) for name, f in zip(URL_NAMES, fields(Settings), strict=True)}
        keys["min"] = keys["max"] = (KEYS["lo"], KEYS["hi"], RANGE)
        keys["presets"] = tuple(f"ex_preset_{n}" for n in PRESETS)
        keys["calibrate"] = tuple(f"ex_cal_{m}" for m in ("minmax", "percentile", "mse"))
        return keys

    def load(self, query: dict[str, list[str]]) -> list[Message]:
        return load(query)

    def query(self) -> dict[str, str]:
        """The last valid view's settings that differ from the defaults (all of them stay readable in a link)."""
        s = st.session_state.get(SAVED)
        if s is None:
            return {}
        default = Settings().to_query()
        return {k: v for k, v in s.to_query().items() if default[k] != v}

    def reset(self) -> None:
        put(PRESETS["seed"])
        st.session_state[SAVED] = PRESETS["seed"]


CODEC = ExplorerCodec()


# ---- callbacks (they run before the script, so they may set widget values)


def on_range() -> None:
    """The range slider moved: copy it into the exact number inputs."""
    st.session_state[KEYS["lo"]], st.session_state[KEYS["hi"]] = (float(v) for v in st.session_state[RANGE])


def on_bounds() -> None:
    """A number input changed: move the slider along when the two make a range; else leave both as typed."""
    lo, hi = st.session_state[KEYS["lo"]], st.session_state[KEYS["hi"]]
    if lo <= hi:
        st.session_state[RANGE] = _slider_pair(lo, hi)


def on_signed() -> None:
    """Unsigned codes have no narrow range: switch it off with signed, so no hidden state waits for later."""
    if not st.session_state[KEYS["signed"]]:
        st.session_state[KEYS["narrow"]] = False


def on_mode() -> None:
    """Symmetric codes are usually signed (weights), asymmetric ones unsigned (activations)."""
    st.session_state[KEYS["signed"]] = st.session_state[KEYS["mode"]] == "sym"
    on_signed()


def on_dist() -> None:
    """A tensor of the tiny CNN lives on its own scale: start from its min-max range."""
    if st.session_state[KEYS["dist"]] in CNN:
        apply_calibration("minmax")


def apply_preset(name: str) -> None:
    """A preset button: every widget to the preset's settings."""
    put(PRESETS[name])


def apply_calibration(method: str) -> None:
    """Let an observer pick min / max from the chosen data, and say what that did to the error."""
    s, _ = read()
    lo, hi = calibrate(method, sample(s.dist), s)
    st.session_state[KEYS["lo"]], st.session_state[KEYS["hi"]] = lo, hi
    st.session_state[RANGE] = _slider_pair(lo, hi)
    st.session_state[CALIBRATED] = (method, calibration_note(analyze(s), analyze(replace(s, lo=lo, hi=hi))))


def calibrated() -> tuple[str, Message] | None:
    """The last calibration's method and message, once."""
    return st.session_state.pop(CALIBRATED, None)


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


FIGURES = ("line", "stair", "hist")  # the number line, the staircase, the histogram


def figure(kind: str, s: Settings, T: Translator) -> go.Figure:
    """One of the view's three figures in T's language, built once per view and language (read-only, as
    analyze): with a class on the page most moves land on views already drawn, and building a figure costs a
    good share of a rerun."""
    return _figure(kind, replace(s, x=0.0), T.lang, T.namespace)


@functools.lru_cache(maxsize=3 * 64)
def _figure(kind: str, s: Settings, lang: str, namespace: str) -> go.Figure:
    v, T = _analyze(s), Translator(lang, namespace)
    if kind == "line":
        return figures.number_line(v, T)
    stairs, hist = _pictures(s)
    return figures.staircase(stairs, v, T) if kind == "stair" else figures.histogram(hist, v, T)
