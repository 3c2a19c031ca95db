"""Page 6: one layer of the int8 model, step by step, in integers only, with the numbers of one output value."""

from __future__ import annotations

import numpy as np
import streamlit as st

from lessons.common.models import model_label
from lessons.integer_inference import figures as viz
from lessons.integer_inference import formulas
from lessons.integer_inference import lesson as lab
from lessons.integer_inference.lesson import Explanation
from qlib.int8 import Int8Model, LayerTrace
from qlib.model import fp32_nbytes
from ui.shell import figure, note, safe, setup_page
from ui.state import given_digit
from ui.widgets import quantized_model_names, test_digits
from ui.widgets import shipped_model as model

T = setup_page("integer_inference")


def choose_model() -> Int8Model:
    """The shipped quantized model to take apart."""
    names = quantized_model_names()
    name = st.columns(2)[0].selectbox(
        T("model"), names, key="int8_model", format_func=lambda n: model_label(n, T)
    )
    with st.spinner(T("loading")):
        qmodel = model(name)
        test_digits()
    if qmodel.requant != "fixed":
        st.info(T("float_mode"), icon=":material/info:")
    return qmodel


def choose_input() -> tuple[np.ndarray, str]:
    """A test sample, or the digit given on the Predict page: (1×8×8 input, caption)."""
    xs, ys = test_digits()
    c1, c2 = st.columns([1, 1], vertical_alignment="bottom")
    source = c1.radio(
        T("source"),
        ("sample", "predict"),
        key="int8_source",
        horizontal=True,
        format_func=lambda s: T(f"source.{s}"),
    )
    given = given_digit()
    if source == "predict" and given is not None:
        return given.x[None], T("input_given")
    if source == "predict":
        st.info(T("no_given"), icon=":material/info:")
    i = int(c2.number_input(T("sample", n=len(ys) - 1), 0, len(ys) - 1, 0, step=1, key="int8_sample"))
    return xs[i], T("input_sample", i=i, label=int(ys[i]))


