"""The explorer's numbers and its URL parsing (qlib.explorer, qlib.distributions)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons.scale_and_zero_point import distributions
from lessons.scale_and_zero_point.lesson import (
    PRESETS,
    Settings,
    analyze,
    calibrate,
    code_of,
    formulas,
    normalize,
    parse_query,
)


def test_seed_example():
    r = analyze(Settings())
    assert r["zero_point"] == 64 and f"{r['scale']:.4f}" == "0.0314"
    assert r["zp_raw"] == pytest.approx(63.75, abs=1e-4)
    assert r["zero_code"] == 64 and r["zero_exact"]
    assert "0.0313726" in formulas(r)[0] and "64" in formulas(r)[1]


def test_symmetric_has_zero_point_zero():
    r = analyze(Settings(mode="sym", signed=True))
    assert r["zero_point"] == 0 and r["qmin"] == -128 and r["scale"] == pytest.approx(6 / 127.5)
    r = analyze(Settings(mode="sym", signed=True, narrow=True))
    assert r["qmin"] == -127 and r["scale"] == pytest.approx(6 / 127)


def test_positive_range_without_zero_clamps_the_zero_point():
    r = analyze(PRESETS["positive"])
    assert r["zp_raw"] < r["qmin"] and r["zero_point"] == r["qmin"]
    assert r["grid_hi"] < 5.0  # the grid no longer covers the chosen range


def test_code_in_binary_is_twos_complement():
    qp = Settings(mode="sym", signed=True, lo=-1, hi=1).qparams()
    assert code_of(-5.0, qp, 8)["binary"] == "10000000"  # clips to -128
    assert code_of(-1.0, qp, 8)["code"] == -127  # -1 / float32(1/127.5) = -127.49999..., rounds to -127
    assert code_of(-1.0, qp, 8)["binary"] == "10000001"
    assert code_of(0.0, Settings().qparams(), 8)["binary"] == "01000000"


def test_url_round_trip():
    s = Settings(
        bits=4, mode="sym", signed=True, narrow=True, zero=False, lo=-1.5, hi=2.25, dist="bimodal", x=0.3
    )
    q = s.to_query()
    back, msgs = parse_query({k: [v] for k, v in q.items()})
    assert back == s and msgs == []


@pytest.mark.parametrize(
    ("params", "field", "value", "msg"),
    [
        ({"bits": "999"}, "bits", 16, "url.clamped"),
        ({"bits": "1"}, "bits", 2, "url.clamped"),
        ({"bits": "4.5"}, "bits", 4, "url.clamped"),
        ({"bits": "abc"}, "bits", 8, "url.invalid"),
        ({"min": "abc"}, "lo", -2.0, "url.invalid"),
        ({"min": "nan"}, "lo", -2.0, "url.invalid"),
        ({"max": "inf"}, "hi", 6.0, "url.invalid"),
        ({"max": "1e300"}, "hi", 1e6, "url.clamped"),
        ({"mode": "evil"}, "mode", "asym", "url.invalid"),
        ({"signed": "maybe"}, "signed", False, "url.invalid"),
        ({"dist": "<script>"}, "dist", "normal", "url.invalid"),
        ({"x": ["1", "2"]}, "x", 2.0, "url.repeated"),
        ({"min": "9", "max": "1"}, "lo", 1.0, "url.swapped"),
    ],
)
def test_hand_edited_urls(params, field, value, msg):
    s, msgs = parse_query(params)
    assert getattr(s, field) == value
    assert msg in [k for k, _ in msgs]


def test_missing_params_are_defaults_silently():
    assert parse_query({}) == (Settings(), [])
    assert parse_query({"unknown": ["1"]}) == (Settings(), [])


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["bits", "mode", "signed", "narrow", "zero", "min", "max", "dist", "x"]),
        st.lists(st.text(max_size=12) | st.floats().map(str) | st.integers().map(str), max_size=3),
    )
)
def test_any_url_gives_a_working_view(params):
    s, _ = parse_query(params)
    r = analyze(s)
    assert math.isfinite(r["scale"]) and r["qmin"] <= r["zero_point"] <= r["qmax"]


def test_normalize_makes_anything_safe():
    s = normalize(Settings(bits=99, lo=5, hi=-5, x=float("nan"), mode="x", dist="y"))
    assert (s.bits, s.lo, s.hi, s.x, s.mode, s.dist) == (16, -5.0, 5.0, 0.0, "asym", "normal")


def test_degenerate_range_and_16_bits():
    r = analyze(Settings(lo=3.0, hi=3.0, zero=False, bits=16))
    assert r["scale"] > 0 and r["levels"] == 65536


def test_calibration_shrinks_outlier_ranges():
    data = distributions.sample("outliers")
    s = Settings(dist="outliers")
    lo_mm, hi_mm = calibrate("minmax", data, s)
    lo_p, hi_p = calibrate("percentile", data, s)
    lo_e, hi_e = calibrate("mse", data, s)
    assert (lo_mm, hi_mm) == (pytest.approx(float(data.min())), pytest.approx(float(data.max())))
    assert lo_mm < lo_p < hi_p < hi_mm
    assert lo_mm <= lo_e <= hi_e <= hi_mm


@pytest.mark.parametrize("name", distributions.DISTRIBUTIONS)
def test_distributions_are_fixed_and_finite(name):
    a, b = distributions.sample(name), distributions.sample(name)
    assert a.dtype == np.float32 and np.array_equal(a, b) and np.isfinite(a).all()
