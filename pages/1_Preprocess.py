"""Lesson 1: a picture's uint8 pixels become the float32 numbers the network reads."""

import numpy as np
import pandas as pd
import streamlit as st

from lessons.common.text import real
from lessons.preprocess import figures, lesson
from lessons.preprocess import questions as q
from ui.image_input import image_uploader
from ui.questions import ask
from ui.shell import figure, note, page_end, safe, setup_page, table
from ui.url_state import Choice, Fields, Int

URL = Fields(
    Int("row", "pp_row", 0, 0, 100_000),
    Int("col", "pp_col", 0, 0, 100_000),
    Choice("mode", "pp_mode", lesson.MODES[0], lesson.MODES),
)
T = setup_page("preprocess", url=URL)


@st.cache_data(max_entries=32, show_spinner=False)
def open_upload(data: bytes) -> tuple[np.ndarray | None, str | None]:
    return lesson.open_upload(data)


@st.cache_data(show_spinner=False)
def sample_image() -> np.ndarray:
    return lesson.sample_image()


def keep_inside(key: str, n: int) -> int:
    """A pixel slider's upper end; a new, smaller picture brings the pixel back inside it."""
    top = max(n - 1, 1)
    if not 0 <= st.session_state.get(key, 0) <= top:
        st.session_state[key] = 0
    st.session_state.setdefault(key, 0)
    return top


st.title(T("title"))
st.markdown(T("intro"))

st.subheader(T("picture_h"))
up = image_uploader(T, T("upload"), T("upload_help"), key="pp_upload")
img, err = open_upload(up.getvalue()) if up is not None else (None, None)
if err:
    st.error(T(f"common.image_error.{err}"), icon=":material/broken_image:")
if img is None:
    img = sample_image()
    st.caption(T("using_sample"))
h, w = img.shape[:2]

ask(T, q.PIXEL)
left, right = st.columns([2, 3], gap="large")
with left:
    st.image(lesson.thumbnail(img), caption=T("picture_caption", w=w, h=h), width="stretch")
with right:
    st.markdown(T("pixel_pick"))
    row = st.slider(T("row"), 0, keep_inside("pp_row", h), key="pp_row")
    col = st.slider(T("col"), 0, keep_inside("pp_col", w), key="pp_col")
    p = lesson.pixel(img, row, col)
    st.markdown(T("pixel_path", **p.path_args()))
    st.latex(p.formula)


@safe(T)
def histograms() -> None:
    """The pixel values before and after the chosen convention."""
    st.subheader(T("hist_h"))
    mode = st.radio(
        T("mode"),
        lesson.MODES,
        key="pp_mode",
        horizontal=True,
        format_func=lambda m: T(f"mode.{m}"),
        help=T("mode_help"),
    )
    hs = lesson.histograms(img, mode)
    a, b = st.columns(2)
    with a:
        fig = figures.channel_histograms(hs.before, hs.before_edges, T("fig.before"), T("fig.before_x"), T)
        figure(fig, T("fig.before_summary"), key="pp_fig_before")
    with b:
        fig = figures.channel_histograms(hs.after, hs.after_edges, T("fig.after"), T(f"mode.{mode}"), T)
        figure(fig, T("fig.after_summary", lo=real(hs.lo, ".3f"), hi=real(hs.hi, ".3f")), key="pp_fig_after")
    st.markdown(T("same_shape"))


ask(T, q.MODE)
histograms()


@safe(T)
def layouts() -> None:
    """HWC against CHW: the same numbers, stored in a different order."""
    st.subheader(T("layout_h"))
    lay = lesson.layouts(img)
    a, b = st.columns(2)
    a.metric(T("hwc"), lay.shape_text(lay.hwc_shape), help=T("hwc_help"))
    a.caption(T("first_values", v=list(lay.hwc_first)))
    b.metric(T("chw"), lay.shape_text(lay.chw_shape), help=T("chw_help"))
    b.caption(T("first_values", v=list(lay.chw_first)))
    st.markdown(T("layout_text"))


layouts()


@safe(T)
def input_code() -> None:
    """x/127.5 − 1 is itself an affine map; its zero point 127.5 is not an integer."""
    st.subheader(T("affine_h"))
    st.markdown(T("affine_text"))
    rows = pd.DataFrame(
        [[T(f"scheme.{c.name}"), c.scale_text, c.zero_point] for c in lesson.input_codes()],
        columns=[T("col.scheme"), T("col.scale"), T("col.zp")],
    ).set_index(T("col.scheme"))
    table(rows, key="preprocess_codes")
    st.markdown(T("affine_after", raw=f"{lesson.observer_raw_zero_point():.8f}", **p.codes_args()))


ask(T, q.ZERO_POINT)
input_code()


@safe(T)
def decode() -> None:
    """decode_predictions: what it returns, and that it only sorts unless told the scores are logits."""
    st.subheader(T("decode_h"))
    st.markdown(T("decode_text"))
    d = lesson.decoded(T.lang)
    st.code(d.logits_code, language="python")
    a, b = st.columns(2)
    with a:
        st.markdown(T("decode_logits"))
        st.code(d.from_logits, language="python")
    with b:
        st.markdown(T("decode_raw"))
        st.code(d.as_given, language="python")


decode()

with st.expander(T("common.libraries_say"), expanded=True):
    note(T, "note.mnv3")
    note(T, "note.mnv2")
    note(T, "note.tflite")
    note(T, "note.decode")

page_end(T)
