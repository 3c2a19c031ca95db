"""Page 7: the same quantization in PyTorch's eager API (run live) and in TF-MOT / TFLite (shown as code)."""

from __future__ import annotations

import dataclasses

import streamlit as st

from lessons.common.models import model_label
from lessons.pytorch_and_tensorflow import figures, lesson, runtimes, tables
from lessons.pytorch_and_tensorflow.questions import ENGINE, NARROW, X86
from lessons.pytorch_and_tensorflow.tf_code import TF_STEPS, tf_script
from qlib import torch_ref
from ui.questions import ask
from ui.shell import figure, note, page_end, safe, setup_page, table
from ui.state import qat_runs
from ui.url_state import Fields, Int
from ui.widgets import digit_splits, quantized_model_names, shipped_model

URL = Fields(
    Int("sample", "pytorch_sample", 0, 0, len(digit_splits().test[1]) - 1),
    Int("epochs", "pytorch_epochs", 1, 1, 10),
)
T = setup_page("pytorch_and_tensorflow", url=URL)
RUN = "pytorch_run_epochs"  # epochs of the PyTorch QAT run the person started (cached, shown on every rerun)


@st.cache_data(show_spinner=False)
def calibration() -> lesson.CalibrationCompare:
    """qlib and PyTorch calibrated on the same float model and the same training images."""
    return lesson.calibration_compare(shipped_model("fp32"), digit_splits().train[0])


@st.cache_data(show_spinner=False)
def weight_grids() -> lesson.WeightGrids:
    """One step of PyTorch's x86 QAT on the shipped float model: training-time weight scales against convert's."""
    return lesson.qat_weight_grids(shipped_model("fp32"), digit_splits().train[0])


@st.cache_data(show_spinner=False)
def engines(name: str) -> lesson.EngineCompare:
    """Our integer weights inside PyTorch's kernels, against qlib's engines on the whole test split."""
    return lesson.shipped_engine_compare(name)


@st.cache_resource(show_spinner=False, max_entries=4)
def torch_model(name: str):
    """A shipped int8 model's weights in PyTorch's quantized modules, built once (read-only afterwards)."""
    return torch_ref.to_torch_quantized(shipped_model(name))


@st.cache_data(show_spinner=False, max_entries=32)
def logits(name: str, i: int) -> lesson.SampleLogits:
    """One test sample's logits from qlib and from PyTorch (same weights)."""
    return lesson.sample_logits(shipped_model(name), digit_splits().test[0], i, torch_model(name))


@st.cache_resource(show_spinner=False, max_entries=4)
def live_qat(epochs: int) -> lesson.LiveQAT:
    """PyTorch's own QAT from the shipped fp32 weights (seeded: the same run for everyone), then convert."""
    return lesson.live_qat(shipped_model("fp32"), shipped_model(lesson.QAT_MODEL), digit_splits(), epochs)


@st.cache_data(show_spinner=False, max_entries=8)
def export_files(name: str, fingerprint: str, _model) -> runtimes.ExportFiles:
    """The chosen model's .onnx and .tflite, built in memory once per model (fingerprint: its integers)."""
    return runtimes.export_files(_model, shipped_model("fp32"))


@st.cache_data(show_spinner=False, max_entries=8)
def runtime_agreement(name: str, fingerprint: str, _model) -> runtimes.RuntimeAgreement:
    """Every engine on the whole test split, once per model: the first run is timed and shown."""
    return runtimes.runtime_agreement(_model, *digit_splits().test)


def code_steps(steps: tuple[tuple[str, str], ...]) -> None:
    """Each step's code on the left, what it does on the right."""
    for key, code in steps:
        c1, c2 = st.columns([5, 3])
        c1.code(code, language="python")  # a phone scrolls a long line sideways: indentation is the code
        c2.markdown(T(key))


@safe(T)
def show_recipe() -> None:
    """The eager-mode recipe, step by step, and the exact code that runs it on this page."""
    st.subheader(T("eager_h"))
    st.markdown(T("eager_intro"))
    code_steps(lesson.EAGER_STEPS)
    with st.expander(T("source_h")):
        st.code(lesson.recipe_source(), language="python")


