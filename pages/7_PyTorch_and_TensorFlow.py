"""Page 7: the same quantization in PyTorch's eager API (run live) and in TF-MOT / TFLite (shown as code)."""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import streamlit as st

from lessons.pytorch_and_tensorflow import figures as viz
from lessons.pytorch_and_tensorflow import lesson as lt
from lessons.pytorch_and_tensorflow.tf_code import SCHEME_ROWS, TF_STEPS, tf_script
from qlib import torch_ref
from ui.shell import figure, note, safe, setup_page
from ui.widgets import digit_splits
from ui.widgets import shipped_model as model

T = setup_page("pytorch_and_tensorflow")
QAT_MODEL = "qat-w8a8"
RUN = "pytorch_run_epochs"  # epochs of the PyTorch QAT run the person started (cached, shown on every rerun)


@st.cache_data(show_spinner=False)
def calibration_rows() -> list[dict]:
    """qlib and PyTorch calibrated on the same float model and the same training images."""
    return lt.calibration_compare(model("fp32"), digit_splits().train[0])


@st.cache_data(show_spinner=False)
def engine_stats(name: str) -> dict:
    """Our integer weights inside PyTorch's kernels, against qlib's engines on the whole test split."""
    return lt.engine_compare(model(name), *digit_splits().test)


@st.cache_resource(show_spinner=False, max_entries=4)
def torch_model(name: str):
    """A shipped int8 model's weights in PyTorch's quantized modules, built once (read-only afterwards)."""
    return torch_ref.to_torch_quantized(model(name))


@st.cache_data(show_spinner=False, max_entries=32)
def logits(name: str, i: int) -> tuple[list[float], list[float]]:
    """One test sample's logits from qlib and from PyTorch (same weights)."""
    return lt.sample_logits(model(name), digit_splits().test[0][i : i + 1], torch_model(name))


@st.cache_resource(show_spinner=False, max_entries=4)
def pytorch_qat(epochs: int):
    """PyTorch's own QAT from the shipped fp32 weights (seeded: the same run for everyone), then convert."""
    d = digit_splits()
    run = torch_ref.pytorch_qat(
        model("fp32"), d.train, epochs=epochs, freeze_observers_after=max(epochs - 1, 1)
    )
    return run.model, run.qparams, run, lt.accuracy(run.model, *d.test)


@st.cache_data(show_spinner=False)
def qlib_accuracy(name: str) -> float:
    """Test accuracy of a shipped model."""
    return lt.accuracy(model(name), *digit_splits().test)


def _same(ok: bool) -> str:
    """A match mark for the tables, in words (an emoji may have no font on a classroom PC)."""
    return T("same") if ok else T("differs")


@safe(T)
def show_recipe() -> None:
    """The eager-mode recipe, step by step, and the exact code that runs it on this page."""
    st.subheader(T("eager_h"))
    st.markdown(T("eager_intro"))
    for key, code in lt.EAGER_STEPS:
        c1, c2 = st.columns([5, 3])
        c1.code(code, language="python", wrap_lines=True)
        c2.markdown(T(key))
    with st.expander(T("source_h")):
        st.code(
            "\n\n".join(
                inspect.getsource(f) for f in (torch_ref.prepare, torch_ref.convert, torch_ref.pytorch_qat)
            ),
            language="python",
        )


@safe(T)
def show_calibration() -> None:
    """Same float model, same data: qlib's scale and zero point beside PyTorch's."""
    st.subheader(T("calib_h"))
    st.markdown(T("calib_intro"))
    with st.spinner(T("calib_wait")):
        rows = calibration_rows()
    acts = [r for r in rows if r["kind"] == "act"]
    a = acts[0]
    st.latex(
        rf"s = \frac{{x_{{\max}} - x_{{\min}}}}{{q_{{\max}} - q_{{\min}}}}:\quad "
        rf"\underbrace{{{a['qlib_scale']:.6f}}}_{{0..255}},\ \ \underbrace{{{a['x86_scale']:.6f}}}_{{0..127}}"
        rf"\qquad z = q_{{\min}} - \mathrm{{round}}(x_{{\min}} / s):\ "
        rf"\underbrace{{{a['qlib_zp']}}}_{{0..255}},\ \ \underbrace{{{a['x86_zp']}}}_{{0..127}}"
    )
    table = [
        {
            T("col.tensor"): T("tensor.act", name=r["name"]),
            T("col.qlib"): f"{r['qlib_scale']:.8g} / {r['qlib_zp']}",
            T("col.full"): f"{r['full_scale']:.8g} / {r['full_zp']}",
            T("col.same_full"): _same(r["same_full"]),
            T("col.x86"): f"{r['x86_scale']:.8g} / {r['x86_zp']}",
            T("col.same_x86"): _same(r["same_x86"]),
            "id": f"act.{r['name']}",
        }
        for r in acts
    ]
    table += [
        {
            T("col.tensor"): T("tensor.weight", name=r["name"], n=r["channels"]),
            T("col.qlib"): f"{r['qlib_scale']:.8g} / 0",
            T("col.full"): f"{r['x86_scale']:.8g} / 0",
            T("col.same_full"): _same(r["same_x86"] and r["same_zp"]),
            T("col.x86"): f"{r['x86_scale']:.8g} / 0",
            T("col.same_x86"): _same(r["same_x86"] and r["same_zp"]),
            "id": f"weight.{r['name']}",
        }
        for r in rows
        if r["kind"] == "weight"
    ]
    st.dataframe(
        table, hide_index=True, key="pytorch_calib_table", width="stretch", column_config={"id": None}
    )
    st.caption(T("calib_caption"))
    figure(
        viz.qparam_compare(acts, T),
        T("fig.calib_summary", ratio=acts[1]["x86_scale"] / acts[1]["qlib_scale"]),
        key="pytorch_fig_calib",
    )
    st.markdown(T("why_differ"))


