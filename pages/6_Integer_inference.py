"""Page 6: one layer of the int8 model, step by step, in integers only, with the numbers of one output value."""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from lessons.integer_inference import figures as viz
from lessons.integer_inference import lesson
from qlib import pretrained
from qlib.data import ImageError, load_image, to_model_input
from qlib.model import fp32_nbytes
from qlib.pretrained import parse_name, quantized_names
from ui.shell import figure, note, safe, setup_page
from ui.widgets import digit_splits
from ui.widgets import shipped_model as model

T = setup_page("integer_inference")
GIVEN = (
    "int8_given"  # the Predict page's image, copied here: its widget state is gone once we leave that page
)


@st.cache_data(show_spinner=False)
def test_split() -> tuple[np.ndarray, np.ndarray]:
    """The test split as numpy (x: N×1×8×8 in [-1, 1], y: labels)."""
    x, y = digit_splits().test
    return x.numpy(), y.numpy()


@st.cache_data(show_spinner=False, max_entries=64)
def given_input(data: bytes) -> np.ndarray:
    """An uploaded picture's bytes -> the 1×8×8 model input (ImageError if it can't be read)."""
    return to_model_input(load_image(data)).numpy()[0]


SHARED = (
    "predict_image"  # bytes of the picture the Predict page was given (a plain key: it outlives that page)
)


@safe(T)
def grab_predict_image() -> None:
    """Keep the Predict page's uploaded / camera picture (if any) for this page, under our own key.

    Streamlit drops a page's widget values when the person moves to another page, so the Predict page's
    picture is read from its plain key `predict_image` (bytes); its widgets are a fallback within one run.
    """
    data = st.session_state.get(SHARED)
    if not isinstance(data, bytes):
        key = {"upload": "predict_upload", "camera": "predict_camera"}.get(
            st.session_state.get("predict_source")
        )
        f = st.session_state.get(key) if key else None
        data = f.getvalue() if hasattr(f, "getvalue") else None
    if not data:
        return
    digest = hashlib.sha1(data).hexdigest()
    if st.session_state.get(GIVEN, {}).get("digest") == digest:
        return
    try:
        st.session_state[GIVEN] = {"digest": digest, "x": given_input(data)}
    except ImageError:
        pass  # the Predict page already told the person why


def model_label(name: str) -> str:
    """'qat-w4a8' -> 'QAT · 4-bit weights, 8-bit activations' in the current language."""
    parsed = parse_name(name)
    if parsed is None:
        return name
    method, w, a = parsed
    return T("model_label", method=method.upper(), w=w, a=a)


def choose_input() -> tuple[np.ndarray, str]:
    """The source widgets: a test sample, or the image given on the Predict page; returns (1×8×8 input, caption)."""
    xs, ys = test_split()
    c1, c2 = st.columns([1, 1], vertical_alignment="bottom")
    source = c1.radio(
        T("source"),
        ("sample", "predict"),
        key="int8_source",
        horizontal=True,
        format_func=lambda s: T(f"source.{s}"),
    )
    given = st.session_state.get(GIVEN)
    if source == "predict" and given is not None:
        return given["x"], T("input_given")
    if source == "predict":
        st.info(T("no_given"), icon=":material/info:")
    i = int(c2.number_input(T("sample", n=len(ys) - 1), 0, len(ys) - 1, 0, step=1, key="int8_sample"))
    return xs[i], T("input_sample", i=i, label=int(ys[i]))


