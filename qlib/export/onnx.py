"""An Int8Model as an ONNX graph in QOperator form, built with `onnx.helper`; and how ONNX Runtime computes it.

The graph (opset 13, standard ONNX domain only, every op run by ONNX Runtime's CPU provider):

    input (float) ─QuantizeLinear─ input.quantized (uint8) ─QLinearConv─ conv1 ─QLinearConv─ conv2
        ─Reshape (N, 512, 1, 1)─ QLinearConv 1x1 ─Reshape (N, 10)─ fc (uint8) ─DequantizeLinear─ logits (float)

Every number qlib computes with is a named initializer a viewer such as Netron shows: `input.scale`,
`input.zero_point`, and per layer `conv1.weight` (int8, OIHW), `conv1.weight_scale` (float32 per output
channel), `conv1.weight_zero_point` (int8 zeros), `conv1.bias` (int32, scale input_scale * weight_scale),
`conv1.output_scale`, `conv1.output_zero_point` (uint8). The fused ReLU is the output clamp at the zero point
(0 here, the lowest uint8 code; a Clip at the zero point otherwise). The linear layer is a 1x1 QLinearConv
because QLinearMatMul has no bias input and QGemm lives in Microsoft's contrib domain.

How ONNX Runtime (1.31, CPU) requantizes, read in its sources:
- onnxruntime/core/providers/cpu/quantization/qlinearconv.cc, ComputeOutputScale: one float32 multiplier per
  output channel, `X_scale * W_scale[i] / Y_scale` computed in float32 (not M0 * 2^-n).
- onnxruntime/core/mlas/lib/quantize.cpp, MlasRequantizeOutput: `float(acc + bias)` (the int32 bias added to
  the int32 accumulator first), times that multiplier, clamped, converted with _mm_cvtps_epi32 (round half to
  even under the default MXCSR), plus the zero point. QLinearConv may instead take MLAS's symmetric-weight
  kernel (MlasConvSym) for zero weight zero points; the result is the same formula, checked code for code on
  all 1,797 digits (tests/library/test_runtime_rounding.py).
- QuantizeLinear (quantize.cpp, MlasQuantizeLinear): `x / scale` (a division), rounded half to even; the
  input codes equal qlib's on every digit.
So ONNX Runtime is qlib's `requant="float"` rounding (float multiplier, ties to even), but with the int32
bias inside the accumulator where PyTorch's fbgemm (and qlib's float mode) add the float bias after scaling:
the two differ by one code where acc * M lands within a float32 rounding of a tie.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from torch import nn

from qlib.export.plan import INPUT_SHAPE, plan
from qlib.int8 import Int8Model

OPSET = 13
INPUT = "input"
QUANTIZED_INPUT = "input.quantized"
LOGITS = "logits"


class _Graph:
    """Nodes and named initializers, collected in order."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []

    def const(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], output: str, name: str, **attrs) -> str:
        self.nodes.append(helper.make_node(op, inputs, [output], name=name, **attrs))
        return output


def _model(
    g: _Graph, outputs: list[onnx.ValueInfoProto], c_h_w: tuple[int, ...], doc: str
) -> onnx.ModelProto:
    """Wrap the graph with a float input of shape (batch, C, H, W), check it, and infer the tensor shapes."""
    inp = helper.make_tensor_value_info(INPUT, TensorProto.FLOAT, ["batch", *c_h_w])
    graph = helper.make_graph(g.nodes, "qlib", [inp], outputs, initializer=g.initializers, doc_string=doc)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="qlib")
    model.ir_version = helper.find_min_ir_version_for(model.opset_import)
    model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    onnx.checker.check_model(model, full_check=True)
    return model


