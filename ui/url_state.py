"""Every page's settings in its URL: a shared link opens the same view, a hand-edited one is tamed, never fatal.

A page declares the widgets its URL carries, once, and hands them to `setup_page(page_id, url=...)`:

    URL = Fields(Int("bits", "ste_bits", 3, 2, 8), Choice("lr", "ste_fit_lr", 0.5, (0.05, 0.1, 0.5)))

Each `Param` names a URL parameter, the widget key it drives, its default and what a valid value is. The shell
then, on every full run (ui.shell.setup_page):
- fills each declared widget key that is not in the session yet (the page has just been opened: a new
  session, a reload, a shared link, or a return from another page) from the URL, else from this session's
  last visit, else the default; a value that can't be used is replaced, with a message in the current language;
- writes the view back into the URL (`st.query_params`): only the values that differ from the defaults,
  plus the shell's own `lang`, `present` and `lock`, so the address bar is always the shareable link;
- hides the controls a `?lock=name,name` (or `lock=all`) names (one CSS rule per widget key, see `lock_css`).
Sections rerun alone (`@st.fragment`) write the URL too: `ui.shell.safe` calls `sync()` after each section.

A page whose settings depend on each other (the scale page's range slider and bounds) brings its own `Codec`
(ui/explorer_state.py); the shell treats both the same way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import streamlit as st

Message = tuple[str, dict]  # an i18n key (a page's or "common.…") and its format arguments
MAX_RAW = 40  # a URL value longer than this is cut before it is read (and shown in a message)
CODEC = "_url_codec"  # the codec of the page this run draws
LOCKED = "_url_locked"  # {page id: the URL names its link locks}
SHELL_NAMES = ("lang", "present", "lock")  # the shell's own URL parameters, kept on every page


def fmt(v: object) -> str:
    """A value as a URL writes it: 0 / 1 for a switch, up to 6 significant digits for a number."""
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, float):
        return format(v, ".6g")
    return str(v)


@dataclass(frozen=True)
class Param:
    """One URL parameter: its name, the widget key it drives, its default, and what a valid value is.

    kind: "int" / "float" (within lo … hi; out-of-range values are clamped), "bool" (1/0/true/false),
    "choice" (one of options, matched by its URL form).
    """

    name: str
    key: str
    default: Any
    kind: str
    lo: float | None = None
    hi: float | None = None
    options: tuple = ()

    def parse(self, raw: str) -> tuple[Any, str | None]:
        """(value, None) for a good raw value; (a usable value, message key) for a bad one."""
        raw = raw.strip()[:MAX_RAW]
        if self.kind == "choice":
            for o in self.options:
                if fmt(o) == raw:
                    return o, None
            return self.default, "common.url.invalid"
        if self.kind == "bool":
            m = {"1": True, "true": True, "0": False, "false": False}
            return (m[raw.lower()], None) if raw.lower() in m else (self.default, "common.url.invalid")
        try:
            v = float(raw)
        except ValueError:
            return self.default, "common.url.invalid"
        if not math.isfinite(v) or (self.kind == "int" and v != int(v)):
            return self.default, "common.url.invalid"
        c = min(max(v, self.lo), self.hi)
        value = int(c) if self.kind == "int" else float(c)
        return value, (None if c == v else "common.url.clamped")

    def valid(self, value: object) -> bool:
        """Whether a session value is one this widget can show (a stale or hostile one is replaced)."""
        if self.kind == "choice":
            return value in self.options
        if self.kind == "bool":
            return isinstance(value, bool)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        return math.isfinite(value) and self.lo <= value <= self.hi


def Int(name: str, key: str, default: int, lo: int, hi: int) -> Param:  # noqa: N802 - reads as a type
    """A whole number in lo … hi (a slider, a number input)."""
    return Param(name, key, default, "int", lo, hi)


def Float(name: str, key: str, default: float, lo: float, hi: float) -> Param:  # noqa: N802
    """A finite number in lo … hi."""
    return Param(name, key, default, "float", lo, hi)


def Bool(name: str, key: str, default: bool) -> Param:  # noqa: N802
    """A switch (toggle, checkbox): 1 / 0 in the URL."""
    return Param(name, key, default, "bool")


def Choice(name: str, key: str, default: Any, options: Sequence) -> Param:  # noqa: N802
    """One of `options` (a radio, selectbox, segmented control or select slider)."""
    options = tuple(options)
    return Param(name, key, default if default in options else options[0], "choice", options=options)


class Codec(Protocol):
    """What the shell needs from a page's URL state: load it, write it, reset it, and which widgets to lock."""

    def controls(self) -> Mapping[str, tuple[str, ...]]:
        """URL (lock) name -> the widget keys it hides when locked."""
        ...

    def load(self, query: Mapping[str, list[str]]) -> list[Message]:
        """Bring the URL (or the session's last visit, or the defaults) into the widgets' keys that are missing."""
        ...

    def query(self) -> dict[str, str]:
        """The page's part of the URL now: its settings that differ from the defaults."""
        ...

    def reset(self) -> None:
        """Every widget back to its default (a button callback)."""
        ...


