"""Lesson 1: a picture's uint8 pixels become the float32 numbers the network reads."""

import numpy as np
import streamlit as st

from lessons.preprocess import figures as viz
from lessons.preprocess import lesson as pp
from qlib.data import UPLOAD_TYPES
from ui.shell import figure, note, safe, setup_page

T = setup_page("preprocess")


@st.cache_data(max_entries=32, show_spinner=False)
def open_upload(data: bytes) -> tuple[np.ndarray | None, str | None]:
    return pp.open_upload(data)


@st.cache_data(show_spinner=False)
def sample_image() -> np.ndarray:
    return pp.sample_image()


st.title(T("title"))
st.markdown(T("intro"))

# ---- the picture
st.subheader(T("picture_h"))
up = st.file_uploader(T("upload"), type=list(UPLOAD_TYPES), key="pp_upload", help=T("upload_help"))
img, err = open_upload(up.getvalue()) if up is not None else (None, None)
if err:
    st.error(T(f"common.image_error.{err}"), icon=":material/broken_image:")
if img is None:
    img = sample_image()
    st.caption(T("using_sample"))
h, w = img.shape[:2]

left, right = st.columns([2, 3], gap="large")
with left:
    st.image(pp.thumbnail(img), caption=T("picture_caption", w=w, h=h), width="stretch")
with right:
    st.markdown(T("pixel_pick"))
    for k, n in (("pp_row", h), ("pp_col", w)):  # a new, smaller picture: bring the pixel back inside it
        if not 0 <= st.session_state.get(k, 0) <= max(n - 1, 1):
            st.session_state[k] = 0
        st.session_state.setdefault(k, 0)
    row = st.slider(T("row"), 0, max(h - 1, 1), key="pp_row")
    col = st.slider(T("col"), 0, max(w - 1, 1), key="pp_col")
    p = pp.pixel(img, row, col)
    st.markdown(
        T(
            "pixel_path",
            r=p["row"],
            c=p["col"],
            u8=p["uint8"],
            f32=", ".join(f"{v:.1f}" for v in p["float"]),
            tf=", ".join(f"{v:.4f}" for v in p["tf"]),
            torch=", ".join(f"{v:.4f}" for v in p["torch"]),
        )
    )
    st.latex(pp.pixel_formula(p))


@safe(T)
def histograms() -> None:
    """The pixel values before and after the chosen convention."""
    st.subheader(T("hist_h"))
    mode = st.radio(
        T("mode"),
        pp.MODES,
        key="pp_mode",
        horizontal=True,
        format_func=lambda m: T(f"mode.{m}"),
        help=T("mode_help"),
    )
    after = pp.normalize(img, mode)
    a, b = st.columns(2)
    with a:
        figure(
            viz.channel_histograms(img, pp.hist_edges(None), T("fig.before"), T("fig.before_x"), T),
            T("fig.before_summary"),
            key="pp_fig_before",
        )
    with b:
        figure(
            viz.channel_histograms(after, pp.hist_edges(mode), T("fig.after"), T(f"mode.{mode}"), T),
            T("fig.after_summary", lo=f"{float(after.min()):.3f}", hi=f"{float(after.max()):.3f}"),
            key="pp_fig_after",
        )
    st.markdown(T("same_shape"))


histograms()


@safe(T)
def layouts() -> None:
    """HWC against CHW: the same numbers, stored in a different order."""
    st.subheader(T("layout_h"))
    lay = pp.layouts(img)
    a, b = st.columns(2)
    a.metric(T("hwc"), " × ".join(map(str, lay["hwc_shape"])), help=T("hwc_help"))
    a.caption(T("first_values", v=lay["hwc_first"]))
    b.metric(T("chw"), " × ".join(map(str, lay["chw_shape"])), help=T("chw_help"))
    b.caption(T("first_values", v=lay["chw_first"]))
    st.markdown(T("layout_text"))


layouts()


@safe(T)
def input_code() -> None:
    """x/127.5 − 1 is itself an affine map; its zero point 127.5 is not an integer."""
    st.subheader(T("affine_h"))
    st.markdown(T("affine_text"))
    rows = [
        {
            T("col.scheme"): T(f"scheme.{c['name']}"),
            T("col.scale"): c["scale_text"],
            T("col.zp"): str(c["zero_point"]),
        }
        for c in pp.input_codes()
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    obs = pp.input_codes()[1]
    st.markdown(
        T(
            "affine_after",
            raw=f"{obs['raw']:.8f}",
            u8=p["uint8"],
            obs=p["code_observer"],
            tfl=p["code_tflite"],
        )
    )


input_code()


@safe(T)
def decode() -> None:
    """decode_predictions: what it returns, and that it only sorts unless told the scores are logits."""
    from qlib.decode import decode_predictions

    st.subheader(T("decode_h"))
    st.markdown(T("decode_text"))
    z = pp.example_logits()
    st.code(pp.as_code(z), language="python")
    a, b = st.columns(2)
    with a:
        st.markdown(T("decode_logits"))
        st.code(
            pp.show_decoded(decode_predictions(z, top=3, from_logits=True, lang=T.lang)), language="python"
        )
    with b:
        st.markdown(T("decode_raw"))
        st.code(
            pp.show_decoded(decode_predictions(z, top=3, from_logits=False, lang=T.lang)), language="python"
        )


decode()

with st.expander(T("common.libraries_say"), expanded=True):
    note(T, "note.mnv3")
    note(T, "note.mnv2")
    note(T, "note.decode")
