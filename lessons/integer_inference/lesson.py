"""One output value of one integer layer, taken apart: the numbers the integer-inference page writes out.

Everything is read from `Int8Model.trace` (q_in, acc, acc_bias, M, M0, n, q_out, scales, zero points); the
only arithmetic here splits the engine's own fixed-point multiply into its visible steps with the engine's own
primitives (`qlib.int8.srdhm`, ...), and checks that they land exactly on the traced code.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from qlib.int8 import Int8Model, im2col, rounding_divide_by_pot, saturating_left_shift, srdhm


def layer_shape(trace: list[dict], layer: int) -> tuple[int, int | None, int | None]:
    """(output channels, output height, output width) of a traced layer; height/width None for a linear layer."""
    q = trace[layer]["q_out"]
    return (q.shape[1], q.shape[2], q.shape[3]) if q.dim() == 4 else (q.shape[1], None, None)


def _receptive_field(step: dict, channel: int, row: int | None, col: int | None, stride: int, padding: int):
    """The input codes and weight codes that meet in one output value, with a label (in-channel, ky, kx) each."""
    w = step["w_q"][channel].to(torch.int64)
    z = int(step["in_zp"])
    if step["kind"] == "linear":
        q = step["q_in"][0].to(torch.int64)
        return q, w, [(k, None, None) for k in range(q.numel())]
    c_in, kh, kw = w.shape
    cols = im2col(step["q_in"].to(torch.int64) - z, kh, kw, stride, padding) + z  # padding reads as code z
    wo = step["q_out"].shape[3]
    q = cols[0, row * wo + col]
    labels = [(c, ky, kx) for c in range(c_in) for ky in range(kh) for kx in range(kw)]
    return q, w.reshape(-1), labels


def explain(
    model: Int8Model,
    trace: list[dict],
    layer: int,
    channel: int,
    row: int | None = None,
    col: int | None = None,
) -> dict:
    """Every number of one output value's integer arithmetic, from input codes to the clamped output code."""
    step, lay = trace[layer], model.layers[layer]
    conv = step["kind"] == "conv"
    where = (0, channel, row, col) if conv else (0, channel)
    q_in, w, labels = _receptive_field(step, channel, row, col, lay.stride, lay.padding)
    z_in = int(step["in_zp"])
    products = (q_in - z_in) * w
    acc = int(step["acc"][where])
    b_q = int(step["b_q"][channel])
    acc_bias = int(step["acc_bias"][where])
    m, m0, n = float(step["M"][channel]), int(step["M0"][channel]), int(step["n"][channel])
    left, right = max(31 - n, 0), max(n - 31, 0)
    shifted_in = int(saturating_left_shift(acc_bias, left))
    high = int(srdhm(shifted_in, m0))
    rounded = int(rounding_divide_by_pot(high, right))
    z_out = int(step["out_zp"])
    lo, hi = int(step["lo"]), int(step["hi"])
    q_out = int(step["q_out"][where])
    s_in, s_w, s_out = float(step["in_scale"]), float(step["w_scale"][channel]), float(step["out_scale"])
    return {
        "name": step["name"],
        "kind": step["kind"],
        "relu": bool(step["relu"]),
        "requant": step["requant"],
        "channel": channel,
        "row": row,
        "col": col,
        "labels": labels,
        "q_in": q_in.tolist(),
        "w": w.tolist(),
        "products": products.tolist(),
        "z_in": z_in,
        "sum_products": int(products.sum()),
        "acc": acc,
        "b_q": b_q,
        "acc_bias": acc_bias,
        "s_in": s_in,
        "s_w": s_w,
        "s_out": s_out,
        "M": m,
        "M0": m0,
        "n": n,
        "left": left,
        "right": right,
        "shifted_in": shifted_in,
        "high": high,
        "rounded": rounded,
        "z_out": z_out,
        "pre_clamp": rounded + z_out,
        "lo": lo,
        "hi": hi,
        "q_out": q_out,
        "y_acc": acc_bias * s_in * s_w,  # the accumulator read as a real number
        "y_int": (q_out - z_out) * s_out,  # the output code read as a real number
        "y_float": _float_value(step, lay, channel, where),
    }


def _float_value(step: dict, lay, channel: int, where: tuple) -> float:
    """The same layer in float32 on the same (dequantized) input and weights, float bias: no rounding after."""
    x = (step["q_in"].to(torch.float32) - float(step["in_zp"])) * float(step["in_scale"])
    w_q = step["w_q"]
    w = w_q.to(torch.float32) * step["w_scale"].reshape([-1] + [1] * (w_q.dim() - 1))
    bias = step["bias"].to(torch.float32)
    if step["kind"] == "conv":
        y = F.conv2d(x, w, bias, stride=lay.stride, padding=lay.padding)
    else:
        y = F.linear(x, w, bias)
    if step["relu"]:
        y = torch.relu(y)
    return float(y[where])


def contributions(e: dict, max_bars: int = 16) -> tuple[list[str], list[int]]:
    """The accumulator's parts for a bar chart: each product if few, else summed per input channel (32 bars max)."""
    if len(e["products"]) <= max_bars:
        return [_label(lab) for lab in e["labels"]], list(e["products"])
    if e["kind"] == "conv":
        group = {}
        for (c, _, _), p in zip(e["labels"], e["products"], strict=True):
            group[c] = group.get(c, 0) + p
        return [f"c{c}" for c in group], list(group.values())
    size = -(-len(e["products"]) // 32)  # linear: 32 consecutive blocks (one per conv2 channel for TinyCNN)
    parts = [e["products"][i : i + size] for i in range(0, len(e["products"]), size)]
    return [f"{i * size}–{i * size + len(p) - 1}" for i, p in enumerate(parts)], [sum(p) for p in parts]


def _label(lab: tuple) -> str:
    """(c, ky, kx) -> 'c0 (1,2)'; a linear input k -> 'x5'."""
    c, ky, kx = lab
    return f"x{c}" if ky is None else f"c{c} ({ky},{kx})"


def term_rows(e: dict) -> list[dict]:
    """One row per product: where (k), input code (q), minus the zero point (qz), weight code (w), product (p)."""
    rows = []
    for lab, q, w, p in zip(e["labels"], e["q_in"], e["w"], e["products"], strict=True):
        rows.append({"k": _label(lab), "q": q, "qz": q - e["z_in"], "w": w, "p": p})
    return rows


def output_map(trace: list[dict], layer: int, channel: int) -> torch.Tensor:
    """The chosen channel's output codes (H×W for a conv, the row of all outputs for a linear layer)."""
    q = trace[layer]["q_out"][0]
    return q[channel] if q.dim() == 3 else q


def sizes(fp32_bytes: int, model: Int8Model) -> dict:
    """fp32 against int8 storage: bytes, the ratio and where the int8 bytes go."""
    int8 = model.nbytes()
    weights = sum(layer.w_q.numel() for layer in model.layers)
    biases = 4 * sum(layer.b_q.numel() for layer in model.layers)
    return {
        "fp32": fp32_bytes,
        "int8": int8,
        "ratio": int8 / fp32_bytes,
        "weights": weights,
        "biases": biases,
        "qparams": int8 - weights - biases,
    }
