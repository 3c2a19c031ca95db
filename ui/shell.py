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
import re
import threading
from collections.abc import Callable
from pathlib import Path

import pandas  # noqa: F401  imported once, here: two sessions' first plotly charts raced on pandas' import
import streamlit as st
from streamlit.errors import StreamlitAPIException

from lessons.i18n import LANG_NAMES, LANGS, Translator, default_lang, t
from ui import layout, url_state

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


PRESENT = "present"  # the presenter-mode toggle's key (and URL flag ?present=1)
NAV_CLOSE_PX = 768  # Streamlit's "md" breakpoint: at or below it the sidebar lies over the page


def current_lang() -> str:
    """The language picked in the sidebar; on a visit's first run the link's `?lang=`, else the browser's."""
    lang = st.session_state.get("lang")
    if lang not in LANGS:
        asked = st.query_params.get("lang")
        lang = asked if asked in LANGS else default_lang(st.context.locale)
    return lang


def presenting() -> bool:
    """Presenter mode: the sidebar's toggle, or on a visit's first run the link's `?present=1`."""
    on = st.session_state.get(PRESENT)
    if not isinstance(on, bool):
        on = st.query_params.get(PRESENT, "0").strip().lower() in ("1", "true")
    return on


def setup_page(page_id: str, url: url_state.Codec | None = None) -> T:
    """Configure the page, draw the shared sidebar, bring the page's settings in from its URL, return the translator.

    `url` declares the widgets the page's link carries (ui/url_state.py: `Fields(Int(...), ...)` or a page's own
    codec); the language, presenter mode and `?lock=` work on every page.
    """
    lang, present = current_lang(), presenting()
    msgs: list[url_state.Message] = []
    if "lang" not in st.session_state and "lang" in st.query_params and st.query_params["lang"] not in LANGS:
        msgs.append(
            ("common.url.invalid", {"name": "lang", "value": st.query_params["lang"][:40], "used": lang})
        )
    icon = dict((p, i) for p, _, i in PAGES).get(page_id, ":material/school:")
    st.set_page_config(
        page_title=f"{t(f'common.page.{page_id}', lang)} · {t('common.app_name', lang)}",
        page_icon=icon,
        layout="wide",
        initial_sidebar_state="collapsed" if present else "auto",
    )
    # re-assigning a widget's key keeps its value when the user moves to another page
    st.session_state["lang"] = lang
    st.session_state["_last_lang"] = lang
    st.session_state[PRESENT] = present
    if page_id != "home":  # a lesson has imported torch and its modules by now; home calls warm_up() last
        freeze_once()
    codec = url if url is not None else url_state.NO_URL
    st.session_state[url_state.CODEC] = codec
    query = url_state.read_query()
    if "lock" in query:  # a link's lock holds for this page for the rest of the visit
        names, lock_msgs = url_state.parse_lock(query["lock"], tuple(codec.controls()))
        url_state.set_locked(page_id, names)
        msgs += lock_msgs
    msgs += codec.load(query)
    with st.sidebar:
        st.markdown(f"### {t('common.app_name', lang)}")
        st.segmented_control(
            t("common.language", lang), LANGS, key="lang", format_func=LANG_NAMES.get, on_change=_keep_lang
        )
        lang = current_lang()
        st.toggle(t("common.present", lang), key=PRESENT, help=t("common.present_help", lang))
        present = st.session_state[PRESENT]
        st.markdown(f"**{t('common.lessons', lang)}**")
        for pid, path, picon in PAGES:
            if (ROOT / path).exists():
                _link(path, t(f"common.page.{pid}", lang), picon, lang)
        st.divider()
        if url is not None and codec.controls():
            st.button(
                t("common.reset", lang),
                key="shell_reset",
                on_click=_reset,
                args=(page_id,),
                icon=":material/restart_alt:",
                help=t("common.reset_help", lang),
            )
        st.caption(t("common.sidebar_note", lang))
        html_lang(lang)  # last in the sidebar, where its empty slot shows no gap
        _page_css(present, _locked_keys(page_id, codec))
        layout.fit_formulas()
    lock = url_state.locked(page_id)
    shell = {
        "lang": lang,
        **({PRESENT: "1"} if present else {}),
        **({"lock": ",".join(lock)} if lock else {}),
    }
    url_state.sync(shell)
    T_ = T(lang, page_id)
    for key, fmt in msgs:
        st.warning(T_(key, **fmt), icon=":material/link:")
    if lock:
        st.caption(T_("common.locked", names=T_.listed(lock)))
    layout.style()  # formulas wrap, labels never truncate, tables fit a phone (ui/layout.py)
    return T_


