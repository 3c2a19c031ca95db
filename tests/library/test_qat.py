"""Fake quantization everywhere the integer engine quantizes, observers and freezing, PTQ, and convert()."""

import copy
from types import SimpleNamespace

import pytest
import torch

from qlib import pretrained
from qlib.data import load_digits
from qlib.int8 import Int8Model
from qlib.model import evaluate, predict
from qlib.qat import QATNet, QConfig, calibrate, convert, prepare_qat, to_int8_layers
from qlib.quant import dequantize, fake_quant, qrange
from qlib.train import fit
from tests import digest


@pytest.fixture(scope="module")
def splits():
    return load_digits()


@pytest.fixture(scope="module")
def small(splits):
    s = splits
    return SimpleNamespace(
        train=(s.train[0][:256], s.train[1][:256]), val=(s.val[0][:128], s.val[1][:128]), test=s.test
    )


@pytest.fixture(scope="module")
def fp32():
    """The shipped trained float model (a private copy): PTQ and QAT start from it, as in the app."""
    return pretrained.load("fp32")


def on_grid(x: torch.Tensor, scale: torch.Tensor, zp: torch.Tensor, qmin: int, qmax: int) -> bool:
    """Every value is (q - zp) * scale for an integer q in [qmin, qmax] (recomputed exactly like dequantize)."""
    q = torch.round(x / scale) + zp
    return bool(((q >= qmin) & (q <= qmax)).all()) and torch.equal((q - zp).to(torch.float32) * scale, x)


# -- QConfig -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [1, 9, 0, 16, True, 8.0, "8"])
def test_qconfig_bits_2_to_8(bad):
    with pytest.raises(ValueError, match="from 2 to 8"):
        QConfig(w_bits=bad)
    with pytest.raises(ValueError, match="a_bits must be an integer from 2 to 8"):
        QConfig(a_bits=bad)


def test_qconfig_other_checks():
    with pytest.raises(ValueError, match="observer must be one of"):
        QConfig(observer="kl")
    with pytest.raises(ValueError):
        QConfig(freeze_observers_after=-1)
    with pytest.raises(ValueError):
        QConfig(percentile=40)
    assert QConfig(4, 3).name == "w4a3"
    with pytest.raises(AttributeError):
        QConfig().w_bits = 4  # frozen


# -- prepare_qat -------------------------------------------------------------------------------------------------


def test_prepare_qat_returns_a_new_model_and_never_touches_the_given_one(fp32, small):
    before = digest(fp32)
    q = prepare_qat(fp32, QConfig(4, 4))
    assert isinstance(q, QATNet) and q.conv1 is not fp32.conv1
    calibrate(q, small.train[0])
    fit(q, small, epochs=1, lr=1e-2)
    assert digest(fp32) == before
    with pytest.raises(TypeError):
        prepare_qat(torch.nn.Linear(3, 3), QConfig())


@pytest.mark.parametrize("bits", [8, 4, 2])
@pytest.mark.parametrize("training", [True, False])
def test_every_number_the_engine_sees_is_on_its_grid(fp32, small, bits, training):
    """Input, each weight, each post-ReLU activation and the logits are fake-quantized, in train and eval mode."""
    q = calibrate(prepare_qat(fp32, QConfig(bits, bits)), small.train[0]).train(training)
    seen = {}
    for name, fq in q.act_fq.items():
        fq.register_forward_hook(lambda m, i, out, name=name: seen.__setitem__(name, (out, m.qp)))
    q(small.val[0][:64])
    assert set(seen) == {"input", "conv1", "conv2", "fc"}
    for out, qp in seen.values():
        assert qp.qmin == 0 and qp.qmax == 2**bits - 1
        assert on_grid(out, qp.scale, qp.zero_point, qp.qmin, qp.qmax)
    for name in ("conv1", "conv2", "fc"):
        w = q.weight(name)
        qp = q.w_fq[name].qp
        assert (qp.qmin, qp.qmax) == qrange(bits, signed=True) and qp.axis == 0
        assert torch.equal(qp.zero_point, torch.zeros_like(qp.zero_point))
        shape = [-1] + [1] * (w.dim() - 1)
        assert on_grid(w, qp.scale.reshape(shape), 0, qp.qmin, qp.qmax)
    # the ReLU is fused into the output quantization: its observer saw only values >= 0, so 0.0 is code 0
    assert int(q.act_fq["conv1"].qp.zero_point) == 0 and int(q.act_fq["conv2"].qp.zero_point) == 0
    assert int(q.act_fq["input"].qp.zero_point) > 0  # the input (in [-1, 1]) is asymmetric


