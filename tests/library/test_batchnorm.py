"""BatchNorm folding, exact to PyTorch's fuse_modules, and QAT with BatchNorm, exact to PyTorch's ConvBn2d."""

import copy

import pytest
import torch
import torch.ao.nn.intrinsic as nni
import torch.ao.nn.intrinsic.qat as nniqat
import torch.ao.quantization as tq
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

from qlib.batchnorm import batch_drift, channel_ranges, fold, fold_all, folded_net, simulated_fold_forward
from qlib.model import Net, bn_name, evaluate
from qlib.qat import QConfig, WeightFakeQuant, prepare_qat
from qlib.spec import MOBILE_CNN
from qlib.torch_ref import TorchNet

pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


@pytest.mark.parametrize("name", [layer.name for layer in MOBILE_CNN.layers if layer.bn])
def test_fold_is_bit_exact_to_fuse_conv_bn_eval_and_fuse_modules(fp32, name):
    f = fold(fp32, name)
    ref = fuse_conv_bn_eval(getattr(fp32, name), fp32.bn(name))
    assert torch.equal(f.folded_weight, ref.weight) and torch.equal(f.folded_bias, ref.bias)
    net = TorchNet.from_float(fp32).eval()
    fused = tq.fuse_modules(net, [[name, bn_name(MOBILE_CNN.layer(name))]])
    assert type(getattr(fused, bn_name(MOBILE_CNN.layer(name)))) is nn.Identity
    assert torch.equal(getattr(fused, name).weight, f.folded_weight)
    assert torch.equal(getattr(fused, name).bias, f.folded_bias)


def test_fold_formula_and_its_numbers(fp32):
    f = fold(fp32, "dw2")
    sigma = torch.sqrt(f.var + f.eps)
    assert torch.equal(f.sigma, sigma) and f.eps == 1e-5
    w = f.gamma.reshape(-1, 1, 1, 1) * f.weight / sigma.reshape(-1, 1, 1, 1)  # W' = γ·W/σ
    b = f.beta - f.gamma * f.mean / sigma  # b' = β − γ·μ/σ (no conv bias)
    assert torch.allclose(f.folded_weight, w, rtol=1e-6, atol=0) and torch.allclose(
        f.folded_bias, b, atol=1e-6
    )
    assert torch.equal(f.bias, torch.zeros(16))  # the conv before BatchNorm has none


def test_folding_spreads_the_per_channel_ranges(fp32):
    """Each channel is multiplied by its own γ/σ: measured spreads (max/min of max|w|) 1.2–3.4 before, 1.9–4.3
    after; dw3, the stride-2 depthwise layer, is the widest after folding."""
    folds = {f.name: f for f in fold_all(fp32)}
    for f in folds.values():
        before, after = f.before, f.after
        assert torch.equal(before.min, f.weight.flatten(1).amin(1)) and torch.equal(
            after.max, f.folded_weight.flatten(1).amax(1)
        )
        assert after.spread > 1.5 and after.tensor_absmax == float(f.folded_weight.abs().max())
    assert sum(f.after.spread > f.before.spread for f in folds.values()) >= 4
    assert max(folds.values(), key=lambda f: f.after.spread).name == "dw3"
    assert 2.5 < folds["dw3"].after.spread < 5  # "about 3x", as the sketch found


def test_folded_net_computes_the_eval_network(fp32, digits):
    x = digits.test[0]
    net = folded_net(fp32)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in net.modules())
    with torch.no_grad():
        assert (net(x) - fp32(x)).abs().max() < 1e-4
    assert evaluate(net, *digits.test) == evaluate(fp32, *digits.test)
    assert channel_ranges(net.dw3.weight).spread == fold(fp32, "dw3").after.spread


def _torch_convbn(conv: nn.Conv2d, bn: nn.BatchNorm2d) -> nniqat.ConvBn2d:
    """PyTorch's QAT ConvBn2d from the same conv and BatchNorm, with a per-channel min-max weight fake quant."""
    qconfig = tq.QConfig(
        activation=nn.Identity,
        weight=tq.FakeQuantize.with_args(
            observer=tq.PerChannelMinMaxObserver,
            quant_min=-128,
            quant_max=127,
            dtype=torch.qint8,
            qscheme=torch.per_channel_symmetric,
            ch_axis=0,
        ),
    )
    fused = nni.ConvBn2d(copy.deepcopy(conv), copy.deepcopy(bn))
    fused.qconfig = qconfig
    return nniqat.ConvBn2d.from_float(fused.train())


