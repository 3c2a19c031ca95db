"""The integer engine on the MobileNet-style net: grouped (depthwise) convs and the ReLU6 clamp, against exact
integer arithmetic and PyTorch's quantized kernels (fbgemm), and the shipped mobile models."""

import warnings
from dataclasses import replace

import pytest
import torch
import torch.nn.functional as F

from qlib import pretrained
from qlib.int8 import Int8Model, conv_int, exact_acc, output_clamp, pair_saturated_acc
from qlib.layers import Int8Layer
from qlib.model import evaluate, fp32_nbytes
from qlib.spec import MOBILE_CNN
from qlib.torch_ref import (
    check_fused_types,
    fbgemm_accumulate,
    fbgemm_pairs_saturate,
    output_module,
    quant_engine,
    to_torch_quantized,
    torch_int_outputs,
)

pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py
DEPTHWISE = [i for i, layer in enumerate(MOBILE_CNN.layers) if layer.depthwise]


def _layer(w_q, groups, stride=1, padding=1, in_zp=0, out_scale=0.05, out_zp=0, relu=False, relu6=False):
    c = w_q.shape[0]
    return Int8Layer(
        "conv", w_q, torch.full((c,), 0.01), torch.zeros(c), torch.zeros(c, dtype=torch.int32), 0.02, in_zp,
        out_scale, out_zp, 0, 255, -128, 127, relu, stride, padding, groups=groups, relu6=relu6,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("c_in", "c_out", "groups", "stride", "padding", "in_zp"),
    [(8, 8, 8, 1, 1, 0), (8, 8, 8, 2, 1, 17), (6, 9, 3, 1, 0, 5), (4, 8, 4, 2, 1, 128), (4, 6, 1, 1, 1, 3)],
)
def test_grouped_conv_accumulator_is_the_exact_integer_sum(c_in, c_out, groups, stride, padding, in_zp):
    g = torch.Generator().manual_seed(c_in * 100 + c_out + groups)
    w = torch.randint(-128, 128, (c_out, c_in // groups, 3, 3), generator=g).to(torch.int8)
    q = torch.randint(0, 256, (3, c_in, 7, 7), generator=g)
    layer = _layer(w, groups, stride, padding, in_zp)
    acc = conv_int(q, layer)
    ref = F.conv2d((q - in_zp).double(), w.double(), stride=stride, padding=padding, groups=groups)
    assert acc.dtype == torch.int64 and torch.equal(acc.double(), ref)  # exact: every value < 2^53


def _ties_and_randoms():
    """Scales where 6/scale ends in .5 (where the order of rounding and adding zp matters), and random ones."""
    ties = [6.0 / (k + 0.5) for k in (20, 21, 100, 101, 200)]
    g = torch.Generator().manual_seed(0)
    return ties + torch.empty(40).uniform_(0.03, 0.5, generator=g).tolist()  # 6/scale + zp < 255


@pytest.mark.parametrize("scale", _ties_and_randoms())
def test_relu6_clamp_is_pytorchs_quantized_relu6(scale):
    """Our fused ReLU6 bounds [zp, quantize(6.0)] clamp codes exactly as torch.ops.quantized.relu6."""
    for zp in (0, 3, 40):
        q = torch.arange(256)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            qx = torch._make_per_tensor_quantized_tensor(q.to(torch.uint8), scale, zp)
            ref = torch.ops.quantized.relu6(qx, False).int_repr().to(torch.int64)
        lo, hi = output_clamp(_layer(torch.zeros(1, 1, 1, 1, dtype=torch.int8), 1, out_scale=scale, out_zp=zp,
                                     relu=True, relu6=True))  # fmt: skip
        assert torch.equal(q.clamp(lo, hi), ref), (scale, zp)
        assert hi < 255  # 6.0 is inside the range here, so the clamp bites


def test_relu6_bound_is_implied_when_the_range_was_observed_after_relu6():
    """qlib.qat observes the output after the ReLU6: its range ends at <= 6, so the clamp at 6 is qmax."""
    model = pretrained.load("mobile/ptq-w8a8")
    for layer, (lo, hi) in zip(model.layers, model.clamps, strict=True):
        if layer.relu6:
            assert layer.out_zp == 0 and lo == 0 and hi == 255 and layer.out_scale * 255 <= 6.0 + 1e-6


@pytest.fixture(scope="module", params=["mobile/ptq-w8a8", "mobile/ptq-w8a8-per-tensor", "mobile/qat-w8a8"])
def shipped(request):
    return pretrained.load(request.param)


def _pytorch_codes(model: Int8Model, x):
    qmodel = to_torch_quantized(Int8Model(model.layers, "float"), spec=MOBILE_CNN)
    assert check_fused_types(qmodel)  # ConvBn folded into nnq.Conv2d, then nnq.ReLU6; nnq.Linear
    return qmodel, torch_int_outputs(qmodel, x)


def test_float_engine_on_fbgemms_sums_is_pytorch_on_every_layer(shipped, digits):
    """With fbgemm's accumulator on this CPU (int16 pairs in the depthwise kernel, and everywhere without VNNI)
    our float requantization is PyTorch's, code for code, in every layer fed PyTorch's own input codes."""
    x = digits.test[0]
    _, codes = _pytorch_codes(shipped, x)
    ours = Int8Model(shipped.layers, "float", accumulate=fbgemm_accumulate)
    assert torch.equal(ours.quantize_input(x), codes["quant"])
    prev = "quant"
    for i, name in enumerate(MOBILE_CNN.names):
        assert torch.equal(ours.run_layer(i, codes[prev]).q_out, codes[name]), name
        prev = name


def test_pytorch_is_the_exact_sum_but_for_int16_pair_saturation(shipped, digits):
    """Every output where PyTorch differs from the exact sum is one whose int16 pairs saturated. With VNNI only
    the depthwise kernel pairs, and rarely (measured: 0.01–0.3 % of dw2's outputs on the test images)."""
    x = digits.test[0]
    _, codes = _pytorch_codes(shipped, x)
    exact = Int8Model(shipped.layers, "float")
    prev = "quant"
    for i, name in enumerate(MOBILE_CNN.names):
        run = exact.run_layer(i, codes[prev])
        differ = run.q_out != codes[name]
        saturated = pair_saturated_acc(run.q_in, shipped.layers[i]) != run.acc
        assert not (differ & ~saturated).any(), name  # every difference is a saturated accumulator
        if i not in DEPTHWISE and not fbgemm_pairs_saturate():
            assert not differ.any(), name  # VNNI: vpdpbusd sums in int32, exactly
        elif i in DEPTHWISE and not fbgemm_pairs_saturate():
            assert differ.float().mean() < 0.005, name
        prev = name


def test_seven_bit_activations_never_saturate_the_depthwise_kernel(shipped, digits):
    """PyTorch's x86 qconfig uses reduce_range (0..127): two products stay below 2^15, so PyTorch's depthwise
    kernel is the exact sum and our float engine matches it code for code (and so is every layer's pair sum)."""
    x = digits.test[0]
    qmodel, codes = _pytorch_codes(shipped, x)
    ours = Int8Model(shipped.layers, "float")
    for i in DEPTHWISE:
        layer, prev = MOBILE_CNN.layers[i], MOBILE_CNN.names[i - 1]
        q7 = codes[prev] // 2  # codes 0..127
        lyr = shipped.layers[i]
        with quant_engine(), warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            qx = torch._make_per_tensor_quantized_tensor(q7.to(torch.uint8), lyr.in_scale, lyr.in_zp)
            out = getattr(qmodel, layer.name)(qx)
            if layer.relu6:
                out = getattr(qmodel, output_module(layer))(out)
        assert torch.equal(ours.run_layer(i, q7).q_out, out.int_repr().to(torch.int64))
        assert torch.equal(pair_saturated_acc(q7, lyr), conv_int(q7, lyr))
    for i, lyr in enumerate(shipped.layers):
        q7 = codes[MOBILE_CNN.names[i - 1] if i else "quant"] // 2
        q7 = q7.flatten(1) if lyr.kind != "conv" else q7
        assert torch.equal(pair_saturated_acc(q7, lyr), exact_acc(q7, lyr)), MOBILE_CNN.names[i]


def test_fixed_point_engine_is_within_one_code_of_pytorch(shipped, digits):
    """On fbgemm's sums, integer requantization (M0 · 2⁻ⁿ) and PyTorch's float32 differ by one code at most."""
    x = digits.test[0]
    _, codes = _pytorch_codes(shipped, x)
    fixed = Int8Model(shipped.layers, "fixed", accumulate=fbgemm_accumulate)
    prev = "quant"
    for i, name in enumerate(MOBILE_CNN.names):
        diff = (fixed.run_layer(i, codes[prev]).q_out - codes[name]).abs()
        assert diff.max() <= 1 and (diff > 0).float().mean() <= 0.02, name
        prev = name
    assert (shipped(x).argmax(1) == Int8Model(shipped.layers, "float")(x).argmax(1)).float().mean() >= 0.99


@pytest.mark.parametrize("name", pretrained.available("mobile_cnn")[1:])
def test_every_shipped_mobile_model_is_integer_only_and_what_its_fake_quant_model_computes(digits, name):
    x = digits.test[0]
    model = pretrained.load(name)
    assert isinstance(model, Int8Model) and model.nbytes() <= 0.30 * fp32_nbytes(
        pretrained.load("mobile/fp32")
    )
    assert [layer.groups for layer in model.layers] == [layer.groups for layer in MOBILE_CNN.layers]
    steps = model.trace(x[:8])
    assert all(s[k].dtype == torch.int64 for s in steps for k in ("q_in", "acc", "acc_bias", "q_out"))
    with torch.no_grad():
        fq = pretrained.load_fake_quant(name).eval()(x)
    step = model.layers[-1].out_scale
    out, out_float = model(x), Int8Model(model.layers, "float")(x)
    # PyTorch's float bias (requant="float") is what the fake-quant model adds: measured <= 1 code everywhere
    assert (out_float - fq).abs().max() <= step * 1.001, name
    # the fixed-point engine rounds the bias to int32 at scale s_in·s_w, coarse when the weights have few bits
    # (s_w large), and six layers pass it on: measured 1 code at 8-bit weights, 2-4 at 3-4-bit weights
    w_bits = pretrained.qconfig(name).w_bits
    assert (out - fq).abs().max() <= step * (1.001 if w_bits == 8 else 4.001), name
    assert (out.argmax(1) == fq.argmax(1)).float().mean() >= 0.99, name
    assert evaluate(model, *digits.test) == pretrained.metrics("mobile_cnn")[name]["test_acc"]


def test_export_refuses_what_it_cannot_write_yet():
    from qlib.export import ExportError, export

    for fmt in ("onnx", "tflite"):
        with pytest.raises(ExportError, match="ReLU6 is not exported yet"):
            export(pretrained.load("mobile/ptq-w8a8"), fmt)
    layers = pretrained.load("mobile/ptq-w8a8").layers
    layers[1] = replace(layers[1], relu6=False)
    with pytest.raises(ExportError, match="dw2: a grouped conv \\(groups=16\\) is not exported yet"):
        export(
            Int8Model([replace(layers[0], relu6=False), *layers[1:]], names=list(MOBILE_CNN.names)), "onnx"
        )