def _locked_keys(page_id: str, codec: url_state.Codec) -> list[str]:
    controls = codec.controls()
    return [k for name in url_state.locked(page_id) for k in controls.get(name, ())]


def _reset(page_id: str) -> None:
    """The "reset this page" button: every setting of the page to its default (locked ones too: the link's
    values come back with a reload), and its settings out of the URL."""
    url_state.codec().reset()
    for name in [k for k in st.query_params if k not in url_state.SHELL_NAMES]:
        del st.query_params[name]


# one style sheet for every page: contrast, presenter mode, the lock. Streamlit draws captions at 60 % opacity
# (4.1:1 on white at 14 px) and plotly's tick labels and axis titles in its grey #808495 (3.7:1): both get a
# solid #4B5563 here (7.6:1 on white, 7.0:1 on the sidebar's #F3F6F9). An !important rule beats plotly's inline
# fill, and costs the server nothing (a figure stays as the lessons build it).
BASE_CSS = """
[data-testid="stCaptionContainer"] { opacity: 1 !important; color: #4B5563 !important; }
[data-testid="stCaptionContainer"] p { color: #4B5563 !important; }
.js-plotly-plot .xtick text, .js-plotly-plot .ytick text, .js-plotly-plot .g-xtitle text,
.js-plotly-plot .g-ytitle text, .js-plotly-plot .legendtext, .js-plotly-plot .cbaxis text,
.js-plotly-plot .legendtitletext { fill: #4B5563 !important; }
"""
PRESENT_CSS = """
html { font-size: 118%; }
@media (min-width: 769px) {
  [data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 2rem; padding-right: 2rem; }
}
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
"""


def _page_css(present: bool, locked_keys: list[str]) -> None:
    css = BASE_CSS + (PRESENT_CSS if present else "") + url_state.lock_css(locked_keys)
    st.html(f"<style>{css}</style>")
    st.html(_SCRIPT, unsafe_allow_javascript=True)


# In the page itself (st.html runs scripts outside iframes), once per browser tab:
# - the sidebar's icons are ligature text ("home", "straighten"): aria-hidden, so a screen reader reads the label;
# - on a narrow screen the sidebar lies over the page; Streamlit's own navigation closes it after a choice
#   (only for a mobile user agent), our translated st.page_link menu does not: a click on a lesson link there
#   presses the sidebar's own collapse button, as a person would;
# - plotly's toolbar buttons are out of the Tab order (a chart's toolbar appears on hover, on demand).
_SCRIPT = f"""<script>
(() => {{
  if (window.__qlShell) return; window.__qlShell = true;
  const doc = window.parent?.document || document;
  const quiet = () => {{
    doc.querySelectorAll('[data-testid="stIconMaterial"]:not([aria-hidden])').forEach(e => e.setAttribute('aria-hidden', 'true'));
    doc.querySelectorAll('.modebar-btn:not([tabindex="-1"])').forEach(e => e.setAttribute('tabindex', '-1'));
  }};
  new MutationObserver(quiet).observe(doc.body, {{childList: true, subtree: true}});
  quiet();
  doc.addEventListener('click', ev => {{
    const link = ev.target.closest?.('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]');
    if (!link || window.innerWidth > {NAV_CLOSE_PX}) return;
    setTimeout(() => doc.querySelector('[data-testid="stSidebarCollapseButton"] button')?.click(), 0);
  }}, true);
}})();
</script>"""


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


def _link(path: str, label: str, icon: str, lang: str, **kw) -> None:
    """A navigation link that carries the language (and presenter mode), so a link opened in a new tab keeps them;
    a page that can't be resolved (a page run as the entry point) is skipped, not fatal."""
    q = {"lang": lang, **({PRESENT: "1"} if st.session_state.get(PRESENT) is True else {})}
    try:
        st.page_link(path, label=label, icon=icon, query_params=q, **kw)
    except StreamlitAPIException:
        pass


