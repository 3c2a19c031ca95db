"""Issue 11 B5 and B6: what the preprocessing and STE pages say about TFLite's input codes and the STE's
mask agrees with the libraries' sources and with the pages' own charts."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from lessons.common.tflite import converter_qparams
from lessons.i18n import Translator
from lessons.preprocess import lesson as preprocess
from lessons.ste import figures as ste_figures
from lessons.ste import lesson as ste
from qlib.quant import calc_qparams, fake_quant


def _std_round(z: float) -> int:
    """C's round(): half away from zero."""
    return int(math.copysign(math.floor(abs(z) + 0.5), z))


def test_tflite_gives_a_minus_one_to_one_input_int8_zero_point_minus_one_and_uint8_127():
    """getNudgedScaleAndZeroPoint (tensorflow/compiler/mlir/lite/quantization/ir/FakeQuantSupport.cc) for
    [-1, 1] in int8: scale 2/255; from min -128 + 127.5 = -0.5 (error 255.5), from max 127 - 127.5 = -0.5
    (error 254.5): the max end's -0.5, rounded away from zero, is -1. A uint8 input adds 128
    (tensorflow/lite/tools/optimize/modify_model_interface.cc): 127."""
    scale, zp = converter_qparams(-1.0, 1.0, -128, 127)
    assert scale == 2 / 255 and zp == _std_round(127 - 1.0 / (2 / 255)) == -1
    rows = {c.name: c for c in preprocess.input_codes()}
    assert rows["tflite_int8"].zero_point == "-1" and rows["tflite_uint8"].zero_point == "127"
    assert rows["toco"].zero_point == "128" and rows["toco"].scale_text.startswith("1/128")
    assert rows["observer"].zero_point == str(int(calc_qparams(-1.0, 1.0).zero_point)) == "127"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_where_the_page_says_128_it_names_the_tool_and_the_years_and_todays_converter(lang):
    T = Translator(lang, "preprocess")
    p = preprocess.pixel(preprocess.sample_image(), 0, 0)
    text = T("affine_after", raw="127.49999246", **p.codes_args())
    assert "TOCO" in text and "2017" in text and "2018" in text and "--mean_values=128" in text
    assert "**−1**" in text and "2/255" in text and "**127**" in text
    assert "FakeQuantSupport.cc" in T("note.tflite") and "modify_model_interface.cc" in T("note.tflite")
    assert "quantize.h" in T("note.tflite") and "TfLiteRound" in T("note.tflite")


def test_tflite_codes_round_ties_away_from_zero_on_the_observers_grid():
    """The sample pixel's green 198 lies 70.5 steps above 0.0: TFLite's QUANTIZE (std::round) takes 71, so code
    70; PyTorch's observer, on the same grid shifted by 128, rounds to even (70: uint8 197). The other channels
    are no ties and agree."""
    p = preprocess.pixel(preprocess.sample_image(), 0, 0)
    assert p.uint8 == (124, 198, 244)
    assert p.code_tflite == (-4, 70, 115) and p.code_observer == (124, 197, 243)
    steps = np.float32(p.tf) / np.float32(2 / 255)
    tie = np.abs(steps - np.trunc(steps)) == 0.5
    assert tie.tolist() == [False, True, False]
    shifted = np.array(p.code_observer) - 128
    assert np.array_equal(np.array(p.code_tflite), np.where(tie, shifted + 1, shifted))


@pytest.mark.parametrize("bits", [2, 3, 4, 8])
def test_the_ste_formula_charts_and_captions_show_the_same_mask(bits):
    """PyTorch's clipped STE: the gradient passes where qmin <= round(x/s) + z <= qmax."""
    c = ste.curves(bits)
    x = torch.tensor(c.x)
    qp = calc_qparams(-1.0, 1.0, bits)
    xg = x.clone().requires_grad_(True)
    fake_quant(xg, qp).sum().backward()
    passed = c.x[xg.grad.numpy() == 1]
    code = torch.round(x * (1 / qp.scale)) + qp.zero_point
    expect = c.x[((code >= qp.qmin) & (code <= qp.qmax)).numpy()]
    assert np.array_equal(passed, expect) and np.array_equal(c.x[c.grad_ste == 1], expect)
    step = c.x[1] - c.x[0]
    lo, hi = c.mask
    assert abs(passed.min() - lo) <= step and abs(passed.max() - hi) <= step  # the mask is where it passes
    args = c.text_args()
    assert f"{lo:.4g} \\le x \\le {hi:.4g}" in c.formulas[2]  # the formula (LaTeX writes its own minus)
    assert args["mlo"] == f"{lo:.4g}".replace("-", "−")
    for fig in (
        ste_figures.ste_forward(c, Translator("en", "ste")),
        ste_figures.ste_backward(c, Translator("en", "ste")),
    ):
        rects = sorted((s.x0, s.x1) for s in fig.layout.shapes if s.type == "rect")
        assert rects == [(float(c.x[0]), lo), (hi, float(c.x[-1]))]  # both charts shade the same zones
    for lang in ("en", "ja"):
        T = Translator(lang, "ste")
        for key in ("forward_summary", "backward_summary"):
            assert args["mlo"] in T(key, **args) and args["mhi"] in T(key, **args)


def test_the_page_says_why_the_three_bit_grid_is_not_minus_one_to_one():
    c = ste.curves(3)
    glo, ghi = c.grid
    assert (
        int(c.qp.zero_point) == 3 and c.zp_raw == pytest.approx(3.5, abs=1e-6) and c.zp_raw < 3.5
    )  # float32
    assert (f"{glo:.4g}", f"{ghi:.4g}") == ("-0.8571", "1.143") and c.mask[0] == pytest.approx(-1.0)
    for lang in ("en", "ja"):
        text = Translator(lang, "ste")("grid_note", **c.text_args())
        assert "−0.8571" in text and "1.143" in text and "3.4999998" in text and "3" in text


def test_the_grid_note_calls_a_tie_a_tie_and_only_then_names_half_to_even():
    """The raw zero point 1/s is an exact x.5 at 2, 5 and 7 bits (half to even: 2, 16, 64) and lies just below
    x.5 at the others, where float32's scale is a hair above 2/steps: 3.4999998 rounds down, no tie involved."""
    from fractions import Fraction

    for bits in range(2, 9):
        c = ste.curves(bits)
        steps = 2**bits - 1
        assert c.zp_raw <= c.tie < c.zp_raw + 1e-5
        if c.rounding_key == "grid_round.tie":
            assert c.zp_raw == c.tie and int(c.qp.zero_point) % 2 == 0 and bits in (2, 5, 7)
        else:
            assert c.zp_raw < c.tie and int(c.qp.zero_point) == math.floor(c.zp_raw)
            assert Fraction(float(c.qp.scale)) > Fraction(2, steps)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_fit_target_is_named_in_the_legend_not_drawn_over_the_curve(lang):
    """Issue 11 B11: the 'target 0.8' label sat on the weight curve that converges to it."""
    T = Translator(lang, "ste")
    fig = ste_figures.fit_weight(ste.fit_both(steps=10), T)
    assert not fig.layout.annotations  # no label on the data
    assert T("fig.target", w="0.8") in [t.name for t in fig.data]
