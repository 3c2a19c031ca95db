"""The exported files in ONNX Runtime and LiteRT against qlib's integer engine, code for code (qlib.export)."""

from __future__ import annotations

import dataclasses

import numpy as np
import onnx
import pytest
import torch
from ai_edge_litert.interpreter import Interpreter
from onnx import numpy_helper

from qlib import pretrained
from qlib.data import load_digits
from qlib.export import ExportError, export, file_sizes, plan
from qlib.export.__main__ import main
from qlib.export.compare import compare
from qlib.export.onnx import to_onnx
from qlib.export.plan import INT8_OFFSET
from qlib.export.runtimes import (
    ENGINES,
    REQUANTIZATION,
    own_sums,
    run,
    run_litert,
    run_onnxruntime,
    run_qlib,
)
from qlib.export.tflite import nhwc_fc_weight, nhwc_weight
from qlib.int8 import Int8Model, exact_acc, pair_saturated_acc
from qlib.model import num_threads

SHIPPED_W8A8 = ("qat-w8a8", "ptq-w8a8")


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    with num_threads(1):
        yield


@pytest.fixture(scope="module")
def test_split():
    return load_digits().test


@pytest.fixture(scope="module", params=SHIPPED_W8A8)
def shipped(request, test_split):
    """(name, model, comparison of every engine on the 360 test images)."""
    model = pretrained.load(request.param)
    return request.param, model, compare(model, *test_split)


# ---------------------------------------------------------------------------------------------------------------
# the figures the issue asks for, on the shipped w8a8 models and the test split


def test_every_engine_ran(shipped):
    _, _, c = shipped
    assert [e.engine for e in c.engines] == list(ENGINES)
    assert c.images == 360 and c.layers == ("input", "conv1", "conv2", "fc")
    assert "XNNPACK" in c.engine("litert-xnnpack").kernels  # the delegate really took the graph
    assert "XNNPACK" not in c.engine("litert-optimized").kernels
    assert c.engine("litert-reference").kernels == "OpResolverType.BUILTIN_REF"


def test_every_engine_says_how_it_requantizes():
    assert set(REQUANTIZATION) == set(ENGINES)
    assert {r.ties for r in REQUANTIZATION.values()} == {"up_then_away", "up_then_up", "half_even"}


def test_top1_identical_in_every_engine_that_sums_exactly(shipped):
    """Engines whose sums saturate on this CPU (no VNNI) may change a prediction: the next test holds them to
    qlib's arithmetic on their own sums instead."""
    _, _, c = shipped
    fixed = c.engine("qlib-fixed")
    exact = [e for e in c.engines if own_sums(e.engine) is exact_acc]
    assert {"qlib-fixed", "qlib-float", "litert-reference", "litert-xnnpack"} <= {e.engine for e in exact}
    for e in exact:
        assert e.top1_same_as_fixed == 360, e.engine
        assert e.correct == fixed.correct, e.engine


@pytest.mark.parametrize("engine", ["pytorch-fbgemm", "onnxruntime"])
def test_pytorch_and_onnxruntime_are_qlib_float_on_their_own_sums(shipped, test_split, engine):
    """On the sums each computes on this CPU (exact with VNNI, saturating int16 pairs without): PyTorch is qlib
    float code for code, ONNX Runtime within one code (its int32 bias goes inside the float product)."""
    _, model, _ = shipped
    x = test_split[0]
    theirs, ours = run(model, x, engine), run_qlib(model, x, "float", own_sums(engine))
    worst = [int(np.abs(theirs.code(la) - ours.code(la)).max()) for la in theirs.layers]
    assert max(worst) <= (0 if engine == "pytorch-fbgemm" else 1), worst
    assert np.array_equal(theirs.logits.argmax(1), ours.logits.argmax(1))


def test_litert_reference_equals_qlib_fixed_at_every_layer(shipped):
    _, _, c = shipped
    ref = c.engine("litert-reference")
    assert ref.exact, ref.layers
    assert ref.max_logit_diff_fixed == 0.0


