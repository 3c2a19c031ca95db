"""Run one Int8Model in every engine and collect each layer's codes: qlib (fixed, float), PyTorch, ONNX, LiteRT.

Every engine gets the same float images and runs the whole network; the codes it computes at the input and
after each layer come back as qlib's uint8 codes in NCHW (LiteRT's int8 NHWC codes are shifted by 128 and
transposed). How each engine reads its intermediate tensors:
- ONNX Runtime: the exported graph with every layer's codes as extra graph outputs.
- LiteRT reference and optimized kernels: the downloadable .tflite itself, run with
  `experimental_preserve_all_tensors=True`, then each tensor read by name.
- LiteRT's default path: the XNNPACK delegate takes the whole graph and keeps no intermediate tensor, so the
  run uses the export with every layer's codes as extra subgraph outputs.
- PyTorch: `qlib.torch_ref.to_torch_quantized` (fbgemm) and its forward hooks.
All engines run on one thread: the machines are shared, and a thread pool changes no result here.

Their sums are not always the exact ones qlib computes: on an x86 CPU without AVX512-VNNI, ONNX Runtime
(MLAS) and fbgemm multiply uint8 by int8 with vpmaddubsw, which adds each two neighbouring products in int16
with saturation. `own_sums(engine)` is the accumulator an engine uses on this CPU (measured by
`onnxruntime_pairs_saturate` and `qlib.torch_ref.fbgemm_pairs_saturate`; LiteRT's kernels sum exactly), so
`run_qlib(..., accumulate=own_sums(engine))` is qlib's arithmetic on that engine's sums.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from qlib.export.plan import INT8_OFFSET
from qlib.int8 import Int8Model, exact_acc, pair_saturated_acc
from qlib.layers import Int8Layer

ENGINES = (
    "qlib-fixed",
    "qlib-float",
    "pytorch-fbgemm",
    "onnxruntime",
    "litert-reference",
    "litert-optimized",
    "litert-xnnpack",
)
INPUT_LAYER = "input"  # the quantized input codes, compared like a layer


@dataclass(frozen=True)
class Requantization:
    """How an engine turns an int32 accumulator into an output code (for the lesson's one sentence each)."""

    multiplier: str  # "fixed_point" (M0·2^-n, integers only) or "float32"
    bias: str  # "int32": added to the accumulator; "float": bias / (s_in·s_w) added to float(acc)
    ties: str  # "up_then_away": round(acc·M0/2^31) ties up, then >>r ties away from zero (gemmlowp);
    #            "up_then_up": the same with the shift's ties going up; "half_even": one rounding, ties to even
    source: str  # the file it was read in (or "measured" where the source leaves it to the build)


REQUANTIZATION = {  # what qlib.export.onnx / .tflite record, and tests/library/test_runtime_rounding.py checks
    "qlib-fixed": Requantization("fixed_point", "int32", "up_then_away", "qlib/int8.py"),
    "qlib-float": Requantization("float32", "float", "half_even", "qlib/int8.py (fbgemm's ReQuantizeOutput)"),
    "pytorch-fbgemm": Requantization("float32", "float", "half_even", "fbgemm ReQuantizeOutput"),
    "onnxruntime": Requantization("float32", "int32", "half_even", "onnxruntime/core/mlas/lib/quantize.cpp"),
    "litert-reference": Requantization(
        "fixed_point",
        "int32",
        "up_then_away",
        "tensorflow/lite/kernels/internal/reference/integer_ops/conv.h",
    ),
    "litert-optimized": Requantization("fixed_point", "int32", "up_then_up", "measured (cpu_backend_gemm)"),
    "litert-xnnpack": Requantization("float32", "int32", "half_even", "XNNPACK src/qs8-qc8w-gemm (fp32)"),
}


@dataclass(frozen=True, eq=False)
class EngineRun:
    """One engine's codes (uint8 values as int64, NCHW or N×K) at the input and after each layer, and its logits."""

    engine: str  # one of ENGINES
    version: str  # the package version that computed it
    kernels: str  # which kernels ran: e.g. "OpResolverType.BUILTIN_REF", "CPUExecutionProvider", "fbgemm"
    layers: tuple[str, ...]  # "input", then the model's layer names
    codes: tuple[np.ndarray, ...]  # one array per entry of `layers`
    logits: np.ndarray  # float32, N×classes

    def code(self, layer: str) -> np.ndarray:
        """The codes of one layer (or of "input")."""
        return self.codes[self.layers.index(layer)]


def _names(model: Int8Model) -> tuple[str, ...]:
    return (INPUT_LAYER, *model.layer_names)


def run_qlib(
    model: Int8Model,
    x: torch.Tensor,
    requant: str,
    accumulate: Callable[[torch.Tensor, Int8Layer], torch.Tensor] = exact_acc,
) -> EngineRun:
    """qlib's own integer engine, fixed-point or float requantization, on the same layers (and on the exact
    sums, or on another engine's: `own_sums`)."""
    m = Int8Model(model.layers, requant=requant, names=model.layer_names, accumulate=accumulate)
    trace = m.trace(x)
    codes = (m.quantize_input(x).numpy(), *(s.q_out.numpy() for s in trace))
    qp = m.output_qparams
    logits = ((trace[-1].q_out - qp.zero_point).to(torch.float32) * qp.scale).numpy()
    return EngineRun(f"qlib-{requant}", "qlib", f'requant="{requant}"', _names(model), codes, logits)


def run_torch(model: Int8Model, x: torch.Tensor) -> EngineRun:
    """PyTorch's quantized TinyCNN with qlib's integers, on the fbgemm engine (`qlib.torch_ref`)."""
    from qlib.torch_ref import ENGINE, to_torch_quantized, torch_int_outputs

    qmodel = to_torch_quantized(Int8Model(model.layers, "float", model.layer_names))
    out = torch_int_outputs(qmodel, x)
    codes = tuple(out[n].numpy() for n in ("quant", *qmodel.spec.names))
    qp = model.output_qparams
    logits = ((out["fc"] - qp.zero_point).to(torch.float32) * qp.scale).numpy()
    return EngineRun("pytorch-fbgemm", torch.__version__, ENGINE, _names(model), codes, logits)


def run_onnxruntime(
    model: Int8Model, x: torch.Tensor, input_shape: tuple[int, ...] | None = None
) -> EngineRun:
    """The ONNX export in ONNX Runtime's CPU execution provider, every layer's codes as extra outputs."""
    import onnxruntime as ort

    from qlib.export.onnx import INPUT, LOGITS, QUANTIZED_INPUT, to_bytes, to_onnx

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(
        to_bytes(
            to_onnx(model, intermediate_outputs=True, **({"input_shape": input_shape} if input_shape else {}))
        ),
        opts,
        providers=["CPUExecutionProvider"],
    )
    names = [QUANTIZED_INPUT, *model.layer_names]
    out = dict(zip([o.name for o in sess.get_outputs()], sess.run(None, {INPUT: x.numpy()}), strict=True))
    codes = tuple(out[n].astype(np.int64) for n in names)
    return EngineRun(
        "onnxruntime", ort.__version__, sess.get_providers()[0], _names(model), codes, out[LOGITS]
    )


@functools.cache
def onnxruntime_pairs_saturate() -> bool:
    """Does ONNX Runtime here add uint8 × int8 products in saturating int16 pairs? Measured with the export
    itself: a 2-input linear layer, weights 127, input codes 200, exact sum 50800 (output code 198 at scale
    256), saturated 32767 (code 128). MLAS uses vpmaddubsw on x86 CPUs without VNNI."""
    w = torch.full((1, 2), 127, dtype=torch.int8)
    one, zero = torch.ones(1), torch.zeros(1)
    layer = Int8Layer(
        "linear", w, one, zero, torch.zeros(1, dtype=torch.int32), 1.0, 0, 256.0, 0, 0, 255, -128, 127, False,
        flatten_before=True,
    )  # fmt: skip
    probe = Int8Model([layer], "float", names=["probe"])
    codes = run_onnxruntime(probe, torch.full((1, 2, 1, 1), 200.0), input_shape=(2, 1, 1)).code("probe")
    return int(codes.item()) != round(2 * 200 * 127 / 256)


def sums_saturate(engine: str) -> bool:
    """Does this engine add a conv's or linear layer's products in saturating int16 pairs on this CPU?"""
    if engine == "pytorch-fbgemm":
        from qlib.torch_ref import fbgemm_pairs_saturate

        return fbgemm_pairs_saturate()
    return engine == "onnxruntime" and onnxruntime_pairs_saturate()


def own_sums(engine: str) -> Callable[[torch.Tensor, Int8Layer], torch.Tensor]:
    """The accumulator an engine computes on this CPU: saturating int16 pairs where its kernels use them
    (`qlib.int8.pair_saturated_acc`; fbgemm's depthwise kernel always), else the exact sum."""
    if engine == "pytorch-fbgemm":
        from qlib.torch_ref import fbgemm_accumulate

        return fbgemm_accumulate
    return pair_saturated_acc if sums_saturate(engine) else exact_acc


LITERT_KERNELS = {  # engine -> (OpResolverType member, needs the export with intermediate outputs)
    "litert-reference": ("BUILTIN_REF", False),
    "litert-optimized": ("BUILTIN_WITHOUT_DEFAULT_DELEGATES", False),
    "litert-xnnpack": ("AUTO", True),
}


def _delegated(interpreter) -> bool:
    """True if a delegate (XNNPACK, the default one) replaced the graph's nodes in the execution plan."""
    try:
        return any(op["op_name"] == "DELEGATE" for op in interpreter._get_ops_details())
    except (AttributeError, KeyError):  # a private helper: if it changes, say nothing rather than guess
        return False


def run_litert(model: Int8Model, x: torch.Tensor, engine: str, linear_as: str = "conv") -> EngineRun:
    """The TFLite export in LiteRT on one kernel path: reference, optimized, or the XNNPACK delegate."""
    import ai_edge_litert
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    from qlib.export.tflite import LOGITS, QUANTIZED_INPUT, to_tflite

    resolver, with_outputs = LITERT_KERNELS[engine]
    kw = {} if with_outputs else {"experimental_preserve_all_tensors": True}
    interp = Interpreter(
        model_content=to_tflite(model, intermediate_outputs=with_outputs, linear_as=linear_as),
        num_threads=1,
        experimental_op_resolver_type=OpResolverType[resolver],
        **kw,
    )
    inp = interp.get_input_details()[0]["index"]
    x_nhwc = np.ascontiguousarray(x.numpy().transpose(0, 2, 3, 1))
    interp.resize_tensor_input(inp, list(x_nhwc.shape))
    interp.allocate_tensors()
    interp.set_tensor(inp, x_nhwc)
    interp.invoke()
    index = {d["name"]: d["index"] for d in interp.get_tensor_details()}

    def read(name: str) -> np.ndarray:
        v = interp.get_tensor(index[name]).astype(np.int64) + INT8_OFFSET
        return v.transpose(0, 3, 1, 2) if v.ndim == 4 else v

    codes = tuple(read(n) for n in (QUANTIZED_INPUT, *model.layer_names))
    kernels = f"OpResolverType.{resolver}" + (" (XNNPACK delegate)" if _delegated(interp) else "")
    version = getattr(ai_edge_litert, "__version__", None) or _dist_version("ai-edge-litert")
    return EngineRun(engine, version, kernels, _names(model), codes, interp.get_tensor(index[LOGITS]))


def _dist_version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


def run(model: Int8Model, x: torch.Tensor, engine: str) -> EngineRun:
    """Run one engine (a key of ENGINES) on float images x (N×C×H×W)."""
    if engine in ("qlib-fixed", "qlib-float"):
        return run_qlib(model, x, engine.removeprefix("qlib-"))
    if engine == "pytorch-fbgemm":
        return run_torch(model, x)
    if engine == "onnxruntime":
        return run_onnxruntime(model, x)
    if engine in LITERT_KERNELS:
        return run_litert(model, x, engine)
    raise ValueError(f"unknown engine {engine!r}; engines: {', '.join(ENGINES)}")
