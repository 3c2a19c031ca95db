"""Page 6: one layer of the int8 model, step by step, in integers only, with the numbers of one output value."""

from __future__ import annotations

import numpy as np
import streamlit as st

from lessons.common.models import model_label
from lessons.common.text import real, signed
from lessons.integer_inference import figures as viz
from lessons.integer_inference import formulas
from lessons.integer_inference import lesson as lab
from lessons.integer_inference.lesson import Codes, Explanation
from lessons.integer_inference.questions import ACC, MULTIPLIER
from qlib.int8 import Int8Model, LayerTrace
from qlib.model import fp32_nbytes
from ui.questions import ask
from ui.shell import figure, note, page_end, safe, setup_page, table
from ui.state import given_digit
from ui.url_state import Choice, Fields, Int
from ui.widgets import quantized_model_names, test_digits
from ui.widgets import shipped_model as model

URL = Fields(
    Choice("model", "int8_model", quantized_model_names()[0], quantized_model_names()),
    Choice("source", "int8_source", "sample", ("sample", "predict")),
    Int("sample", "int8_sample", 0, 0, len(test_digits()[1]) - 1),
)
T = setup_page("integer_inference", url=URL)


def choose_model() -> Int8Model:
    """The shipped quantized model to take apart."""
    names = quantized_model_names()
    name = st.columns(2)[0].selectbox(
        T("model"), names, key="int8_model", format_func=lambda n: model_label(n, T)
    )
    with st.spinner(T("loading")):
        qmodel = model(name)
        test_digits()
    c = lab.codes(qmodel)
    fmt = dict(w=c.w_bits, wmin=signed(c.w_min), wmax=c.w_max, a=c.a_bits, amin=c.a_min, amax=c.a_max)
    st.caption(T("model_codes", **fmt) + (T("model_codes_sub", **fmt) if c.w_bits < 8 else ""))
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
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])  # the layer's name and kind need the room
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


