"""Observers: MinMax and MovingAverage record what PyTorch's record; Percentile and MSE clip outliers."""

import pytest
import torch
from torch.ao import quantization as tq

from qlib.observers import MinMaxObserver, MovingAverageMinMaxObserver, MSEObserver, PercentileObserver
from qlib.quant import calc_qparams, quant_error


def batches(n=5, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(4, 3, 5, 5, generator=g) * (i + 1) + i * 0.3 for i in range(n)]


def same(a, b):
    return torch.equal(a.reshape(-1).view(torch.int32), b.reshape(-1).to(torch.float32).view(torch.int32))


def test_minmax_records_what_pytorch_records():
    ours, theirs = MinMaxObserver(), tq.MinMaxObserver()
    for x in batches():
        assert ours(x) is x
        theirs(x)
    assert same(ours.min_val, theirs.min_val) and same(ours.max_val, theirs.max_val)
    s, z = theirs.calculate_qparams()
    qp = ours.qparams(bits=8)
    assert same(qp.scale, s) and int(qp.zero_point) == int(z)


def test_moving_average_records_what_pytorch_records():
    ours = MovingAverageMinMaxObserver(averaging_constant=0.01)
    theirs = tq.MovingAverageMinMaxObserver(averaging_constant=0.01)
    for x in batches(8):
        ours(x)
        theirs(x)
    assert same(ours.min_val, theirs.min_val) and same(ours.max_val, theirs.max_val)


def test_per_channel_minmax_and_moving_average_match_pytorch():
    for axis in (0, 1):
        ours, theirs = MinMaxObserver(axis=axis), tq.PerChannelMinMaxObserver(ch_axis=axis)
        ours_ma = MovingAverageMinMaxObserver(0.1, axis=axis)
        theirs_ma = tq.MovingAveragePerChannelMinMaxObserver(averaging_constant=0.1, ch_axis=axis)
        for x in batches():
            ours(x), theirs(x), ours_ma(x), theirs_ma(x)
        assert same(ours.min_val, theirs.min_val) and same(ours.max_val, theirs.max_val)
        assert same(ours_ma.min_val, theirs_ma.min_val) and same(ours_ma.max_val, theirs_ma.max_val)
        qp = ours.qparams(bits=8, symmetric=True)
        assert qp.axis == axis and qp.scale.shape == (ours.min_val.numel(),)


def outlier_data():
    g = torch.Generator().manual_seed(3)
    x = torch.randn(20_000, generator=g)
    x[:5] = torch.tensor([40.0, -35.0, 50.0, 30.0, -45.0])
    return x


def test_percentile_ignores_rare_outliers():
    x = outlier_data()
    obs = PercentileObserver(99.9)
    obs(x)
    lo, hi = obs.range()
    assert -4.5 < float(lo) < -2.0 and 2.0 < float(hi) < 4.5
    assert float(obs.min_val) == -45.0 and float(obs.max_val) == 50.0  # the raw extremes are still recorded
    mm = calc_qparams(-45.0, 50.0, bits=4)
    assert quant_error(x, obs.qparams(bits=4))["mse"] < quant_error(x, mm)["mse"]


def test_mse_observer_finds_a_range_with_less_error_than_minmax():
    x = outlier_data()
    mse_obs, mm = MSEObserver(bits=4), MinMaxObserver()
    mse_obs(x), mm(x)
    e_mse = quant_error(x, mse_obs.qparams(bits=4))["mse"]
    e_mm = quant_error(x, mm.qparams(bits=4))["mse"]
    assert e_mse < 0.5 * e_mm
    lo, hi = mse_obs.range()
    assert float(hi) < 50.0 and float(lo) > -45.0


def test_mse_observer_keeps_the_full_range_when_nothing_is_an_outlier():
    x = torch.linspace(-1, 1, 1001)
    obs = MSEObserver(bits=8)
    obs(x)
    lo, hi = obs.range()
    assert float(hi) > 0.95 and float(lo) < -0.95


def test_unused_observer_gives_zero_range():
    lo, hi = MinMaxObserver().range()
    assert float(lo) == 0.0 == float(hi)


# --- issue 11 A2: an observer that has seen nothing ------------------------------------------------------


