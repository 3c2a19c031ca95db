"""An Int8Model as a TFLite int8 flatbuffer, built with the schema's object API that ai-edge-litert ships.

`ai_edge_litert.schema_py_generated` is the flatc-generated Python code of TFLite's schema.fbs, installed with
the runtime itself: no converter, no TensorFlow, no hand-written bytes. The graph (NHWC, as TFLite is):

    input (float, N×8×8×1) ─QUANTIZE─ input.quantized (int8) ─CONV_2D+RELU─ conv1 ─PAD─ CONV_2D+RELU─ conv2
        ─RESHAPE (N, 1, 1, 512)─ CONV_2D 1x1 ─RESHAPE (N, 10)─ fc (int8) ─DEQUANTIZE─ logits (float)

- int8 activations: code = qlib's uint8 code - 128, zero point = qlib's zero point - 128 (`INT8_OFFSET`),
  scale unchanged, so (q - zp) and every accumulator are qlib's.
- weights: int8 per output channel (quantized_dimension 0, zero points 0) in OHWI; the fc weight's columns are
  permuted from qlib's C-major flatten (c·16 + h·4 + w) to NHWC's ((h·4 + w)·32 + c).
- biases: int32, per-channel scale input_scale * weight_scale[c] (float32), zero point 0: qlib's b_q.
- padding: TFLite knows only SAME and VALID, and SAME with stride 2 pads (0, 1), not PyTorch's (1, 1); such a
  conv gets an explicit PAD (with the input's zero point, i.e. real 0) and VALID.
- the linear layer is a 1x1 CONV_2D, as in the ONNX export, because LiteRT's reference FULLY_CONNECTED does not
  requantize in fixed point (below); `linear_as="fully_connected"` writes FULLY_CONNECTED instead.
- op versions as TFLite's converter writes them (tensorflow/lite/tools/versioning/op_version.cc): int8
  CONV_2D 3, FULLY_CONNECTED 4, PAD 2, DEQUANTIZE 2; QUANTIZE 1; RESHAPE 1.

How LiteRT (ai-edge-litert 2.3, x86-64) requantizes: read in the sources, then checked code for code on all
1,797 digits with each engine's own input codes (tests/library/test_runtime_rounding.py):
- reference kernels (OpResolverType.BUILTIN_REF), CONV_2D: tensorflow/lite/kernels/internal/reference/
  integer_ops/conv.h ConvPerChannel adds the int32 bias and calls MultiplyByQuantizedMultiplier(acc, M0, shift)
  (tensorflow/lite/kernels/internal/common.cc; double rounding unless built with TFLITE_SINGLE_ROUNDING):
  gemmlowp's SaturatingRoundingDoublingHighMul (ties up), then RoundingDivideByPOT (ties away from zero), with
  M0·2^-n from QuantizeMultiplier (tensorflow/lite/kernels/internal/quantization_util.cc: frexp of the double
  multiplier, M0 = round(q·2^31)). That is qlib's `requant="fixed"`, step for step: equal everywhere.
- reference FULLY_CONNECTED, int8 per channel: LiteRT's tflite/kernels/fully_connected.cc passes the float
  scales to reference_integer_ops::FullyConnectedPerChannel (tflite/kernels/internal/reference/integer_ops/
  fully_connected.h), which computes round(double(acc) · (double(s_in) · s_w / s_out)) with std::round:
  a double multiplier, ties away from zero, rounded once. It differs from qlib fixed where the fixed-point
  double rounding lands on a tie (1 of the test split's 3,600 fc codes of qat-w8a8).
- optimized kernels (BUILTIN_WITHOUT_DEFAULT_DELEGATES) call cpu_backend_gemm, whose GEMM library depends on
  the build (ruy's own multiplier code, ruy/apply_multiplier.cc, says it "is not meant to be
  bit-exact-normative"). Measured: SaturatingRoundingDoublingHighMul, then a rounding shift whose ties go up
  (towards +inf) rather than away from zero. That equals qlib fixed except at negative ties, so never behind a
  ReLU: a few fc codes differ.
- XNNPACK (the default delegate): a float32 multiplier input_scale * kernel_scale[c] / output_scale
  (XNNPACK's src/operators/convolution-nhwc.c), float(acc + bias) times it, converted with cvtps2dq (round half
  to even) in src/qs8-qc8w-gemm/*-minmax-fp32-*.c: the same arithmetic as ONNX Runtime, code for code.
- QUANTIZE (reference_ops::AffineQuantize, reference/quantize.h): TfLiteRound(x / scale) + zero point, which
  rounds half away from zero where qlib (and PyTorch) round half to even; the digits' 17 grey levels never
  land on a tie, so the input codes agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ai_edge_litert import schema_py_generated as fb
from ai_edge_litert.tools.flatbuffer_utils import convert_object_to_bytearray
from torch import nn

from qlib.export.plan import INPUT_SHAPE, INT8_OFFSET, plan
from qlib.int8 import Int8Model

INPUT = "input"
QUANTIZED_INPUT = "input.quantized"
LOGITS = "logits"
SCHEMA_VERSION = 3
OP = fb.BuiltinOperator
OPTIONS = fb.BuiltinOptions
INT8_VERSIONS = {
    OP.CONV_2D: 3,
    OP.FULLY_CONNECTED: 4,
    OP.PAD: 2,
    OP.DEQUANTIZE: 2,
    OP.QUANTIZE: 1,
    OP.RESHAPE: 1,
}


def nhwc_weight(layer_w: np.ndarray) -> np.ndarray:
    """A conv weight from PyTorch's OIHW to TFLite's OHWI."""
    return np.ascontiguousarray(layer_w.transpose(0, 2, 3, 1))


def nhwc_fc_weight(w: np.ndarray, c_h_w: tuple[int, ...]) -> np.ndarray:
    """A linear weight over a C-major flatten (c, h, w) re-ordered for an NHWC flatten (h, w, c)."""
    if len(c_h_w) != 3:
        return w
    c, h, wd = c_h_w
    return np.ascontiguousarray(w.reshape(w.shape[0], c, h, wd).transpose(0, 2, 3, 1).reshape(w.shape[0], -1))


@dataclass(frozen=True)
class ConvGeometry:
    """A convolution's input size, kernel, stride and PyTorch-style symmetric padding."""

    name: str
    c_in: int
    h: int
    w: int
    k: int
    stride: int
    padding: int

    @property
    def out_hw(self) -> tuple[int, int]:
        """PyTorch's output size: floor((in + 2p - k) / s) + 1."""
        return tuple((d + 2 * self.padding - self.k) // self.stride + 1 for d in (self.h, self.w))

    @property
    def same_is_symmetric(self) -> bool:
        """True if TFLite's SAME gives this output size with `padding` before (ceil(in / s), pad_total // 2)."""
        s, k = self.stride, self.k
        for d, o in zip((self.h, self.w), self.out_hw, strict=True):
            if (d + s - 1) // s != o or max((o - 1) * s + k - d, 0) // 2 != self.padding:
                return False
        return True

    @classmethod
    def of(cls, name: str, in_shape: tuple[int, ...], k: int, stride: int, padding: int) -> ConvGeometry:
        """The geometry of a k x k conv on a (C, H, W) input."""
        c, h, w = in_shape
        return cls(name, c, h, w, k, stride, padding)


class _Builder:
    """Tensors, constant buffers and operators of one subgraph, packed with the schema's object API."""

    def __init__(self, float_ops: bool) -> None:
        self.buffers = [fb.BufferT()]  # buffer 0: the empty buffer of every non-constant tensor
        self.tensors: list[fb.TensorT] = []
        self.operators: list[fb.OperatorT] = []
        self.codes: list[fb.OperatorCodeT] = []
        self.float_ops = float_ops

    def tensor(
        self,
        name: str,
        shape,
        dtype: int,
        data: np.ndarray | None = None,
        scale=None,
        zero_point=None,
        axis: int = 0,
        batch: bool = False,
    ) -> int:
        """Add a tensor (a constant if `data` is given, quantized if `scale` is) and return its index."""
        t = fb.TensorT()
        t.name, t.shape, t.type = name, [int(d) for d in shape], dtype
        if batch:  # the batch dimension is resizable at run time
            t.shapeSignature = [-1, *t.shape[1:]]
        if data is not None:
            buf = fb.BufferT()
            buf.data = np.frombuffer(np.ascontiguousarray(data).tobytes(), dtype=np.uint8)
            self.buffers.append(buf)
            t.buffer = len(self.buffers) - 1
        if scale is not None:
            q = fb.QuantizationParametersT()
            q.scale = [float(s) for s in np.atleast_1d(scale)]
            q.zeroPoint = [int(z) for z in np.atleast_1d(zero_point)]
            q.quantizedDimension = axis
            t.quantization = q
        self.tensors.append(t)
        return len(self.tensors) - 1

    def same_quantization(self, x: int) -> dict:
        """Keyword arguments for `tensor` that give a new tensor the quantization of tensor x (PAD, RESHAPE)."""
        q = self.tensors[x].quantization
        return {} if q is None else {"scale": q.scale, "zero_point": q.zeroPoint}

    def op(
        self, code: int, inputs: list[int], outputs: list[int], options_type: int = 0, options=None
    ) -> None:
        """Add an operator; its operator code (builtin and version) is shared by every use."""
        version = 1 if self.float_ops else INT8_VERSIONS[code]
        key = next(
            (i for i, c in enumerate(self.codes) if (c.builtinCode, c.version) == (code, version)), None
        )
        if key is None:
            c = fb.OperatorCodeT()
            c.builtinCode, c.deprecatedBuiltinCode, c.version = code, min(code, 127), version
            self.codes.append(c)
            key = len(self.codes) - 1
        o = fb.OperatorT()
        o.opcodeIndex, o.inputs, o.outputs = key, inputs, outputs
        o.builtinOptionsType, o.builtinOptions = options_type, options
        self.operators.append(o)

    def conv(self, geom: ConvGeometry, x: int, w: int, b: int, out: int, dtype: int, relu: bool) -> None:
        """CONV_2D, with an explicit PAD first when PyTorch's symmetric padding is not TFLite's SAME."""
        g = geom
        if g.padding == 0:
            padding = fb.Padding.VALID
        elif g.same_is_symmetric:
            padding = fb.Padding.SAME
        else:  # PAD with the input's zero point (real 0), then VALID
            padding = fb.Padding.VALID
            p = g.padding
            pads = self.tensor(
                f"{g.name}.paddings",
                [4, 2],
                fb.TensorType.INT32,
                np.array([[0, 0], [p, p], [p, p], [0, 0]], np.int32),
            )
            shape = [1, g.h + 2 * p, g.w + 2 * p, g.c_in]
            x_padded = self.tensor(f"{g.name}.padded", shape, dtype, batch=True, **self.same_quantization(x))
            self.op(OP.PAD, [x, pads], [x_padded], OPTIONS.PadOptions, fb.PadOptionsT())
            x = x_padded
        opt = fb.Conv2DOptionsT()
        opt.padding, opt.strideH, opt.strideW = padding, g.stride, g.stride
        opt.dilationHFactor = opt.dilationWFactor = 1
        opt.fusedActivationFunction = (
            fb.ActivationFunctionType.RELU if relu else fb.ActivationFunctionType.NONE
        )
        self.op(OP.CONV_2D, [x, w, b], [out], OPTIONS.Conv2DOptions, opt)

    def reshape(self, x: int, name: str, shape: list[int]) -> int:
        """RESHAPE to (batch, *shape[1:]) into a new tensor with the same type and quantization."""
        new_shape = np.array([-1, *shape[1:]], np.int32)
        target = self.tensor(f"{name}.shape", [len(shape)], fb.TensorType.INT32, new_shape)
        out = self.tensor(name, shape, self.tensors[x].type, batch=True, **self.same_quantization(x))
        opt = fb.ReshapeOptionsT()
        opt.newShape = [-1, *shape[1:]]
        self.op(OP.RESHAPE, [x, target], [out], OPTIONS.ReshapeOptions, opt)
        return out

    def linear(
        self,
        name: str,
        linear_as: str,
        x: int,
        w_data: np.ndarray,
        w_kw: dict,
        b: int,
        out_kw: dict,
        relu: bool,
        out_name: str | None = None,
    ) -> int:
        """A linear layer on (N, K): FULLY_CONNECTED, or RESHAPE to (N, 1, 1, K), 1x1 CONV_2D, RESHAPE back."""
        c_out, k = w_data.shape
        dtype = self.tensors[x].type
        in_shape = [1, k] if linear_as == "fully_connected" else [1, 1, 1, k]
        if self.tensors[x].shape != in_shape:
            x = self.reshape(x, f"{name}.input", in_shape)
        if linear_as == "fully_connected":
            w = self.tensor(f"{name}.weight", [c_out, k], dtype, w_data, **w_kw)
            out = self.tensor(out_name or name, [1, c_out], dtype, batch=True, **out_kw)
            opt = fb.FullyConnectedOptionsT()
            opt.fusedActivationFunction = (
                fb.ActivationFunctionType.RELU if relu else fb.ActivationFunctionType.NONE
            )
            self.op(OP.FULLY_CONNECTED, [x, w, b], [out], OPTIONS.FullyConnectedOptions, opt)
            return out
        w = self.tensor(f"{name}.weight", [c_out, 1, 1, k], dtype, w_data.reshape(c_out, 1, 1, k), **w_kw)
        out4 = self.tensor(f"{name}.output_1x1", [1, 1, 1, c_out], dtype, batch=True, **out_kw)
        self.conv(ConvGeometry(name, k, 1, 1, 1, 1, 0), x, w, b, out4, dtype, relu)
        return self.reshape(out4, out_name or name, [1, c_out])

    def finish(self, inputs: list[int], outputs: list[int], description: str) -> bytes:
        """Pack the model (schema version 3) with a serving_default signature over input and logits."""
        sub = fb.SubGraphT()
        sub.tensors, sub.inputs, sub.outputs, sub.operators, sub.name = (
            self.tensors,
            inputs,
            outputs,
            self.operators,
            "main",
        )
        sig = fb.SignatureDefT()
        sig.signatureKey, sig.subgraphIndex = "serving_default", 0
        sig.inputs = [_tensor_map(INPUT, inputs[0])]
        sig.outputs = [_tensor_map(LOGITS, outputs[0])]
        model = fb.ModelT()
        model.version, model.description = SCHEMA_VERSION, description
        model.operatorCodes, model.subgraphs, model.buffers = self.codes, [sub], self.buffers
        model.signatureDefs = [sig]
        return bytes(convert_object_to_bytearray(model))


def _tensor_map(name: str, index: int) -> fb.TensorMapT:
    m = fb.TensorMapT()
    m.name, m.tensorIndex = name, index
    return m


def _nhwc(shape: tuple[int, ...]) -> list[int]:
    """(C, H, W) or (K,) of one sample -> TFLite's batch-1 shape (1, H, W, C) or (1, K)."""
    return [1, *shape[1:], shape[0]] if len(shape) == 3 else [1, *shape]


LINEAR_AS = ("conv", "fully_connected")


def to_tflite(
    model: Int8Model, intermediate_outputs: bool = False, input_shape=INPUT_SHAPE, linear_as: str = "conv"
) -> bytes:
    """The int8 model as a .tflite file; `intermediate_outputs` also outputs every layer's int8 codes.

    `linear_as="conv"` writes a linear layer as a 1x1 CONV_2D (the fixed-point reference kernel, as ONNX's 1x1
    QLinearConv); "fully_connected" as FULLY_CONNECTED, whose reference kernel rounds a double multiplier.
    """
    if linear_as not in LINEAR_AS:
        raise ValueError(f"linear_as must be one of {LINEAR_AS}, got {linear_as!r}")
    p = plan(model, input_shape)
    fbi = _Builder(float_ops=False)
    i8, i32 = fb.TensorType.INT8, fb.TensorType.INT32
    first = p.layers[0].layer
    x_in = fbi.tensor(INPUT, _nhwc(p.input_shape), fb.TensorType.FLOAT32, batch=True)
    x = fbi.tensor(
        QUANTIZED_INPUT,
        _nhwc(p.input_shape),
        i8,
        scale=first.in_scale,
        zero_point=first.in_zp - INT8_OFFSET,
        batch=True,
    )
    fbi.op(OP.QUANTIZE, [x_in], [x], OPTIONS.QuantizeOptions, fb.QuantizeOptionsT())
    codes = [x]
    for lp in p.layers:
        layer, n = lp.layer, lp.name
        c_out = layer.w_q.shape[0]
        w_scale = layer.w_scale.numpy().astype(np.float32)
        w_q = layer.w_q.numpy().astype(np.int8)
        w_kw = {"scale": w_scale, "zero_point": np.zeros(c_out, np.int64)}  # per output channel, axis 0
        bias_scale = np.float32(layer.in_scale) * w_scale  # float32, as qlib quantized the bias
        b = fbi.tensor(
            f"{n}.bias",
            [c_out],
            i32,
            layer.b_q.numpy().astype(np.int32),
            bias_scale,
            np.zeros(c_out, np.int64),
        )
        out_kw = {"scale": layer.out_scale, "zero_point": layer.out_zp - INT8_OFFSET}
        if layer.kind == "conv":
            w = fbi.tensor(f"{n}.weight", nhwc_weight(w_q).shape, i8, nhwc_weight(w_q), **w_kw)
            x_next = fbi.tensor(n, _nhwc(lp.out_shape), i8, batch=True, **out_kw)
            geom = ConvGeometry.of(n, lp.in_shape, layer.w_q.shape[2], layer.stride, layer.padding)
            fbi.conv(geom, x, w, b, x_next, i8, layer.relu)
            x = x_next
        else:
            x = fbi.linear(n, linear_as, x, nhwc_fc_weight(w_q, lp.in_shape), w_kw, b, out_kw, layer.relu)
        codes.append(x)
    logits = fbi.tensor(LOGITS, [1, p.output_size], fb.TensorType.FLOAT32, batch=True)
    fbi.op(OP.DEQUANTIZE, [x], [logits], OPTIONS.DequantizeOptions, fb.DequantizeOptionsT())
    desc = "qlib int8 model: int8 activations (qlib's uint8 codes - 128), int8 per-channel weights, int32 biases."
    return fbi.finish([x_in], [logits] + (codes if intermediate_outputs else []), " ".join([desc, *p.notes]))


def fp32_to_tflite(model: nn.Module, input_shape=INPUT_SHAPE, linear_as: str = "conv") -> bytes:
    """The float TinyCNN as a float32 .tflite file: the size baseline, in the same layout as `to_tflite`."""
    fbf = _Builder(float_ops=True)
    f32 = fb.TensorType.FLOAT32
    x = x_in = fbf.tensor(INPUT, _nhwc(tuple(input_shape)), f32, batch=True)
    shape = tuple(input_shape)
    for name in ("conv1", "conv2", "fc"):
        m = getattr(model, name)
        w_np = m.weight.detach().numpy().astype(np.float32)
        b = fbf.tensor(f"{name}.bias", [w_np.shape[0]], f32, m.bias.detach().numpy().astype(np.float32))
        if isinstance(m, nn.Conv2d):
            geom = ConvGeometry.of(name, shape, m.kernel_size[0], m.stride[0], m.padding[0])
            shape = (w_np.shape[0], *geom.out_hw)
            w = fbf.tensor(f"{name}.weight", nhwc_weight(w_np).shape, f32, nhwc_weight(w_np))
            out = fbf.tensor(name, _nhwc(shape), f32, batch=True)
            fbf.conv(geom, x, w, b, out, f32, relu=True)
            x = out
        else:
            x = fbf.linear(name, linear_as, x, nhwc_fc_weight(w_np, shape), {}, b, {}, False, out_name=LOGITS)
    return fbf.finish([x_in], [x], "qlib fp32 TinyCNN")
