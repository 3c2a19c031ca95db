"""fp32 against int8 on one input: the two top-k lists, whether they agree, and how each class's rank moved.

Works on `decode_predictions` output (lists of `(class_id, class_name, prob)`, best first), so the page's
tables are exactly what `decode_predictions` returns. Pure Python: the page turns this into tables and a verdict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

Decoded = list[tuple[int, str, float]]


@dataclass(frozen=True)
class Row:
    """One line of a top-k table: rank (1 = best), class id, class name, probability, and the other model's rank."""

    rank: int
    class_id: int
    class_name: str
    prob: float
    other_rank: int  # this class's rank in the other model's full ranking (1-based)

    @property
    def move(self) -> int:
        """How many places this class went up (+) or down (-) compared with the other model."""
        return self.other_rank - self.rank


@dataclass(frozen=True)
class Comparison:
    """Both models' top-k on one input and what changed between them."""

    fp32: list[Row]
    int8: list[Row]
    agree_top1: bool  # the same best class
    same_order: bool  # the same classes in the same order over the whole top-k
    overlap: int  # classes found in both top-k lists
    max_prob_diff: float  # the largest |p_fp32 - p_int8| over every class
    kl: float  # KL(p_fp32 || p_int8) in nats: how far the int8 distribution is from the float one

    @property
    def moved(self) -> list[Row]:
        """The int8 top-k rows whose rank differs from fp32's."""
        return [r for r in self.int8 if r.move != 0]


def _ranks(decoded: Decoded) -> dict[int, int]:
    """class id -> 1-based competition rank (1 + how many classes have a strictly higher probability).

    Equal probabilities share a rank: at 2 bits many logits land on the same code, and the order among
    them (by class id) is no real change.
    """
    probs = [float(p) for _, _, p in decoded]
    return {int(c): 1 + sum(q > float(p) for q in probs) for c, _, p in decoded}


def _rows(mine: Decoded, theirs: Decoded, top: int) -> list[Row]:
    """The first `top` rows of one model, each with its rank and the class's rank in the other model."""
    own, other = _ranks(mine), _ranks(theirs)
    worst = len(theirs) + 1  # a class the other list does not hold at all
    return [Row(own[int(c)], int(c), name, float(p), other.get(int(c), worst)) for c, name, p in mine[:top]]


def compare(fp32: Decoded, int8: Decoded, top: int = 5) -> Comparison:
    """Compare two full decoded rankings (every class, best first) over their first `top` places."""
    top = max(1, min(int(top), len(fp32), len(int8)))
    ra, rb = _rows(fp32, int8, top), _rows(int8, fp32, top)
    pa, pb = {int(c): float(p) for c, _, p in fp32}, {int(c): float(p) for c, _, p in int8}
    diff = max(abs(pa[c] - pb.get(c, 0.0)) for c in pa)
    kl = sum(p * (math.log(p) - math.log(max(pb.get(c, 0.0), 1e-300))) for c, p in pa.items() if p > 0)
    ids_a, ids_b = [r.class_id for r in ra], [r.class_id for r in rb]
    return Comparison(
        ra, rb, ids_a[0] == ids_b[0], ids_a == ids_b, len(set(ids_a) & set(ids_b)), diff, max(kl, 0.0)
    )


def arrow(move: int) -> str:
    """A rank move as a symbol: ▲2 (up two places), ▼1, or = (unchanged)."""
    return f"▲{move}" if move > 0 else f"▼{-move}" if move < 0 else "="


def output_dequant(qmodel, x, class_id: int) -> dict | None:
    """The int8 model's integer logit for one class and its real value: z = scale * (q - zero_point)."""
    if not (hasattr(qmodel, "forward_int") and hasattr(qmodel, "output_qparams")):
        return None
    q = int(
        qmodel.forward_int(qmodel.quantize_input(torch.as_tensor(x, dtype=torch.float32))).reshape(-1)[
            class_id
        ]
    )
    qp = qmodel.output_qparams
    scale, zp = float(qp.scale), int(qp.zero_point)
    return {"q": q, "scale": scale, "zp": zp, "z": scale * (q - zp)}


def from_upload(data) -> tuple[torch.Tensor, object]:
    """Upload or camera bytes -> (the model's 1x1x8x8 input, the opened picture); in memory only.

    Raises qlib.data.ImageError (with `.key` for the translated message) for anything that is not a usable image.
    """
    from qlib.data import load_image, to_model_input

    img = load_image(data)
    return to_model_input(img), img