def _unused_qlib_observers(axis, code):
    return [
        MinMaxObserver(axis=axis),
        MovingAverageMinMaxObserver(axis=axis),
        PercentileObserver(99.0, axis=axis),
        MSEObserver(axis=axis, **code),  # its code is its own (issue 12 item 6)
    ]


@pytest.mark.parametrize("axis", [None, 0])
@pytest.mark.parametrize(
    "dtype,qscheme,kwargs",
    [
        (torch.quint8, "affine", dict(bits=8)),
        (torch.qint8, "affine", dict(bits=8, signed=True)),
        (torch.qint8, "symmetric", dict(bits=8, symmetric=True)),
        (torch.quint8, "symmetric", dict(bits=8, symmetric=True, signed=False)),
    ],
)
def test_unused_observer_gives_pytorch_defaults(axis, dtype, qscheme, kwargs):
    """Scale 1.0 and zero point 0 (not eps, not 128) with PyTorch's warning, per tensor and per channel."""
    per_channel = axis is not None
    scheme = {
        ("affine", False): torch.per_tensor_affine,
        ("affine", True): torch.per_channel_affine,
        ("symmetric", False): torch.per_tensor_symmetric,
        ("symmetric", True): torch.per_channel_symmetric,
    }[qscheme, per_channel]
    theirs = (tq.PerChannelMinMaxObserver if per_channel else tq.MinMaxObserver)(dtype=dtype, qscheme=scheme)
    with pytest.warns(UserWarning, match="must run observer before calling calculate_qparams"):
        t_scale, t_zp = theirs.calculate_qparams()
    for ours in _unused_qlib_observers(axis, kwargs):
        with pytest.warns(UserWarning, match="must run observer before calling qparams"):
            qp = ours.qparams(**kwargs)
        assert same(qp.scale, t_scale) and qp.zero_point.reshape(-1).tolist() == t_zp.tolist() == [0]
        assert qp.scale.shape == (() if axis is None else (1,)) and qp.axis == axis


# --- issue 12 item 6: the MSE observer's code is set in its constructor, nowhere else ------------------------


def test_mse_observer_qparams_uses_the_constructors_code():
    """qparams() with no arguments is the constructor's code: 4-bit symmetric here, not the 8-bit default."""
    x = outlier_data()
    obs = MSEObserver(bits=4, symmetric=True, steps=30)
    obs(x)
    lo, hi = obs.range()
    assert _same_qp(obs.qparams(), calc_qparams(lo, hi, bits=4, symmetric=True))
    assert obs.qparams().qmin == -8


def _same_qp(a, b):
    return (
        same(a.scale, b.scale)
        and torch.equal(a.zero_point, b.zero_point)
        and (a.qmin, a.qmax) == (b.qmin, b.qmax)
    )


def test_mse_observer_qparams_has_no_side_effect():
    """Asking for another code is a ValueError that names the setting; the searched range stays as it was."""
    x = outlier_data()
    obs = MSEObserver(bits=4, steps=30)
    obs(x)
    before = obs.range()
    with pytest.raises(ValueError, match=r"searched its range for bits=4, not 8: pass bits= to MSEObserver"):
        obs.qparams(bits=8)
    with pytest.raises(ValueError, match="searched its range for symmetric=False, not True"):
        obs.qparams(4, symmetric=True)
    after = obs.range()
    assert same(before[0], after[0]) and same(before[1], after[1])
    other = MSEObserver(bits=8, steps=30)
    other(x)
    assert not same(other.range()[1], after[1])  # the range does depend on the code: the check matters


def test_mse_observer_accepts_the_same_code_spelled_out():
    x = outlier_data()
    obs = MSEObserver(bits=6, symmetric=True, signed=False, steps=20)
    obs(x)
    qp = obs.qparams(6, symmetric=True, signed=False, narrow_range=False, include_zero=True)
    assert _same_qp(qp, obs.qparams()) and int(qp.zero_point) == 32
    with pytest.raises(ValueError, match="signed=False, not True"):
        obs.qparams(6, symmetric=True)  # signed=None with symmetric=True means signed


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(bits=1), "bits must be an integer from 2 to 16"),
        (dict(steps=0), "steps must be an integer >= 1"),
        (dict(min_fraction=0.0), r"min_fraction must be in \(0, 1\]"),
    ],
)
def test_mse_observer_checks_its_settings_when_built(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MSEObserver(**kwargs)