def test_onnxruntime_rounds_unlike_pytorch(shipped):
    """Even where both sum exactly, ONNX Runtime's codes are not all PyTorch's (qlib float's): its int32 bias
    goes inside the float product. The input codes are the same everywhere."""
    _, _, c = shipped
    ort = c.engine("onnxruntime")
    assert ort.layer("input").vs_float == 0
    assert any(la.vs_float for la in ort.layers)
    if own_sums("onnxruntime") is exact_acc:
        assert all(la.max_diff_float <= 1 for la in ort.layers), ort.layers


def test_layer_sizes_and_float_vs_fixed(shipped):
    _, _, c = shipped
    fl = c.engine("qlib-float")
    assert [la.outputs for la in fl.layers] == [360 * 64, 360 * 16 * 64, 360 * 32 * 16, 360 * 10]
    assert all(la.max_diff_fixed <= 1 for la in fl.layers)
    assert 0 < fl.layer("conv1").vs_fixed < 0.01 * fl.layer("conv1").outputs


def test_disagreements_are_real_and_reproducible_on_the_integer_page(shipped, test_split):
    """Each reported disagreement: the engine's code differs from qlib fixed's, and qlib's trace of that one
    test image (what the integer page shows) has qlib's code and accumulator at that layer, channel, position."""
    _, model, c = shipped
    x, _ = test_split
    assert {d.engine for d in c.disagreements} >= {"qlib-float", "onnxruntime", "litert-xnnpack"}
    assert "litert-reference" not in {d.engine for d in c.disagreements}
    for d in c.disagreements:
        codes = dict(d.codes)
        i = model.layer_names.index(d.layer)
        step = model.trace(x[d.image : d.image + 1])[i]
        where = (0, d.channel) if d.row is None else (0, d.channel, d.row, d.col)
        assert int(step.q_out[where]) == codes["qlib-fixed"] != codes[d.engine]
        assert int(step.acc_bias[where]) == d.acc
        theirs = own_sums(d.engine)(step.q_in, model.layers[i])[where]
        if int(theirs) != int(step.acc[where]):  # born of a saturated int16 pair (no VNNI), not of a tie
            assert own_sums(d.engine) is pair_saturated_acc or d.engine == "pytorch-fbgemm"
            continue
        assert abs(codes[d.engine] - codes["qlib-fixed"]) == 1
        assert abs(d.scaled - round(d.scaled)) > 0.49  # every disagreement sits next to a tie
        for e, code in codes.items():  # each engine that sums exactly rounds the same real value up or down
            if own_sums(e) is exact_acc:  # (one whose sums saturate may have other input codes by now)
                assert abs(code - d.out_zp - d.scaled) < 1, e


# ---------------------------------------------------------------------------------------------------------------
# the files themselves


def test_onnx_file_loads_with_named_tensors_and_readable_qparams(shipped):
    _, model, _ = shipped
    proto = onnx.load_from_string(export(model, "onnx"))
    onnx.checker.check_model(proto, full_check=True)
    assert proto.opset_import[0].version == 13 and all(
        op.domain in ("", "ai.onnx") for op in proto.opset_import
    )
    g = proto.graph
    assert [n.op_type for n in g.node] == [
        "QuantizeLinear",
        "QLinearConv",
        "QLinearConv",
        "Reshape",
        "QLinearConv",
        "Reshape",
        "DequantizeLinear",
    ]
    assert {"conv1", "conv2", "fc"} <= {n.name for n in g.node}
    assert {"conv1", "conv2", "fc"} <= {out for n in g.node for out in n.output}
    init = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    first = model.layers[0]
    assert init["input.scale"] == np.float32(first.in_scale) and init["input.zero_point"] == first.in_zp
    assert init["input.zero_point"].dtype == np.uint8
    for name, layer in zip(model.layer_names, model.layers, strict=True):
        w = init[f"{name}.weight"]
        assert w.dtype == np.int8 and np.array_equal(w.reshape(layer.w_q.shape), layer.w_q.numpy())
        assert np.array_equal(init[f"{name}.weight_scale"], layer.w_scale.numpy())
        assert not init[f"{name}.weight_zero_point"].any()
        assert init[f"{name}.bias"].dtype == np.int32 and np.array_equal(
            init[f"{name}.bias"], layer.b_q.numpy()
        )
        assert init[f"{name}.output_scale"] == np.float32(layer.out_scale)
        assert init[f"{name}.output_zero_point"] == layer.out_zp


