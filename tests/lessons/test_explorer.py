"""The explorer's numbers and its URL parsing (lessons.scale_and_zero_point)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons.scale_and_zero_point import distributions
from lessons.scale_and_zero_point.lesson import (
    analyze,
    binary,
    calibrate,
    code_of,
    probe,
)
from lessons.scale_and_zero_point.settings import PRESETS, Settings, normalize, parse_query, range_problem


def test_seed_example():
    v = analyze(Settings())
    assert v.zero_point == 64 and f"{v.scale:.4f}" == "0.0314"
    assert v.zp_raw == pytest.approx(63.75, abs=1e-4)
    assert v.zero_code == 64 and v.zero_exact
    assert "0.0313726" in v.scale_tex and "64" in v.zero_point_tex


def test_symmetric_has_zero_point_zero():
    v = analyze(Settings(mode="sym", signed=True))
    assert v.zero_point == 0 and v.qmin == -128 and v.scale == pytest.approx(6 / 127.5)
    v = analyze(Settings(mode="sym", signed=True, narrow=True))
    assert v.qmin == -127 and v.scale == pytest.approx(6 / 127)


def test_positive_range_without_zero_clamps_the_zero_point():
    v = analyze(PRESETS["positive"])
    assert v.zp_raw < v.qmin and v.zero_point == v.qmin and v.zp_clamped
    assert v.grid_hi < 5.0  # the grid no longer covers the chosen range


def test_code_in_binary_is_twos_complement():
    v = analyze(Settings(mode="sym", signed=True, lo=-1, hi=1))
    assert probe(v, -5.0).binary == "10000000"  # clips to -128
    assert code_of(-1.0, v.qp)[0] == -127  # -1 / float32(1/127.5) = -127.49999..., rounds to -127
    assert probe(v, -1.0).binary == "10000001" == binary(-127, 8)
    assert probe(analyze(Settings()), 0.0).binary == "01000000"


def test_the_view_leaves_x_out_and_the_probe_reads_it():
    v = analyze(Settings(x=3.0))
    assert v == analyze(Settings(x=-1.0)) and v.settings.x == 0.0
    p = probe(v, 3.0)
    assert p.code == 160 and p.back == pytest.approx(3.0, abs=v.scale / 2) and "160" in p.tex


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
    v = analyze(s)
    assert math.isfinite(v.scale) and v.qmin <= v.zero_point <= v.qmax


def test_normalize_makes_anything_safe():
    s = normalize(Settings(bits=99, lo=5, hi=-5, x=float("nan"), mode="x", dist="y", narrow=True))
    assert (s.bits, s.lo, s.hi, s.x, s.mode, s.dist, s.narrow) == (
        16,
        5.0,
        -5.0,
        0.0,
        "asym",
        "normal",
        False,
    )
    assert range_problem(s) == ("min_above_max", {"lo": "5", "hi": "-5"})  # kept as typed, and said


def test_degenerate_range_and_16_bits():
    v = analyze(Settings(lo=3.0, hi=3.0, zero=False, bits=16))
    assert v.scale > 0 and v.levels == 65536


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
