"""The low-bit ladder's recipes and methods: the PTQ methods on the BatchNorm-folded mobile net give the integer
model of PTQ with BatchNorm folded inside the QAT model; every method ends in the integer engine at the widths
asked for, activations below 8 bits included."""

import pytest

from qlib import ladder, mobile, pretrained, train
from qlib.batchnorm import folded_net
from qlib.int8 import Int8Model
from qlib.qat import calibrate, convert, prepare_qat
from tests import digest

pytestmark = pytest.mark.usefixtures("one_thread")


def test_the_recipes():
    tiny, mob = pretrained.load("fp32"), pretrained.load("mobile/fp32")
    r = ladder.recipe(tiny, 8, 4)
    assert (r.epochs, r.lr) == (
        train.qat_recipe(4).epochs,
        train.qat_recipe(4).lr,
    ) and r.qconfig.observer == "mse"
    assert ladder.recipe(tiny, 4, 8).qconfig.observer == "moving_average"
    m = ladder.recipe(mob, 2, 2)
    assert (m.epochs, m.lr, m.qconfig.freeze_bn_after) == (
        mobile.QAT_EPOCHS,
        mobile.QAT_LR,
        mobile.FREEZE_BN_AFTER,
    )
    assert ("W8A4", "W2A2") <= tuple(f"W{w}A{a}" for w, a in ladder.CONFIGS)


def test_ptq_on_the_folded_net_is_ptq_with_batchnorm_folded_inside(digits):
    fp32 = pretrained.load("mobile/fp32")
    qc = ladder.recipe(fp32, 4, 8).qconfig
    x = digits.train[0]
    a = convert(calibrate(prepare_qat(folded_net(fp32), qc), x))
    b = convert(calibrate(prepare_qat(fp32, qc), x))
    assert digest(a) == digest(b)


@pytest.mark.parametrize("method", ["ptq", "ptq+bc"])
def test_ptq_methods_run_on_the_integer_engine_below_8_bits(method, digits):
    int8, model = ladder.quantize(pretrained.load("mobile/fp32"), 3, 2, method, digits)
    assert isinstance(int8, Int8Model)
    assert {(layer.qmin, layer.qmax, layer.w_qmin, layer.w_qmax) for layer in int8.layers} == {(0, 3, -4, 3)}
    r = ladder.rung(pretrained.load("fp32"), 4, 4, method, digits)
    assert r.config == "W4A4" and 0.5 < r.test_acc <= 1 and r.cpu_seconds > 0


def test_an_unknown_method(digits):
    with pytest.raises(ValueError, match="method must be one of"):
        ladder.quantize(pretrained.load("fp32"), 8, 8, "gptq", digits)