def test_tflite_file_loads_with_named_tensors_and_int8_qparams(shipped):
    _, model, _ = shipped
    interp = Interpreter(model_content=export(model, "tflite"))
    interp.allocate_tensors()
    t = {d["name"]: d for d in interp.get_tensor_details()}
    assert interp.get_signature_list() == {"serving_default": {"inputs": ["input"], "outputs": ["logits"]}}
    first = model.layers[0]
    assert t["input.quantized"]["quantization"] == (pytest.approx(first.in_scale), first.in_zp - INT8_OFFSET)
    for name, layer in zip(model.layer_names, model.layers, strict=True):
        out = t[name]
        assert out["dtype"] == np.int8
        assert out["quantization"] == (pytest.approx(layer.out_scale), layer.out_zp - INT8_OFFSET)
        w = t[f"{name}.weight"]
        qp = w["quantization_parameters"]
        assert np.array_equal(qp["scales"], layer.w_scale.numpy()) and not qp["zero_points"].any()
        assert qp["quantized_dimension"] == 0
        expect = (
            nhwc_weight(layer.w_q.numpy())
            if layer.kind == "conv"
            else nhwc_fc_weight(layer.w_q.numpy(), (32, 4, 4)).reshape(10, 1, 1, 512)
        )
        assert np.array_equal(interp.get_tensor(w["index"]), expect)
        b = t[f"{name}.bias"]
        assert np.array_equal(interp.get_tensor(b["index"]), layer.b_q.numpy())
        assert np.allclose(
            b["quantization_parameters"]["scales"],
            np.float32(layer.in_scale) * layer.w_scale.numpy(),
            rtol=0,
            atol=0,
        )


def test_file_sizes_beside_fp32():
    model, fp32 = pretrained.load("qat-w8a8"), pretrained.load("fp32")
    s = file_sizes(model, fp32)
    assert s.fp32_params == 4 * 9930 and s.int8_params == model.nbytes()
    assert (
        s.int8_params < s.onnx < s.tflite < s.fp32_onnx < s.fp32_tflite
    )  # headers, names and qparams on top
    assert s.ratio("onnx") > 3 and s.ratio("tflite") > 2.5


def test_fp32_files_compute_the_float_model(test_split):
    import onnxruntime as ort

    fp32 = pretrained.load("fp32")
    x = test_split[0][:50]
    with torch.no_grad():
        want = fp32(x).numpy()
    sess = ort.InferenceSession(export(fp32, "onnx"), providers=["CPUExecutionProvider"])
    assert np.allclose(sess.run(None, {"input": x.numpy()})[0], want, atol=1e-4)
    interp = Interpreter(model_content=export(fp32, "tflite"))
    interp.resize_tensor_input(0, [50, 8, 8, 1])
    interp.allocate_tensors()
    interp.set_tensor(
        interp.get_input_details()[0]["index"], np.ascontiguousarray(x.numpy().transpose(0, 2, 3, 1))
    )
    interp.invoke()
    assert np.allclose(interp.get_tensor(interp.get_output_details()[0]["index"]), want, atol=1e-4)


# ---------------------------------------------------------------------------------------------------------------
# the checks can fail; what is refused; other models


def test_a_perturbed_export_is_caught(test_split):
    """The comparison is not vacuous: export a model whose fc zero point is one off, and every fc code moves."""
    x = test_split[0]
    model = pretrained.load("qat-w8a8")
    fc = model.layers[-1]
    bad = Int8Model(
        [*model.layers[:-1], dataclasses.replace(fc, out_zp=fc.out_zp + 1)], names=model.layer_names
    )
    fixed = run_qlib(model, x, "fixed")
    for good, wrong in (
        (run_litert(model, x, "litert-reference"), run_litert(bad, x, "litert-reference")),
        (run_onnxruntime(model, x), run_onnxruntime(bad, x)),
    ):
        assert np.array_equal(good.code("conv2"), wrong.code("conv2"))  # only the fc changed
        assert (wrong.code("fc") != good.code("fc")).mean() > 0.95
    assert np.array_equal(run_litert(model, x, "litert-reference").code("fc"), fixed.code("fc"))


