"""The shell every page shares: page config, the sidebar (language switch, navigation) and a consistent look.

A page starts with `T = setup_page("<page id>")` (the id of its entry in PAGES, named after the page file), then
writes every visible text as `T("<key>", **fmt)` from `lessons/<page id>/strings.py` (`T("common.<key>")` for the
shared ones in `lessons/common/strings.py`), gives every widget a stable `key=`, shows
figures with `figure(fig, summary, key=...)`, guards sections with `@safe(T)` (under `@st.fragment` if any),
and puts "what the libraries really do" notes through `note(T, key)`.
"""

from __future__ import annotations

import functools
import gc
import importlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

import pandas  # noqa: F401  imported once, here: two sessions' first plotly charts raced on pandas' import
import streamlit as st
from streamlit.errors import StreamlitAPIException

from lessons.i18n import LANG_NAMES, LANGS, Translator, default_lang, t
from ui import layout

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("quantization_lab")

# (page id, file, icon): every lesson of the app; a link is drawn only once its file exists
PAGES = (
    ("home", "app.py", ":material/home:"),
    ("preprocess", "pages/1_Preprocess.py", ":material/image:"),
    ("scale_and_zero_point", "pages/2_Scale_and_zero_point.py", ":material/straighten:"),
    ("ste", "pages/3_STE.py", ":material/trending_flat:"),
    ("qat_training", "pages/4_QAT_training.py", ":material/model_training:"),
    ("predict", "pages/5_Predict.py", ":material/draw:"),
    ("integer_inference", "pages/6_Integer_inference.py", ":material/memory:"),
    ("pytorch_and_tensorflow", "pages/7_PyTorch_and_TensorFlow.py", ":material/compare_arrows:"),
    ("why_defaults", "pages/8_Why_the_defaults.py", ":material/rule:"),
)


T = Translator  # the pages' name for it: `T("title")`, `T("common.formula")`, `T.lang`


def current_lang() -> str:
    """The language picked in the sidebar, or the browser's language on the first visit."""
    lang = st.session_state.get("lang")
    if lang not in LANGS:
        lang = default_lang(st.context.locale)
    return lang


def setup_page(page_id: str) -> T:
    """Configure the page, draw the shared sidebar, and return the translator for this run."""
    lang = current_lang()
    icon = dict((p, i) for p, _, i in PAGES).get(page_id, ":material/school:")
    st.set_page_config(
        page_title=f"{t(f'common.page.{page_id}', lang)} · {t('common.app_name', lang)}",
        page_icon=icon,
        layout="wide",
    )
    # re-assigning a widget's key keeps its value when the user moves to another page
    st.session_state["lang"] = lang
    st.session_state["_last_lang"] = lang
    if page_id != "home":  # a lesson has imported torch and its modules by now; home calls warm_up() last
        freeze_once()
    with st.sidebar:
        st.markdown(f"### {t('common.app_name', lang)}")
        st.segmented_control(
            t("common.language", lang), LANGS, key="lang", format_func=LANG_NAMES.get, on_change=_keep_lang
        )
        lang = current_lang()
        st.markdown(f"**{t('common.lessons', lang)}**")
        for pid, path, picon in PAGES:
            if (ROOT / path).exists():
                _link(path, t(f"common.page.{pid}", lang), picon)
        st.divider()
        st.caption(t("common.sidebar_note", lang))
        html_lang(lang)  # last in the sidebar, where its empty slot shows no gap
        layout.fit_formulas()
    layout.style()  # formulas wrap, labels never truncate, tables fit a phone (ui/layout.py)
    return T(lang, page_id)


def html_lang(lang: str) -> None:
    """Set `<html lang>` to the chosen language, so browsers and screen readers read and shape Japanese as such.

    Streamlit serves one index.html with lang="en"; st.html with JavaScript runs in the page itself (not in an
    iframe). `lang` is one of LANGS, never user text.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    st.html(f'<script>document.documentElement.lang = "{lang}";</script>', unsafe_allow_javascript=True)


def _keep_lang() -> None:
    """After a language switch: keep every choice the user made, and never let the language be cleared."""
    if (
        st.session_state.get("lang") not in LANGS
    ):  # clicking the active option of a segmented control clears it
        st.session_state["lang"] = st.session_state.get("_last_lang", "en")
    st.session_state["_last_lang"] = st.session_state["lang"]
    _reassert_choices()


def _reassert_choices() -> None:
    """Radios, selectboxes and segmented controls remember their choice by its *label* in the browser.

    Once the labels are translated, the browser would send back a label that no longer exists and the
    choice would fall back to the default. Setting each such value again makes Streamlit send it to the
    browser with the new labels. Only str (or list of str) values are touched: buttons, uploads, numbers
    and toggles don't depend on labels (and buttons and uploads may not be set this way).
    """
    for key in list(st.session_state.keys()):
        value = st.session_state[key]
        is_choice = isinstance(value, str) or (
            isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value)
        )
        if key != "lang" and not str(key).startswith("_") and is_choice:
            st.session_state[key] = value


def _link(path: str, label: str, icon: str) -> None:
    """A navigation link; a page that can't be resolved (a page run as the entry point) is skipped, not fatal."""
    try:
        st.page_link(path, label=label, icon=icon)
    except StreamlitAPIException:
        pass


def figure(fig, summary: str, key: str | None = None) -> None:
    """A plotly chart at full width with a short text summary under it (for screen readers and projectors)."""
    st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})
    st.caption(summary)


def safe(T_: T) -> Callable:
    """Decorator: run a page section; an unexpected exception becomes a translated message, not a traceback."""

    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def run(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # the last line of defence: log it, tell the user in their language
                if type(exc).__name__ in ("RerunException", "StopException"):
                    raise
                log.exception("section %s failed", fn.__name__)
                st.error(T_("common.unexpected_error", name=type(exc).__name__))
                return None

        return run

    return wrap


def note(T_: T, key: str) -> None:
    """A 'what the libraries really do' note, drawn the same way on every page."""
    st.info(T_(key), icon=":material/menu_book:")


_warm_lock = threading.Lock()
_warm_started = False


def _first_time() -> bool:
    """True once per server process (the first caller of warm_up or freeze_once)."""
    global _warm_started
    with _warm_lock:
        first, _warm_started = not _warm_started, True
    return first


def freeze_once() -> None:
    """Once per server: gc.freeze() the long-lived objects the server has loaded by now.

    Streamlit runs a full garbage collection after every script run (runner.postScriptGC); walking the
    ~250,000 long-lived objects of torch, pandas and plotly took 60-120 ms a rerun, holding the GIL while the
    page's last messages waited to be sent. Frozen objects are never scanned again (nor freed: they are the
    imported modules, which live as long as the server). A lesson page calls this after its imports.
    """
    if _first_time():
        gc.freeze()


def warm_up() -> None:
    """Once per server, from the end of the home page: import torch in the background, then freeze.

    The home page needs no torch (~2 s to import), so it opens fast; the first lesson then finds it loaded.
    Only torch is imported here, never our own modules: a page thread importing qlib waits for torch's
    import lock and holds nothing torch needs, so the two threads cannot deadlock on import locks.
    """
    if _first_time():
        threading.Thread(target=_import_torch_then_freeze, name="warm-up", daemon=True).start()


def _import_torch_then_freeze() -> None:
    importlib.import_module("torch")
    gc.freeze()
