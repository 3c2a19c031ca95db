"""Per-layer SQNR between the float and the quantized outputs, and the layer that breaks first."""

import math

import pytest
import torch

from qlib import pretrained
from qlib.mobile import qconfig
from qlib.quant import dequantize
from qlib.sensitivity import float_outputs, sensitivity, sqnr_db
from qlib.train import run_ptq

pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


@pytest.fixture(scope="module")
def ptq(fp32, digits):
    """PTQ of the shipped fp32 net at each weight width, per channel and per tensor (8-bit activations)."""
    return {
        (b, pc): run_ptq(fp32, qconfig(b, per_channel=pc), digits)
        for b in (8, 6, 4, 3)
        for pc in (True, False)
    }


def test_sqnr_definition():
    x = torch.tensor([3.0, -4.0])
    assert sqnr_db(x, x) == math.inf
    assert sqnr_db(x, x + torch.tensor([0.3, -0.4])) == pytest.approx(20.0)  # noise power 1/100 of the signal
    assert sqnr_db(torch.zeros(2), torch.ones(2)) == -math.inf


def test_own_and_cumulative_sqnr_are_what_they_say(ptq, digits):
    x = digits.test[0]
    r = ptq[(4, False)]
    s = sensitivity(r.model, x, r.int8)
    ref = float_outputs(r.model, x)
    with torch.no_grad():
        own_dw3 = sqnr_db(ref[3], r.model.layer_forward("dw3", ref[2]))  # float input, dw3 alone quantized
    assert s.layer("dw3").own_db == own_dw3
    trace = r.int8.trace(x)
    pw3 = r.int8.layers[4]
    qp = r.model.act_fq["pw3"].qp
    assert float(qp.scale) == pw3.out_scale and int(qp.zero_point) == pw3.out_zp
    assert s.layer("pw3").cumulative_db == sqnr_db(ref[4], dequantize(trace[4].q_out, qp))
    assert s.breaks_first == min(s.layers, key=lambda layer: layer.own_db).name
    assert s.layer("conv1").cumulative_db >= s.layer("pw3").cumulative_db  # noise piles up with depth


def test_about_six_db_per_weight_bit(ptq, digits):
    """A uniform grid gains 6.02 dB per bit; with 8-bit activations adding their own noise, the measured gain
    per weight bit below 8 bits is 5–7 dB in every layer."""
    x = digits.test[0]
    sens = {b: sensitivity(ptq[(b, True)].model, x, ptq[(b, True)].int8) for b in (3, 4, 6)}
    for name in ("conv1", "dw2", "pw2", "dw3", "pw3"):
        for lo, hi in ((3, 4), (4, 6)):
            gain = (sens[hi].layer(name).own_db - sens[lo].layer(name).own_db) / (hi - lo)
            assert 4.5 < gain < 7.5, (name, lo, hi, gain)


def test_per_tensor_costs_signal_where_channel_ranges_differ_and_dw3_breaks_first(ptq, digits):
    """Measured: per-tensor weights lose 1–4 dB of own SQNR in every conv layer at every width, most in dw3,
    the stride-2 depthwise layer whose folded channel ranges differ most; it is the layer that breaks first."""
    x = digits.test[0]
    for b in (8, 6, 4, 3):
        pc = sensitivity(ptq[(b, True)].model, x, ptq[(b, True)].int8)
        pt = sensitivity(ptq[(b, False)].model, x, ptq[(b, False)].int8)
        assert pt.breaks_first == "dw3", b
        for name in ("conv1", "dw2", "pw2", "dw3", "pw3"):
            assert pt.layer(name).own_db < pc.layer(name).own_db, (b, name)
        assert pc.layer("dw3").own_db - pt.layer("dw3").own_db > 2.5, b


def test_after_qat_at_8_bits_the_logits_break_first_because_their_range_clips(digits):
    """The logits' quantizer keeps a moving average of 32-image batches' ranges (frozen at epoch 4), narrower
    than the whole test set's: measured 1.2 % of the float logits fall outside it (PTQ, which calibrates on
    all 1077 training images at once: 0.06 %)."""
    x = digits.test[0]
    clipped = {}
    for name in ("mobile/qat-w8a8", "mobile/ptq-w8a8"):
        model = pretrained.load_fake_quant(name)
        logits = float_outputs(model, x)[-1]
        lo, hi = model.act_fq["fc"].qp.real_range()
        clipped[name] = float(((logits < lo) | (logits > hi)).float().mean())
    assert 0.005 < clipped["mobile/qat-w8a8"] < 0.03 and clipped["mobile/ptq-w8a8"] < 0.002
    qat = pretrained.load_fake_quant("mobile/qat-w8a8")
    assert sensitivity(qat, x, pretrained.load("mobile/qat-w8a8")).breaks_first == "fc"
