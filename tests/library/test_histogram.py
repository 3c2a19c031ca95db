"""Histogram calibration: qlib's HistogramObserver gives PyTorch's HistogramObserver's range bit for bit (it is
an L2 search, not KL); EntropyObserver is TensorRT's KL threshold, checked against a literal transcription of
the loop in NVIDIA's pytorch-quantization (`_compute_amax_entropy`)."""

from collections import Counter

import numpy as np
import pytest
import torch
from scipy.stats import entropy
from torch.ao import quantization as tq

from qlib.histogram import EntropyObserver, HistogramObserver, entropy_threshold_bins
from qlib.qat import ALL_OBSERVERS, OBSERVERS, QConfig, calibrate, convert, prepare_qat


def bits_of(t):
    return t.reshape(-1).to(torch.float32).view(torch.int32)


def same(a, b):
    return torch.equal(bits_of(a), bits_of(b))


def g(seed=0):
    return torch.Generator().manual_seed(seed)


CASES = {
    "relu": lambda: [torch.relu(torch.randn(10_000, generator=g(1)))],
    "three batches, growing": lambda: [torch.randn(3000, generator=g(2)) * (i + 1) + i for i in range(3)],
    "one outlier": lambda: [torch.cat([torch.randn(50_000, generator=g(3)), torch.tensor([40.0])])],
    "64 values": lambda: [torch.randn(64, generator=g(4))],
    "six batches, both ends grow": lambda: [
        torch.rand(300, generator=g(5)) * (i + 1) - 0.2 * i for i in range(6)
    ],
    "a constant first": lambda: [torch.full((10,), 2.0), torch.randn(100, generator=g(6))],
    "images in batches": lambda: list(torch.rand(10, 32, 1, 8, 8, generator=g(7)) * 2 - 1),
}


@pytest.mark.parametrize("case", list(CASES))
def test_histogram_observer_is_pytorchs_bit_for_bit(case):
    ours, theirs = HistogramObserver(), tq.HistogramObserver()
    for x in CASES[case]():
        assert ours(x) is x
        theirs(x)
    assert same(ours.histogram, theirs.histogram)
    assert same(ours.min_val, theirs.min_val) and same(ours.max_val, theirs.max_val)
    lo, hi = ours.range()
    t_lo, t_hi = theirs._non_linear_param_search()
    assert same(lo, t_lo) and same(hi, t_hi)
    scale, zp = theirs.calculate_qparams()
    qp = ours.qparams(8)
    assert same(qp.scale, scale) and int(qp.zero_point) == int(zp)


def test_histogram_observer_symmetric_and_four_bit_codes_as_pytorch():
    """PyTorch's search is made for 2^8 levels whatever quant_min/quant_max say; so is qlib's by default."""
    xs = CASES["three batches, growing"]()
    for kwargs, ask in (
        (dict(dtype=torch.qint8, qscheme=torch.per_tensor_symmetric), dict(bits=8, symmetric=True)),
        (dict(quant_min=0, quant_max=15), dict(bits=4)),
    ):
        ours, theirs = HistogramObserver(), tq.HistogramObserver(**kwargs)
        for x in xs:
            ours(x), theirs(x)
        assert theirs.dst_nbins == ours.dst_bins == 256
        scale, zp = theirs.calculate_qparams()
        qp = ours.qparams(**ask)
        assert same(qp.scale, scale) and int(qp.zero_point) == int(zp), kwargs


def test_histogram_observer_trims_an_outlier_less_than_one_might_expect():
    """A greedy search that stops at the first rise of the error: the range still reaches most of the way to
    the outlier (what PyTorch's observer does, not an optimum)."""
    ours = HistogramObserver()
    ours(CASES["one outlier"]()[0])
    lo, hi = ours.range()
    assert 4.0 < float(-lo) < float(hi) < 40.0
    assert float(hi) > 30.0


def test_histogram_observer_ignores_infinities_as_pytorch_with_a_warning():
    x = torch.tensor([1.0, -2.0, float("inf"), 3.0, -float("inf")])
    ours, theirs = HistogramObserver(), tq.HistogramObserver()
    with pytest.warns(UserWarning):
        ours(x)
    with pytest.warns(UserWarning):
        theirs(x)
    assert float(ours.min_val) == -2.0 and float(ours.max_val) == 3.0
    assert same(ours.histogram, theirs.histogram)


# -- entropy (TensorRT) -------------------------------------------------------------------------------------------


def literal_entropy_bins(hist, nbins, starting):
    """pytorch-quantization's `_compute_amax_entropy` loop as written there (Counter, digitize, scipy entropy),
    returning the chosen number of bins instead of the amax."""
    bins = np.array(hist, dtype=np.float64)
    bins[0] = bins[1]
    divergences, arguments = [], []
    for i in range(starting, len(bins) + 1):
        counts = np.zeros(nbins)
        digitized = np.digitize(range(i), np.linspace(0, i, num=nbins + 1)) - 1
        digitized[bins[:i] == 0] = -1
        for idx, d in enumerate(digitized):
            if d != -1:
                counts[d] += bins[idx]
        for key, val in Counter(digitized).items():
            if key != -1:
                counts[key] /= val
        new = np.zeros(i)
        for idx, d in enumerate(digitized):
            if d != -1:
                new[idx] = counts[d]
        reference = np.array(bins[:i])
        reference[-1] += np.sum(bins[i:])
        divergences.append(entropy(reference, new))
        arguments.append(i)
    divergences = np.array(divergences)
    return arguments[len(divergences) - 1 - int(np.argmin(divergences[::-1]))]


