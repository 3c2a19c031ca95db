"""Integer-only inference: uint8 activations, int8 weights, int32 accumulators, fixed-point requantization.

Each layer computes, with integers only,

    acc   = sum_k (q_in - in_zp) * w_q                    int32 accumulator (exact, int64 tensors hold it)
    acc  += b_q                                           int32 bias, quantized with scale in_scale * w_scale[c]
    q_out = clamp(out_zp + round(acc * M), lo, hi)        M = in_scale * w_scale[c] / out_scale

and `round(acc * M)` never touches a float: M is written once as M0 * 2^-n with M0 an int32 in [2^30, 2^31),
then applied with gemmlowp's SaturatingRoundingDoublingHighMul (the high 32 bits of 2 * acc * M0, rounded)
and RoundingDivideByPOT (a right shift that rounds half away from zero), as TFLite's integer kernels do.
A fused ReLU is just the lower clamp at out_zp, the code of 0.0; a fused ReLU6 adds the upper clamp at the
code of 6.0, round_half_even(zp + 6 · (1/scale)) in float32, as PyTorch's quantized relu6 computes it
(hardtanh → qclamp → quantize_val, fbgemm's Quantize: the zero point is added *before* rounding there, unlike
fake_quant, which rounds first; the two differ when 6/scale ends in .5 and zp is odd). Both bounds are
integers fixed when the model is built.
(With the output range observed after the ReLU6, as qlib.qat does, the range never passes 6, so the upper
clamp is implied by qmax; it matters for ranges set otherwise, e.g. PyTorch's unfused Conv2d → ReLU6.)
The result is within one code of the exactly rounded value: the bias was rounded to an integer, and
gemmlowp rounds twice (high-mul, then shift). A grouped conv (groups > 1; depthwise when groups = channels)
is one exact integer matmul per group.

`requant="float"` instead reproduces PyTorch's fbgemm kernel (the one behind the "x86"/"fbgemm" engines,
fbgemm's ReQuantizeOutput with a float bias) bit for bit: float32(acc) + bias / (in_scale * w_scale), times
the float32 multiplier (in_scale * w_scale) / out_scale, rounded half to even, plus out_zp, clamped.
The requantization, that is; the accumulator can differ. fbgemm multiplies uint8 by int8 with vpmaddubsw,
which adds each two neighbouring products in int16 with saturation: its depthwise kernel always, and every
conv and linear on a CPU without AVX512-VNNI. With 8-bit activations (0..255) two products can pass 32767, so
some of PyTorch's sums are not the exact sum computed here; with 7-bit activations (reduce_range) they always
are. `pair_saturated_acc` computes that accumulator; `Int8Model(accumulate=...)` runs a model on it
(`qlib.torch_ref.fbgemm_accumulate` chooses it as PyTorch does on this CPU).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from qlib.layers import Int8Layer
from qlib.quant import QParams, dequantize, quantize

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
F32 = torch.float32


# ---------------------------------------------------------------------------------------------------------------
# gemmlowp's fixed-point primitives, vectorised over int64 tensors holding int32 values


def quantize_multiplier(m: float) -> tuple[int, int]:
    """Write a real multiplier as M0 * 2^-n, M0 an int32 in [2^30, 2^31): the integer form of `acc * M`.

    M0 = 0 (with n = 31) for M < 2^-32, where |acc * M| < 0.5 for every int32 acc, so the exact answer is 0.
    """
    m = float(m)
    if not (math.isfinite(m) and 0.0 <= m < 2.0**31):
        raise ValueError(f"the requantization multiplier must be in [0, 2^31), got {m!r}")
    if m == 0.0:
        return 0, 31
    mant, exp = math.frexp(m)  # m = mant * 2^exp, mant in [0.5, 1)
    m0 = math.floor(
        mant * 2**31 + 0.5
    )  # std::round, as TFLite's QuantizeMultiplier (exact: a power-of-2 scaling)
    if m0 == 2**31:  # mant rounded up to 1.0
        m0, exp = 2**30, exp + 1
    n = 31 - exp
    if n > 62:  # the right shift after the high-mul would exceed 31 bits: M < 2^-32
        return 0, 31
    return m0, n


def srdhm(a: torch.Tensor, b: torch.Tensor | int) -> torch.Tensor:
    """SaturatingRoundingDoublingHighMul: (a * b + nudge) / 2^31 truncated, i.e. round(a * b / 2^31).

    The nudge is 2^30 for a*b >= 0 and 1 - 2^30 below, so ties round up (towards +inf): -0.5 -> 0, 0.5 -> 1.
    The one overflow, INT32_MIN * INT32_MIN, saturates to INT32_MAX.
    """
    a = torch.as_tensor(a, dtype=torch.int64)
    b = torch.as_tensor(b, dtype=torch.int64)
    ab = a * b  # |ab| <= 2^62: fits in int64
    nudge = torch.where(ab >= 0, 2**30, 1 - 2**30)
    high = torch.div(ab + nudge, 2**31, rounding_mode="trunc")  # C's integer division truncates towards 0
    overflow = (a == INT32_MIN) & (b == INT32_MIN)
    return torch.where(overflow, INT32_MAX, high)


def rounding_divide_by_pot(x: torch.Tensor, n: torch.Tensor | int) -> torch.Tensor:
    """RoundingDivideByPOT: x / 2^n rounded half away from zero (0 <= n <= 31), with shifts and masks only."""
    x = torch.as_tensor(x, dtype=torch.int64)
    n = torch.as_tensor(n, dtype=torch.int64)
    mask = torch.bitwise_left_shift(torch.ones_like(n), n) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (x < 0).to(
        torch.int64
    )  # negatives need a larger remainder: ties go away from 0
    return torch.bitwise_right_shift(x, n) + (remainder > threshold).to(torch.int64)


def saturating_left_shift(x: torch.Tensor, s: torch.Tensor | int) -> torch.Tensor:
    """x * 2^s clamped to int32: the pre-shift TFLite applies when M >= 1 (n < 31)."""
    x = torch.as_tensor(x, dtype=torch.int64)
    s = torch.as_tensor(s, dtype=torch.int64)
    big = torch.where(x.abs() >= 2**31, x.sign() * 2**31, x)  # keep the shifted value inside int64
    return torch.clamp(torch.bitwise_left_shift(big, s), INT32_MIN, INT32_MAX)


def multiply_by_quantized_multiplier(acc: torch.Tensor, m0: torch.Tensor, n: torch.Tensor) -> torch.Tensor:
    """round(acc * M0 * 2^-n) in integers: left shift if n < 31, high-mul by M0, then a rounding right shift.

    Rounded twice, as in TFLite (1 * 0.25 gives 1: the high mul rounds 0.5 up, the shift rounds 0.5 up again).
    """
    n = torch.as_tensor(n, dtype=torch.int64)
    left, right = torch.clamp(31 - n, min=0), torch.clamp(n - 31, min=0)
    return rounding_divide_by_pot(srdhm(saturating_left_shift(acc, left), m0), right)


def requantize_fixed(
    acc: torch.Tensor, m0: torch.Tensor, n: torch.Tensor, zp: int, lo: int, hi: int
) -> torch.Tensor:
    """int32 accumulator -> output code: clamp(zp + round(acc * M0 * 2^-n), lo, hi), integers only."""
    return torch.clamp(multiply_by_quantized_multiplier(acc, m0, n) + zp, lo, hi)


def requantize_float(
    acc: torch.Tensor,
    bias: torch.Tensor,
    in_scale: float,
    w_scale: torch.Tensor,
    out_scale: float,
    zp: int,
    lo: int,
    hi: int,
) -> torch.Tensor:
    """fbgemm's ReQuantizeOutput, float bias: rint((float(acc) + bias/(s_in*s_w)) * (s_in*s_w/s_out)) + zp, clamped.

    Every step is one float32 operation in fbgemm's order, so the result is PyTorch's code bit for bit.
    """
    act_times_w = torch.tensor(in_scale, dtype=F32) * w_scale.to(F32)  # float32 product, per channel
    multiplier = act_times_w / torch.tensor(out_scale, dtype=F32)
    x = acc.to(F32) + bias.to(F32) / act_times_w
    q = torch.round(x * multiplier).to(torch.int64) + zp  # round half to even, as lrintf / cvtps2dq
    return torch.clamp(q, lo, hi)


# ---------------------------------------------------------------------------------------------------------------
# integer layers


def im2col(x: torch.Tensor, kh: int, kw: int, stride: int, padding: int) -> torch.Tensor:
    """N×C×H×W -> N×(Ho·Wo)×(C·kh·kw): every receptive field as a row (pure indexing, any dtype)."""
    x = torch.nn.functional.pad(x, (padding, padding, padding, padding))
    patches = x.unfold(2, kh, stride).unfold(3, kw, stride)  # N×C×Ho×Wo×kh×kw
    n, c, ho, wo = patches.shape[:4]
    return patches.permute(0, 2, 3, 1, 4, 5).reshape(n, ho * wo, c * kh * kw)


def conv_int(q_in: torch.Tensor, layer: Int8Layer) -> torch.Tensor:
    """int32 accumulator of a conv: sum (q_in - in_zp) * w_q; the padding is code in_zp, i.e. real 0.

    With groups g, output channel c sums over the input channels of its group only: one matmul per group.
    """
    x = q_in.to(torch.int64) - layer.in_zp  # padding after the shift pads with real 0
    c_out, _, kh, kw = layer.w_q.shape
    g = layer.groups
    cols = im2col(x, kh, kw, layer.stride, layer.padding)  # N×L×(C_in·kh·kw), channel-major
    n, length = cols.shape[:2]
    cols = cols.reshape(n, length, g, -1).transpose(1, 2)  # N×g×L×(C_in/g·kh·kw)
    w = layer.w_q.to(torch.int64).reshape(g, c_out // g, -1)  # g×(C_out/g)×(C_in/g·kh·kw)
    acc = cols @ w.transpose(1, 2)  # N×g×L×(C_out/g), exact int64 matmuls
    acc = acc.permute(0, 1, 3, 2).reshape(n, c_out, length)  # channels of group 0, then group 1, ...
    ho = (q_in.shape[2] + 2 * layer.padding - kh) // layer.stride + 1
    return acc.reshape(n, c_out, ho, -1)


def linear_int(q_in: torch.Tensor, layer: Int8Layer) -> torch.Tensor:
    """int32 accumulator of a linear layer: (q_in - in_zp) @ w_q^T."""
    return (q_in.to(torch.int64) - layer.in_zp) @ layer.w_q.to(torch.int64).T


def exact_acc(q_in: torch.Tensor, layer: Int8Layer) -> torch.Tensor:
    """A layer's exact integer accumulator (conv_int or linear_int): what Int8Model sums by default."""
    return conv_int(q_in, layer) if layer.kind == "conv" else linear_int(q_in, layer)


