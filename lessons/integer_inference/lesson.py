"""One output value of one integer layer, taken apart: the numbers the integer-inference page writes out.

Everything is read from `Int8Model.trace` (q_in, acc, acc_bias, M, M0, n, q_out, scales, zero points); the
only arithmetic here splits the engine's own fixed-point multiply into its visible steps with the engine's own
primitives (`qlib.int8.srdhm`, ...), and checks that they land exactly on the traced code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from qlib.int8 import Int8Model, LayerTrace, im2col, rounding_divide_by_pot, saturating_left_shift, srdhm
from qlib.layers import Int8Layer

Label = tuple[
    int, int | None, int | None
]  # (input channel, kernel row, kernel column); linear: (k, None, None)


def layer_shape(trace: list[LayerTrace], layer: int) -> tuple[int, int | None, int | None]:
    """(output channels, output height, output width) of a traced layer; height/width None for a linear layer."""
    q = trace[layer].q_out
    return (q.shape[1], q.shape[2], q.shape[3]) if q.dim() == 4 else (q.shape[1], None, None)


@dataclass(frozen=True)
class Explanation:
    """Every number of one output value's integer arithmetic, from the input codes to the clamped output code.

    acc = Σ (q_in − z_in)·w, acc_bias = acc + b_q, then round(acc_bias·M0·2^−n) in two gemmlowp steps
    (`high`, the rounded high multiply, and `rounded`, the rounding shift), + z_out, clamped to [lo, hi].
    """

    name: str
    kind: str  # "conv" or "linear"
    relu: bool
    requant: str  # "fixed" or "float"
    channel: int
    row: int | None
    col: int | None
    labels: tuple[Label, ...]
    q_in: tuple[int, ...]  # the input codes that meet the weights (padding reads as the code z_in)
    w: tuple[int, ...]  # the weight codes, in the same order
    z_in: int
    acc: int
    b_q: int
    acc_bias: int
    s_in: float
    s_w: float
    s_out: float
    m: float  # M = s_in·s_w / s_out
    m0: int  # M ≈ M0·2^−n, M0 an int32 in [2^30, 2^31)
    n: int
    shifted_in: int  # acc_bias·2^left (left = 31 − n when M ≥ 1, else 0)
    high: int  # round(shifted_in·M0 / 2^31): gemmlowp's first rounding
    rounded: int  # round(high / 2^right): the second
    z_out: int
    lo: int
    hi: int
    q_out: int
    y_float: float  # the same layer in float32 on the dequantized input and weights, float bias

    @property
    def products(self) -> tuple[int, ...]:
        """(q_in − z_in)·w for every input of the receptive field."""
        return tuple((q - self.z_in) * w for q, w in zip(self.q_in, self.w, strict=True))

    @property
    def sum_products(self) -> int:
        return sum(self.products)

    @property
    def left(self) -> int:
        """The left shift before the high multiply (M ≥ 1 only)."""
        return max(31 - self.n, 0)

    @property
    def right(self) -> int:
        """The rounding right shift after the high multiply."""
        return max(self.n - 31, 0)

    @property
    def pre_clamp(self) -> int:
        return self.rounded + self.z_out

    @property
    def y_acc(self) -> float:
        """The accumulator (with the bias) read as a real number: acc_bias·s_in·s_w."""
        return self.acc_bias * self.s_in * self.s_w

    @property
    def y_int(self) -> float:
        """The output code read as a real number: s_out·(q_out − z_out)."""
        return (self.q_out - self.z_out) * self.s_out

    @property
    def exact(self) -> float:
        """(acc + b_q)·M in output steps, before any rounding: what the two roundings approximate."""
        return self.acc_bias * self.m

    @property
    def once(self) -> int:
        """The exact value rounded once (half away from zero, as the engine's shift rounds)."""
        return int(math.copysign(math.floor(abs(self.exact) + 0.5), self.exact))

    @property
    def high_steps(self) -> float:
        """The high multiply's result in output steps: high / 2^right (the value the shift then rounds)."""
        return self.high / 2**self.right

    @property
    def rounding_bound(self) -> float:
        """How far the engine's code can lie from the exact value, in steps: each rounding is off by at most half
        its unit, 2^−right steps for the high multiply, one step for the shift: ½·(1 + 2^−right)."""
        return 0.5 * (1 + 2.0**-self.right) if self.right else 0.5

    @property
    def float_bound(self) -> float:
        """|y_int − y_float| at most, unless the clamp cut the value: the two roundings plus the int32 bias's
        rounding (half an accumulator unit, ½·M steps), times s_out."""
        return self.s_out * (self.rounding_bound + 0.5 * self.m)

    @property
    def float_bound_steps(self) -> float:
        """float_bound in output steps (s_out units)."""
        return self.float_bound / self.s_out

    @property
    def diff(self) -> float:
        """y_int − y_float: what the integer path's roundings cost this value."""
        return self.y_int - self.y_float


def explain(
    model: Int8Model,
    trace: list[LayerTrace],
    layer: int,
    channel: int,
    row: int | None = None,
    col: int | None = None,
) -> Explanation:
    """Every number of one output value's integer arithmetic, from input codes to the clamped output code."""
    step, lay = trace[layer], model.layers[layer]
    where = (0, channel, row, col) if step.kind == "conv" else (0, channel)
    q_in, w, labels = _receptive_field(step, channel, row, col, lay.stride, lay.padding)
    acc_bias = int(step.acc_bias[where])
    m0, n = int(step.M0[channel]), int(step.n[channel])
    shifted_in = int(saturating_left_shift(acc_bias, max(31 - n, 0)))
    high = int(srdhm(shifted_in, m0))
    return Explanation(
        name=step.name,
        kind=step.kind,
        relu=bool(step.relu),
        requant=step.requant,
        channel=channel,
        row=row,
        col=col,
        labels=tuple(labels),
        q_in=tuple(q_in.tolist()),
        w=tuple(w.tolist()),
        z_in=int(step.in_zp),
        acc=int(step.acc[where]),
        b_q=int(step.b_q[channel]),
        acc_bias=acc_bias,
        s_in=float(step.in_scale),
        s_w=float(step.w_scale[channel]),
        s_out=float(step.out_scale),
        m=float(step.M[channel]),
        m0=m0,
        n=n,
        shifted_in=shifted_in,
        high=high,
        rounded=int(rounding_divide_by_pot(high, max(n - 31, 0))),
        z_out=int(step.out_zp),
        lo=int(step.lo),
        hi=int(step.hi),
        q_out=int(step.q_out[where]),
        y_float=_float_value(step, lay, where),
    )


def _receptive_field(step: LayerTrace, channel: int, row, col, stride: int, padding: int):
    """The input codes and weight codes that meet in one output value, with a label (in-channel, ky, kx) each."""
    w = step.w_q[channel].to(torch.int64)
    z = int(step.in_zp)
    if step.kind == "linear":
        q = step.q_in[0].to(torch.int64)
        return q, w, [(k, None, None) for k in range(q.numel())]
    c_in, kh, kw = w.shape
    cols = im2col(step.q_in.to(torch.int64) - z, kh, kw, stride, padding) + z  # padding reads as code z
    q = cols[0, row * step.q_out.shape[3] + col]
    labels = [(c, ky, kx) for c in range(c_in) for ky in range(kh) for kx in range(kw)]
    return q, w.reshape(-1), labels


def _float_value(step: LayerTrace, lay: Int8Layer, where: tuple) -> float:
    """The same layer in float32 on the same (dequantized) input and weights, float bias: no rounding after."""
    x = (step.q_in.to(torch.float32) - float(step.in_zp)) * float(step.in_scale)
    w = step.w_q.to(torch.float32) * step.w_scale.reshape([-1] + [1] * (step.w_q.dim() - 1))
    bias = step.bias.to(torch.float32)
    if step.kind == "conv":
        y = F.conv2d(x, w, bias, stride=lay.stride, padding=lay.padding)
    else:
        y = F.linear(x, w, bias)
    if step.relu:
        y = torch.relu(y)
    return float(y[where])


@dataclass(frozen=True)
class Step:
    """One row of the step table: what it is (a string id), its formula, its value."""

    id: str
    formula: str
    value: int | float

    @property
    def text(self) -> str:
        """Integers exactly, reals to 8 significant digits: one text column that reads the same in every row."""
        return str(self.value) if isinstance(self.value, int) else f"{self.value:.8g}"


def steps(e: Explanation) -> tuple[Step, ...]:
    """The calculation as table rows, in the order the engine runs it (a test reads them back against the trace)."""
    return (
        Step("z_in", "z_in", e.z_in),
        Step("acc", "Σ (q_in − z_in)·q_w", e.acc),
        Step("b_q", "b_q", e.b_q),
        Step("acc_bias", "acc + b_q", e.acc_bias),
        Step("M", "s_in·s_w / s_out", e.m),
        Step("M0", "M0", e.m0),
        Step("n", "n", e.n),
        Step("high", "round(acc·M0 / 2^31)", e.high),
        Step("rounded", "round(· / 2^(n−31))", e.rounded),
        Step("z_out", "z_out", e.z_out),
        Step("pre_clamp", "+ z_out", e.pre_clamp),
        Step("q_out", "clamp(·, lo, hi)", e.q_out),
        Step("y_int", "s_out·(q_out − z_out)", e.y_int),
        Step("y_float", "float32", e.y_float),
    )


@dataclass(frozen=True)
class Bars:
    """The accumulator's parts for a bar chart: a label and an integer contribution each."""

    labels: tuple[str, ...]
    values: tuple[int, ...]


def contributions(e: Explanation, max_bars: int = 16) -> Bars:
    """The accumulator's parts: each product if few, else summed per input channel (32 blocks at most)."""
    products = e.products
    if len(products) <= max_bars:
        return Bars(tuple(_label(lab) for lab in e.labels), products)
    if e.kind == "conv":
        group: dict[int, int] = {}
        for (c, _, _), p in zip(e.labels, products, strict=True):
            group[c] = group.get(c, 0) + p
        return Bars(tuple(f"c{c}" for c in group), tuple(group.values()))
    size = -(-len(products) // 32)  # linear: 32 consecutive blocks (one per conv2 channel for TinyCNN)
    parts = [products[i : i + size] for i in range(0, len(products), size)]
    return Bars(
        tuple(f"{i * size}–{i * size + len(p) - 1}" for i, p in enumerate(parts)),
        tuple(sum(p) for p in parts),
    )


def _label(lab: Label) -> str:
    """(c, ky, kx) -> 'c0 (1,2)'; a linear input k -> 'x5'."""
    c, ky, kx = lab
    return f"x{c}" if ky is None else f"c{c} ({ky},{kx})"


@dataclass(frozen=True)
class Term:
    """One product of the accumulator: where (k), the input code, minus its zero point, the weight code, product."""

    k: str
    q: int
    qz: int
    w: int
    p: int


def terms(e: Explanation) -> tuple[Term, ...]:
    """One row per product of the accumulator."""
    return tuple(
        Term(_label(lab), q, q - e.z_in, w, p)
        for lab, q, w, p in zip(e.labels, e.q_in, e.w, e.products, strict=True)
    )


def output_map(trace: list[LayerTrace], layer: int, channel: int) -> np.ndarray:
    """The chosen channel's output codes (H×W for a conv, the row of all outputs for a linear layer)."""
    q = trace[layer].q_out[0]
    return (q[channel] if q.dim() == 3 else q).numpy()


def input_codes(trace: list[LayerTrace]) -> np.ndarray:
    """The first layer's input codes as an H×W map (the picture as the engine sees it)."""
    return trace[0].q_in[0, 0].numpy()


@dataclass(frozen=True)
class Census:
    """Over every output of every layer for one input, left unclamped: how many the two roundings put on
    another code than rounding (acc + b_q)·M once would."""

    outputs: int
    moved: int

    @property
    def share(self) -> float:
        return self.moved / self.outputs if self.outputs else 0.0


def census(trace: list[LayerTrace]) -> Census:
    """Count, layer by layer, the unclamped outputs whose engine code differs from one rounding."""
    outputs = moved = 0
    for t in trace:
        exact = t.acc_bias.double() * t.M.reshape([1, -1] + [1] * (t.acc.dim() - 2))
        once = exact.sign() * torch.floor(exact.abs() + 0.5)  # half away from zero, as the shift rounds
        free = (t.q_out > t.lo) & (t.q_out < t.hi)
        outputs += int(free.sum())
        moved += int(((t.q_out - t.out_zp) != once)[free].sum())
    return Census(outputs, moved)


@dataclass(frozen=True)
class Where:
    """One output value: the test image, the layer (index and name), the channel and the position."""

    image: int
    layer: int
    name: str
    channel: int
    row: int | None
    col: int | None


def double_rounding_example(model: Int8Model, x: torch.Tensor, layer: int = 0) -> Where | None:
    """The first output (image by image, in one layer) that the two roundings put more than half a step both
    from (acc + b_q)·M and from the float layer's value, unclamped: where "at most half a step" is visibly
    false. None if the model has none."""
    for i in range(len(x)):
        t = model.trace(x[i : i + 1])[layer]
        shape = [1, -1] + [1] * (t.acc.dim() - 2)
        exact = t.acc_bias.double() * t.M.reshape(shape)
        s_acc = (t.in_scale * t.w_scale.double()).reshape(shape)  # one accumulator unit in real terms
        real = (t.acc.double() + t.bias.double().reshape(shape) / s_acc) * t.M.reshape(shape)  # float bias
        q = (t.q_out - t.out_zp).double()
        free = (t.q_out > t.lo) & (t.q_out < t.hi)
        hit = ((q - exact).abs() > 0.5) & ((q - real).abs() > 0.5) & free
        if hit.any():
            idx = [int(v) for v in hit.nonzero()[0]]
            row, col = (idx[2], idx[3]) if t.acc.dim() == 4 else (None, None)
            return Where(i, layer, t.name, idx[1], row, col)
    return None


@dataclass(frozen=True)
class Codes:
    """A model's code ranges: weights (signed) and activations (unsigned), each code held in one byte."""

    w_bits: int
    w_min: int
    w_max: int
    a_bits: int
    a_min: int
    a_max: int
    background: int  # the input code of −1.0, the digits' background


def codes(model: Int8Model) -> Codes:
    """The code ranges of a model, read off its first layer (every layer of a shipped model has the same)."""
    first = model.layers[0]
    w_bits = (first.w_qmax - first.w_qmin).bit_length()
    a_bits = (first.qmax - first.qmin).bit_length()
    background = int(model.quantize_input(torch.tensor([-1.0]))[0])
    return Codes(w_bits, first.w_qmin, first.w_qmax, a_bits, first.qmin, first.qmax, background)


@dataclass(frozen=True)
class Sizes:
    """fp32 against the integer model: bytes as stored (one code a byte), and with the weight codes packed.

    Bits per weight count the weight's code and its share of the per-channel float32 scales (the biases,
    one int32 per output channel, and the activations' scale and zero point are counted apart).
    """

    fp32: int
    int8: int  # as stored: Int8Model.nbytes()
    weights: int  # weight codes, one byte each: also their count
    biases: int  # bytes of int32 biases
    qparams: int  # bytes of scales and zero points
    w_bits: int
    packed_weights: int  # bytes of the weight codes packed w_bits each (a layer's codes start on a byte)
    scales: int  # per-channel weight scales (float32 each)

    @property
    def ratio(self) -> float:
        return self.int8 / self.fp32

    @property
    def packed(self) -> int:
        """Bytes with the weight codes packed, everything else as stored."""
        return self.int8 - self.weights + self.packed_weights

    @property
    def packed_ratio(self) -> float:
        return self.packed / self.fp32

    @property
    def bits_per_weight(self) -> float:
        """As stored: 8 bits a code, plus the scales."""
        return (8 * self.weights + 32 * self.scales) / self.weights

    @property
    def packed_bits_per_weight(self) -> float:
        """Packed: the packed bytes' bits a weight, plus the scales."""
        return (8 * self.packed_weights + 32 * self.scales) / self.weights


def sizes(fp32_bytes: int, model: Int8Model) -> Sizes:
    """fp32 against the integer model: bytes as stored, where they go, and what packing the weights would give."""
    w_bits = codes(model).w_bits
    weights = sum(layer.w_q.numel() for layer in model.layers)
    biases = 4 * sum(layer.b_q.numel() for layer in model.layers)
    packed = sum(math.ceil(layer.w_q.numel() * w_bits / 8) for layer in model.layers)
    scales = sum(layer.w_scale.numel() for layer in model.layers)
    int8 = model.nbytes()
    return Sizes(fp32_bytes, int8, weights, biases, int8 - weights - biases, w_bits, packed, scales)
