"""Int8Model against PyTorch's own quantized kernels (fbgemm), code for code.

PyTorch's sums are fbgemm's: exact with AVX512-VNNI, saturating int16 pairs without it (`fbgemm_accumulate`
chooses as this CPU does). Every comparison of codes runs our engines on those sums; the exact sums are held
against them apart (`test_pytorchs_sums_are_exact_but_for_int16_pair_saturation`)."""

from types import SimpleNamespace

import pytest
import torch

from qlib.int8 import Int8Model, exact_acc, pair_saturated_acc, requantize_float
from qlib.torch_ref import (
    ENGINE,
    TorchNet,
    check_fused_types,
    fbgemm_accumulate,
    fbgemm_pairs_saturate,
    pytorch_qat,
    quant_engine,
    to_torch_quantized,
    torch_int_outputs,
)
from tests.library.int8_helpers import (
    int8_layers,
    trained_net,
)

pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


@pytest.fixture(scope="module")
def digits():
    from qlib.data import load_digits

    return load_digits()


@pytest.fixture(scope="module", params=[0, 1])
def layers(request, digits):
    return int8_layers(trained_net(request.param), digits.train[0])


def _compare(layers_, x):
    """PyTorch's codes per layer, and ours from the float and fixed engines (fed PyTorch's inputs, and end to end)."""
    torch_codes = torch_int_outputs(to_torch_quantized(Int8Model(layers_, "float")), x)
    names = ["quant", "conv1", "conv2", "fc"]
    ours = {}
    for requant in ("float", "fixed"):
        model = Int8Model(layers_, requant, accumulate=fbgemm_accumulate)
        steps = model.trace(x)
        ours[requant] = {
            "input": model.quantize_input(x),
            "e2e": [s["q_out"] for s in steps],
            "same_input": [model.run_layer(i, torch_codes[names[i]])["q_out"] for i in range(3)],
        }
    return torch_codes, ours


def test_float_requant_is_identical_to_pytorch_on_the_whole_test_split(layers, digits):
    x = digits.test[0]
    torch_codes, ours = _compare(layers, x)
    assert torch.equal(ours["float"]["input"], torch_codes["quant"])
    for i, name in enumerate(["conv1", "conv2", "fc"]):
        assert torch.equal(ours["float"]["e2e"][i], torch_codes[name]), name
        assert torch.equal(ours["float"]["same_input"][i], torch_codes[name]), name


def test_fixed_point_is_within_one_code_of_pytorch(layers, digits):
    x = digits.test[0]
    torch_codes, ours = _compare(layers, x)
    for i, name in enumerate(["conv1", "conv2", "fc"]):  # layer by layer, from the same input codes
        diff = (ours["fixed"]["same_input"][i] - torch_codes[name]).abs()
        assert diff.max() <= 1 and (diff > 0).float().mean() <= 0.01, name
    logits, ref = ours["fixed"]["e2e"][-1], torch_codes["fc"]  # end to end: differences carry through
    diff = (logits - ref).abs()
    assert diff.max() <= 1 and (diff > 0).float().mean() <= 0.02
    assert torch.equal(logits.argmax(1), ref.argmax(1))


@pytest.mark.skipif("x86" not in torch.backends.quantized.supported_engines, reason="no x86 engine")
def test_pytorch_default_x86_engine_is_within_one_code_at_rare_ties(layers, digits):
    """PyTorch's default engine: oneDNN conv on VNNI CPUs rounds a few .5 ties the other way; fbgemm linear."""
    x = digits.test[0]
    torch_codes = torch_int_outputs(to_torch_quantized(Int8Model(layers, "float"), engine="x86"), x)
    model = Int8Model(layers, "float", accumulate=fbgemm_accumulate)
    inputs = [torch_codes["quant"], torch_codes["conv1"], torch_codes["conv2"]]
    for i, name in enumerate(["conv1", "conv2", "fc"]):
        diff = (model.run_layer(i, inputs[i])["q_out"] - torch_codes[name]).abs()
        assert diff.max() <= 1 and (diff > 0).float().mean() <= 1e-4, name
    assert torch.equal(model.run_layer(2, inputs[2])["q_out"], torch_codes["fc"])