def page_end(T_: T) -> None:
    """The previous and next lessons (in PAGES order, among the pages that exist), at the end of every page."""
    here = [p for p in PAGES if (ROOT / p[1]).exists()]
    ids = [p[0] for p in here]
    if T_.namespace not in ids:
        return
    i = ids.index(T_.namespace)
    st.divider()
    left, right = st.columns(2)
    if i > 0:
        pid, path, _ = here[i - 1]
        with left:
            _link(path, T_("common.prev", page=T_(f"common.page.{pid}")), ":material/arrow_back:", T_.lang)
    if i + 1 < len(here):
        pid, path, _ = here[i + 1]
        with right, st.container(horizontal=True, horizontal_alignment="right"):
            _link(path, T_("common.next", page=T_(f"common.page.{pid}")), ":material/arrow_forward:", T_.lang)


def figure(fig, summary: str, key: str | None = None) -> None:
    """A plotly chart at full width with a short text summary under it (for screen readers and projectors).

    Its toolbar shows only on demand: on hover with a mouse, never on a phone (where it covered titles and
    legends); its buttons are out of the Tab order (see _SCRIPT).
    """
    st.plotly_chart(_drawn(fig), width="stretch", key=key, config=chart_config(_touch()))
    st.caption(summary)


def _drawn(fig):
    """The figure with its dict form computed once and kept: st.plotly_chart calls `fig.to_dict()` on every
    rerun (streamlit/elements/plotly_chart.py, through plotly.tools.return_figure_from_figure_or_data), which
    deep-copies every array and re-encodes it in base64 (plotly/basedatatypes.py, BaseFigure.to_dict), about a
    fifth of a slider move's server time on the explorer, whose figures come from a cache. A figure handed to
    `figure` is finished: nothing changes it after it is drawn."""
    if "to_dict" not in fig.__dict__:
        spec = fig.to_dict()
        for trace in spec["data"]:
            trace.pop("uid", None)  # what plotly.io.to_json would drop from it on every call: now read-only
        fig.to_dict = lambda: spec
    return fig


def metrics_row(key: str, gap: str = "medium"):
    """A row for metrics drawn with `width="content"`: each as wide as its number, wrapping to a new line in a
    narrow column; one block for the browser, where `st.columns` sends one per metric and one for the row."""
    return st.container(horizontal=True, gap=gap, key=key)


def table(data, key: str, height: int | None = None) -> None:
    """A static table (`st.table`) in a container with a stable key: on a phone it wraps its cells (ui/layout.py)
    where a dataframe scrolls sideways; tests and the browser find it by its key.

    `height`: a long table scrolls up and down inside a box of that many pixels (never sideways).
    """
    with st.container(key=key, height=height if height is not None else "content"):
        st.table(data)


def chart_config(touch: bool) -> dict:
    """Plotly's config for our charts: no logo; the toolbar on hover, or none on a touch screen."""
    return {"displaylogo": False, "displayModeBar": False if touch else "hover"}


def _touch() -> bool:
    """A phone or tablet, by its user agent (the server knows no screen size)."""
    try:
        ua = (st.context.headers.get("User-Agent") or "").lower()
    except Exception:  # no browser behind this run (a test)
        return False
    return any(w in ua for w in ("mobi", "android", "iphone", "ipad"))


def safe(T_: T) -> Callable:
    """Decorator: run a page section; an unexpected exception becomes a translated message, not a traceback."""

    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def run(*args, **kwargs):
            try:
                out = fn(*args, **kwargs)
                url_state.sync()  # a section rerun alone (a fragment) still writes its settings into the URL
                return out
            except Exception as exc:  # the last line of defence: log it, tell the user in their language
                if type(exc).__name__ in ("RerunException", "StopException"):
                    raise
                log.exception("section %s failed", fn.__name__)
                st.error(T_("common.unexpected_error", name=type(exc).__name__))
                return None

        return run

    return wrap


def note(T_: T, key: str) -> None:
    """A 'what the libraries really do' note, drawn the same way on every page; folded in presenter mode."""
    if presenting():
        text = T_(key)
        head = re.match(r"\*\*(.+?)[.:。：]?\*\*", text)  # a note starts with its subject in bold
        with st.expander(head.group(1) if head else T_("common.note_fold"), icon=":material/menu_book:"):
            st.markdown(text)
        return
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
