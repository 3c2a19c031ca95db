"""Page 5: a person's digit (drawn, uploaded, photographed, or a test sample) through the fp32 and the int8 model."""

from __future__ import annotations

import random

import streamlit as st

from lessons.common.models import model_label
from lessons.predict import figures as viz
from lessons.predict import lesson as lab
from lessons.predict.lesson import Digit, Prediction
from lessons.predict.questions import CLOSE, LOW
from qlib.data import ImageError, display_image
from qlib.decode import class_names
from ui.camera_access import camera_access
from ui.draw_canvas import draw_canvas
from ui.image_input import camera, image_uploader
from ui.questions import ask
from ui.shell import figure, note, page_end, safe, setup_page
from ui.state import canvas_key, clear_canvas, give_digit
from ui.url_state import Choice, Fields, Int
from ui.widgets import quantized_model_names, test_digits
from ui.widgets import shipped_model as model

URL = Fields(
    Choice("source", "predict_source", "sample", lab.SOURCES),
    Int("sample", "predict_sample", 0, 0, len(test_digits()[1]) - 1),
    Choice("model", "predict_model", quantized_model_names()[0], quantized_model_names()),
    Int("top", "predict_top", 5, 1, 10),
)
T = setup_page("predict", url=URL)
VERDICT = {"agree": st.success, "agree_moved": st.info, "disagree": st.warning}
VERDICT_ICON = {
    "agree": ":material/check_circle:",
    "agree_moved": ":material/swap_vert:",
    "disagree": ":material/warning:",
}
CANVAS_SIDE = 280  # px: fits a phone's width; a digit drawn across it is ~220 px tall ...
STROKE = 18  # px: ... so this stroke is ~2.6 px of the 32×32 bitmap, the data set's own (qlib.digit_bitmap)


def _random_sample() -> None:
    """Button callback: jump to a random test sample."""
    st.session_state["predict_sample"] = random.randrange(len(test_digits()[1]))


def choose_input() -> Digit | None:
    """The source widgets; the digit to predict, or None (after saying what is missing or wrong)."""
    source = st.radio(
        T("source"),
        lab.SOURCES,
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
    if source == "draw":
        return _drawn()
    if source == "upload":
        up = image_uploader(T, T("upload"), T("upload_help"), key="predict_upload")
        return _given(up.getvalue(), source) if up is not None else _waiting()
    access = camera_access(st.context.url, dict(st.context.headers or {}))
    if not access.ok:  # plain http to another host: the browser offers no camera at all
        st.warning(T("camera_blocked", host=access.host), icon=":material/no_photography:")
        return None
    if not st.toggle(T("camera_on"), key="predict_camera_on", help=T("camera_help")):
        st.caption(T("camera_off"))
        return _waiting()
    shot = camera(T, T("camera"), key="predict_camera")
    return _given(shot.getvalue(), source) if shot is not None else _waiting()


def _drawn() -> Digit | None:
    """The drawing canvas and its clear button; the drawn digit (handed on to the integer page), or None."""
    st.markdown(f"**{T('draw')}**")
    st.caption(T("draw_help"))
    pixels = draw_canvas(canvas_key(), CANVAS_SIDE, STROKE, T("draw"))  # sent after each stroke
    st.button(T("clear"), key="predict_clear", on_click=clear_canvas, icon=":material/ink_eraser:")
    digit = lab.drawn_digit(pixels)
    if digit is None:
        st.info(T("draw_waiting"), icon=":material/draw:")
        return None
    give_digit(digit.x, "draw")
    return digit


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
        if d.drawing is not None:  # the canvas is above: show what it became, the 32×32 bitmap
            st.image(viz.bitmap_picture(d.drawing.result.bitmap, 180), caption=T("picture.drawn"), width=180)
        else:
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


@safe(T)
def show_steps(d: Digit) -> None:
    """An upload's or a photo's way to the 8×8, step by step (qlib.photo's stages), each with what it did."""
    st.subheader(T("steps_h"))
    st.caption(T("steps_intro"))
    for col, pic in zip(st.columns(len(viz.STEPS)), viz.photo_steps(d.steps), strict=True):
        with col:
            st.markdown(f"**{T(f'step.{pic.step}')}**")
            st.image(pic.image, width="content")  # its own 240 px at most: not a phone-wide blow-up
            st.caption(T(pic.note, **pic.fmt))


def show_check(d: Digit, qlabel: str, p: Prediction) -> bool:
    """The answer's headline: the models' verdict for a digit, or 'not a digit' and a guess; True if a guess."""
    if d.is_digit:
        v = lab.verdict(p.comparison, qlabel, T)
        VERDICT[v.kind](T(v.kind, **v.fmt), icon=VERDICT_ICON[v.kind])
    else:
        reason = T(f"reason.{d.check.reason}", **lab.rule_fmt())
        st.warning(T("not_digit", reason=reason), icon=":material/help:")
        g = lab.guess(p.comparison, qlabel)
        st.info(T(g.kind, **g.fmt), icon=":material/question_mark:")
    if d.check is not None:
        with st.expander(T("rule_h"), expanded=not d.is_digit):
            st.markdown(T("rule", **lab.rule_fmt()))
            st.caption(T("rule_this", **lab.check_fmt(d.check)))
    return not d.is_digit


# pixels per column, 350 in all (see _show_table); the bars equally wide in both tables, so they compare
TOPK_WIDTHS = {"id": 70, "name": 160, "prob": 120}
TOPK_WIDTHS_MOVES = {"id": 60, "name": 58, "prob": 120, "move": 112}


def _show_table(rows, moves: bool, key: str) -> None:
    """One model's top-k as a dataframe; a percentage column drawn as a bar.

    Fixed decimals: the numbers are about equally wide, so the bars beside them line up.

    Its columns' widths in pixels add up to 350, what a 390 px phone leaves it: every column shows, no sideways
    scrolling (on a wide screen the table keeps them).
    """
    w = TOPK_WIDTHS_MOVES if moves else TOPK_WIDTHS
    prob = st.column_config.ProgressColumn(format="%.3f %%", min_value=0, max_value=100, width=w["prob"])
    config = {T(f"col.{c}"): st.column_config.Column(width=px) for c, px in w.items() if c != "prob"}
    st.dataframe(
        viz.table(rows, T, moves),
        hide_index=True,
        key=key,
        width="stretch",
        column_config={**config, T("col.prob"): prob},
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
    tag = f" · *{T('guess_tag')}*" if show_check(d, qlabel, p) else ""
    a, b = st.columns(2)
    with a:
        st.markdown(f"**{T('fp32')}**{tag}")
        _show_table(p.comparison.fp32, False, "predict_table_fp32")
    with b:
        st.markdown(f"**{qlabel}**{tag}")
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
    if digit.steps is not None:
        show_steps(digit)
    show_predictions(digit)
ask(T, LOW)
note(T, "note")

page_end(T)