def choose_output(qmodel, trace) -> tuple[int, int, int | None, int | None]:
    """Layer, output channel and position of the one value to take apart (keys per layer: each keeps its own)."""
    names = [step["name"] for step in trace]
    c1, c2, c3, c4 = st.columns(4)
    kinds = {step["name"]: step["kind"] for step in trace}
    name = c1.selectbox(
        T("layer"),
        names,
        key="int8_layer",  # string options: labels follow the language
        format_func=lambda n: T("layer_label", name=n, kind=T(f"kind.{kinds[n]}")),
    )
    layer = names.index(name)
    n_ch, h, w = lesson.layer_shape(trace, layer)
    label = T("channel") if trace[layer]["kind"] == "conv" else T("output")
    channel = c2.slider(label, 0, n_ch - 1, 0, key=f"int8_channel_{name}")
    if h is None:
        return layer, channel, None, None
    row = c3.slider(T("row"), 0, h - 1, h // 2, key=f"int8_row_{name}")
    col = c4.slider(T("col"), 0, w - 1, w // 2 - 1, key=f"int8_col_{name}")
    return layer, channel, row, col


def _num(v: float) -> str:
    """A real number for LaTeX: 6 significant digits, an exponent written as a power of ten."""
    s = f"{v:.6g}"
    if "e" not in s:
        return s
    mant, exp = s.split("e")
    return rf"{mant} \times 10^{{{int(exp)}}}"


def _p(v: int) -> str:
    """An integer for LaTeX, negative ones in parentheses (so `+ (-5)` reads right)."""
    return f"({v})" if v < 0 else str(v)


def sum_latex(e: dict, shown: int = 3) -> str:
    """acc = sum (q_in - z_in) q_w, with the first terms written out."""
    terms = [rf"({q}-{_p(e['z_in'])})\cdot{_p(w)}" for q, w in zip(e["q_in"], e["w"], strict=True)]
    k = len(terms)
    body = " + ".join(terms[:shown]) + ("" if k <= shown else r" + \cdots")
    return (
        r"\mathrm{acc} = \sum_{k=1}^{"
        + str(k)
        + r"} (q_{\mathrm{in},k} - z_{\mathrm{in}})\, q_{w,k} = "
        + body
        + f" = {e['acc']}"
    )


@safe(T)
def show_steps(e: dict) -> None:
    """The worked calculation: one st.latex per step, each with a line of explanation."""
    st.markdown(T("step1", k=len(e["q_in"]), z_in=e["z_in"]))
    st.latex(sum_latex(e))
    st.markdown(T("step2"))
    st.latex(rf"\mathrm{{acc}} + b_q = {e['acc']} + {_p(e['b_q'])} = {e['acc_bias']}")
    st.markdown(T("step3"))
    st.latex(
        rf"M = \frac{{s_\mathrm{{in}}\, s_w}}{{s_\mathrm{{out}}}} = \frac{{{_num(e['s_in'])} \times {_num(e['s_w'])}}}"
        rf"{{{_num(e['s_out'])}}} = {_num(e['M'])} \approx M_0 \cdot 2^{{-n}} = {e['M0']} \cdot 2^{{-{e['n']}}}"
    )
    st.markdown(T("step4", right=e["right"]))
    pre = rf"{e['acc_bias']} \cdot 2^{{{e['left']}}} = {e['shifted_in']},\quad " if e["left"] else ""
    st.latex(
        pre
        + rf"\mathrm{{round}}\!\left(\frac{{{_p(e['shifted_in'])} \cdot {e['M0']}}}{{2^{{31}}}}\right) = {e['high']}"
        rf",\quad \mathrm{{round}}\!\left(\frac{{{_p(e['high'])}}}{{2^{{{e['right']}}}}}\right) = {e['rounded']}"
    )
    st.markdown(
        T("step5", lo=e["lo"], hi=e["hi"]) + (" " + T("step5_relu", z=e["z_out"]) if e["relu"] else "")
    )
    st.latex(
        rf"q_\mathrm{{out}} = \mathrm{{clamp}}({_p(e['rounded'])} + {e['z_out']},\ {e['lo']},\ {e['hi']})"
        rf" = \mathrm{{clamp}}({e['pre_clamp']},\ {e['lo']},\ {e['hi']}) = {e['q_out']}"
    )
    if e["pre_clamp"] < e["lo"]:
        st.warning(
            T("clamped_low" if e["relu"] else "clamped_min", v=e["pre_clamp"], lo=e["lo"]),
            icon=":material/vertical_align_bottom:",
        )
    elif e["pre_clamp"] > e["hi"]:
        st.warning(T("clamped_high", v=e["pre_clamp"], hi=e["hi"]), icon=":material/vertical_align_top:")


def step_rows(e: dict) -> list[dict]:
    """The same calculation as a table: step, formula, value (the test reads these back against the trace)."""
    rows = [
        ("z_in", r"z_in", e["z_in"]),
        ("acc", "Σ (q_in − z_in)·q_w", e["acc"]),
        ("b_q", "b_q", e["b_q"]),
        ("acc_bias", "acc + b_q", e["acc_bias"]),
        ("M", "s_in·s_w / s_out", e["M"]),
        ("M0", "M0", e["M0"]),
        ("n", "n", e["n"]),
        ("high", "round(acc·M0 / 2^31)", e["high"]),
        ("rounded", "round(· / 2^(n−31))", e["rounded"]),
        ("z_out", "z_out", e["z_out"]),
        ("pre_clamp", "+ z_out", e["pre_clamp"]),
        ("q_out", "clamp(·, lo, hi)", e["q_out"]),
        ("y_int", "s_out·(q_out − z_out)", e["y_int"]),
        ("y_float", "float32", e["y_float"]),
    ]
    return [
        {T("col.step"): T(f"row.{k}"), T("col.formula"): f, T("col.value"): _cell(v), "id": k}
        for k, f, v in rows
    ]


def _cell(v) -> str:
    """Integers exactly, reals to 8 significant digits: one text column that reads the same in every row."""
    return str(v) if isinstance(v, int) else f"{v:.8g}"


@safe(T)
def show_table(e: dict) -> None:
    """The step table and, folded, every product of the accumulator."""
    rows = step_rows(e)
    st.dataframe(
        rows,
        hide_index=True,
        key="int8_table",
        width="stretch",
        height=35 * (len(rows) + 1) + 3,
        column_config={"id": None},
    )
    with st.expander(T("terms_h", k=len(e["q_in"]))):
        labels, values = lesson.contributions(e)
        figure(
            viz.contributions(labels, values, T),
            T("fig.contrib_summary", acc=e["acc"], n=len(values)),
            key="int8_fig_contrib",
        )
        rows = [{T(f"term.{k}"): v for k, v in r.items()} for r in lesson.term_rows(e)]
        st.dataframe(rows, hide_index=True, key="int8_terms", width="stretch", height=300)


@safe(T)
def show_float_check(e: dict) -> None:
    """The dequantized integer result against the same layer in float: off by at most half a step."""
    st.subheader(T("float_h"))
    st.markdown(T("float_text"))
    st.latex(
        rf"y_\mathrm{{int}} = s_\mathrm{{out}}\,(q_\mathrm{{out}} - z_\mathrm{{out}}) = {_num(e['s_out'])} \times"
        rf" ({e['q_out']} - {e['z_out']}) = {_num(e['y_int'])}"
    )
    diff = e["y_int"] - e["y_float"]
    c1, c2, c3 = st.columns(3)
    c1.metric(T("y_int"), f"{e['y_int']:.6f}")
    c2.metric(T("y_float"), f"{e['y_float']:.6f}")
    c3.metric(T("diff"), f"{diff:+.6f}", help=T("diff_help", half=e["s_out"] / 2))
    st.caption(T("float_caption", half=e["s_out"] / 2, y_acc=e["y_acc"]))


@safe(T)
def show_size(qmodel) -> None:
    """Model size, fp32 against int8."""
    st.subheader(T("size_h"))
    s = lesson.sizes(fp32_nbytes(model("fp32")), qmodel)
    c1, c2 = st.columns([2, 1])
    with c1:
        figure(
            viz.model_size(s["fp32"], s["int8"], T),
            T("size_summary", fp32=s["fp32"], int8=s["int8"], pct=100 * s["ratio"]),
            key="int8_fig_size",
        )
    with c2:
        st.metric(T("size.fp32"), f"{s['fp32']:,} B")
        st.metric(
            T("size.int8"), f"{s['int8']:,} B", delta=f"{100 * (s['ratio'] - 1):.0f} %", delta_color="inverse"
        )
        st.caption(T("size_parts", w=s["weights"], b=s["biases"], q=s["qparams"]))


@safe(T)
def lesson_page() -> None:
    """Input, the model's trace, the chosen value's arithmetic, the float check."""
    names = quantized_names(pretrained.available())
    c1, c2 = st.columns([1, 1])
    qname = c1.selectbox(T("model"), names, key="int8_model", format_func=model_label)
    with st.spinner(T("loading")):
        qmodel = model(qname)
        test_split()
    if getattr(qmodel, "requant", "fixed") != "fixed":
        st.info(T("float_mode"), icon=":material/info:")
    x, caption = choose_input()
    trace = qmodel.trace(x[None])
    st.latex(
        r"q_\mathrm{out} = \mathrm{clamp}\Big(z_\mathrm{out} + \mathrm{round}\big(M \cdot "
        r"(\textstyle\sum_k (q_{\mathrm{in},k} - z_\mathrm{in})\, q_{w,k} + b_q)\big),\ \mathrm{lo},\ \mathrm{hi}\Big),"
        r"\qquad M = \frac{s_\mathrm{in}\, s_w}{s_\mathrm{out}} = M_0 \cdot 2^{-n}"
    )

    st.subheader(T("pick_h"))
    layer, channel, row, col = choose_output(qmodel, trace)
    e = lesson.explain(qmodel, trace, layer, channel, row, col)
    c1, c2 = st.columns(2)
    with c1:
        first = trace[0]
        figure(
            viz.feature_map(first["q_in"][0, 0].numpy(), None, int(first["in_zp"]), T, T("fig.input_title")),
            T("fig.input_summary", caption=caption, s=float(first["in_scale"]), z=int(first["in_zp"])),
            key="int8_fig_input",
        )
    with c2:
        pos = (row, col) if row is not None else (0, channel)
        figure(
            viz.feature_map(
                lesson.output_map(trace, layer, channel).numpy(),
                pos,
                e["z_out"],
                T,
                T("fig.output_title", name=e["name"], c=channel),
            ),
            T("fig.output_summary", name=e["name"], c=channel, q=e["q_out"], z=e["z_out"]),
            key="int8_fig_output",
        )

    st.subheader(T("steps_h", name=e["name"], c=channel, where="" if row is None else T("at", r=row, c=col)))
    show_steps(e)
    show_table(e)
    show_float_check(e)
    show_size(qmodel)


st.title(T("title"))
st.markdown(T("intro"))
grab_predict_image()
lesson_page()
note(T, "note")