@pytest.mark.parametrize("name", ["conv1", "dw2", "pw2", "dw3"])
def test_simulated_folding_is_pytorchs_convbn2d_bit_for_bit(fp32, digits, name):
    """Forward, backward and the running statistics' update in training mode, then again after freezing."""
    x_in = digits.train[0][:64]
    with torch.no_grad():  # the layer's real input
        for layer in MOBILE_CNN.layers[: MOBILE_CNN.names.index(name)]:
            x_in = torch.relu(fp32.bn(layer.name)(getattr(fp32, layer.name)(x_in))).clamp(max=6)
    conv, bn = copy.deepcopy(getattr(fp32, name)), copy.deepcopy(fp32.bn(name)).train()
    ref = _torch_convbn(conv, bn)
    wfq = WeightFakeQuant(QConfig())
    for step in range(2):
        if step == 1:  # PyTorch's freeze_bn_stats: BatchNorm in eval mode from here
            nniqat.freeze_bn_stats(ref)
            bn.eval()
        # PyTorch's min-max observer remembers earlier steps' ranges; ours follows the current weight: start it
        # afresh so both quantize against the same grid (the folding is what is tested here)
        ref.weight_fake_quant.activation_post_process.reset_min_max_vals()
        xa, xb = x_in.clone().requires_grad_(), x_in.clone().requires_grad_()
        ours, theirs = simulated_fold_forward(xa, conv, bn, wfq), ref(xb)
        assert torch.equal(ours, theirs)
        g = torch.randn_like(ours)
        ours.backward(g)
        theirs.backward(g)
        assert torch.equal(xa.grad, xb.grad) and torch.equal(conv.weight.grad, ref.weight.grad)
        assert torch.equal(bn.weight.grad, ref.bn.weight.grad) and torch.equal(bn.bias.grad, ref.bn.bias.grad)
        assert torch.equal(bn.running_mean, ref.bn.running_mean) and torch.equal(
            bn.running_var, ref.bn.running_var
        )
        for p in (conv.weight, bn.weight, bn.bias, ref.weight, ref.bn.weight, ref.bn.bias):
            p.grad = None
    assert not torch.equal(bn.running_mean, fp32.bn(name).running_mean)  # step 0 updated them, step 1 did not


def test_qat_net_in_eval_mode_is_the_folded_conv_and_freezing_stops_the_statistics(fp32, digits):
    qat = prepare_qat(fp32, QConfig(freeze_bn_after=1))
    x = digits.train[0][:32]
    qat.train()
    qat(x)  # training mode: BatchNorm updates its running statistics
    assert not torch.equal(qat.dw2_bn.running_mean, fp32.dw2_bn.running_mean)
    qat.start_epoch(1)  # freeze_bn_after=1: BatchNorm frozen from epoch 1
    assert qat.bn_frozen and not qat.dw2_bn.training and qat.training
    before = qat.dw2_bn.running_mean.clone()
    qat.train()
    qat(x)
    assert torch.equal(qat.dw2_bn.running_mean, before) and not qat.dw2_bn.training
    qat.eval()
    w, b = qat.folded("dw2")
    ref = fuse_conv_bn_eval(qat.dw2.eval(), qat.dw2_bn)
    assert torch.equal(w, ref.weight) and torch.equal(b, ref.bias)


def test_batch_statistics_drift_little_on_this_net(fp32, digits):
    """Why freezing BatchNorm changes little here: batches of 32 digits have statistics within ~4 % of the
    running ones (measured 1.1–3.5 % in σ, 1.3–3.0 % of σ in the mean)."""
    drift = batch_drift(fp32, digits.train[0], batch_size=32)
    assert [d.name for d in drift] == ["conv1", "dw2", "pw2", "dw3", "pw3"]
    assert all(0.002 < d.sigma < 0.06 and 0.002 < d.mean < 0.06 for d in drift)
    small = batch_drift(fp32, digits.train[0], batch_size=4)  # smaller batches: noisier statistics
    assert all(s.sigma > d.sigma for s, d in zip(small, drift, strict=True))


def test_fold_refuses_a_layer_without_batchnorm(fp32):
    with pytest.raises(ValueError, match="no BatchNorm"):
        fold(fp32, "fc")
    assert fold_all(Net(MOBILE_CNN))[0].name == "conv1"