@pytest.mark.parametrize("name", ["qat-w4a4", "ptq-w3a3", "qat-w2a2"])
@pytest.mark.parametrize("fmt", ["onnx", "tflite"])
def test_sub_8_bit_activations_are_refused_with_the_reason(name, fmt):
    with pytest.raises(ExportError, match=r"activations are \d-bit codes .* full 8-bit range"):
        export(pretrained.load(name), fmt)


def test_plan_refuses_what_a_runtime_cannot_hold():
    model = pretrained.load("ptq-w8a8")
    with pytest.raises(ExportError, match="Int8Model"):
        plan(pretrained.load("fp32"))
    c2 = model.layers[1]
    broken = Int8Model([model.layers[0], dataclasses.replace(c2, in_zp=c2.in_zp + 1), model.layers[2]])
    with pytest.raises(ExportError, match="previous layer's output"):
        export(broken, "onnx")


def test_a_model_converted_in_the_session_with_4_bit_weights(test_split):
    """qlib.qat.convert of a PTQ-calibrated w4a8 model: the 4-bit weight codes go out exactly as int8."""
    from qlib.qat import QConfig, calibrate, convert, prepare_qat

    x, y = test_split
    qat = calibrate(prepare_qat(pretrained.load("fp32"), QConfig(w_bits=4, a_bits=8)), load_digits().train[0])
    model = convert(qat)
    assert "4-bit codes (-8..7), stored exactly as int8" in " ".join(plan(model).notes)
    c = compare(model, x, y, engines=("onnxruntime", "litert-reference"))
    assert c.engine("litert-reference").exact
    assert all(la.max_diff_float <= 1 for la in c.engine("onnxruntime").layers)
    assert c.engine("onnxruntime").top1_same_as_fixed >= 359


def test_relu_above_a_nonzero_zero_point(test_split):
    """A fused ReLU whose output zero point is not the lowest code: ONNX needs a Clip, TFLite clamps itself."""
    x = test_split[0][:64]
    m = pretrained.load("ptq-w8a8")
    c1, c2 = m.layers[0], m.layers[1]
    model = Int8Model(
        [dataclasses.replace(c1, out_zp=5), dataclasses.replace(c2, in_zp=5), m.layers[2]],
        names=m.layer_names,
    )
    assert "Clip" in [n.op_type for n in to_onnx(model).graph.node]
    fixed, flt = run_qlib(model, x, "fixed"), run_qlib(model, x, "float")
    assert fixed.code("conv1").min() == 5
    ort_float = run_qlib(model, x, "float", own_sums("onnxruntime"))  # qlib float on ONNX Runtime's sums here
    assert np.abs(run_onnxruntime(model, x).code("conv1") - ort_float.code("conv1")).max() <= 1
    assert flt.code("conv1").min() == 5
    assert np.array_equal(run_litert(model, x, "litert-reference").code("conv1"), fixed.code("conv1"))


def test_command_line(tmp_path, capsys):
    out = tmp_path / "m.tflite"
    assert main(["ptq-w8a8", "--format", "tflite", "--out", str(out)]) == 0
    assert out.read_bytes() == export(pretrained.load("ptq-w8a8"), "tflite")
    assert "wrote" in capsys.readouterr().out
    assert main(["qat-w4a4", "--format", "onnx", "--out", str(tmp_path / "no.onnx")]) == 1
    assert "refused" in capsys.readouterr().err and not (tmp_path / "no.onnx").exists()
    with pytest.raises(SystemExit) as e:
        main(["no-such-model", "--format", "onnx"])
    assert e.value.code == 2 and "unknown model 'no-such-model'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["qat-w8a8", "--format", "xml"])
