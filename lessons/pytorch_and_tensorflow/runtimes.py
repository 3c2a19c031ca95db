"""The int8 model out of the app: its .onnx and .tflite files, and how ONNX Runtime and LiteRT compute them.

Everything here is `qlib.export`'s typed results, arranged for page 7's section "Take the model out":
- `exportable_shipped()`: the shipped models both formats hold exactly (8-bit activations).
- `refusal(model)`: why a model (the session's own QAT model) can't be exported, as numbers the page translates.
- `export_files(model, fp32)` -> `ExportFiles`: both files' bytes, in memory, and their sizes beside fp32's.
- `runtime_agreement(model, x, y)` -> `RuntimeAgreement`: `qlib.export.compare.compare` on the test split, with
  the time it took; `agreement_rows` turns it into the table's rows, against one baseline (qlib fixed).
- `REQUANT_ENGINES`: the engines the page writes one sentence each about (how they requantize).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from qlib.export import ExportError, FileSizes, export, file_sizes, plan
from qlib.export.compare import Comparison, Disagreement, EngineAgreement, compare
from qlib.export.runtimes import ENGINES, sums_saturate
from qlib.int8 import Int8Model
from qlib.model import num_threads

BASELINE = "qlib-fixed"  # the table's one baseline: every count is "codes that differ from qlib fixed"
REQUANT_ENGINES = ENGINES  # one sentence each, in the table's order
SESSION_QAT = "session-qat"  # the chooser's id of this session's own QAT model (page 4)


def exportable_shipped(names: list[str]) -> list[str]:
    """The shipped quantized models (by name) that both formats hold exactly: 8-bit activations."""
    from qlib import pretrained

    out = []
    for n in names:
        try:
            plan(pretrained.load(n))
        except ExportError:
            continue
        out.append(n)
    return out


@dataclass(frozen=True)
class Refusal:
    """Why a model can't be exported exactly: the first layer whose activations are narrower than 8 bits."""

    layer: str
    a_bits: int  # activation bits of that layer (the runtimes clamp at 8 bits)
    detail: str  # qlib's own (English) reason, for anything that is not about activation bits


def refusal(model: Int8Model) -> Refusal | None:
    """None if both formats hold the model exactly, else why not."""
    try:
        plan(model)
    except ExportError as e:
        for name, layer in zip(model.layer_names, model.layers, strict=True):
            if (layer.qmin, layer.qmax) != (0, 255):
                return Refusal(name, (layer.qmax - layer.qmin).bit_length(), str(e))
        return Refusal("", 8, str(e))
    return None


def fingerprint(model: Int8Model) -> str:
    """A short hash of every integer and scale the model computes with: a cache key for a session's model."""
    h = hashlib.sha256()
    for layer in model.layers:
        for t in (layer.w_q, layer.b_q, layer.w_scale):
            h.update(np.ascontiguousarray(t.detach().numpy()).tobytes())
        h.update(
            repr(
                (layer.in_scale, layer.in_zp, layer.out_scale, layer.out_zp, layer.qmin, layer.qmax)
            ).encode()
        )
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class ExportFiles:
    """The two downloadable files of one model, built in memory, and the sizes beside the float model's."""

    onnx: bytes
    tflite: bytes
    sizes: FileSizes

    def size_kb(self, fmt: str) -> float:
        """The int8 file's size in kB (1 kB = 1,000 bytes)."""
        return getattr(self.sizes, fmt) / 1000

    def fp32_kb(self, fmt: str) -> float:
        """The float32 file's size in kB."""
        return getattr(self.sizes, f"fp32_{fmt}") / 1000


def export_files(model: Int8Model, fp32_model: nn.Module) -> ExportFiles:
    """Both files of the int8 model, and the sizes of the same graph in float32."""
    return ExportFiles(export(model, "onnx"), export(model, "tflite"), file_sizes(model, fp32_model))