def test_float_requant_matches_fbgemm_conv_and_linear_at_random_qparams():
    """Random weights, bias, scales and zero points (no ReLU and ReLU): fbgemm's kernel, code for code."""
    import torch.ao.nn.intrinsic.quantized as nniq
    import torch.ao.nn.quantized as nnq

    g = torch.Generator().manual_seed(0)
    for trial in range(12):
        relu, linear = trial % 2 == 1, trial % 3 == 2
        cin, cout = (64, 10) if linear else ((1, 16) if trial % 4 == 0 else (16, 32))
        shape = (cout, cin) if linear else (cout, cin, 3, 3)
        w = torch.randn(shape, generator=g) * 0.3
        w_scale = (w.flatten(1).abs().amax(1) / 127.5).float()
        w_q = torch.clamp(torch.round(w / w_scale.reshape([-1] + [1] * (w.dim() - 1))), -128, 127).to(
            torch.int8
        )
        bias = torch.randn(cout, generator=g) * 0.2
        in_scale = float(torch.rand(1, generator=g) * 0.02 + 0.003)
        out_scale = float(torch.rand(1, generator=g) * 0.05 + 0.005)
        in_zp, out_zp = (int(v) for v in torch.randint(0, 256, (2,), generator=g))
        q_in = torch.randint(0, 256, (40, cin) if linear else (40, cin, 8, 8), generator=g)
        with quant_engine():
            qw = torch._make_per_channel_quantized_tensor(
                w_q, w_scale.double(), torch.zeros(cout, dtype=torch.long), 0
            )
            if linear:
                m = nniq.LinearReLU(cin, cout) if relu else nnq.Linear(cin, cout)
            else:
                m = (nniq.ConvReLU2d if relu else nnq.Conv2d)(cin, cout, 3, stride=1 + trial % 2, padding=1)
            m.set_weight_bias(qw, bias)
            m.scale, m.zero_point = out_scale, out_zp
        qx = torch._make_per_tensor_quantized_tensor(q_in.to(torch.uint8), in_scale, in_zp)
        want = m(qx).int_repr().to(torch.int64)
        x = q_in - in_zp
        if linear:
            acc = x @ w_q.to(torch.int64).T
        else:
            acc = torch.nn.functional.conv2d(x.double(), w_q.double(), stride=1 + trial % 2, padding=1).to(
                torch.int64
            )
        kind = "linear" if linear else "conv"
        layer = SimpleNamespace(kind=kind, w_q=w_q, in_zp=in_zp, groups=1, stride=1 + trial % 2, padding=1)
        assert torch.equal(exact_acc(q_in, layer), acc)
        acc = fbgemm_accumulate(q_in, layer)
        pc = [1, -1] + [1] * (acc.dim() - 2)
        lo = out_zp if relu else 0
        got = requantize_float(
            acc, bias.reshape(pc), in_scale, w_scale.reshape(pc), out_scale, out_zp, lo, 255
        )
        assert torch.equal(got, want), trial


def test_float_requant_matches_fbgemm_with_accumulators_beyond_2_to_24():
    """Where float32(acc) itself rounds (|acc| > 2^24), fbgemm's order of operations still matches."""
    import torch.ao.nn.quantized as nnq

    g = torch.Generator().manual_seed(1)
    cin, cout = 4096, 16
    w_q = torch.randint(40, 128, (cout, cin), generator=g).to(torch.int8)
    w_scale = torch.rand(cout, generator=g) * 0.01 + 0.001
    q_in = torch.randint(150, 256, (64, cin), generator=g)
    in_scale, in_zp = 0.01, 3
    layer = SimpleNamespace(kind="linear", w_q=w_q, in_zp=in_zp)
    acc = fbgemm_accumulate(q_in, layer)  # the exact sum with VNNI, saturated int16 pairs without
    assert acc.min() > 2**24
    bias = torch.randn(cout, generator=g)
    out_scale = float(in_scale * w_scale.max() * acc.double().mean() / 100)  # codes around 100..200
    out_zp = 7
    with quant_engine():
        m = nnq.Linear(cin, cout)
        qw = torch._make_per_channel_quantized_tensor(
            w_q, w_scale.double(), torch.zeros(cout, dtype=torch.long), 0
        )
        m.set_weight_bias(qw, bias)
        m.scale, m.zero_point = out_scale, out_zp
    want = m(torch._make_per_tensor_quantized_tensor(q_in.to(torch.uint8), in_scale, in_zp)).int_repr().long()
    got = requantize_float(acc, bias, in_scale, w_scale, out_scale, out_zp, 0, 255)
    assert 0 < got.min() and got.max() < 255  # not saturated: the rounding is what is compared
    assert torch.equal(got, want)


def test_torch_model_is_the_eager_mode_fused_network(layers):
    qmodel = to_torch_quantized(Int8Model(layers))
    assert check_fused_types(qmodel)
    assert torch.equal(qmodel.conv1.weight().int_repr(), layers[0].w_q)
    assert float(qmodel.quant.scale) == layers[0].in_scale
    assert torch.backends.quantized.engine != "" and ENGINE == "fbgemm"


def test_to_torch_quantized_refuses_low_bit_activations(digits):
    low = int8_layers(trained_net(0), digits.train[0], a_bits=4)
    with pytest.raises(ValueError):
        to_torch_quantized(Int8Model(low))


def test_pytorch_eager_qat_runs_and_keeps_accuracy(digits):
    net = trained_net(0)
    run = pytorch_qat(net, digits.train, epochs=1)
    qmodel, qparams = run.model, run.qparams
    assert check_fused_types(qmodel)
    assert [q.name for q in qparams] == ["input", "conv1", "conv2", "fc"]
    assert all(0 <= q.zero_point <= 127 for q in qparams)  # x86 qconfig: 7-bit activations (reduce_range)
    x, y = digits.test
    with torch.no_grad():
        acc_q = (qmodel(x).argmax(1) == y).float().mean()
        acc_f = (net(x).argmax(1) == y).float().mean()
    assert acc_q >= acc_f - 0.05 and run.engine == "fbgemm"
    with pytest.raises(ValueError):
        TorchNet.from_float(torch.nn.Linear(3, 3))