def test_weight_scale_is_pytorchs_qint8_scheme(fp32):
    q = prepare_qat(fp32, QConfig())
    w = fp32.conv2.weight.detach()
    qp = q.w_fq["conv2"].qparams(w)
    assert (qp.qmin, qp.qmax) == (-128, 127)
    expected = torch.maximum(w.flatten(1).abs().amax(1) / 127.5, torch.tensor(torch.finfo(torch.float32).eps))
    assert torch.equal(qp.scale, expected)
    narrow = prepare_qat(fp32, QConfig(w_narrow_range=True)).w_fq["conv2"].qparams(w)
    assert (narrow.qmin, narrow.qmax) == (-127, 127)


def test_ste_passes_gradients_to_the_float_weights(fp32, small):
    q = calibrate(prepare_qat(fp32, QConfig(4, 4)), small.train[0]).train()
    loss = torch.nn.functional.cross_entropy(q(small.train[0][:64]), small.train[1][:64])
    loss.backward()
    for name in ("conv1", "conv2", "fc"):
        g = getattr(q, name).weight.grad
        assert g is not None and g.abs().sum() > 0


def test_observers_move_in_training_and_freeze(fp32, small):
    q = calibrate(prepare_qat(fp32, QConfig(freeze_observers_after=2, observer="minmax")), small.train[0])
    hist = fit(q, small, epochs=4, lr=1e-2)
    states = [h.quantizers for h in hist]
    assert set(states[0]) == {
        "input",
        "conv1.weight",
        "conv1.output",
        "conv2.weight",
        "conv2.output",
        "fc.weight",
        "fc.output",
    }
    assert states[0]["conv1.weight"].per_channel and len(states[0]["conv1.weight"].scale) == 16
    assert not states[0]["fc.output"].per_channel and isinstance(states[0]["fc.output"].zero_point[0], int)
    assert states[0]["conv1.weight"] != states[1]["conv1.weight"]  # weights moved, so did their scales
    assert states[2] == states[3]  # frozen from epoch index 2
    assert q.frozen
    frozen = copy.deepcopy(states[3])
    q.train()
    q(small.train[0][:32] * 3)  # new data can't move frozen qparams
    assert q.quantizer_state() == frozen


def test_eval_mode_does_not_observe(fp32, small):
    q = calibrate(prepare_qat(fp32, QConfig(observer="minmax")), small.train[0]).eval()
    before = q.quantizer_state()
    q(small.train[0] * 5)
    assert q.quantizer_state() == before


@pytest.mark.parametrize("observer", ["minmax", "moving_average", "percentile", "mse"])
def test_calibrate_sets_every_activation_and_leaves_weights(fp32, small, observer):
    q = prepare_qat(fp32, QConfig(4, 4, observer=observer))
    w_before = digest(q)
    with pytest.raises(RuntimeError, match="calibrate"):
        q.eval()(small.val[0])
    calibrate(q, small.train[0][:128])
    assert digest(q) == w_before
    assert all(fq.qp is not None for fq in q.act_fq.values())
    assert 0.3 < evaluate(q, *small.val) <= 1.0


def test_mse_observers_are_built_for_their_quantizers_code(fp32, small):
    """Issue 12 item 6: each activation's MSE observer is made for its own code (post-ReLU symmetric here)."""
    q = calibrate(prepare_qat(fp32, QConfig(4, 4, observer="mse", a_symmetric=True)), small.train[0][:64])
    for name, symmetric in (("input", False), ("conv1", True), ("conv2", True), ("fc", False)):
        fq = q.act_fq[name]
        assert (fq.observer.bits, fq.observer.symmetric, fq.observer.signed) == (4, symmetric, False)
        assert (int(fq.qp.zero_point) == 8) if symmetric else fq.qp.qmin == 0
        fq.restart()  # a new epoch's observer keeps the code
        assert fq.observer.symmetric == symmetric


def test_percentile_and_mse_train(fp32, small):
    tiny = SimpleNamespace(train=(small.train[0][:96], small.train[1][:96]), val=small.val)
    for observer in ("percentile", "mse"):
        q = calibrate(prepare_qat(fp32, QConfig(3, 3, observer=observer)), small.train[0][:64])
        hist = fit(q, tiny, epochs=2, lr=3e-3)
        assert len(hist) == 2 and hist[-1].quantizers["fc.output"].scale[0] > 0


