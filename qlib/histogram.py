"""Histogram calibration: two observers that keep a histogram of every value seen and choose a clipping range
from it, each named for what its source really does.

* `HistogramObserver` is PyTorch's observer of that name (torch/ao/quantization/observer.py, torch 2.13.0):
  a 2048-bin histogram, re-binned as the range grows, then `_non_linear_param_search`, a greedy search that
  trims one end of [min, max] at a time (the end whose tail holds less data) while an estimate of the L2
  quantization error keeps falling, and stops at the first rise. It is **not** a KL-divergence search. The
  error is computed for `dst_bins` = 2^8 levels (PyTorch: 2 ** torch.iinfo(dtype).bits, 256 for quint8 even
  when quant_min/quant_max ask for fewer). The same float operations in the same order: it gives PyTorch's
  range bit for bit (tests/library/test_histogram.py).
* `EntropyObserver` is TensorRT's entropy calibration (Migacz, "8-bit Inference with TensorRT", GTC 2017,
  S7310, slide "Entropy Calibration – pseudocode"; the open implementation read is NVIDIA's pytorch-quantization,
  NVIDIA/TensorRT tools/pytorch-quantization/pytorch_quantization/calib/histogram.py, `_compute_amax_entropy`):
  a 2048-bin histogram of |x|; for every candidate i ≥ 128 bins, P = the first i bins with everything beyond
  added to the last, Q = those i bins merged into 128 levels (2^(bits−1): int8's positive half) and spread back
  evenly over the bins that were not empty; the threshold T = i·(bin width) of the i with the least KL(P‖Q).
  As in pytorch-quantization, the zero bin is first set to its neighbour's count (a ReLU's exact zeros would
  otherwise dominate P), the candidate with no clipping (i = all bins) is included, ties go to the larger i,
  and a batch beyond the histogram's range adds bins of the same width. TensorRT's range is symmetric, [−T, T];
  for qlib's asymmetric codes the observed range is clipped to it, [max(min, −T), min(max, T)]: [0, T] after a
  ReLU, exactly TensorRT's threshold.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import torch

from qlib.observers import Observer, _HistoryObserver

__all__ = ["HistogramObserver", "EntropyObserver", "entropy_threshold_bins"]


def _finite(x: torch.Tensor) -> torch.Tensor:
    """x without ±inf (PyTorch's HistogramObserver drops them with a warning) and without NaN."""
    keep = torch.isfinite(x)
    if not bool(keep.all()):
        warnings.warn("non-finite values in the input are ignored by the histogram", stacklevel=4)
        x = x[keep]
    return x.reshape(-1)


class HistogramObserver(Observer):
    """PyTorch's HistogramObserver: a histogram of everything seen, then its greedy L2 search for [min, max]."""

    def __init__(self, bins: int = 2048, dst_bins: int = 256, upsample_rate: int = 16) -> None:
        super().__init__(axis=None)
        if bins < 1 or dst_bins < 2 or upsample_rate < 1:
            raise ValueError(f"need bins >= 1, dst_bins >= 2, upsample_rate >= 1, got {bins, dst_bins}")
        self.bins, self.dst_bins, self.upsample_rate = bins, dst_bins, upsample_rate
        self.histogram = torch.zeros(bins)

    # -- the histogram -----------------------------------------------------------------------------------------
    def _update(self, x: torch.Tensor) -> None:
        x = _finite(x)
        if x.numel() == 0:
            return
        lo, hi = torch.aminmax(x)
        if self.min_val is None:
            self.min_val, self.max_val = lo, hi
            self.histogram = torch.histc(x, self.bins, min=lo, max=hi)
            return
        new_min, new_max = torch.min(self.min_val, lo), torch.max(self.max_val, hi)
        counts = torch.histc(x, self.bins, min=new_min, max=new_max)
        if new_min == self.min_val and new_max == self.max_val:
            self.histogram = self.histogram + counts
            return
        self.histogram = counts + self._rebinned(new_min, new_max)
        self.min_val, self.max_val = new_min, new_max

    def _rebinned(self, new_min: torch.Tensor, new_max: torch.Tensor) -> torch.Tensor:
        """The histogram so far on the bins of [new_min, new_max]: each bin split into `upsample_rate` parts,
        whose centres fall into the new bins (PyTorch's `_upscale_histogram`)."""
        old_min, old_max, old = self.min_val, self.max_val, self.histogram
        if old_min == old_max:  # everything so far was one value
            return torch.histc(old_min, self.bins, min=new_min, max=new_max) * torch.sum(old)
        rate, n = self.upsample_rate, self.bins
        fine = old.repeat_interleave(rate) / rate
        step = (old_max - old_min) / (n * rate)
        centres = torch.linspace(old_min, old_max, n * rate + 1)[:-1] + 0.5 * step
        edges = torch.linspace(new_min, new_max, n + 1)
        into = torch.bucketize(centres, edges, right=True) - 1
        into = into.clamp(0, n - 1)
        return torch.bincount(into, weights=fine, minlength=n)

    # -- the search ----------------------------------------------------------------------------------------------
    def l2_error(self, start: int, end: int) -> float:
        """Estimated L2 error of quantizing bins start..end onto `dst_bins` levels (PyTorch's
        `_compute_quantization_error`): each source bin's values taken as uniform, their squared distance to
        the centre of the level they fall in integrated as density·(b³ − a³)/3."""
        bin_width = (self.max_val.item() - self.min_val.item()) / self.bins
        dst_width = bin_width * (end - start + 1) / self.dst_bins
        if dst_width == 0.0:
            return 0.0
        top = self.dst_bins - 1
        begin = (torch.arange(self.bins) - start) * bin_width  # each source bin, from the first kept bin
        stop = begin + bin_width
        first = torch.clamp(torch.div(begin, dst_width, rounding_mode="floor"), 0, top)  # its first level
        last = torch.clamp(torch.div(stop, dst_width, rounding_mode="floor"), 0, top)  # and its last
        density = self.histogram / bin_width
        half = dst_width / 2
        norm = torch.zeros(self.bins)
        norm += _cubes(begin - (first + 0.5) * dst_width, torch.ones(self.bins) * half, density)
        norm += (last - first - 1) * _cubes(torch.tensor(-half), torch.tensor(half), density)
        norm += _cubes(torch.tensor(-half), stop - (last * dst_width + half), density)
        return norm.sum().item()

    def search(self) -> tuple[int, int]:
        """The first and last bin kept (PyTorch's `_non_linear_param_search`): step the lower quantile α up or
        the upper β down by 1e-5, move the end whose bin changes by more, keep it while the L2 error falls."""
        csum = torch.cumsum(self.histogram, dim=0).numpy()  # float32, non-decreasing
        total = torch.sum(self.histogram).item()
        last_bin = self.bins - 1
        alpha, beta, start, end = 0.0, 1.0, 0, last_bin
        norm_min = math.inf
        while alpha < beta:
            next_alpha, next_beta = alpha + 1e-5, beta - 1e-5
            # the scans `while cSum[l] < α·total: l += 1` (and the mirror for r), compared in float32 as torch does
            left = int(np.searchsorted(csum, np.float32(next_alpha * total), side="left"))
            right = int(np.searchsorted(csum, np.float32(next_beta * total), side="right")) - 1
            left, right = min(max(left, start), end), max(min(right, end), start)
            next_start, next_end = start, end
            if left - start > end - right:
                next_start, alpha = left, next_alpha
            else:
                next_end, beta = right, next_beta
            if next_start == start and next_end == end:
                continue
            norm = self.l2_error(next_start, next_end)
            if norm > norm_min:
                break
            norm_min, start, end = norm, next_start, next_end
        return start, end

    def range(self) -> tuple[torch.Tensor, torch.Tensor]:
        """[min + width·start, min + width·(end + 1)] of the searched bins (float32, as PyTorch)."""
        if self.min_val is None:
            return super().range()
        start, end = self.search()
        width = (self.max_val - self.min_val) / self.bins
        return self.min_val + width * start, self.min_val + width * (end + 1)


def _cubes(a: torch.Tensor, b: torch.Tensor, density: torch.Tensor) -> torch.Tensor:
    """density · ∫_a^b x² dx = density · (b³ − a³) / 3 (PyTorch's `_get_norm`, same operations)."""
    return density * ((b * b * b - a * a * a) / 3)


# ---------------------------------------------------------------------------------------------------------------
# TensorRT's entropy calibration


def entropy_threshold_bins(hist: np.ndarray, levels: int = 128, start: int = 128) -> int:
    """The number of bins i (≥ `start`) whose threshold i·width has the least KL(P‖Q).

    `hist` counts |x| in equal bins from 0. For each i: P = hist[:i] with hist[i:] added to its last bin;
    Q = hist[:i] merged into `levels` groups (bin j in group k when k·i/levels ≤ j < (k+1)·i/levels, the
    edges of numpy.linspace(0, i, levels + 1) as numpy.digitize reads them), each group's count spread evenly
    over its non-empty bins. Ties go to the larger i. A candidate whose last bin is empty while the tail is not
    has KL = ∞ (pytorch-quantization gets NaN, 0/0, when all of the first i bins are empty, and its argmin
    picks that NaN). Group sums and counts come from running sums, so one
    candidate costs O(i) (the counts are integers: the sums are exact in float64).
    """
    bins = np.asarray(hist, dtype=np.float64).copy()
    if len(bins) > 1:
        bins[0] = bins[1]  # pytorch-quantization's treatment of the zero bin
    n = len(bins)
    if n <= start:
        return n
    full = bins != 0
    c_sum = np.concatenate([[0.0], np.cumsum(bins)])  # c_sum[j] = Σ bins[:j]
    c_full = np.concatenate([[0], np.cumsum(full)])  # non-empty bins among the first j
    total, index = c_sum[-1], np.arange(n)
    best_i, best = n, math.inf
    for i in range(start, n + 1):
        first = np.searchsorted(index[:i], np.linspace(0, i, levels + 1), side="left")  # each group's start
        sums, count = np.diff(c_sum[first]), np.diff(c_full[first])
        q = np.repeat(sums / np.maximum(count, 1), np.diff(first))  # spread over the group's non-empty bins
        p = bins[:i].copy()
        p[-1] += total - c_sum[i]  # the clipped tail, counted in the last bin
        # KL of the normalised P (sum: total) and Q (sum: c_sum[i]); P > 0 only where Q > 0, but the last bin
        mass = p > 0
        if not full[i - 1] and p[-1] > 0:
            continue  # Q has no mass where the tail went: KL = ∞
        pm = p[mass] / total
        kl = float(np.sum(pm * np.log(pm / (q[mass] / c_sum[i]))))
        if kl <= best:
            best_i, best = i, kl
    return best_i


class EntropyObserver(_HistoryObserver):
    """TensorRT's entropy calibration: the threshold T on |x| whose 2^(bits−1)-level code loses the least
    information (KL divergence) about the histogram of |x|; the range is the observed one clipped to ±T.

    The candidates start at 128 bins (T ≥ max|x|/16) at every width, as pytorch-quantization's `start_bin`;
    TensorRT itself is 8-bit only, where 128 is also the number of levels.

    The values are kept (a bounded sample per batch, as the percentile and MSE observers keep them) and the
    histogram is made once, 2048 bins over [0, max|x|] of everything seen. (pytorch-quantization instead adds
    bins of the first batch's width when a later batch goes beyond; for one batch the two are the same.)
    """

    def __init__(self, bits: int = 8, bins: int = 2048, unsigned: bool = False, start_bin: int = 128) -> None:
        super().__init__(axis=None)
        if isinstance(bits, bool) or not isinstance(bits, int) or not 2 <= bits <= 16 or bins < 2:
            raise ValueError(f"bits must be an integer 2..16 and bins >= 2, got {bits!r}, {bins!r}")
        # TensorRT: int8 is symmetric, so |x| gets 128 levels; unsigned=True is pytorch-quantization's option
        self.bits, self.levels, self.bins = bits, 2 ** (bits - 1 + int(unsigned)), bins
        self.start_bin = start_bin

    def _update(self, x: torch.Tensor) -> None:
        x = _finite(x)
        if x.numel():
            super()._update(x)

    def histogram(self) -> tuple[np.ndarray, float]:
        """The counts of |x| in `bins` equal bins over [0, max|x|], and the bin width."""
        a = self._seen().abs()
        amax = float(a.max())
        if amax == 0.0:
            return np.zeros(self.bins), 0.0
        return torch.histc(a, self.bins, min=0.0, max=amax).double().numpy(), amax / self.bins

    def threshold(self) -> float:
        """T = i·width for the i of `entropy_threshold_bins` (0 if nothing but zeros was seen)."""
        counts, width = self.histogram()
        return 0.0 if width == 0.0 else entropy_threshold_bins(counts, self.levels, self.start_bin) * width

    def range(self) -> tuple[torch.Tensor, torch.Tensor]:
        """[max(min, −T), min(max, T)]: the observed range clipped to TensorRT's ±T."""
        if not self.values:
            return super().range()
        t = torch.tensor(self.threshold(), dtype=torch.float32)
        return torch.maximum(self.min_val, -t), torch.minimum(self.max_val, t)