@safe(T)
def show_calibration() -> None:
    """Same float model, same data: qlib's scale and zero point beside PyTorch's."""
    st.subheader(T("calib_h"))
    st.markdown(T("calib_intro"))
    with st.spinner(T("calib_wait")):
        c, g = calibration(), weight_grids()
    st.latex(lesson.calibration_latex(c))
    table(tables.calibration_table(c, T), key="pytorch_calib_table")  # wraps on a narrow screen
    st.caption(T("calib_caption"))
    figure(
        figures.qparam_compare(c.acts, T),
        T("fig.calib_summary", ratio=c.act("conv1").x86_ratio),
        key="pytorch_fig_calib",
    )
    st.markdown(T("why_differ", **dataclasses.asdict(g), percent=g.percent))  # placeholders = its fields


@safe(T)
def show_engines() -> None:
    """Our integer weights in PyTorch's kernels, code for code, and why they part on this CPU (ties or sums)."""
    st.subheader(T("engine_h"))
    st.markdown(T("engine_intro"))
    ask(T, ENGINE)
    n = len(digit_splits().test[1])
    pick, _ = st.columns([1, 2])
    i = int(pick.number_input(T("sample", n=n - 1), 0, n - 1, 0, step=1, key="pytorch_sample"))
    s = logits(lesson.QAT_MODEL, i)
    figure(
        figures.logits_compare(s, T),
        T("fig.logits_summary", i=i, q=s.qlib_class, t=s.torch_class, d=s.max_diff),
        key="pytorch_fig_logits",
    )
    with st.spinner(T("calib_wait")):
        e = engines(lesson.QAT_MODEL)
    c1, c2, c3 = st.columns(3)
    c1.metric(T("same_float"), f"{e.same_float:,} / {e.outputs:,}")
    c2.metric(T("same_fixed"), f"{e.same_fixed:,} / {e.outputs:,}", help=lesson.same_fixed_help(e).text(T))
    c3.metric(T("top1_same"), f"{e.top1_same} / {e.n}")
    c1.metric(T("acc_qlib"), f"{100 * e.acc_qlib:.2f} %")
    c2.metric(T("acc_torch_same"), f"{100 * e.acc_torch:.2f} %")
    st.markdown(lesson.engine_note(e, lesson.pair_sums()).text(T))  # exact sums, or saturated (no VNNI)


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
        q = live_qat(ran)
    c1, c2, c3 = st.columns(3)
    c1.metric(T("acc_torch_qat", e=q.epochs), f"{100 * q.accuracy:.2f} %")
    c2.metric(T("acc_qlib_qat"), f"{100 * q.qlib_accuracy:.2f} %")
    c3.metric(T("train_time"), f"{q.train_seconds:.1f} s")
    if q.fused:
        st.caption(T("fused_types"))
    table(tables.qat_table(q.rows, T), key="pytorch_qat_table")
    st.markdown(T("qat_differ"))


@safe(T)
def show_tensorflow() -> None:
    """TF-MOT's quantize_model and the TFLite converter, as code with a note per step; how TFLite differs."""
    st.subheader(T("tf_h"))
    st.markdown(T("tf_intro"))
    code_steps(TF_STEPS)
    with st.expander(T("tf_script")):
        st.code(tf_script(), language="python")
    st.subheader(T("scheme_h"))
    scheme = tables.scheme_table(T, lesson.input_conventions(), lesson.X86_ACT_CODES)
    table(scheme, key="pytorch_scheme_table")  # a static table wraps long cells
    st.latex(lesson.WEIGHT_SCALE_LATEX)
    st.markdown(T("scheme_text"))


def export_choices() -> dict[str, object]:
    """Chooser id -> Int8Model: the shipped 8-bit models, and this session's QAT model if it can be exported."""
    choices: dict[str, object] = {
        n: shipped_model(n) for n in runtimes.exportable_shipped(quantized_model_names())
    }
    qat = qat_runs().qat
    mine = qat.int8 if qat is not None else None
    if mine is None:
        st.caption(T("rt.session_none"))
    elif (why := runtimes.refusal(mine)) is not None:
        st.caption(T("rt.session_refused", layer=why.layer, bits=why.a_bits))
    else:
        choices[runtimes.SESSION_QAT] = mine
    return choices


def choice_label(key: str) -> str:
    """A chooser entry in the page's language."""
    return T("rt.session") if key == runtimes.SESSION_QAT else model_label(key, T)


def show_files(files: runtimes.ExportFiles, name: str) -> None:
    """The two download buttons, each with its size beside the float32 file's."""
    st.markdown(f"**{T('rt.files_h')}**")
    for col, fmt, mime in zip(
        st.columns(2),
        ("onnx", "tflite"),
        ("application/octet-stream", "application/octet-stream"),
        strict=True,
    ):
        col.download_button(
            T(f"rt.download_{fmt}", kb=files.size_kb(fmt)),
            getattr(files, fmt),
            file_name=f"{name}.{fmt}",
            mime=mime,
            key=f"pytorch_rt_download_{fmt}",
            icon=":material/download:",
        )
        col.caption(
            T(
                "rt.size_caption",
                fp32_kb=files.fp32_kb(fmt),
                ratio=files.sizes.ratio(fmt),
                int8_params=files.sizes.int8_params,
                fp32_params=files.sizes.fp32_params,
            )
        )
    st.caption(T("rt.netron"))


