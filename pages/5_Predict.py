"""Page 5: a person's digit (upload, camera or a test sample) through the fp32 and the int8 model, side by side."""

from __future__ import annotations

import random

import streamlit as st

from lessons.common.models import model_label
from lessons.predict import figures as viz
from lessons.predict import lesson as lab
from lessons.predict.lesson import Digit, Prediction
from lessons.predict.questions import CLOSE, LOW
from qlib.data import UPLOAD_TYPES, ImageError, display_image
from qlib.decode import class_names
from ui.questions import ask
from ui.shell import figure, note, safe, setup_page
from ui.state import give_digit
from ui.widgets import quantized_model_names, test_digits
from ui.widgets import shipped_model as model

T = setup_page("predict")
VERDICT = {"agree": st.success, "agree_moved": st.info, "disagree": st.warning}
VERDICT_ICON = {
    "agree": ":material/check_circle:",
    "agree_moved": ":material/swap_vert:",
    "disagree": ":material/warning:",
}


def _random_sample() -> None:
    """Button callback: jump to a random test sample."""
    st.session_state["predict_sample"] = random.randrange(len(test_digits()[1]))


def choose_input() -> Digit | None:
    """The source widgets; the digit to predict, or None (after saying what is missing or wrong)."""
    source = st.radio(
        T("source"),
        ("sample", "upload", "camera"),
        key="predict_source",
        horizontal=True,
        format_func=lambda s: T(f"source.{s}"),
    )
    if source == "sample":
        xs, ys = test_digits()
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        i = c1.number_input(T("sample", n=len(ys) - 1), 0, len(ys) - 1, 0, step=1, key="predict_sample")
        c2.button(T("random"), key="predict_random", on_click=_random_sample, icon=":material/casino:")
        return lab.sample_digit(xs, ys, int(i))
    if source == "upload":
        up = st.file_uploader(
            T("upload"), type=list(UPLOAD_TYPES), key="predict_upload", help=T("upload_help")
        )
        return _given(up.getvalue(), source) if up is not None else _waiting()
    if not st.toggle(T("camera_on"), key="predict_camera_on", help=T("camera_help")):
        st.caption(T("camera_off"))
        return _waiting()
    shot = st.camera_input(T("camera"), key="predict_camera")
    return _given(shot.getvalue(), source) if shot is not None else _waiting()


def _waiting() -> None:
    """Nothing given yet: say how to give a digit."""
    st.info(T("waiting"), icon=":material/touch_app:")


def _given(data: bytes, source: str) -> Digit | None:
    """Upload or camera bytes -> the digit, handed on to the integer page; a bad file is a message instead."""
    try:
        digit = lab.given_digit(data, source)  # in memory only: nothing is written to disk
    except ImageError as err:
        st.error(T(f"common.image_error.{err.key}"), icon=":material/broken_image:")
        return None
    give_digit(digit.x, source)
    return digit


@safe(T)
def show_input(d: Digit) -> None:
    """What the person gave and what the model sees: the 8×8 grid it was turned into."""
    st.subheader(T("sees_h"))
    c1, c2 = st.columns([1, 2])
    with c1:
        caption = T("picture.sample", i=d.index) if d.source == "sample" else T("picture.given")
        st.image(display_image(d.picture), caption=caption, width=180)
        if d.label is not None:
            st.metric(T("true_label"), f"{d.label} · {class_names(T.lang)[d.label]}")
    with c2:
        figure(
            viz.digit(d.x, T, T("fig.grid_title")),
            T("fig.grid_summary", ink=int((d.x > 0).sum())),
            key="predict_fig_input",
        )


def _show_table(rows, moves: bool, key: str) -> None:
    """One model's top-k as a dataframe; a percentage column drawn as a bar."""
    small = st.column_config.Column(width="small")
    prob = st.column_config.ProgressColumn(format="%.4g %%", min_value=0, max_value=100, width="medium")
    st.dataframe(
        viz.table(rows, T, moves),
        hide_index=True,
        key=key,
        width="stretch",
        column_config={T("col.id"): small, T("col.name"): small, T("col.move"): small, T("col.prob"): prob},
    )


@safe(T)
def show_predictions(d: Digit) -> None:
    """The model controls, then fp32 and int8 side by side: verdict, top-k tables, every class, the formula."""
    st.subheader(T("models_h"))
    c1, c2 = st.columns([2, 1])
    qname = c1.selectbox(
        T("model"), quantized_model_names(), key="predict_model", format_func=lambda n: model_label(n, T)
    )
    top = c2.slider(T("top"), 1, 10, 5, key="predict_top")
    p = lab.predict(model("fp32"), model(qname), d.x, T.lang, top)
    qlabel = model_label(qname, T)
    v = lab.verdict(p.comparison, qlabel)
    VERDICT[v.kind](T(v.kind, **v.fmt), icon=VERDICT_ICON[v.kind])
    a, b = st.columns(2)
    with a:
        st.markdown(f"**{T('fp32')}**")
        _show_table(p.comparison.fp32, False, "predict_table_fp32")
    with b:
        st.markdown(f"**{qlabel}**")
        _show_table(p.comparison.int8, True, "predict_table_int8")
    with st.expander(T("raw_h")):
        st.caption(T("raw_caption"))
        st.code(p.raw(), language="python")
    figure(
        viz.prob_bars(p.fp32_probs, p.int8_probs, class_names(T.lang), T, qlabel),
        T("fig.bars_summary", diff=100 * p.comparison.max_prob_diff, kl=p.comparison.kl),
        key="predict_fig_bars",
    )
    show_formula(p)


def show_formula(p: Prediction) -> None:
    """The int8 model's integer logit of its top class read back as a real number, then the softmax."""
    st.markdown(f"**{T('common.formula')}**")
    st.latex(p.dequant.latex)
    st.latex(p.softmax_latex)
    st.caption(T("formula_caption"))


st.title(T("title"))
st.markdown(T("intro"))
ask(T, CLOSE)
digit = choose_input()
if digit is not None:
    show_input(digit)
    show_predictions(digit)
ask(T, LOW)
note(T, "note")
