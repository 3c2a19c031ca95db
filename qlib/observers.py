"""Observers: watch the values a tensor takes and choose the range [min, max] that becomes scale and zero point.

MinMax and MovingAverageMinMax record exactly what PyTorch's observers of the same names record;
Percentile ignores the rarest outliers; MSE searches for the clipping range with the least error.
"""

from __future__ import annotations

import warnings

import torch

from qlib.quant import QParams, TensorLike, _as_float, _fake_quant_inplace, calc_qparams, qrange

_SEARCH_BLOCK = 2_000_000  # values scored at once by the MSE search (16 MB in double)


class Observer:
    """Records a running [min_val, max_val] per tensor (axis=None) or per channel (axis=k)."""

    def __init__(self, axis: int | None = None) -> None:
        self.axis = axis
        self.min_val: torch.Tensor | None = None
        self.max_val: torch.Tensor | None = None

    def _aminmax(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """This batch's min and max, over everything or over all but the channel axis (as PyTorch flattens it)."""
        if self.axis is None:
            return torch.aminmax(x)
        y = torch.flatten(x.movedim(self.axis, 0), start_dim=1)
        return torch.aminmax(y, dim=1)

    def __call__(self, x: TensorLike) -> torch.Tensor:
        """Record statistics of x and pass it through unchanged."""
        x = _as_float(x)
        xd = x.detach()
        if xd.numel() == 0:
            return x
        self._update(xd)
        return x

    def _update(self, x: torch.Tensor) -> None:
        lo, hi = self._aminmax(x)
        if self.min_val is None:
            self.min_val, self.max_val = lo, hi
        else:
            self.min_val, self.max_val = torch.minimum(lo, self.min_val), torch.maximum(hi, self.max_val)

    def range(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The [min, max] this observer chose; an observer that has seen nothing gives [0, 0]."""
        if self.min_val is None:
            zero = torch.zeros((), dtype=torch.float32)
            return zero, zero
        return self.min_val, self.max_val

    def qparams(
        self,
        bits: int = 8,
        symmetric: bool = False,
        signed: bool | None = None,
        narrow_range: bool = False,
        include_zero: bool = True,
    ) -> QParams:
        """Scale and zero point for the chosen range, by the rules of `calc_qparams`.

        An observer that has seen nothing gives what PyTorch's `calculate_qparams` gives (scale 1.0, zero
        point 0, shape [1] per channel, in every scheme) with the same UserWarning, not a scale of eps.
        """
        if self.min_val is None:
            return self._unobserved(bits, symmetric, signed, narrow_range)
        lo, hi = self.range()
        return calc_qparams(lo, hi, bits, symmetric, signed, narrow_range, include_zero, axis=self.axis)

    def _unobserved(self, bits: int, symmetric: bool, signed: bool | None, narrow_range: bool) -> QParams:
        """PyTorch's defaults (check_min_max_valid, torch/ao/quantization/utils.py), with its warning."""
        warnings.warn(
            "must run observer before calling qparams: returning the default scale 1.0 and zero point 0",
            UserWarning,
            stacklevel=3,
        )
        qmin, qmax = qrange(bits, symmetric if signed is None else signed, narrow_range)
        shape = () if self.axis is None else (1,)
        scale, zero_point = torch.ones(shape, dtype=torch.float32), torch.zeros(shape, dtype=torch.int64)
        return QParams(scale, zero_point, qmin, qmax, self.axis)


class MinMaxObserver(Observer):
    """The smallest and largest value ever seen: every value fits, but one outlier stretches the grid."""


class MovingAverageMinMaxObserver(Observer):
    """An exponential moving average of each batch's min and max, as PyTorch's QAT activation observer keeps."""

    def __init__(self, averaging_constant: float = 0.01, axis: int | None = None) -> None:
        super().__init__(axis)
        self.averaging_constant = averaging_constant

    def _update(self, x: torch.Tensor) -> None:
        lo, hi = self._aminmax(x)
        if self.min_val is None:
            self.min_val, self.max_val = lo, hi
        else:
            c = self.averaging_constant
            self.min_val = self.min_val + c * (lo - self.min_val)
            self.max_val = self.max_val + c * (hi - self.max_val)


class _HistoryObserver(Observer):
    """Keeps the values seen (a bounded sample), for observers that need the whole distribution."""

    max_values = 200_000

    def __init__(self, axis: int | None = None) -> None:
        super().__init__(axis)
        self.values: list[torch.Tensor] = []
        self._generator = torch.Generator().manual_seed(0)

    def _update(self, x: torch.Tensor) -> None:
        super()._update(x)
        flat = x.movedim(self.axis, 0).flatten(1) if self.axis is not None else x.flatten()
        if self.axis is None and flat.numel() > self.max_values:
            idx = torch.randperm(flat.numel(), generator=self._generator)[: self.max_values]
            flat = flat[idx]
        self.values.append(flat)

    def _seen(self) -> torch.Tensor:
        return torch.cat(self.values, dim=-1)


class PercentileObserver(_HistoryObserver):
    """The range between the (100-p)th and pth percentiles: rare outliers clip so the rest gets a finer grid."""

    def __init__(self, percentile: float = 99.99, axis: int | None = None) -> None:
        if not 50.0 < percentile <= 100.0:
            raise ValueError(f"percentile must be in (50, 100], got {percentile!r}")
        super().__init__(axis)
        self.percentile = percentile

    def range(self) -> tuple[torch.Tensor, torch.Tensor]:
        if not self.values:
            return super().range()
        v = self._seen().double()
        q = torch.tensor([1.0 - self.percentile / 100.0, self.percentile / 100.0], dtype=torch.float64)
        lo, hi = torch.quantile(v, q, dim=-1)
        return lo.float(), hi.float()


class MSEObserver(_HistoryObserver):
    """Searches shrunken ranges [a·min, a·max] for the one whose quantization error (MSE) is least.

    The best range depends on the code it is searched for, so the code (bits, symmetric, signed, narrow_range,
    include_zero) is fixed here, in the constructor, and nowhere else. `qparams()` uses it; called with a
    setting that differs, it raises a ValueError rather than return a range searched for another code.
    """

    def __init__(
        self,
        bits: int = 8,
        symmetric: bool = False,
        signed: bool | None = None,
        narrow_range: bool = False,
        include_zero: bool = True,
        steps: int = 100,
        min_fraction: float = 0.05,
        axis: int | None = None,
    ) -> None:
        super().__init__(axis)
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
            raise ValueError(f"steps must be an integer >= 1, got {steps!r}")
        if not 0.0 < min_fraction <= 1.0:
            raise ValueError(f"min_fraction must be in (0, 1], got {min_fraction!r}")
        signed = bool(symmetric) if signed is None else signed
        qrange(bits, signed, narrow_range)  # a bad bit width fails here, not at the first qparams()
        self.steps, self.min_fraction = steps, min_fraction
        self.bits, self.symmetric, self.signed = bits, symmetric, signed
        self.narrow_range, self.include_zero = narrow_range, include_zero

    def qparams(
        self,
        bits: int | None = None,
        symmetric: bool | None = None,
        signed: bool | None = None,
        narrow_range: bool | None = None,
        include_zero: bool | None = None,
    ) -> QParams:
        """Scale and zero point of the searched range, for the constructor's code (None: as constructed)."""
        asked = dict(bits=bits, symmetric=symmetric, narrow_range=narrow_range, include_zero=include_zero)
        if signed is not None or symmetric is not None:  # signed=None means "as the scheme asked for implies"
            asked["signed"] = (
                (self.symmetric if symmetric is None else symmetric) if signed is None else signed
            )
        for name, value in asked.items():
            if value is not None and value != getattr(self, name):
                raise ValueError(
                    f"this MSEObserver searched its range for {name}={getattr(self, name)!r}, not {value!r}: "
                    f"pass {name}= to MSEObserver(...) instead"
                )
        return super().qparams(self.bits, self.symmetric, self.signed, self.narrow_range, self.include_zero)

    def range(self) -> tuple[torch.Tensor, torch.Tensor]:
        if not self.values:
            return super().range()
        v, (lo, hi) = self._seen(), super().range()
        if self.axis is None:
            return self._search(v, lo, hi)
        pairs = [self._search(v[c], lo[c], hi[c]) for c in range(v.shape[0])]
        return torch.stack([p[0] for p in pairs]), torch.stack([p[1] for p in pairs])

    def _search(
        self, v: torch.Tensor, lo: torch.Tensor, hi: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Try `steps` fractions a of the min-max range, [a·lo, a·hi], and keep the one with the least MSE.

        All candidates are scored at once (a few at a time, to bound memory): each row is
        mean((fake_quant(v) - v)^2) in double, exactly what `quant_error` gives for that candidate alone.
        """
        a = torch.tensor(
            [1.0 - (1.0 - self.min_fraction) * i / max(self.steps - 1, 1) for i in range(self.steps)],
            dtype=torch.float32,
        )
        cand_lo, cand_hi = lo * a, hi * a
        code = (self.bits, self.symmetric, self.signed, self.narrow_range, self.include_zero)
        qp = calc_qparams(cand_lo, cand_hi, *code, axis=0)
        mse = torch.empty(self.steps, dtype=torch.float64)
        rows = max(1, _SEARCH_BLOCK // max(v.numel(), 1))
        for i in range(0, self.steps, rows):
            part = QParams(qp.scale[i : i + rows], qp.zero_point[i : i + rows], qp.qmin, qp.qmax, axis=0)
            x = v.reshape(1, -1).expand(len(part.scale), -1)
            err = _fake_quant_inplace(x, part, need_mask=False)[0].sub_(x)
            mse[i : i + rows] = err.double().pow_(2).mean(dim=1)
        best = int(torch.argmin(mse))  # the first of equal minima, as a strict `<` scan would keep
        return cand_lo[best], cand_hi[best]