@safe(T)
def show_engines() -> None:
    """Our integer weights in PyTorch's kernels: the same codes, code for code."""
    st.subheader(T("engine_h"))
    st.markdown(T("engine_intro"))
    with st.spinner(T("calib_wait")):
        s = engine_stats(QAT_MODEL)
    c1, c2, c3 = st.columns(3)
    c1.metric(T("same_float"), f"{s['same_float']:,} / {s['outputs']:,}")
    c2.metric(
        T("same_fixed"),
        f"{s['same_fixed']:,} / {s['outputs']:,}",
        help=T("same_fixed_help", d=s["max_diff_fixed"]),
    )
    c3.metric(T("top1_same"), f"{s['top1_same']} / {s['n']}")
    c1.metric(T("acc_qlib"), f"{100 * s['acc_qlib']:.2f} %")
    c2.metric(T("acc_torch_same"), f"{100 * s['acc_torch']:.2f} %")
    n = len(digit_splits().test[1])
    i = int(c3.number_input(T("sample", n=n - 1), 0, n - 1, 0, step=1, key="pytorch_sample"))
    ours, theirs = logits(QAT_MODEL, i)
    figure(
        viz.logits_compare(ours, theirs, T),
        T(
            "fig.logits_summary",
            i=i,
            q=int(np.argmax(ours)),
            t=int(np.argmax(theirs)),
            d=float(np.max(np.abs(np.subtract(ours, theirs)))),
        ),
        key="pytorch_fig_logits",
    )


@safe(T)
def show_live_qat() -> None:
    """PyTorch's own QAT, run on request, beside qlib's QAT model."""
    st.subheader(T("live_h"))
    st.markdown(T("live_intro"))
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    epochs = c1.slider(T("epochs"), 1, 10, 1, key="pytorch_epochs", help=T("epochs_help"))
    if c2.button(T("run"), key="pytorch_run", type="primary", icon=":material/play_arrow:"):
        st.session_state[RUN] = epochs
    ran = st.session_state.get(RUN)
    if ran is None:
        st.info(T("not_run"), icon=":material/touch_app:")
        return
    with st.spinner(T("running", e=ran)):
        qmodel, qparams, info, acc = pytorch_qat(ran)
    ours = model(QAT_MODEL)
    c1, c2, c3 = st.columns(3)
    c1.metric(T("acc_torch_qat", e=ran), f"{100 * acc:.2f} %")
    c2.metric(T("acc_qlib_qat"), f"{100 * qlib_accuracy(QAT_MODEL):.2f} %")
    c3.metric(T("train_time"), f"{info.seconds:.1f} s")
    if torch_ref.check_fused_types(qmodel):
        st.caption(T("fused_types"))
    rows = lt.qat_rows(qparams, ours)
    st.dataframe(
        [
            {
                T("col.tensor"): T("tensor.act", name=r["name"]),
                T("col.qlib_qat"): f"{r['qlib_scale']:.6g} / {r['qlib_zp']}",
                T("col.torch_qat"): f"{r['torch_scale']:.6g} / {r['torch_zp']}",
                T("col.ratio"): f"{r['ratio']:.2f}",
            }
            for r in rows
        ],
        hide_index=True,
        key="pytorch_qat_table",
        width="stretch",
    )
    st.markdown(T("qat_differ"))


@safe(T)
def show_tensorflow() -> None:
    """TF-MOT's quantize_model and the TFLite converter, as code with a note per step; how TFLite differs."""
    st.subheader(T("tf_h"))
    st.markdown(T("tf_intro"))
    for key, code in TF_STEPS:
        c1, c2 = st.columns([5, 3])
        c1.code(code, language="python", wrap_lines=True)
        c2.markdown(T(key))
    with st.expander(T("tf_script")):
        st.code(tf_script(), language="python")
    st.subheader(T("scheme_h"))
    rows = [
        {
            T("col.aspect"): T(f"scheme.{k}"),
            T("col.torch_qlib"): T(f"scheme.{k}.torch"),
            T("col.tflite"): T(f"scheme.{k}.tflite"),
        }
        for k in SCHEME_ROWS
    ]
    st.table(pd.DataFrame(rows).set_index(T("col.aspect")))  # a static table wraps long cells
    st.latex(
        r"s_w = \frac{\max|w|}{127}\ \ (\mathrm{TFLite},\ -127..127)\qquad "
        r"s_w = \frac{\max|w|}{127.5}\ \ (\mathrm{PyTorch},\ -128..127)"
    )
    st.markdown(T("scheme_text"))


st.title(T("title"))
st.markdown(T("intro"))
show_recipe()
show_calibration()
show_engines()
show_live_qat()
show_tensorflow()
note(T, "note")