@dataclass(frozen=True)
class Fields:
    """The usual codec: independent widgets, each one a `Param` (see the module docstring)."""

    params: tuple[Param, ...]
    extra: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # lockable controls with no URL value

    def __init__(self, *params: Param, extra: Mapping[str, tuple[str, ...]] | None = None) -> None:
        object.__setattr__(self, "params", tuple(params))
        object.__setattr__(self, "extra", dict(extra or {}))

    @property
    def _saved(self) -> str:
        return "_url_saved_" + "|".join(p.key for p in self.params)

    def controls(self) -> dict[str, tuple[str, ...]]:
        return {**{p.name: (p.key,) for p in self.params}, **self.extra}

    def load(self, query: Mapping[str, list[str]]) -> list[Message]:
        saved, msgs = st.session_state.get(self._saved, {}), []
        for p in self.params:
            if p.key in st.session_state and p.valid(st.session_state[p.key]):
                continue
            value = saved.get(p.key, p.default)
            vals = query.get(p.name) or []
            if vals:
                if len(vals) > 1:
                    msgs.append(("common.url.repeated", {"name": p.name, "value": vals[-1][:MAX_RAW]}))
                value, msg = p.parse(vals[-1])
                if msg:
                    msgs.append(
                        (msg, {"name": p.name, "value": vals[-1].strip()[:MAX_RAW], "used": fmt(value)})
                    )
            st.session_state[p.key] = value if p.valid(value) else p.default
        return msgs

    def values(self) -> dict[str, Any]:
        """The current value of every declared widget (its last known one while it is not drawn)."""
        saved = st.session_state.get(self._saved, {})
        out = {}
        for p in self.params:
            v = st.session_state.get(p.key, saved.get(p.key, p.default))
            out[p.key] = v if p.valid(v) else p.default
        return out

    def query(self) -> dict[str, str]:
        values = self.values()
        st.session_state[self._saved] = values
        return {p.name: fmt(values[p.key]) for p in self.params if values[p.key] != p.default}

    def reset(self) -> None:
        for p in self.params:
            st.session_state[p.key] = p.default
        st.session_state[self._saved] = {}


NO_URL = Fields()  # a page with nothing to share but the language


def read_query() -> dict[str, list[str]]:
    """The URL's parameters now, every value of each (a repeated name is the link's problem, said later)."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def parse_lock(raw: list[str], names: Sequence[str]) -> tuple[tuple[str, ...], list[Message]]:
    """The names `?lock=a,b` (or `lock=all`) locks among this page's `names`; unknown ones give a message."""
    asked = [n.strip() for v in raw for n in v[:400].split(",") if n.strip()]
    if "all" in asked:
        return tuple(names), []
    known = tuple(dict.fromkeys(n for n in asked if n in names))
    unknown = [n[:MAX_RAW] for n in asked if n not in names]
    msgs = [("common.url.lock_unknown", {"names": ", ".join(unknown)})] if unknown else []
    return known, msgs


def lock_css(keys: Sequence[str]) -> str:
    """CSS hiding the widgets with these keys (Streamlit gives each keyed element the class `st-key-<key>`)."""
    safe = [k for k in keys if k.replace("_", "").isalnum()]
    if not safe:
        return ""
    return ", ".join(f".st-key-{k}" for k in safe) + " { display: none !important; }"


def codec() -> Codec:
    """The codec of the page being drawn (NO_URL outside a page)."""
    return st.session_state.get(CODEC, NO_URL)


def locked(page_id: str) -> tuple[str, ...]:
    """The URL names the link locks on this page."""
    return st.session_state.get(LOCKED, {}).get(page_id, ())


def set_locked(page_id: str, names: tuple[str, ...]) -> None:
    """Remember what this page's link locks, for the rest of the visit."""
    st.session_state[LOCKED] = {**st.session_state.get(LOCKED, {}), page_id: names}


def sync(shell: Mapping[str, str] | None = None) -> None:
    """Write the view into the URL: the shell's parameters and the page's settings (only when they changed)."""
    if shell is None:
        shell = st.session_state.get("_url_shell", {})
    else:
        st.session_state["_url_shell"] = dict(shell)
    try:
        q = {**shell, **codec().query()}
    except Exception:  # a page's URL must never break the page; the address bar just keeps the last link
        return
    if st.query_params.to_dict() != q:
        st.query_params.from_dict(q)