# -- convert -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bits", [8, 4, 3, 2])
def test_convert_layers(fp32, small, bits):
    q = calibrate(prepare_qat(fp32, QConfig(bits, bits)), small.train[0]).eval()
    layers = to_int8_layers(q)
    assert [lay.kind for lay in layers] == ["conv", "conv", "linear"]
    assert [lay.relu for lay in layers] == [True, True, False]
    assert [(lay.stride, lay.padding) for lay in layers] == [(1, 1), (2, 1), (1, 0)]
    assert [lay.flatten_before for lay in layers] == [False, False, True]
    wqmin, wqmax = qrange(bits, signed=True)
    for name, lay in zip(("conv1", "conv2", "fc"), layers, strict=True):
        assert lay.w_q.dtype == torch.int8 and lay.b_q.dtype == torch.int32
        assert (lay.w_qmin, lay.w_qmax) == (wqmin, wqmax)
        assert int(lay.w_q.min()) >= wqmin and int(lay.w_q.max()) <= wqmax
        assert (lay.qmin, lay.qmax) == (0, 2**bits - 1)
        w = getattr(q, name).weight
        qp = q.w_fq[name].qparams(w)
        assert torch.equal(dequantize(lay.w_q, qp), fake_quant(w, qp))  # exactly the weights QAT used
        assert torch.equal(dequantize(lay.w_q, qp), q.weight(name).detach())
        assert lay.w_scale.shape == (w.shape[0],) and lay.bias.dtype == torch.float32
        s = torch.tensor(lay.in_scale, dtype=torch.float32) * lay.w_scale
        assert torch.equal(lay.b_q, torch.round(lay.bias / s).to(torch.int32))
    acts = q.act_fq
    chain = [(acts["input"], acts["conv1"]), (acts["conv1"], acts["conv2"]), (acts["conv2"], acts["fc"])]
    for lay, (src, dst) in zip(layers, chain, strict=True):
        assert (lay.in_scale, lay.in_zp) == (float(src.qp.scale), int(src.qp.zero_point))
        assert (lay.out_scale, lay.out_zp) == (float(dst.qp.scale), int(dst.qp.zero_point))


@pytest.mark.parametrize("bits", [8, 4])
def test_integer_model_agrees_with_the_fake_quant_model(fp32, splits, bits):
    """The integer engine computes what the fake-quantized model simulates: same top-1 on >= 99 % of test images."""
    q = calibrate(prepare_qat(fp32, QConfig(bits, bits)), splits.train[0])
    fit(q, splits, epochs=1, lr=1e-3)
    int8 = convert(q)
    assert isinstance(int8, Int8Model)
    x = splits.test[0]
    agree = float((predict(int8, x).argmax(1) == predict(q, x).argmax(1)).double().mean())
    # at 4 bits the logits have 16 levels: ties are common and a one-code rounding difference (integer bias,
    # fixed-point multiplier) can flip one; at 8 bits they practically never do
    assert agree >= (0.99 if bits == 8 else 0.97)
    if bits == 8:
        assert abs(evaluate(int8, *splits.test) - evaluate(fp32, *splits.test)) <= 0.02


def test_convert_needs_symmetric_weights_and_calibration(fp32, small):
    with pytest.raises(RuntimeError):
        convert(prepare_qat(fp32, QConfig()))
    q = calibrate(prepare_qat(fp32, QConfig(w_symmetric=False)), small.train[0])
    with pytest.raises(ValueError, match="symmetric"):
        convert(q)


@pytest.mark.parametrize("observer", ["moving_average", "mse"])
def test_qat_is_deterministic(fp32, small, observer):
    """Same start, config and seed: bit-identical integer layers (the mse observer's sampling is seeded too)."""
    runs = []
    for _ in range(2):
        q = calibrate(
            prepare_qat(fp32, QConfig(3, 3, observer=observer, freeze_observers_after=1)), small.train[0]
        )
        fit(q, small, epochs=2, lr=3e-3, seed=5)
        runs.append(to_int8_layers(q))
    for a, b in zip(*runs, strict=True):
        for field, value in a.__dict__.items():
            other = getattr(b, field)
            assert torch.equal(value, other) if torch.is_tensor(value) else value == other, field
