"""The integer model's description: what `qlib.qat.convert` hands to `qlib.int8.Int8Model`."""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Int8Layer:
    """One conv or linear layer in integers: int8 weights per output channel, int32 bias, in/out qparams.

    Real values: x = (q_in - in_zp) * in_scale, w = w_q * w_scale[c] (symmetric, zero point 0),
    y = (q_out - out_zp) * out_scale. `relu` means the ReLU is fused into the output clamp (the lower bound is
    the code of 0.0); `relu6` adds the upper bound at the code of 6.0. A conv with `groups` > 1 splits its
    channels into that many independent groups (groups = channels: depthwise).
    """

    kind: str  # "conv" or "linear"
    w_q: torch.Tensor  # int8, conv: (C_out, C_in, kh, kw); linear: (C_out, C_in)
    w_scale: torch.Tensor  # float32, (C_out,)
    bias: torch.Tensor  # float32, (C_out,): the float bias (PyTorch's kernels take it as float)
    b_q: torch.Tensor  # int32, (C_out,): round(bias / (in_scale * w_scale))
    in_scale: float
    in_zp: int
    out_scale: float
    out_zp: int
    qmin: int  # output code range (activation bits): uint8 is 0..255
    qmax: int
    w_qmin: int  # weight code range (weight bits), e.g. -128..127
    w_qmax: int
    relu: bool
    stride: int = 1
    padding: int = 0
    flatten_before: bool = False  # flatten N×C×H×W to N×(C·H·W) before this (linear) layer
    groups: int = 1  # conv: w_q is (C_out, C_in / groups, kh, kw)
    relu6: bool = False  # with relu: clamp at the code of 6.0 too
