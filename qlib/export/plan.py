"""What an export writes, layer by layer, and which models a runtime's int8 kernels cannot hold (and why).

Both formats store exactly the integers `qlib.int8.Int8Model` computes with: int8 weights per output channel
(zero point 0), int32 biases with scale in_scale * w_scale[c], one scale and zero point per activation. They
differ only in how an activation code is written: ONNX keeps qlib's uint8 codes (0..255); TFLite's int8
kernels take int8 codes, so every activation code and zero point is shifted by 128 (q_int8 = q_uint8 - 128,
zp_int8 = zp - 128). The difference q - zp, and so every accumulator, is unchanged.

Refused: activations narrower than 8 bits. Both runtimes clamp every output to the full 8-bit range
(QLinearConv to 0..255, TFLite to -128..127), so a 4-bit model's outputs would not be clamped at 15 and the
runtime would compute codes the model never produces. Weights of any width up to 8 bits fit an int8 exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from qlib.int8 import Int8Model
from qlib.layers import Int8Layer

INT8_OFFSET = 128  # TFLite's int8 code = qlib's uint8 code - 128
INPUT_SHAPE = (1, 8, 8)  # C, H, W of TinyCNN's input: the 8x8 digits


class ExportError(ValueError):
    """The model cannot be written in this format without changing what it computes; the message says why."""


@dataclass(frozen=True)
class LayerPlan:
    """One layer as the export writes it: its name, the Int8Layer, and the shapes around it (NCHW, batch 1)."""

    name: str
    layer: Int8Layer
    in_shape: tuple[int, ...]  # (C, H, W) for a conv, (C, H, W) or (K,) for a linear layer
    out_shape: tuple[int, ...]  # (C_out, H_out, W_out) or (C_out,)

    @property
    def flatten(self) -> bool:
        """True for a linear layer fed a feature map: it sees the (C, H, W) codes flattened in C-major order."""
        return self.layer.kind == "linear" and len(self.in_shape) == 3


@dataclass(frozen=True)
class ExportPlan:
    """The checked plan of an export: input shape, the layers in order, and notes on what was stored how."""

    input_shape: tuple[int, int, int]
    layers: tuple[LayerPlan, ...]
    notes: tuple[str, ...]  # e.g. "weights are 4-bit codes (-8..7), stored exactly as int8"

    @property
    def output_size(self) -> int:
        """Number of logits."""
        return self.layers[-1].out_shape[0]


def _bits(lo: int, hi: int) -> int:
    return (hi - lo).bit_length()


def _out_shape(layer: Int8Layer, in_shape: tuple[int, ...], name: str) -> tuple[int, ...]:
    """Output shape of one layer, or ExportError if the shapes don't chain."""
    if layer.kind == "conv":
        c_out, c_in, kh, kw = layer.w_q.shape
        if kh != kw:
            raise ExportError(f"{name}: a {kh}x{kw} kernel; the exporter writes square kernels only")
        if len(in_shape) != 3 or in_shape[0] != c_in:
            raise ExportError(
                f"{name}: expects {c_in} input channels as a feature map, gets shape {in_shape}"
            )
        h, w = in_shape[1:]
        ho = (h + 2 * layer.padding - kh) // layer.stride + 1
        wo = (w + 2 * layer.padding - kw) // layer.stride + 1
        if ho < 1 or wo < 1:
            raise ExportError(
                f"{name}: a {kh}x{kw} kernel does not fit a {h}x{w} input with padding {layer.padding}"
            )
        return (c_out, ho, wo)
    if layer.kind == "linear":
        c_out, k = layer.w_q.shape
        size = 1
        for d in in_shape:
            size *= d
        if size != k:
            raise ExportError(f"{name}: expects {k} inputs, gets shape {in_shape} ({size} values)")
        return (c_out,)
    raise ExportError(f"{name}: layer kind {layer.kind!r} is neither conv nor linear")


def plan(model: Int8Model, input_shape: tuple[int, int, int] = INPUT_SHAPE) -> ExportPlan:
    """Check that a model can be exported exactly and lay out its layers; ExportError says what stops it."""
    if not isinstance(model, Int8Model):
        raise ExportError(f"only a qlib.int8.Int8Model can be exported as int8, got {type(model).__name__}")
    notes: list[str] = []
    layers: list[LayerPlan] = []
    shape: tuple[int, ...] = tuple(input_shape)
    prev: Int8Layer | None = None
    for name, layer in zip(model.layer_names, model.layers, strict=True):
        if (layer.qmin, layer.qmax) != (0, 255):
            bits = _bits(layer.qmin, layer.qmax)
            raise ExportError(
                f"{name}: activations are {bits}-bit codes ({layer.qmin}..{layer.qmax}). ONNX's QLinearConv and "
                "TFLite's int8 kernels clamp every output to the full 8-bit range (0..255 / -128..127), so a "
                f"runtime would not clamp at {layer.qmax} and would compute codes this model never produces. "
                "Refused: only 8-bit activations can be exported (a model with narrower weights and a_bits=8 can)."
            )
        if layer.w_qmin < -128 or layer.w_qmax > 127:
            raise ExportError(f"{name}: weight codes {layer.w_qmin}..{layer.w_qmax} do not fit an int8")
        if layer.groups != 1:  # Int8Layer fields the exporters do not write (yet)
            raise ExportError(
                f"{name}: a grouped conv (groups={layer.groups}) is not exported yet: ONNX's QLinearConv has a "
                "group attribute and TFLite a DEPTHWISE_CONV_2D op, but this exporter writes neither. "
                "Refused rather than written wrong."
            )
        if layer.relu6:
            raise ExportError(
                f"{name}: a fused ReLU6 is not exported yet (TFLite's fused RELU6, or an ONNX clamp at the code "
                "of 6.0, are not written by this exporter). Refused rather than written wrong."
            )
        if prev is not None and (prev.out_scale != layer.in_scale or prev.out_zp != layer.in_zp):
            raise ExportError(
                f"{name}: its input scale/zero point ({layer.in_scale}, {layer.in_zp}) differ from the previous "
                f"layer's output ({prev.out_scale}, {prev.out_zp}); a runtime keeps one pair per tensor"
            )
        if layer.kind == "linear" and len(shape) == 3 and not layer.flatten_before:
            raise ExportError(
                f"{name}: a linear layer fed a feature map must flatten it (flatten_before=True)"
            )
        if (layer.w_qmin, layer.w_qmax) != (-128, 127):
            wb = _bits(layer.w_qmin, layer.w_qmax)
            notes.append(
                f"{name}: weights are {wb}-bit codes ({layer.w_qmin}..{layer.w_qmax}), stored exactly as int8"
            )
        out = _out_shape(layer, shape, name)
        layers.append(LayerPlan(name, layer, shape, out))
        shape, prev = out, layer
    if len(shape) != 1:
        raise ExportError(f"the last layer must give a vector of logits, gives shape {shape}")
    return ExportPlan(tuple(input_shape), tuple(layers), tuple(notes))
