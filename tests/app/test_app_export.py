"""Page 7, "Take the model out" (issue 16): the section runs in both languages; its table holds exactly
qlib.export.compare's numbers; the bytes behind its download buttons load in ONNX Runtime and LiteRT and give
qlib's top-1; the session's own QAT model is offered when it can be exported and refused, in words, when not."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from ai_edge_litert.interpreter import Interpreter
from onnx import numpy_helper
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from lessons.i18n import t
from lessons.pytorch_and_tensorflow import lesson
from lessons.pytorch_and_tensorflow.runtimes import RuntimeAgreement, disagreement_facts
from lessons.qat_training.lesson import Runs
from qlib import pretrained
from qlib.data import load_digits
from qlib.export.compare import compare
from qlib.export.runtimes import ENGINES
from qlib.model import num_threads
from qlib.train import Result
from tests.app.apptest import keyed_table, no_errors, run_page

PAGE = "pages/7_PyTorch_and_TensorFlow.py"
NS = "pytorch_and_tensorflow"
LAYERS = ("input", "conv1", "conv2", "fc")


def tr(key: str, lang: str = "en", **fmt) -> str:
    return t(f"{NS}.{key}", lang, **fmt)


def runtime_table(at: AppTest, lang: str = "en"):
    """The section's agreement table (with its top-1 column)."""
    df = keyed_table(at, "pytorch_rt_table")
    assert tr("rt.col.top1", lang) in df.columns
    return df


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """Every file the page hands to a download button, by its media file id."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        if isinstance(path_or_data, bytes):
            files[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return files


def downloaded(at: AppTest, files: dict[str, bytes], fmt: str) -> bytes:
    """The bytes behind the .onnx or .tflite download button."""
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(f"pytorch_rt_download_{fmt}"))
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
    return files[file_id]


def session_runs(int8_name: str) -> Runs:
    """A session whose page-4 QAT result holds a given (shipped) int8 model, as page 4 stores it."""
    result = Result(int8_name, pretrained.load("fp32"), 0.9, 0.0, int8=pretrained.load(int8_name))
    return Runs(qat=result)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_section_runs_in_both_languages(lang):
    at = run_page(PAGE, lang, timeout=180)
    no_errors(at)
    assert tr("rt.h", lang) in [s.value for s in at.subheader]
    df = runtime_table(at, lang)
    assert list(df.index) == [tr(f"rt.engine.{e}", lang) for e in ENGINES]
    assert len(at.get("download_button")) == 2
    assert any(tr("rt.one_h", lang) in m.value for m in at.markdown)


@pytest.mark.parametrize("name", ["qat-w8a8", "ptq-w8a8"])
def test_the_table_holds_the_librarys_comparison(name):
    at = run_page(PAGE, "en", timeout=180)
    at.selectbox(key="pytorch_rt_model").set_value(name).run(timeout=180)
    no_errors(at)
    df = runtime_table(at)
    with num_threads(1):
        c = compare(pretrained.load(name), *load_digits().test)
    same_input = all(e.layer("input").vs_fixed == 0 for e in c.engines)
    shown = [n for n in LAYERS if not (same_input and n == "input")]
    assert list(df.columns) == [tr("rt.input") if n == "input" else n for n in shown] + [tr("rt.col.top1")]
    for e in c.engines:
        row = df.loc[tr(f"rt.engine.{e.engine}")]
        for i, n in enumerate(shown):
            la = e.layer(n)
            want = "0" if la.vs_fixed == 0 else f"{la.vs_fixed:,}\u00a0±{la.max_diff_fixed}"
            assert row.iloc[i] == want, (e.engine, n)
        assert row.iloc[len(shown)] == f"{e.top1_same_as_fixed} / {c.images}"
    counts = " ".join(c.value for c in at.caption if c.value.startswith("Each cell"))
    for la in c.engine("qlib-fixed").layers[1:]:
        assert f"{la.layer} {la.outputs:,}" in counts
    if same_input:
        assert f"0 of {c.engine('qlib-fixed').layer('input').outputs:,} differ" in counts
    d = RuntimeAgreement(c, 0.0).disagreement()  # the page's pick: a tie's if any engine has one
    one = next(m.value for m in at.markdown if m.value.startswith("Test sample"))
    assert f"**{d.image}**" in one and f"**{d.layer}**" in one and f"{d.acc:,}" in one
    assert one.endswith(f"(zero point {d.out_zp}).") == disagreement_facts(d).tie  # else "its sum differs"
    sat = RuntimeAgreement(c, 0.0).saturated()
    said = [m.value for m in at.markdown if "more than a tie" in m.value]
    if sat is None:  # exact sums (VNNI): every engine within one code, and the page says nothing more
        assert not said and all(la.max_diff_fixed <= 1 for e in c.engines for la in e.layers)
        assert lesson.kernel_regime(lesson.pair_sums()) == "exact"
    else:  # no VNNI: the engines more than a code off, by their numbers
        names = ", ".join(tr(f"rt.engine.{e}") for e in sat.engines)
        assert said == [tr("rt.saturated", engines=names, d=sat.max_diff, top1=sat.top1_same, n=c.images)]
        assert "pytorch-fbgemm" in sat.engines and sat.max_diff > 1


def test_the_requantization_table_says_what_the_library_records():
    from qlib.export.runtimes import REQUANTIZATION

    at = run_page(PAGE, "en", timeout=180)
    df = keyed_table(at, "pytorch_requant_table")
    assert tr("rt.col.ties") in df.columns
    for e in ENGINES:
        row = df.loc[tr(f"rt.engine.{e}")]
        assert row[tr("rt.col.ties")] == tr(f"rt.ties.{REQUANTIZATION[e].ties}")
        assert row[tr("rt.col.multiplier")] == tr(f"rt.mult.{REQUANTIZATION[e].multiplier}")
    assert df.loc[tr("rt.engine.onnxruntime"), tr("rt.col.ties")] == "to even"
    assert df.loc[tr("rt.engine.litert-reference"), tr("rt.col.ties")] == "away from zero"
    assert df.loc[tr("rt.engine.litert-reference"), tr("rt.col.multiplier")].startswith("M₀")


def test_the_downloads_load_in_both_runtimes_and_give_qlibs_top1(downloads):
    at = run_page(PAGE, "en", timeout=180)
    no_errors(at)
    name = at.selectbox(key="pytorch_rt_model").value
    model = pretrained.load(name)
    x, _ = load_digits().test
    want = model(x).argmax(1).numpy()

    onnx_bytes = downloaded(at, downloads, "onnx")
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(onnx_bytes, opts, providers=["CPUExecutionProvider"])
    (logits,) = sess.run(None, {sess.get_inputs()[0].name: x.numpy()})
    with num_threads(1):  # the page's count: all on a CPU with VNNI, fewer where its 16-bit sums saturate
        top1 = compare(model, *load_digits().test, engines=("onnxruntime",)).engine("onnxruntime")
    assert int((logits.argmax(1) == want).sum()) == top1.top1_same_as_fixed
    if top1.top1_same_as_fixed < len(x):
        assert lesson.kernel_regime(lesson.pair_sums()) == "saturated"  # the page explains why

    interp = Interpreter(model_content=downloaded(at, downloads, "tflite"), num_threads=1)
    inp = interp.get_input_details()[0]["index"]
    interp.resize_tensor_input(inp, [len(x), 8, 8, 1])
    interp.allocate_tensors()
    interp.set_tensor(inp, np.ascontiguousarray(x.numpy().transpose(0, 2, 3, 1)))
    interp.invoke()
    out = interp.get_tensor(interp.get_output_details()[0]["index"])
    assert np.array_equal(out.argmax(1), want)


def test_the_downloaded_onnx_names_its_tensors_and_shows_its_qparams(downloads):
    at = run_page(PAGE, "en", timeout=180)
    proto = onnx.load_from_string(downloaded(at, downloads, "onnx"))
    names = {n.name for n in proto.graph.node}
    assert {"conv1", "conv2", "fc"} <= names
    assert {"conv1", "conv2", "fc"} <= {out for n in proto.graph.node for out in n.output}
    init = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer}
    model = pretrained.load(at.selectbox(key="pytorch_rt_model").value)
    assert init["input.scale"] == np.float32(model.layers[0].in_scale)
    for name, layer in zip(model.layer_names, model.layers, strict=True):
        assert init[f"{name}.weight"].dtype == np.int8
        assert np.array_equal(init[f"{name}.weight_scale"], layer.w_scale.numpy().astype(np.float32))
        assert init[f"{name}.output_zero_point"] == layer.out_zp
        assert np.array_equal(init[f"{name}.bias"], layer.b_q.numpy().astype(np.int32))


def test_the_sessions_qat_model_is_offered_and_runs():
    at = run_page(PAGE, "ja", timeout=180, qat_runs=session_runs("qat-w8a8"))
    box = at.selectbox(key="pytorch_rt_model")
    assert tr("rt.session", "ja") in box.options
    box.set_value("session-qat").run(timeout=180)
    no_errors(at)
    assert tr("rt.hint_session", "ja") in [c.value for c in at.caption]
    assert len(at.get("download_button")) == 2


def test_a_session_model_with_4_bit_activations_is_refused_in_words():
    at = run_page(PAGE, "en", timeout=180, qat_runs=session_runs("qat-w4a4"))
    no_errors(at)
    assert tr("rt.session_refused", layer="conv1", bits=4) in [c.value for c in at.caption]
    assert tr("rt.session") not in at.selectbox(key="pytorch_rt_model").options


def test_the_hint_leads_to_the_same_numbers_on_the_integer_page():
    """The disagreement's hint: page 6 with that model, sample, layer, channel and position shows the same exact
    value and qlib fixed's two-rounding result."""
    at = run_page(PAGE, "en", timeout=180)
    name = at.selectbox(key="pytorch_rt_model").value
    with num_threads(1):
        c = compare(pretrained.load(name), *load_digits().test)
    d = RuntimeAgreement(c, 0.0).disagreement()  # the one the page shows
    hint = next(i.value for i in at.info if i.value.startswith("See it on page 6"))
    assert f"{d.scaled:.6f}" in hint
    p6 = run_page("pages/6_Integer_inference.py", "en", timeout=180, int8_model=name, int8_sample=d.image)
    p6.selectbox(key="int8_layer").set_value(d.layer).run(timeout=180)
    p6.slider(key=f"int8_channel_{d.layer}").set_value(d.channel).run(timeout=180)
    if d.row is not None:
        p6.slider(key=f"int8_row_{d.layer}").set_value(d.row)
        p6.slider(key=f"int8_col_{d.layer}").set_value(d.col).run(timeout=180)
    no_errors(p6)
    m = {e.label: e.value for e in p6.metric}
    exact = m[t("integer_inference.exact", "en")]
    assert exact == t("integer_inference.steps_unit", "en", v=d.scaled), exact
    fixed = dict(d.codes)["qlib-fixed"]
    assert m[t("integer_inference.engine", "en")] == str(fixed - d.out_zp)