def show_disagreement(a: runtimes.RuntimeAgreement, name: str) -> None:
    """One real disagreement: where, the accumulator and the tie it sits next to, and where to see it on page 6."""
    st.markdown(f"**{T('rt.one_h')}**")
    d = a.disagreement()
    if d is None:
        st.caption(T("rt.none"))
        return
    f = runtimes.disagreement_facts(d)
    where = "" if d.row is None else T("rt.where", row=d.row, col=d.col)
    engine = T(f"rt.engine.{d.engine}")
    st.markdown(
        T(
            "rt.one" if f.tie else "rt.one_sum",
            image=d.image,
            layer=d.layer,
            channel=d.channel,
            where=where,
            acc=d.acc,
            m=d.multiplier,
            scaled=d.scaled,
            gap=f.gap,
            fixed=f.fixed,
            engine=engine,
            code=f.code,
            zp=d.out_zp,
        )
    )
    st.caption(T("rt.codes", codes=T("rt.sep").join(f"{T(f'rt.engine.{e}')} {c}" for e, c in d.codes)))
    if name == runtimes.SESSION_QAT:
        st.caption(T("rt.hint_session"))
    else:
        hint = dict(model=model_label(name, T), image=d.image, layer=d.layer, channel=d.channel, where=where)
        st.info(
            T("rt.hint", scaled=d.scaled, fixed=f.fixed, rounded=f.fixed - d.out_zp, zp=d.out_zp, **hint),
            icon=":material/search:",
        )


@safe(T)
def show_runtimes() -> None:
    """The chosen int8 model as .onnx / .tflite files, run in ONNX Runtime and LiteRT, compared code for code."""
    st.subheader(T("rt.h"))
    st.markdown(T("rt.intro"))
    choices = export_choices()
    pick, _ = st.columns([1, 1])
    name = pick.selectbox(T("rt.model"), list(choices), key="pytorch_rt_model", format_func=choice_label)
    model = choices[name]
    fp = runtimes.fingerprint(model)
    with st.spinner(T("rt.wait")):
        files = export_files(name, fp, model)
        a = runtime_agreement(name, fp, model)
    show_files(files, name)
    st.markdown(f"**{T('rt.table_h')}**")
    rows = runtimes.agreement_rows(a)
    layers = runtimes.table_layers(a)
    table(tables.runtime_table(rows, layers, T), key="pytorch_rt_table")
    counts = dict(zip(a.comparison.layers, runtimes.layer_outputs(a), strict=True))
    ran = T("rt.sep").join(
        T("rt.ran", engine=T(f"rt.engine.{r.engine}"), kernels=r.kernels, v=r.version)
        for r in rows
        if not r.engine.startswith("qlib-")  # the runtimes only: qlib is the page's own
    )
    texts = [
        T("rt.counts", counts=T("rt.sep").join(f"{n} {k:,}" for n, k in counts.items() if n != "input")),
        "" if "input" in layers else T("rt.input_same", n=counts["input"]),
        T("rt.table_caption", n=a.images, s=a.seconds, kernels=ran),
    ]
    st.caption(("" if T.lang == "ja" else " ").join(t for t in texts if t))  # ja: no space between sentences
    if (sat := a.saturated()) is not None:  # without VNNI: fbgemm's and ONNX Runtime's 16-bit pair sums
        engines = T("rt.sep").join(T(f"rt.engine.{e}") for e in sat.engines)
        st.markdown(T("rt.saturated", engines=engines, d=sat.max_diff, top1=sat.top1_same, n=sat.images))
    st.markdown(f"**{T('rt.how_h')}**")
    table(tables.requant_table(T), key="pytorch_requant_table")
    st.markdown("\n".join(f"- {T(f'rt.how.{e}')}" for e in runtimes.REQUANT_ENGINES))
    show_disagreement(a, name)


st.title(T("title"))
st.markdown(T("intro"))
show_recipe()
ask(T, X86)
show_calibration()
show_engines()
show_live_qat()
ask(T, NARROW)
show_tensorflow()
show_runtimes()
note(T, "note")

page_end(T)