def to_onnx(model: Int8Model, intermediate_outputs: bool = False, input_shape=INPUT_SHAPE) -> onnx.ModelProto:
    """The int8 model in QOperator form; `intermediate_outputs` also outputs every layer's uint8 codes."""
    p = plan(model, input_shape)
    g = _Graph()
    first = p.layers[0].layer
    x_scale = g.const("input.scale", np.float32(first.in_scale))
    x_zp = g.const("input.zero_point", np.uint8(first.in_zp))
    x = g.node("QuantizeLinear", [INPUT, x_scale, x_zp], QUANTIZED_INPUT, "quantize_input")
    codes = [helper.make_tensor_value_info(QUANTIZED_INPUT, TensorProto.UINT8, ["batch", *p.input_shape])]
    for lp in p.layers:
        layer, n = lp.layer, lp.name
        c_out = layer.w_q.shape[0]
        w = layer.w_q.numpy().astype(np.int8)
        if layer.kind == "linear":  # a linear layer is a 1x1 convolution over (N, K, 1, 1)
            w = w.reshape(c_out, -1, 1, 1)
            shape_in = g.const(f"{n}.input_shape", np.array([-1, w.shape[1], 1, 1], np.int64))
            x = g.node("Reshape", [x, shape_in], f"{n}.input_1x1", f"{n}.reshape_input")
        y_scale = g.const(f"{n}.output_scale", np.float32(layer.out_scale))
        y_zp = g.const(f"{n}.output_zero_point", np.uint8(layer.out_zp))
        inputs = [
            x,
            x_scale,
            x_zp,
            g.const(f"{n}.weight", w),
            g.const(f"{n}.weight_scale", layer.w_scale.numpy().astype(np.float32)),
            g.const(f"{n}.weight_zero_point", np.zeros(c_out, np.int8)),
            y_scale,
            y_zp,
            g.const(f"{n}.bias", layer.b_q.numpy().astype(np.int32)),
        ]
        k, pad, s = w.shape[2:], layer.padding, layer.stride
        out = n if layer.kind == "conv" else f"{n}.output_1x1"
        clip = (
            layer.relu and layer.out_zp > layer.qmin
        )  # ReLU is the clamp at the zero point: explicit if > 0
        y = g.node(
            "QLinearConv",
            inputs,
            f"{out}.before_relu" if clip else out,
            n,
            kernel_shape=list(k),
            pads=[pad] * 4,
            strides=[s, s],
        )
        if clip:
            g.node("Clip", [y, y_zp], out, f"{n}.relu")
        if layer.kind == "linear":
            shape_out = g.const(f"{n}.output_shape", np.array([-1, c_out], np.int64))
            g.node("Reshape", [out, shape_out], n, f"{n}.reshape_output")
        x, x_scale, x_zp = n, y_scale, y_zp
        codes.append(helper.make_tensor_value_info(n, TensorProto.UINT8, ["batch", *lp.out_shape]))
    g.node("DequantizeLinear", [x, x_scale, x_zp], LOGITS, "dequantize_logits")
    outputs = [helper.make_tensor_value_info(LOGITS, TensorProto.FLOAT, ["batch", p.output_size])]
    doc = (
        "qlib int8 model: uint8 activations, int8 weights per output channel (zero point 0), int32 biases. "
        + " ".join(p.notes)
    )
    return _model(g, outputs + (codes if intermediate_outputs else []), p.input_shape, doc.strip())


def fp32_to_onnx(model: nn.Module, input_shape=INPUT_SHAPE) -> onnx.ModelProto:
    """The float TinyCNN (conv+ReLU, conv+ReLU, flatten, linear) as a float32 ONNX graph: the size baseline."""
    g = _Graph()
    x = INPUT
    for name in ("conv1", "conv2", "fc"):
        m = getattr(model, name)
        w = g.const(f"{name}.weight", m.weight.detach().numpy().astype(np.float32))
        b = g.const(f"{name}.bias", m.bias.detach().numpy().astype(np.float32))
        if isinstance(m, nn.Conv2d):
            y = g.node(
                "Conv",
                [x, w, b],
                f"{name}.before_relu",
                name,
                kernel_shape=list(m.kernel_size),
                pads=[m.padding[0]] * 4,
                strides=list(m.stride),
            )
            x = g.node("Relu", [y], name, f"{name}.relu")
        else:
            x = g.node("Flatten", [x], f"{name}.input", f"{name}.flatten", axis=1)
            x = g.node("Gemm", [x, w, b], LOGITS, name, transB=1)
    out = helper.make_tensor_value_info(LOGITS, TensorProto.FLOAT, ["batch", model.fc.out_features])
    return _model(g, [out], tuple(input_shape), "qlib fp32 TinyCNN")


def to_bytes(proto: onnx.ModelProto) -> bytes:
    """The serialized .onnx file."""
    return proto.SerializeToString()
