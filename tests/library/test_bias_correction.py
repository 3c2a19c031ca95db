"""Empirical bias correction: after it, each layer's quantized pre-activation has the float one's channel means;
with BatchNorm the correction goes into β; nothing but the biases changes."""

import copy

import pytest
import torch

from qlib import pretrained
from qlib.bias_correction import BiasCorrection, channel_means, correct_bias
from qlib.qat import QConfig, calibrate, prepare_qat

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.mark.parametrize("name", ["fp32", "mobile/fp32"])
def test_the_channel_means_match_the_float_networks_after_correction(name, digits):
    x = digits.train[0][:300]
    model = calibrate(prepare_qat(pretrained.load(name), QConfig(2, 8)), x).eval()
    weights = {n: model.folded(n)[0].detach().clone() for n in model.spec.names}
    first = model.spec.names[0]
    with torch.no_grad():
        before = channel_means(model.preactivation(first, model.act_fq["input"](x)))
    reference = copy.deepcopy(model)  # the float network under it shares the biases the correction changes
    bc = correct_bias(model, x)
    assert isinstance(bc, BiasCorrection) and [s.name for s in bc.layers] == list(model.spec.names)
    assert all(s.max_abs >= s.mean_abs >= 0 for s in bc.layers) and max(s.max_abs for s in bc.layers) > 0
    with torch.no_grad():
        x_float, x_quant = x, model.act_fq["input"](x)
        for layer in model.spec.layers:
            y_float = reference.preactivation(layer.name, x_float, quantized=False)
            y_quant = model.preactivation(layer.name, x_quant)
            gap = channel_means(y_float) - channel_means(y_quant)
            assert float(gap.abs().max()) < 1e-4 * (1 + float(y_float.abs().max())), layer.name
            x_float = torch.relu(y_float) if not layer.relu6 else torch.clamp(y_float, 0, 6)
            x_float = x_float if layer.relu else y_float
            x_quant = model.layer_forward(layer.name, x_quant)
    after = channel_means(model.preactivation(first, model.act_fq["input"](x)))
    assert not torch.equal(before, after)
    for n in model.spec.names:  # the weights as they were (the folded ones: γ, μ, σ untouched)
        assert torch.equal(model.folded(n)[0].detach(), weights[n]), n


def test_with_batchnorm_the_correction_is_in_beta(digits):
    x = digits.train[0][:200]
    model = calibrate(prepare_qat(pretrained.load("mobile/fp32"), QConfig(3, 8)), x).eval()
    beta = model.conv1_bn.bias.detach().clone()
    b_fold = model.folded("conv1")[1].detach().clone()
    assert model.conv1.bias is None  # the conv has no bias of its own
    bc = correct_bias(model, x)
    moved = model.conv1_bn.bias.detach() - beta
    assert float(moved.abs().max()) == pytest.approx(bc.layers[0].max_abs)
    assert torch.allclose(model.folded("conv1")[1].detach() - b_fold, moved, atol=1e-6)