def test_qlib_ptq_pipeline_against_pytorch(digits):
    """TinyCNN -> qlib.qat.prepare_qat -> calibrate -> convert: the hand-off, checked against PyTorch."""
    from qlib.model import TinyCNN
    from qlib.qat import calibrate, convert, prepare_qat

    net = TinyCNN()
    net.load_state_dict(trained_net(0).state_dict())
    model = convert(calibrate(prepare_qat(net.eval()), digits.train[0]))
    torch_codes, ours = _compare(model.layers, digits.test[0])
    for i, name in enumerate(["conv1", "conv2", "fc"]):
        assert torch.equal(ours["float"]["e2e"][i], torch_codes[name]), name
        diff = (ours["fixed"]["same_input"][i] - torch_codes[name]).abs()
        assert diff.max() <= 1 and (diff > 0).float().mean() <= 0.01, name
    assert torch.equal(ours["fixed"]["e2e"][-1].argmax(1), torch_codes["fc"].argmax(1))


@pytest.mark.parametrize("name", ["qat-w8a8", "ptq-w8a8"])
def test_shipped_w8a8_models_against_pytorch(digits, name):
    from qlib import pretrained

    model = pretrained.load(name)
    x = digits.test[0]
    torch_codes, ours = _compare(model.layers, x)
    for i, name in enumerate(["conv1", "conv2", "fc"]):
        assert torch.equal(ours["float"]["e2e"][i], torch_codes[name]), name
        diff = (ours["fixed"]["same_input"][i] - torch_codes[name]).abs()
        assert diff.max() <= 1 and (diff > 0).float().mean() <= 0.01, name
    logits = ours["fixed"]["e2e"][-1]
    diff = (logits - torch_codes["fc"]).abs()
    assert diff.max() <= 1 and (diff > 0).float().mean() <= 0.02  # measured: 1.4 % (qat), 1.2 % (ptq)
    assert torch.equal(logits.argmax(1), torch_codes["fc"].argmax(1))


def test_pytorchs_sums_are_exact_but_for_int16_pair_saturation(digits):
    """The shipped w8a8 model's codes from the exact sums against PyTorch's: equal with VNNI; without it every
    difference lies where two neighbouring uint8 × int8 products passed 32767 (8-bit activations), and with
    7-bit activations (reduce_range, codes 0..127) no pair can: PyTorch's x86 default exists for this."""
    from qlib import pretrained

    model = pretrained.load("qat-w8a8")
    x = digits.test[0]
    codes = torch_int_outputs(to_torch_quantized(Int8Model(model.layers, "float")), x)
    exact = Int8Model(model.layers, "float")
    names, saturated_any = ["quant", "conv1", "conv2", "fc"], False
    for i, layer in enumerate(model.layers):
        run = exact.run_layer(i, codes[names[i]])
        differ = run.q_out != codes[names[i + 1]]
        saturated = pair_saturated_acc(run.q_in, layer) != run.acc
        assert not (differ & ~saturated).any(), names[i + 1]
        saturated_any |= bool(saturated.any())
        q7 = run.q_in // 2
        assert torch.equal(pair_saturated_acc(q7, layer), exact_acc(q7, layer))
    assert saturated_any  # 8-bit activations do pass 32767 in a pair (so the test above can fail)
    assert fbgemm_pairs_saturate() == (not torch.equal(exact.forward_int(codes["quant"]), codes["fc"]))


def test_the_saturation_probe_is_what_a_real_layer_does():
    """fbgemm_pairs_saturate() against a 64-input linear layer at random codes: PyTorch's codes are those of the
    pair-saturated sums exactly when the probe says so, and those of the exact sums otherwise."""
    import torch.ao.nn.quantized as nnq

    g = torch.Generator().manual_seed(3)
    w_q = torch.randint(-128, 128, (8, 64), generator=g).to(torch.int8)
    q_in = torch.randint(0, 256, (32, 64), generator=g)
    out_scale, out_zp = 2048.0, 128  # sums of about ±250000 land inside 0..255
    with quant_engine():
        m = nnq.Linear(64, 8)
        m.set_weight_bias(torch._make_per_tensor_quantized_tensor(w_q, 1.0, 0), torch.zeros(8))
        m.scale, m.zero_point = out_scale, out_zp
        qx = torch._make_per_tensor_quantized_tensor(q_in.to(torch.uint8), 1.0, 0)
        out = m(qx).int_repr().to(torch.int64)
    layer = SimpleNamespace(kind="linear", w_q=w_q, in_zp=0)
    zero = torch.zeros(8)
    pairs, exact = (
        requantize_float(acc(q_in, layer), zero, 1.0, torch.ones(8), out_scale, out_zp, 0, 255)
        for acc in (pair_saturated_acc, exact_acc)
    )
    assert not torch.equal(pairs, exact)  # these codes saturate some pairs, visibly
    assert torch.equal(out, pairs if fbgemm_pairs_saturate() else exact)