def choose_output(trace: list[LayerTrace]) -> tuple[int, int, int | None, int | None]:
    """Layer, output channel and position of the one value to take apart (keys per layer: each keeps its own)."""
    names = [step.name for step in trace]
    kinds = {step.name: step.kind for step in trace}
    c1, c2, c3, c4 = st.columns(4)
    name = c1.selectbox(
        T("layer"),
        names,
        key="int8_layer",  # string options: labels follow the language
        format_func=lambda n: T("layer_label", name=n, kind=T(f"kind.{kinds[n]}")),
    )
    layer = names.index(name)
    n_ch, h, w = lab.layer_shape(trace, layer)
    channel = c2.slider(
        T("channel" if kinds[name] == "conv" else "output"), 0, n_ch - 1, 0, key=f"int8_channel_{name}"
    )
    if h is None:
        return layer, channel, None, None
    row = c3.slider(T("row"), 0, h - 1, h // 2, key=f"int8_row_{name}")
    col = c4.slider(T("col"), 0, w - 1, w // 2 - 1, key=f"int8_col_{name}")
    return layer, channel, row, col


def show_maps(trace: list[LayerTrace], layer: int, e: Explanation, caption: str) -> None:
    """The input codes and the chosen channel's output codes, the chosen value boxed."""
    first = trace[0]
    c1, c2 = st.columns(2)
    with c1:
        figure(
            viz.feature_map(lab.input_codes(trace), None, first.in_zp, T, T("fig.input_title")),
            T("fig.input_summary", caption=caption, s=first.in_scale, z=first.in_zp),
            key="int8_fig_input",
        )
    with c2:
        pos = (e.row, e.col) if e.row is not None else (0, e.channel)
        figure(
            viz.feature_map(
                lab.output_map(trace, layer, e.channel),
                pos,
                e.z_out,
                T,
                T("fig.output_title", name=e.name, c=e.channel),
            ),
            T("fig.output_summary", name=e.name, c=e.channel, q=e.q_out, z=e.z_out),
            key="int8_fig_output",
        )


@safe(T)
def show_steps(e: Explanation) -> None:
    """The worked calculation: one st.latex per step, each with a line of explanation."""
    where = "" if e.row is None else T("at", r=e.row, c=e.col)
    st.subheader(T("steps_h", name=e.name, c=e.channel, where=where))
    st.markdown(T("step1", k=len(e.q_in), z_in=e.z_in))
    st.latex(formulas.accumulate(e))
    st.markdown(T("step2"))
    st.latex(formulas.add_bias(e))
    st.markdown(T("step3"))
    st.latex(formulas.multiplier(e))
    st.markdown(T("step4", right=e.right))
    st.latex(formulas.requantize(e))
    st.markdown(T("step5", lo=e.lo, hi=e.hi) + (" " + T("step5_relu", z=e.z_out) if e.relu else ""))
    st.latex(formulas.clamp(e))
    if e.pre_clamp < e.lo:
        st.warning(
            T("clamped_low" if e.relu else "clamped_min", v=e.pre_clamp, lo=e.lo),
            icon=":material/vertical_align_bottom:",
        )
    elif e.pre_clamp > e.hi:
        st.warning(T("clamped_high", v=e.pre_clamp, hi=e.hi), icon=":material/vertical_align_top:")


@safe(T)
def show_table(e: Explanation) -> None:
    """The step table and, folded, every product of the accumulator."""
    rows = viz.step_table(e, T)
    height = 35 * (len(rows) + 1) + 3
    st.dataframe(
        rows, hide_index=True, key="int8_table", width="stretch", height=height, column_config={"id": None}
    )
    with st.expander(T("terms_h", k=len(e.q_in))):
        bars = lab.contributions(e)
        figure(
            viz.contributions(bars.labels, bars.values, T),
            T("fig.contrib_summary", acc=e.acc, n=len(bars.values)),
            key="int8_fig_contrib",
        )
        st.dataframe(viz.term_table(e, T), hide_index=True, key="int8_terms", width="stretch", height=300)


@safe(T)
def show_float_check(e: Explanation) -> None:
    """The dequantized integer result against the same layer in float: off by at most half a step."""
    st.subheader(T("float_h"))
    st.markdown(T("float_text"))
    st.latex(formulas.dequantize(e))
    c1, c2, c3 = st.columns(3)
    c1.metric(T("y_int"), f"{e.y_int:.6f}")
    c2.metric(T("y_float"), f"{e.y_float:.6f}")
    c3.metric(T("diff"), f"{e.y_int - e.y_float:+.6f}", help=T("diff_help", half=e.s_out / 2))
    st.caption(T("float_caption", half=e.s_out / 2, y_acc=e.y_acc))


@safe(T)
def show_size(qmodel: Int8Model) -> None:
    """Model size, fp32 against int8."""
    st.subheader(T("size_h"))
    s = lab.sizes(fp32_nbytes(model("fp32")), qmodel)
    c1, c2 = st.columns([2, 1])
    with c1:
        figure(
            viz.model_size(s.fp32, s.int8, T),
            T("size_summary", fp32=s.fp32, int8=s.int8, pct=100 * s.ratio),
            key="int8_fig_size",
        )
    with c2:
        st.metric(T("size.fp32"), f"{s.fp32:,} B")
        st.metric(
            T("size.int8"), f"{s.int8:,} B", delta=f"{100 * (s.ratio - 1):.0f} %", delta_color="inverse"
        )
        st.caption(T("size_parts", w=s.weights, b=s.biases, q=s.qparams))


@safe(T)
def lesson_page() -> None:
    """Model and input, the formula, the value to take apart, its maps, its arithmetic, the float check, sizes."""
    qmodel = choose_model()
    x, caption = choose_input()
    trace = qmodel.trace(x[None])
    st.latex(formulas.GENERAL)
    st.subheader(T("pick_h"))
    layer, channel, row, col = choose_output(trace)
    e = lab.explain(qmodel, trace, layer, channel, row, col)
    show_maps(trace, layer, e, caption)
    show_steps(e)
    show_table(e)
    show_float_check(e)
    show_size(qmodel)


st.title(T("title"))
st.markdown(T("intro"))
lesson_page()
note(T, "note")