def histograms(n_bins):
    lap = torch.distributions.Laplace(0.0, 1.0)
    with torch.random.fork_rng():
        torch.manual_seed(0)
        data = {
            "relu": torch.relu(torch.randn(20_000, generator=g(1))),
            "laplace": lap.sample((20_000,)),
            "outlier": torch.cat([torch.randn(5000, generator=g(2)), torch.tensor([30.0])]),
            "sparse": torch.randint(0, 5, (300,), generator=g(3)).float() ** 2,
            "uniform": torch.rand(20_000, generator=g(4)),
        }
    return {k: torch.histc(v.abs(), n_bins, 0, float(v.abs().max())).numpy() for k, v in data.items()}


@pytest.mark.parametrize("name", ["relu", "laplace", "outlier", "uniform"])
def test_entropy_search_is_the_reference_loop(name):
    h = histograms(256)[name]
    assert entropy_threshold_bins(h, levels=16, start=16) == literal_entropy_bins(h, 16, 16)


def test_entropy_search_where_the_reference_divides_zero_by_zero():
    """Sparse data: the first 16 bins are empty (the zero bin takes its empty neighbour's count), so Q is all
    zeros there; the reference's KL is NaN, which numpy's argmin takes for the least. Here it is infinite."""
    h = histograms(256)["sparse"]
    assert not h[1:16].any()
    with np.errstate(invalid="ignore", divide="ignore"):
        assert literal_entropy_bins(h, 16, 16) == 16
    chosen = entropy_threshold_bins(h, levels=16, start=16)
    assert chosen > 16 and h[chosen - 1] > 0  # a candidate whose last bin holds data: KL finite


@pytest.mark.slow
@pytest.mark.parametrize("name", ["relu", "laplace", "outlier"])
def test_entropy_search_is_the_reference_loop_at_tensorrts_size(name):
    h = histograms(2048)[name]
    assert entropy_threshold_bins(h, levels=128) == literal_entropy_bins(h, 128, 128)


def test_entropy_observer_clips_outliers_and_keeps_uniform_data():
    x = torch.cat([torch.randn(50_000, generator=g(8)), torch.tensor([40.0, -35.0])])
    obs = EntropyObserver()
    obs(x)
    lo, hi = obs.range()
    assert float(hi) == -float(lo) and 2.5 < float(hi) < 8.0  # symmetric ±T, far inside the outliers
    assert obs.levels == 128 and obs.bins == 2048
    uni = EntropyObserver()
    uni(torch.rand(50_000, generator=g(9)))
    assert uni.threshold() > 0.95 * float(uni.max_val)


def test_entropy_observer_after_a_relu_starts_at_zero():
    obs = EntropyObserver(bits=8)
    for i in range(3):
        obs(torch.relu(torch.randn(4000, generator=g(10 + i))))
    lo, hi = obs.range()
    assert float(lo) == 0.0 and 0.0 < float(hi) < float(obs.max_val)
    qp = obs.qparams(8)
    assert int(qp.zero_point) == 0
    four = EntropyObserver(bits=4)
    four(torch.relu(torch.randn(4000, generator=g(10))))
    assert four.levels == 8 and 0.0 < four.threshold() <= float(four.max_val)


def test_entropy_observer_of_zeros_and_of_nothing():
    obs = EntropyObserver()
    obs(torch.zeros(100))
    assert obs.threshold() == 0.0 and float(obs.qparams(8).scale) == torch.finfo(torch.float32).eps
    with pytest.warns(UserWarning, match="must run observer"):
        assert float(EntropyObserver().qparams(8).scale) == 1.0
    with pytest.raises(ValueError):
        EntropyObserver(bits=1)


def test_the_qat_page_list_is_unchanged_and_qconfig_takes_both():
    assert OBSERVERS == ("minmax", "moving_average", "percentile", "mse")
    assert ALL_OBSERVERS[-2:] == ("histogram", "entropy")


@pytest.mark.parametrize("observer", ["histogram", "entropy"])
def test_calibrating_a_network_with_them(observer, one_thread):
    from qlib import pretrained
    from qlib.data import load_digits
    from qlib.model import evaluate

    digits = load_digits()
    fp32 = pretrained.load("fp32")
    model = calibrate(prepare_qat(fp32, QConfig(observer=observer)), digits.train[0][:200], batch_size=50)
    assert isinstance(
        model.act_fq["conv1"].observer, HistogramObserver if observer == "histogram" else EntropyObserver
    )
    assert evaluate(convert(model), *digits.test) > 0.9
