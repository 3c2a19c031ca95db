"""A network is a spec: one defined only here runs through every stage (float net, QAT/PTQ, convert, the
integer engine, the PyTorch twin, fuse_modules) with no edit anywhere else; and PyTorch's own eager QAT of
the MobileNet-style twin."""

import warnings

import pytest
import torch
import torch.ao.nn.intrinsic.quantized as nniq
import torch.ao.nn.quantized as nnq

from qlib import pretrained
from qlib.int8 import Int8Model
from qlib.model import Net, evaluate
from qlib.qat import QConfig, calibrate, convert, prepare_qat
from qlib.spec import MOBILE_CNN, Layer, NetSpec
from qlib.torch_ref import (
    TorchNet,
    check_fused_types,
    fbgemm_accumulate,
    pytorch_qat,
    quant_engine,
    to_torch_quantized,
    torch_int_outputs,
)
from qlib.train import fit

pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py

# conv+BN+ReLU (PyTorch fuses all three), a grouped conv (2 groups, not depthwise), BN without an activation
THIRD = NetSpec(
    "third",
    (1, 8, 8),
    (
        Layer("stem", "conv", 1, 8, kernel=3, padding=1, relu=True, bn=True),
        Layer("grouped", "conv", 8, 16, kernel=3, stride=2, padding=1, groups=2, relu=True, bn=True),
        Layer("mix", "conv", 16, 16, bn=True),
        Layer("head", "linear", 256, 10, flatten_before=True),
    ),
)


@pytest.fixture(scope="module")
def third(digits):
    net = Net(THIRD, seed=3)
    fit(net, digits, epochs=3, lr=1e-2)
    return net


def test_a_third_network_needs_only_its_spec(third, digits):
    assert evaluate(third, *digits.test) > 0.85
    qat = calibrate(prepare_qat(third, QConfig()), digits.train[0])
    int8 = convert(qat)
    assert int8.layer_names == list(THIRD.names) and [layer.groups for layer in int8.layers] == [1, 2, 1, 1]
    assert abs(evaluate(int8, *digits.test) - evaluate(third, *digits.test)) <= 2 / 360 + 1e-9
    qmodel = to_torch_quantized(Int8Model(int8.layers, "float"), spec=THIRD)
    assert (
        type(qmodel.stem) is nniq.ConvReLU2d and type(qmodel.mix) is nnq.Conv2d and check_fused_types(qmodel)
    )
    x = digits.test[0]
    codes = torch_int_outputs(qmodel, x)
    ours = Int8Model(int8.layers, "float", accumulate=fbgemm_accumulate)  # on fbgemm's sums on this CPU
    prev = "quant"
    for i, name in enumerate(THIRD.names):  # layer by layer from PyTorch's own inputs: code for code
        assert torch.equal(ours.run_layer(i, codes[prev]).q_out, codes[name]), name
        prev = name
    twin = TorchNet.from_float(third).eval()
    with torch.no_grad():
        assert torch.equal(twin(x), third.eval()(x))  # same modules, same weights, same float function


def test_pytorchs_own_qat_of_the_mobile_twin(digits):
    """fuse_modules_qat makes ConvBn2d (ReLU6 apart), convert folds BatchNorm; the ConvBn2d's output observer
    sees the value before the ReLU6, so PyTorch's grid keeps codes for negatives that qlib's, observed after
    the ReLU6 (zero point 0), spends on the positive range."""
    fp32 = pretrained.load("mobile/fp32")
    r = pytorch_qat(fp32, digits.train, epochs=1, freeze_observers_after=1, freeze_bn_after=0)
    assert check_fused_types(r.model)
    with quant_engine(), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        acc = evaluate(r.model, *digits.test)
    assert acc > 0.9
    zps = {q.name: q.zero_point for q in r.qparams}
    assert all(zps[layer.name] > 0 for layer in MOBILE_CNN.layers if layer.relu6)
    ours = pretrained.load("mobile/qat-w8a8")
    assert all(layer.out_zp == 0 for layer in ours.layers if layer.relu6)
