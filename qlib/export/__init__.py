"""qlib's int8 model out of the app: ONNX (QOperator) and TFLite int8 files, and how real runtimes compute them.

- `export(model, "onnx" | "tflite") -> bytes`: an `Int8Model` (any shipped one, or one from `qlib.qat.convert`)
  as int8, or the float TinyCNN as float32 (the size baseline). `qlib.export.plan` says what is refused and why.
- `qlib.export.compare.compare(model, x, y)`: qlib fixed / float, PyTorch fbgemm, ONNX Runtime and LiteRT's
  three kernel paths on the same images, layer by layer (typed results).
- `python -m qlib.export MODEL --format onnx|tflite --out FILE`: the same from the command line.
The modules' docstrings record how each runtime requantizes, with the source files they were read in.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn

from qlib.export.plan import ExportError, ExportPlan, plan
from qlib.int8 import Int8Model

FORMATS = ("onnx", "tflite")
SUFFIX = {"onnx": ".onnx", "tflite": ".tflite"}

__all__ = ["FORMATS", "SUFFIX", "ExportError", "ExportPlan", "FileSizes", "export", "file_sizes", "plan"]


def export(model: Int8Model | nn.Module, fmt: str) -> bytes:
    """The file's bytes: an Int8Model as int8, the float TinyCNN as float32; ExportError if it can't be exact."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if fmt == "onnx":
        from qlib.export import onnx as onnx_export

        proto = (
            onnx_export.to_onnx(model) if isinstance(model, Int8Model) else onnx_export.fp32_to_onnx(model)
        )
        return onnx_export.to_bytes(proto)
    from qlib.export import tflite

    return tflite.to_tflite(model) if isinstance(model, Int8Model) else tflite.fp32_to_tflite(model)


@dataclass(frozen=True)
class FileSizes:
    """Bytes of the exported files, beside the float model's files and parameter bytes."""

    onnx: int
    tflite: int
    fp32_onnx: int
    fp32_tflite: int
    fp32_params: int  # 4 bytes per float parameter
    int8_params: int  # Int8Model.nbytes(): 1 per weight, 4 per bias, scales and zero points

    def ratio(self, fmt: str) -> float:
        """How many times smaller the int8 file is than the float32 file of the same format."""
        return getattr(self, f"fp32_{fmt}") / getattr(self, fmt)


def file_sizes(model: Int8Model, fp32_model: nn.Module) -> FileSizes:
    """Sizes of both formats for the int8 model and for the float model (same graph layout)."""
    from qlib.model import fp32_nbytes

    return FileSizes(
        len(export(model, "onnx")),
        len(export(model, "tflite")),
        len(export(fp32_model, "onnx")),
        len(export(fp32_model, "tflite")),
        fp32_nbytes(fp32_model),
        model.nbytes(),
    )