def show_maps(trace: list[LayerTrace], layer: int, e: Explanation, c: Codes, caption: str) -> None:
    """The input codes and the chosen channel's output codes, the chosen value boxed."""
    first = trace[0]
    c1, c2 = st.columns(2)
    with c1:
        title = T("fig.input_title", a=c.a_bits, amin=c.a_min, amax=c.a_max)
        figure(
            viz.feature_map(lab.input_codes(trace), None, first.in_zp, T, title),
            T(
                "fig.input_summary",
                a=c.a_bits,
                caption=caption,
                s=first.in_scale,
                z=first.in_zp,
                bg=c.background,
            ),
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
def show_steps(e: Explanation, trace: list[LayerTrace]) -> None:
    """The worked calculation: one st.latex per step, each with a line of explanation."""
    at = {} if e.row is None else {"r": e.row, "c2": e.col}  # a convolution's output has a place, fc's not
    st.subheader(T("steps_h_at" if at else "steps_h", name=e.name, c=e.channel, **at))
    st.markdown(T("step1", k=len(e.q_in), z_in=e.z_in))
    st.latex(formulas.accumulate(e))
    st.markdown(T("step2"))
    st.latex(formulas.add_bias(e))
    ask(T, MULTIPLIER)
    st.markdown(T("step3"))
    st.latex(formulas.multiplier(e))
    st.markdown(T("step4", right=e.right, den=2**e.right) if e.right else T("step4_one", n=e.n))
    st.latex(formulas.requantize(e))
    show_two_roundings(e, trace)
    st.markdown(T.join(T("step5", lo=e.lo, hi=e.hi), T("step5_relu", z=e.z_out) if e.relu else ""))
    st.latex(formulas.clamp(e))
    if e.pre_clamp < e.lo:
        st.warning(
            T("clamped_low" if e.relu else "clamped_min", v=e.pre_clamp, lo=e.lo),
            icon=":material/vertical_align_bottom:",
        )
    elif e.pre_clamp > e.hi:
        st.warning(T("clamped_high", v=e.pre_clamp, hi=e.hi), icon=":material/vertical_align_top:")


def show_two_roundings(e: Explanation, trace: list[LayerTrace]) -> None:
    """The exact value, rounded once, and the engine's code side by side, and why they can differ."""
    st.latex(formulas.exact(e))
    c1, c2, c3 = st.columns(3)
    c1.metric(T("exact"), T("steps_unit", v=e.exact))
    c2.metric(T("once"), str(e.once))
    c3.metric(T("engine"), str(e.rounded))
    if not e.right:
        st.caption(T("twice_caption_one", exact=e.exact, rounded=e.rounded))
        return
    fmt = dict(exact=e.exact, once=e.once, high=e.high, high_steps=e.high_steps, rounded=e.rounded)
    text = T("twice_caption", den=2**e.right, bound=e.rounding_bound, err=abs(e.rounded - e.exact), **fmt)
    c = lab.census(trace)
    count = T("census", k=c.moved, n=c.outputs, pct=100 * c.share)
    st.caption(text + (T("twice_differs") if e.once != e.rounded else "") + count)


@safe(T)
def show_table(e: Explanation, c: Codes) -> None:
    """The step table and, folded, every product of the accumulator."""
    table(viz.step_table(e, c, T), key="int8_table")
    with st.expander(T("terms_h", k=len(e.q_in))):
        bars = lab.contributions(e)
        figure(
            viz.contributions(bars.labels, bars.values, T),
            T("fig.contrib_summary", acc=e.acc, n=len(bars.values)),
            key="int8_fig_contrib",
        )
        terms = viz.term_table(e, T)
        long = 300 if len(terms) > 8 else None  # a long list scrolls up and down in its box
        table(terms, key="int8_terms", height=long)


@safe(T)
def show_float_check(e: Explanation) -> None:
    """The dequantized integer result against the same layer in float: off by the roundings only."""
    st.subheader(T("float_h"))
    st.markdown(T("float_text"))
    st.latex(formulas.dequantize(e))
    c1, c2, c3 = st.columns(3)
    c1.metric(T("y_int"), real(e.y_int, ".6f"))
    c2.metric(T("y_float"), real(e.y_float, ".6f"))
    bounds = dict(bound=e.rounding_bound, bias=0.5 * e.m, total=e.float_bound)
    c3.metric(T("diff"), real(e.diff, "+.6f"), help=T("diff_help", **bounds))
    st.caption(
        T("float_caption", y_acc=e.y_acc, total=e.float_bound, steps=e.float_bound_steps, s_out=e.s_out)
    )


@safe(T)
def show_size(qmodel: Int8Model) -> None:
    """Model size: float32, as stored, and with the weight codes packed (below 8 bits)."""
    st.subheader(T("size_h"))
    s = lab.sizes(fp32_nbytes(model("fp32")), qmodel)
    packs = s.w_bits < 8
    summary = T("size_summary", fp32=s.fp32, int8=s.int8, pct=100 * s.ratio)
    if packs:
        summary += T("size_summary_packed", w=s.w_bits, packed=s.packed, ppct=100 * s.packed_ratio)
    c1, c2 = st.columns([2, 1])
    with c1:
        fig = viz.model_size(s.fp32, s.int8, s.packed if packs else None, s.w_bits, T)
        figure(fig, summary, key="int8_fig_size")
    with c2:
        st.metric(T("size.fp32"), f"{s.fp32:,} B")
        st.metric(
            T("size.stored"), f"{s.int8:,} B", delta=f"{100 * (s.ratio - 1):.0f} %", delta_color="inverse"
        )
        if packs:
            delta = f"{100 * (s.packed_ratio - 1):.0f} %"
            st.metric(T("size.packed", w=s.w_bits), f"{s.packed:,} B", delta=delta, delta_color="inverse")
    parts = T("size_parts", w=s.weights, bits=s.w_bits, b=s.biases, q=s.qparams, bpw=s.bits_per_weight)
    more = (
        T("size_parts_packed", pw=s.packed_weights, pbpw=s.packed_bits_per_weight)
        if packs
        else T("size_parts_8")
    )
    st.caption(parts + more)


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
    c = lab.codes(qmodel)
    show_maps(trace, layer, e, c, caption)
    ask(T, ACC)
    show_steps(e, trace)
    show_table(e, c)
    show_float_check(e)
    show_size(qmodel)


st.title(T("title"))
st.markdown(T("intro"))
lesson_page()
note(T, "note")

page_end(T)
