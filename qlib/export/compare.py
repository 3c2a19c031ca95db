"""Where the engines agree: per layer, how many codes differ from qlib's fixed and float modes, and by how much.

`compare(model, x, y)` runs every engine of `qlib.export.runtimes.ENGINES` on the same images end to end (each
engine feeds its own codes to its next layer, as a deployed model does) and returns typed results: per engine
and layer the number of outputs, the codes that differ from qlib fixed / float and the largest difference;
top-1 agreement and accuracy; and, per engine that disagrees with qlib fixed, one real disagreement born in
that layer (the image's input codes to it agree with qlib's), with the accumulator every engine rounds, so a
learner can open that image, layer, channel and position on the integer page and see why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from qlib.export.runtimes import ENGINES, EngineRun, run
from qlib.int8 import Int8Model


@dataclass(frozen=True)
class LayerAgreement:
    """One engine at one layer ("input" or a layer name) against qlib's fixed and float modes."""

    layer: str
    outputs: int  # codes the layer computes for all images
    vs_fixed: int  # codes that differ from qlib requant="fixed"
    vs_float: int  # codes that differ from qlib requant="float"
    max_diff_fixed: int  # largest |code - qlib fixed code|
    max_diff_float: int


@dataclass(frozen=True)
class EngineAgreement:
    """One engine's agreement with qlib over all images."""

    engine: str  # a key of ENGINES
    version: str
    kernels: str  # which kernels ran (LiteRT: the OpResolverType; XNNPACK when its delegate took the graph)
    layers: tuple[LayerAgreement, ...]  # "input" first, then each layer
    images: int
    top1_same_as_fixed: int  # images whose top-1 class equals qlib fixed's
    top1_same_as_float: int
    correct: int  # images whose top-1 class is the label
    max_logit_diff_fixed: float  # largest |logit - qlib fixed logit|

    def layer(self, name: str) -> LayerAgreement:
        """The agreement at one layer."""
        return next(la for la in self.layers if la.layer == name)

    @property
    def exact(self) -> bool:
        """True if every code at every layer equals qlib fixed's."""
        return all(la.vs_fixed == 0 for la in self.layers)


@dataclass(frozen=True)
class Disagreement:
    """One output where an engine's code differs from qlib fixed's although its inputs to that layer agree."""

    engine: str
    layer: str
    image: int  # index in the images compared (the test split: the integer page's sample number)
    channel: int
    row: int | None  # None for a linear layer
    col: int | None
    acc: int  # qlib's int32 accumulator plus int32 bias there (qlib float and PyTorch add the float bias instead)
    multiplier: float  # M = in_scale * w_scale[channel] / out_scale (float64)
    out_zp: int
    codes: tuple[tuple[str, int], ...]  # (engine, code) for every engine, in ENGINES order

    @property
    def scaled(self) -> float:
        """acc * M: the exact value the int32-bias engines round (then they add the zero point and clamp)."""
        return self.acc * self.multiplier


@dataclass(frozen=True)
class Comparison:
    """All engines on one model and image set."""

    images: int
    layers: tuple[str, ...]  # "input", then the layer names
    engines: tuple[EngineAgreement, ...]
    disagreements: tuple[Disagreement, ...]  # at most one per engine that differs from qlib fixed

    def engine(self, key: str) -> EngineAgreement:
        """The results of one engine."""
        return next(e for e in self.engines if e.engine == key)


def _agreement(r: EngineRun, fixed: EngineRun, flt: EngineRun, y: np.ndarray | None) -> EngineAgreement:
    layers = []
    for name, codes in zip(r.layers, r.codes, strict=True):
        d_fixed, d_float = codes - fixed.code(name), codes - flt.code(name)
        layers.append(
            LayerAgreement(
                name,
                int(codes.size),
                int(np.count_nonzero(d_fixed)),
                int(np.count_nonzero(d_float)),
                int(np.abs(d_fixed).max(initial=0)),
                int(np.abs(d_float).max(initial=0)),
            )
        )
    top1 = r.logits.argmax(1)
    return EngineAgreement(
        engine=r.engine,
        version=r.version,
        kernels=r.kernels,
        layers=tuple(layers),
        images=len(top1),
        top1_same_as_fixed=int((top1 == fixed.logits.argmax(1)).sum()),
        top1_same_as_float=int((top1 == flt.logits.argmax(1)).sum()),
        correct=int((top1 == y).sum()) if y is not None else -1,
        max_logit_diff_fixed=float(np.abs(r.logits - fixed.logits).max(initial=0.0)),
    )


def first_disagreement(
    model: Int8Model, runs: dict[str, EngineRun], engine: str, x: torch.Tensor
) -> Disagreement | None:
    """The first output (layer by layer, then image, channel, row, col) where `engine` leaves qlib fixed,
    among images whose codes entering that layer still agree with qlib fixed's."""
    r, fixed = runs[engine], runs["qlib-fixed"]
    for i, name in enumerate(model.layer_names):
        prev = r.layers[i]  # the codes entering layer i
        same_input = (r.code(prev) == fixed.code(prev)).reshape(len(x), -1).all(1)
        diff = (r.code(name) != fixed.code(name)) & same_input.reshape([-1] + [1] * (r.code(name).ndim - 1))
        if not diff.any():
            continue
        where = tuple(int(v) for v in np.argwhere(diff)[0])
        image, channel = where[0], where[1]
        step = Int8Model(model.layers, "fixed", model.layer_names).run_layer(
            i, torch.as_tensor(fixed.code(prev)[image : image + 1])
        )
        acc = int(step.acc_bias[(0, *where[1:])])
        row, col = (where[2], where[3]) if len(where) == 4 else (None, None)
        codes = tuple((e, int(runs[e].code(name)[where])) for e in ENGINES if e in runs)
        return Disagreement(
            engine,
            name,
            image,
            channel,
            row,
            col,
            acc,
            float(step.M[channel]),
            model.layers[i].out_zp,
            codes,
        )
    return None


def compare(
    model: Int8Model, x: torch.Tensor, y: torch.Tensor | None = None, engines: tuple[str, ...] = ENGINES
) -> Comparison:
    """Run `engines` (qlib fixed and float always) on float images x and measure their agreement with qlib."""
    x = torch.as_tensor(x, dtype=torch.float32).contiguous()
    keys = ("qlib-fixed", "qlib-float", *(e for e in engines if e not in ("qlib-fixed", "qlib-float")))
    runs = {e: run(model, x, e) for e in keys}
    labels = None if y is None else np.asarray(y)
    fixed, flt = runs["qlib-fixed"], runs["qlib-float"]
    agreements = tuple(_agreement(runs[e], fixed, flt, labels) for e in ENGINES if e in runs)
    found = (first_disagreement(model, runs, e, x) for e in ENGINES if e in runs and e != "qlib-fixed")
    return Comparison(len(x), fixed.layers, agreements, tuple(d for d in found if d is not None))