@dataclass(frozen=True)
class RuntimeAgreement:
    """Every engine on the test split against qlib fixed, and how long the live run took."""

    comparison: Comparison
    seconds: float  # wall time of the first (uncached) computation

    @property
    def images(self) -> int:
        """How many test images were compared."""
        return self.comparison.images

    def disagreement(self) -> Disagreement | None:
        """One real disagreement to inspect: a tie's (one code apart) if any engine has one, ONNX Runtime's
        first; else the first engine's that has one (without VNNI, fbgemm's and ONNX Runtime's saturated sums)."""
        ds = {d.engine: d for d in self.comparison.disagreements}
        order = ("onnxruntime", "litert-xnnpack", "litert-optimized", "pytorch-fbgemm", "qlib-float")
        found = [ds[e] for e in order if e in ds]
        return next((d for d in found if disagreement_facts(d).tie), found[0] if found else None)

    def saturated(self) -> Saturated | None:
        """The engines more than one code off qlib fixed somewhere (no rounding does that) whose sums saturate
        on this CPU (`qlib.export.runtimes.sums_saturate`, measured per library: no VNNI), as the page says."""
        far = [
            e
            for e in self.comparison.engines
            if sums_saturate(e.engine) and any(la.max_diff_fixed > 1 for la in e.layers)
        ]
        if not far:
            return None
        worst = max(far, key=lambda e: max(la.max_diff_fixed for la in e.layers))
        return Saturated(
            tuple(e.engine for e in far),
            max(la.max_diff_fixed for la in worst.layers),
            min(e.top1_same_as_fixed for e in far),
            self.images,
        )


@dataclass(frozen=True)
class Saturated:
    """Engines whose sums differ, not only their rounding (u8 × s8 pairs added in 16 bits, without VNNI)."""

    engines: tuple[str, ...]
    max_diff: int  # the largest difference from qlib fixed, in codes
    top1_same: int  # the fewest images whose top-1 class equals qlib fixed's, over those engines
    images: int


def runtime_agreement(model: Int8Model, x: torch.Tensor, y: torch.Tensor) -> RuntimeAgreement:
    """All engines of `qlib.export.runtimes.ENGINES` on images x (one thread), timed."""
    start = time.perf_counter()
    with num_threads(1):
        c = compare(model, x, y)
    return RuntimeAgreement(c, time.perf_counter() - start)


@dataclass(frozen=True)
class AgreementRow:
    """One engine's row of the table: per layer the codes that differ from the baseline and the largest step."""

    engine: str
    kernels: str
    version: str
    layers: tuple[str, ...]  # "input", then the layer names: the order of `differ` and `max_diff`
    differ: tuple[int, ...]  # per layer of Comparison.layers
    max_diff: tuple[int, ...]
    top1_same: int  # images whose top-1 class equals the baseline's
    images: int


def agreement_rows(a: RuntimeAgreement) -> tuple[AgreementRow, ...]:
    """The table's rows, one per engine, every count against qlib fixed."""
    return tuple(_row(e) for e in a.comparison.engines)


def _row(e: EngineAgreement) -> AgreementRow:
    return AgreementRow(
        e.engine,
        e.kernels,
        e.version,
        tuple(la.layer for la in e.layers),
        tuple(la.vs_fixed for la in e.layers),
        tuple(la.max_diff_fixed for la in e.layers),
        e.top1_same_as_fixed,
        e.images,
    )


def layer_outputs(a: RuntimeAgreement) -> tuple[int, ...]:
    """How many codes each layer computes over all compared images (the table's header counts)."""
    return tuple(la.outputs for la in a.comparison.engine(BASELINE).layers)


@dataclass(frozen=True)
class DisagreementFacts:
    """What the page says about one disagreement: qlib fixed's code, the engine's, and how close to a tie."""

    fixed: int
    code: int
    gap: float  # |frac(acc·M) - 0.5|: how far the exact value is from a rounding tie

    @property
    def tie(self) -> bool:
        """One code apart: the two roundings of a value next to a tie. More: the sums themselves differ."""
        return abs(self.code - self.fixed) <= 1


def disagreement_facts(d: Disagreement) -> DisagreementFacts:
    """The codes of qlib fixed and of the disagreeing engine, and the exact value's distance from a tie."""
    codes = dict(d.codes)
    frac = d.scaled - np.floor(d.scaled)
    return DisagreementFacts(codes[BASELINE], codes[d.engine], float(abs(frac - 0.5)))


def table_layers(a: RuntimeAgreement) -> tuple[str, ...]:
    """The table's layer columns: the input only if some engine quantizes it differently (else a caption says so)."""
    same_input = all(e.layer("input").vs_fixed == 0 for e in a.comparison.engines)
    return tuple(n for n in a.comparison.layers if not (same_input and n == "input"))