def pair_sums(a: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """Σ_k a_k · w_k as vpmaddubsw adds it: each two neighbouring products (k = 2j, 2j+1) in int16, saturated
    to −32768..32767, then those pairs summed exactly. a: …×K raw uint8 codes, w: C×K int8 codes -> …×C."""
    if a.shape[-1] % 2:  # an odd K's last product pairs with a zero
        a, w = torch.nn.functional.pad(a, (0, 1)), torch.nn.functional.pad(w, (0, 1))
    out = []
    for c in range(w.shape[0]):  # one output channel at a time: …×K products, not …×C×K
        prods = a * w[c]
        out.append((prods[..., 0::2] + prods[..., 1::2]).clamp(-32768, 32767).sum(-1))
    return torch.stack(out, -1)


def pair_saturated_acc(q_in: torch.Tensor, layer: Int8Layer) -> torch.Tensor:
    """The accumulator of a uint8 × int8 kernel built on vpmaddubsw (fbgemm): the raw codes' products paired in
    int16 with saturation (`pair_sums`), then the zero point taken off exactly, in_zp · Σw. The products run
    in fbgemm's channels-last order, the filter's rows, its columns, then the input channels of the group;
    the padding is code in_zp. Equal to `exact_acc` whenever no two neighbouring products pass 32767."""
    w_q = layer.w_q.to(torch.int64)
    if layer.kind != "conv":
        return pair_sums(q_in.to(torch.int64), w_q) - layer.in_zp * w_q.sum(1)
    c_out, c_per_group, kh, kw = w_q.shape
    g = layer.groups
    x = torch.nn.functional.pad(q_in.to(torch.int64), (layer.padding,) * 4, value=layer.in_zp)
    taps = x.unfold(2, kh, layer.stride).unfold(3, kw, layer.stride)  # N×C×Ho×Wo×kh×kw, raw codes
    n, _, ho, wo = taps.shape[:4]
    taps = taps.reshape(n, g, c_per_group, ho, wo, kh, kw).permute(0, 1, 3, 4, 5, 6, 2)  # N×g×Ho×Wo×kh×kw×c
    cols = taps.reshape(n, g, ho * wo, kh * kw * c_per_group)
    w = w_q.permute(0, 2, 3, 1).reshape(g, c_out // g, -1)  # g×(C_out/g)×(kh·kw·c), the same order
    acc = torch.cat([pair_sums(cols[:, i], w[i]) for i in range(g)], -1)  # N×L×C_out, group by group
    acc = acc - layer.in_zp * w_q.reshape(c_out, -1).sum(1)
    return acc.transpose(1, 2).reshape(n, c_out, ho, wo)


def _per_channel(t: torch.Tensor, ndim: int) -> torch.Tensor:
    """A per-output-channel vector shaped to broadcast along axis 1 of an ndim-d tensor."""
    return t.reshape([1, -1] + [1] * (ndim - 2))


def output_clamp(layer: Int8Layer) -> tuple[int, int]:
    """The output codes' bounds: [qmin, qmax], narrowed to the code of 0.0 by a fused ReLU and to the code of
    6.0 by a fused ReLU6: round_half_even(zp + 6 · (1/scale)) in float32, PyTorch's quantize_val."""
    lo = max(layer.qmin, layer.out_zp) if layer.relu else layer.qmin
    hi = layer.qmax
    if layer.relu6:
        inv_scale = torch.tensor(1.0, dtype=F32) / torch.tensor(layer.out_scale, dtype=F32)
        six = torch.round(
            torch.tensor(float(layer.out_zp), dtype=F32) + torch.tensor(6.0, dtype=F32) * inv_scale
        )
        hi = int(min(max(int(six), layer.qmin), hi))
    return lo, hi


def _check_int32(acc: torch.Tensor, what: str) -> torch.Tensor:
    """The accumulator must fit int32, as in a real int8 kernel; an overflow is a bug, not something to hide."""
    if acc.numel() and (acc.min() < INT32_MIN or acc.max() > INT32_MAX):
        raise OverflowError(f"{what} overflows int32")
    return acc


@dataclass(frozen=True)
class LayerTrace:
    """One layer's integer computation on one input, every tensor int64 (float for M, scales and the bias).

    q_in → acc = Σ (q_in − in_zp)·w_q (before the bias) → acc_bias = acc + b_q → q_out, the output codes,
    clamped to [lo, hi] (lo = out_zp with a fused ReLU); M = in_scale·w_scale[c] / out_scale per channel and
    its fixed-point form M0·2^−n. `trace["q_out"]` reads a field too, as the dict form of earlier versions did.
    """

    name: str
    kind: str  # "conv" or "linear"
    relu: bool
    requant: str  # "fixed" or "float"
    q_in: torch.Tensor
    acc: torch.Tensor
    acc_bias: torch.Tensor
    q_out: torch.Tensor
    M: torch.Tensor  # noqa: N815 (the multiplier's name in the papers)
    M0: torch.Tensor  # noqa: N815
    n: torch.Tensor
    lo: int
    hi: int
    in_scale: float
    in_zp: int
    out_scale: float
    out_zp: int
    w_q: torch.Tensor
    w_scale: torch.Tensor
    b_q: torch.Tensor
    bias: torch.Tensor

    def __getitem__(self, key: str):
        return getattr(self, key)


# ---------------------------------------------------------------------------------------------------------------
# the model


def _default_names(layers: list[Int8Layer]) -> list[str]:
    """conv1, conv2, ..., fc (fc1, fc2, ... if there are several linear layers)."""
    n_lin = sum(layer.kind == "linear" for layer in layers)
    names, counts = [], {"conv": 0, "linear": 0}
    for layer in layers:
        counts[layer.kind] += 1
        if layer.kind == "conv":
            names.append(f"conv{counts['conv']}")
        else:
            names.append("fc" if n_lin == 1 else f"fc{counts['linear']}")
    return names


class Int8Model:
    """A stack of Int8Layers run in integers: float in, uint8 codes through, float logits out."""

    def __init__(
        self,
        layers: list[Int8Layer],
        requant: str = "fixed",
        names: list[str] | None = None,
        accumulate: Callable[[torch.Tensor, Int8Layer], torch.Tensor] = exact_acc,
    ) -> None:
        if requant not in ("fixed", "float"):
            raise ValueError(f"requant must be 'fixed' or 'float', got {requant!r}")
        if not layers:
            raise ValueError("an Int8Model needs at least one layer")
        self.layers = list(layers)
        self.requant = requant
        self.accumulate = accumulate  # (codes, layer) -> int accumulator: exact_acc, or a kernel's own
        self.layer_names = list(names) if names is not None else _default_names(self.layers)
        self.multipliers = [self._multipliers(layer) for layer in self.layers]  # (M, M0, n) per layer, once
        self.clamps = [output_clamp(layer) for layer in self.layers]  # (lo, hi) per layer, integers

    @staticmethod
    def _multipliers(layer: Int8Layer) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """M = in_scale * w_scale[c] / out_scale in double, and its fixed-point form (M0, n) per channel."""
        m = [float(layer.in_scale) * float(s) / float(layer.out_scale) for s in layer.w_scale.tolist()]
        m0, n = zip(*(quantize_multiplier(v) for v in m), strict=True)
        as64 = lambda v: torch.tensor(v, dtype=torch.int64)  # noqa: E731
        return torch.tensor(m, dtype=torch.float64), as64(m0), as64(n)

    # -- qparams of the ends ----------------------------------------------------------------------------------
    @property
    def input_qparams(self) -> QParams:
        """How a float input becomes uint8 codes: the first layer's input scale and zero point."""
        first = self.layers[0]
        return QParams(
            torch.tensor(first.in_scale, dtype=F32), torch.tensor(first.in_zp), first.qmin, first.qmax
        )

    @property
    def output_qparams(self) -> QParams:
        """How the last layer's codes read as real logits."""
        last = self.layers[-1]
        return QParams(
            torch.tensor(last.out_scale, dtype=F32), torch.tensor(last.out_zp), last.qmin, last.qmax
        )

    # -- inference --------------------------------------------------------------------------------------------
    def quantize_input(self, x: torch.Tensor) -> torch.Tensor:
        """Float image -> uint8 codes (as int64): clamp(round_half_even(x / in_scale) + in_zp, qmin, qmax)."""
        return quantize(x, self.input_qparams).to(torch.int64)

    def run_layer(self, i: int, q: torch.Tensor) -> LayerTrace:
        """Run layer i alone on input codes q: its accumulator, requantized output and the multipliers used."""
        layer, (m, m0, n) = self.layers[i], self.multipliers[i]
        if layer.flatten_before:
            q = q.flatten(1)
        acc = _check_int32(self.accumulate(q, layer), "accumulator")
        acc_bias = _check_int32(
            acc + _per_channel(layer.b_q.to(torch.int64), acc.dim()), "accumulator + bias"
        )
        lo, hi = self.clamps[i]
        pc = lambda t: _per_channel(t, acc.dim())  # noqa: E731
        if self.requant == "fixed":
            q_out = requantize_fixed(acc_bias, pc(m0), pc(n), layer.out_zp, lo, hi)
        else:  # PyTorch's way: the raw accumulator and the float bias
            q_out = requantize_float(
                acc, pc(layer.bias), layer.in_scale, pc(layer.w_scale), layer.out_scale, layer.out_zp, lo, hi
            )
        return LayerTrace(
            self.layer_names[i],
            layer.kind,
            layer.relu,
            self.requant,
            q,
            acc,
            acc_bias,
            q_out,
            m,
            m0,
            n,
            lo,
            hi,
            layer.in_scale,
            layer.in_zp,
            layer.out_scale,
            layer.out_zp,
            layer.w_q,
            layer.w_scale,
            layer.b_q,
            layer.bias,
        )

    def forward_int(self, q_in: torch.Tensor) -> torch.Tensor:
        """uint8 input codes -> output codes of the last layer (int64 tensor), integer arithmetic only."""
        q = torch.as_tensor(q_in).to(torch.int64)
        for i in range(len(self.layers)):
            q = self.run_layer(i, q).q_out
        return q

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Float input -> float logits: quantize the input, run in integers, dequantize the output codes."""
        x = torch.as_tensor(np.asarray(x, dtype=np.float32)) if not torch.is_tensor(x) else x
        return dequantize(self.forward_int(self.quantize_input(x)), self.output_qparams)

    __call__ = forward

    def trace(self, x: torch.Tensor) -> list[LayerTrace]:
        """Each layer's integer tensors and multipliers on a float input, for the teaching page.

        With requant="float", q_out comes from acc and the float bias (PyTorch's way); acc_bias, M0 and n are
        still shown.
        """
        q = self.quantize_input(torch.as_tensor(x, dtype=F32))
        out = []
        for i in range(len(self.layers)):
            out.append(self.run_layer(i, q))
            q = out[-1].q_out
        return out

    # -- size ------------------------------------------------------------------------------------------------
    def nbytes(self) -> int:
        """Bytes to store the model: 1 per weight, 4 per int32 bias, 4 per float32 scale and int32 zero point.

        A weight counts 1 byte even below 8 bits: packing two 4-bit codes per byte would halve it, but
        this engine (like PyTorch's) keeps one code per int8. Weight zero points are 0 (symmetric), not stored;
        each layer's input qparams are the previous layer's output qparams, counted once.
        """
        total = 8  # input scale + zero point
        for layer in self.layers:
            total += layer.w_q.numel() + 4 * layer.b_q.numel() + 4 * layer.w_scale.numel() + 8
        return total

    @property
    def num_params(self) -> int:
        """Weights and biases, as the float model counts its parameters."""
        return sum(layer.w_q.numel() + layer.b_q.numel() for layer in self.layers)

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{n}:{tuple(layer.w_q.shape)}" for n, layer in zip(self.layer_names, self.layers, strict=True)
        )
        return f"Int8Model({parts}, requant={self.requant!r}, nbytes={self.nbytes()})"
