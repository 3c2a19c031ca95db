"""Issue 11 on the explorer: every sentence and number it shows agrees with the view's own numbers.

Expected numbers come from qlib.quant.calc_qparams, never hard-coded, so these hold for either rule of
symmetric unsigned codes (the contract's A1: PyTorch's quint8 + per_tensor_symmetric).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from lessons.i18n import Translator
from lessons.scale_and_zero_point import figures
from lessons.scale_and_zero_point.distributions import DISTRIBUTIONS, sample
from lessons.scale_and_zero_point.lesson import (
    CLIPS_MUCH,
    analyze,
    calibrate,
    calibration_note,
    histogram,
    staircase,
    tex,
)
from lessons.scale_and_zero_point.settings import PRESETS, Settings, normalize, parse_query
from qlib.quant import calc_qparams, quant_error


def keys(v):
    return [n.key for n in v.notes]


# ---- B7: the clamp warning only when the rounded zero point is clamped


@pytest.mark.parametrize(
    ("s", "clamped"),
    [
        (Settings(bits=8, zero=False, lo=0.001, hi=5.0), False),  # raw −0.05 rounds to 0: inside the codes
        (Settings(bits=16, lo=-5.0, hi=-2.0), False),  # raw 65535.000015 rounds to 65535: the top code
        (Settings(bits=16, zero=False, lo=-5.0, hi=-2.0), True),  # raw 109225: far above 65535
        (PRESETS["positive"], True),  # raw −63.75 rounds to −64, below 0
        (Settings(), False),
    ],
)
def test_clamp_warning_only_when_the_rounded_zero_point_is_clamped(s, clamped):
    v = analyze(s)
    qmin, qmax = v.qmin, v.qmax
    lo = torch.tensor(v.lo_eff, dtype=torch.float32)
    rounded = qmin - int(torch.round(lo / calc_qparams(s.lo, s.hi, s.bits, include_zero=s.zero).scale))
    assert v.zp_rounded == rounded and v.zp_clamped is clamped is not (qmin <= rounded <= qmax)
    assert ("zp_clamped" in keys(v)) is clamped
    if clamped:
        assert v.zero_point == min(max(rounded, qmin), qmax) and r"\mathrm{clamp}" in v.zero_point_tex


# ---- B7: the error in its rounding part and its clipping part


@pytest.mark.parametrize("name", ["seed", "relu", "outliers", "positive", "weights"])
@pytest.mark.parametrize("bits", [2, 8, 16])
def test_the_error_splits_into_rounding_and_clipping(name, bits):
    s = replace(PRESETS[name], bits=bits)
    v = analyze(s)
    e, ref = v.error, quant_error(sample(s.dist), s.qparams())
    assert e.mse == ref["mse"] and e.clip_fraction == ref["clip_fraction"]
    assert e.mse_round + e.mse_clip == pytest.approx(e.mse, rel=1e-9, abs=1e-15)
    assert e.clip_below + e.clip_above == pytest.approx(e.clip_fraction)
    assert e.mse_round <= (v.scale / 2) ** 2 * (1 + 1e-6)  # inside the grid no error exceeds half a step
    if e.clip_fraction == 0:
        assert e.mse_clip == 0


def test_sixteen_bits_against_eight_makes_sense_once_split():
    """Today both show ~0.0074 MSE: clipping at −2 dominates. Split, the rounding part falls ~65,000-fold."""
    v8, v16 = analyze(Settings(bits=8)), analyze(Settings(bits=16))
    assert v8.error.mse_clip == pytest.approx(v16.error.mse_clip, rel=0.05)  # more bits do not help clipping
    assert v16.error.mse_round < v8.error.mse_round / 10_000  # but rounding shrinks fourfold a bit
    assert v8.error.mse_clip > 10 * v8.error.mse_round


# ---- B7: the outliers preset says what the numbers show


def _calibrated(s: Settings, method: str) -> tuple[str, dict]:
    lo, hi = calibrate(method, sample(s.dist), s)
    return calibration_note(analyze(s), analyze(replace(s, lo=lo, hi=hi)))


def test_the_outliers_preset_is_where_clipping_pays_and_eight_bits_where_it_does_not():
    s = PRESETS["outliers"]
    assert s.bits == 4 and s.dist == "outliers"
    for method in ("percentile", "mse"):  # at 4 bits clipping the outliers pays: what its help says
        verdict, fmt = _calibrated(s, method)
        assert verdict == "cal.pays_clip" and float(fmt["mse_a"]) < float(fmt["mse_b"]) / 2
    s8 = replace(s, bits=8)  # at 8 bits percentile 99.9 makes the error larger, not smaller
    verdict, fmt = _calibrated(s8, "percentile")
    assert verdict == "cal.costs_clip" and float(fmt["mse_a"]) > 10 * float(fmt["mse_b"])
    lo, hi = calibrate("mse", sample("outliers"), s8)  # and MSE-optimal stays close to min-max
    lo_mm, hi_mm = calibrate("minmax", sample("outliers"), s8)
    assert lo_mm <= lo and hi <= hi_mm and (hi - lo) > 0.9 * (hi_mm - lo_mm)


@pytest.mark.parametrize("dist", ["normal", "outliers", "relu", "bimodal"])
@pytest.mark.parametrize("bits", [2, 4, 8])
@pytest.mark.parametrize("method", ["minmax", "percentile", "mse"])
def test_every_calibration_verdict_follows_its_numbers(dist, bits, method):
    before = analyze(Settings(bits=bits, dist=dist))
    lo, hi = calibrate(method, sample(dist), before.settings)
    after = analyze(replace(before.settings, lo=lo, hi=hi))
    verdict, _ = calibration_note(before, after)
    b, a = before.error, after.error
    if verdict == "cal.same":
        assert a.mse == pytest.approx(b.mse, rel=0.011)
    else:
        assert (a.mse < b.mse) is verdict.startswith("cal.pays")
        assert (a.mse_clip > b.mse_clip) is verdict.endswith("_clip")


# ---- B7: no hidden state, and a sentence whenever the scheme clips much


def test_narrow_range_exists_only_for_signed_codes():
    assert normalize(Settings(narrow=True, signed=False)).narrow is False
    assert normalize(Settings(narrow=True, signed=True)).narrow is True
    s, msgs = parse_query({"narrow": ["1"], "signed": ["0"]})
    assert s.narrow is False and ("url.narrow_unsigned", {}) in msgs


@pytest.mark.parametrize("mode", ["asym", "sym"])
@pytest.mark.parametrize("signed", [False, True])
@pytest.mark.parametrize("dist", ["normal", "relu", "uniform"])
@pytest.mark.parametrize("lo", [-2.0, 0.0, 1.5])
def test_a_large_clipped_share_always_gets_a_sentence(mode, signed, dist, lo):
    v = analyze(Settings(mode=mode, signed=signed, dist=dist, lo=lo, hi=6.0))
    assert ("clips_much" in keys(v)) is (v.error.clip_fraction >= CLIPS_MUCH)


def test_one_tailed_data_is_taught_with_the_asymmetric_scheme():
    relu = analyze(PRESETS["relu"])
    qp = calc_qparams(0.0, 6.0)
    assert PRESETS["relu"].mode == "asym" and PRESETS["relu"].lo == 0.0
    assert relu.zero_point == int(qp.zero_point) == relu.qmin and "one_tailed" not in keys(relu)
    for signed in (True, False):  # symmetric spends the codes below the zero point on values that never occur
        v = analyze(replace(PRESETS["relu"], mode="sym", signed=signed))
        zp = int(calc_qparams(0.0, 6.0, 8, symmetric=True, signed=signed).zero_point)
        wasted = (zp - v.qmin) / v.levels
        assert v.zero_point == zp and ("one_tailed" in keys(v)) is (wasted >= 0.25)


# ---- B7: the 2-bit grid shift, and the 8-bit-only sentence


def test_the_two_bit_grid_shift_is_explained():
    v = analyze(Settings(bits=2))
    assert v.zp_raw == pytest.approx(0.75) and v.zero_point == 1 and v.grid_hi < 6.0
    note = next(n for n in v.notes if n.key == "grid_shift")
    assert note.fmt["raw"] == "0.75" and note.fmt["zp"] == 1 and note.fmt["hi"] == f"{v.grid_hi:.4g}"
    assert not v.fine_steps and analyze(Settings(bits=8)).fine_steps
    assert "grid_shift" not in keys(analyze(Settings(bits=8)))  # a 0.008 shift: nothing to see at 8 bits


# ---- B7: the histogram's bins are aligned with the grid


@pytest.mark.parametrize("bits", [2, 3, 4, 5, 8, 12, 16])
@pytest.mark.parametrize("name", list(PRESETS))
def test_histogram_bins_keep_every_code_away_from_an_edge(bits, name):
    v = analyze(replace(PRESETS[name], bits=bits))
    e = histogram(v).edges
    width = e[1] - e[0]
    assert np.allclose(np.diff(e), width)
    codes = (np.arange(v.qmin, v.qmax + 1) - v.zero_point) * v.scale
    codes = codes[(codes > e[0]) & (codes < e[-1])]
    gap = np.abs(((codes - e[0]) / width + 0.5) % 1.0 - 0.5)  # distance to the nearest edge, in bins
    assert gap.min() * width >= 0.49 * min(v.scale, width)
    per_bin = np.bincount(np.searchsorted(e, codes))
    inner = per_bin[per_bin > 0][1:-1]  # the bins within the grid, but its two end bins
    if width >= v.scale:  # whole steps per bin: every bin inside the grid holds the same number of codes
        assert len(set(inner.tolist())) <= 1
    else:  # bins finer than a step: at most one code in any bin
        assert inner.max(initial=0) <= 1


# ---- A1: the formulas follow the contract's rules, with calc_qparams's numbers


def result(formula: str) -> str:
    """What a chain of equalities comes to: its last side, without the braces that keep it in one piece."""
    return formula.rsplit("=", 1)[1].strip().removeprefix("{").removesuffix("}")


@pytest.mark.parametrize("signed", [True, False])
@pytest.mark.parametrize(
    ("lo", "hi", "bits"), [(-4.0, 8.0, 8), (-2.0, 6.0, 4), (0.0, 6.0, 8), (-1.0, 1.0, 3)]
)
def test_symmetric_formulas_show_calc_qparams_numbers(signed, lo, hi, bits):
    v = analyze(Settings(mode="sym", signed=signed, lo=lo, hi=hi, bits=bits))
    qp = calc_qparams(lo, hi, bits, symmetric=True, signed=signed)
    assert v.scale == float(qp.scale) and v.zero_point == int(qp.zero_point)
    assert result(v.scale_tex) == tex(float(qp.scale), 7) and r"\max(|x_{min}|, |x_{max}|)" in v.scale_tex
    assert result(v.zero_point_tex) == str(int(qp.zero_point))
    if not signed:  # the middle code, (qmin + qmax + 1) // 2, as PyTorch's quint8 per_tensor_symmetric
        assert rf"\frac{{{qp.qmin} + {qp.qmax} + 1}}{{2}}" in v.zero_point_tex


def test_the_scheme_texts_say_the_rule():
    for lang in ("en", "ja"):
        T = Translator(lang, "scale_and_zero_point")
        assert "128" in T("mode_help") and "$2^{b-1}$" in T("mode_help")
        assert "quint8" in T("note.pytorch_zp") and "per_tensor_symmetric" in T("note.pytorch_zp")


# ---- B11: small ones


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("dist", DISTRIBUTIONS)
def test_the_histogram_summary_names_the_data_as_a_noun(lang, dist):
    T = Translator(lang, "scale_and_zero_point")
    text = T("hist_summary", dist=T(f"dist.{dist}"), clip="1.00")
    assert "Histogram of with" not in text and "of with" not in text


def test_link_messages_write_switches_as_the_link_does():
    _, msgs = parse_query({"signed": ["maybe"], "zero": ["yes"], "narrow": ["2"]})
    used = [fmt["used"] for key, fmt in msgs if key == "url.invalid"]
    assert used == ["0", "0", "1"] and not any(u in ("False", "True") for u in used)


@pytest.mark.parametrize("name", list(PRESETS))
def test_no_label_is_drawn_over_the_data(name):
    """Clip zones and the clipped share are named in the legend; no annotation sits inside a plot."""
    v = analyze(PRESETS[name])
    T = Translator("en", "scale_and_zero_point")
    for fig in (
        figures.number_line(v, T),
        figures.staircase(staircase(v), v, T),
        figures.histogram(histogram(v), v, T),
    ):
        assert not fig.layout.annotations
        names = [t.name for t in fig.data]
        if fig.layout.shapes and any(s.type == "rect" for s in fig.layout.shapes):
            assert any(n and n.startswith(T("fig.clip")) for n in names)


def test_every_key_the_lesson_hands_the_page_exists():
    """Notes, calibration verdicts and the typed-range message are keys held in data: check them here."""
    from lessons.i18n import STRINGS
    from lessons.scale_and_zero_point.settings import range_problem

    extra = (
        Settings(bits=2),
        Settings(mode="sym", signed=True, dist="relu"),
        Settings(zero=False, lo=0.001, hi=5.0),
    )
    views = [analyze(s) for s in (*PRESETS.values(), *extra)]
    keys_ = {n.key for v in views for n in v.notes}
    keys_ |= {"cal.pays_clip", "cal.pays_fit", "cal.costs_clip", "cal.costs_round", "cal.same"}
    keys_.add(range_problem(Settings(lo=2.0, hi=1.0))[0])
    assert {"zp_clamped", "grid_shift", "zero_off", "clips_much", "one_tailed"} <= keys_
    for lang in ("en", "ja"):
        assert [k for k in keys_ if f"scale_and_zero_point.{k}" not in STRINGS[lang]] == []
