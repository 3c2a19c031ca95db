"""fp32 against int8 on one input: the digit given, both models' answers, whether they agree, how ranks moved.

Works on `decode_predictions` output (lists of `(class_id, class_name, prob)`, best first), so the page's
tables are exactly what `decode_predictions` returns. The integer model runs once per input (`predict`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

from lessons.i18n import Translator
from qlib import verdict as rule
from qlib.data import digit_to_image, load_image, to_model_input
from qlib.decode import decode_predictions
from qlib.drawing import DrawingSteps, drawing_steps
from qlib.int8 import Int8Model
from qlib.model import num_threads
from qlib.model import predict as float_logits
from qlib.photo import PhotoSteps, photo_steps
from qlib.quant import dequantize
from qlib.verdict import Verdict as DigitCheck
from qlib.verdict import judge

Decoded = list[tuple[int, str, float]]

SOURCES = ("sample", "draw", "upload", "camera")  # where the digit comes from, in the radio's order


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

    def move_text(self, tr: Callable[..., str]) -> str:
        """The move and both ranks, as the int8 table's last column shows it: '▲1 (#3 → #2)', '▲1（3 位 → 2 位）'."""
        return tr("move_cell", arrow=arrow(self.move), was=self.other_rank, now=self.rank)


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


@dataclass(frozen=True)
class Verdict:
    """What the page says about the two answers: a string key ("agree", "agree_moved", "disagree") and its fields."""

    kind: str
    fmt: dict[str, object]


def verdict(cmp: Comparison, model: str, tr: Translator) -> Verdict:
    """Same answer and order, same answer with rank changes, or a different answer; `model` labels the int8 one
    (`tr` writes the list of rank changes in the page's language: "3 (▲1), 5 (▼1)", 「3（▲1）、5（▼1）」)."""
    f, q = cmp.fp32[0], cmp.int8[0]
    if cmp.agree_top1 and cmp.same_order:
        return Verdict("agree", {"id": f.class_id, "name": f.class_name, "k": len(cmp.fp32), "model": model})
    if cmp.agree_top1:
        moved = tr.listed(tr("moved_item", id=r.class_id, move=arrow(r.move)) for r in cmp.moved)
        return Verdict(
            "agree_moved", {"id": f.class_id, "name": f.class_name, "moved": moved, "model": model}
        )
    return Verdict(
        "disagree",
        {
            "fid": f.class_id,
            "fname": f.class_name,
            "qid": q.class_id,
            "qname": q.class_name,
            "fp": 100 * f.prob,
            "qp": 100 * q.prob,
            "model": model,
        },
    )


def guess(cmp: Comparison, model: str) -> Verdict:
    """For a picture that does not look like a digit: both answers, stated as guesses ("guess_same" / "guess_differ")."""
    f, q = cmp.fp32[0], cmp.int8[0]
    fmt = {"fid": f.class_id, "fname": f.class_name, "fp": 100 * f.prob, "model": model}
    fmt |= {"qid": q.class_id, "qname": q.class_name, "qp": 100 * q.prob}
    return Verdict("guess_same" if cmp.agree_top1 else "guess_differ", fmt)


def rule_fmt() -> dict[str, float]:
    """qlib.verdict's thresholds as the page's explanation quotes them (percentages where it says %)."""
    return {
        "ink": 100 * rule.MAX_INK,
        "pieces": rule.MAX_PIECES,
        "width": rule.MAX_WIDTH,
        "other": 100 * rule.MAX_OTHER,
        "stray": 100 * rule.MAX_STRAY,
    }


def check_fmt(check: DigitCheck) -> dict[str, float]:
    """This picture's own figures behind the verdict, in the units of rule_fmt."""
    return {
        "ink": 100 * check.ink_share,
        "pieces": check.pieces,
        "width": check.width_ratio,
        "other": 100 * check.other,
        "stray": 100 * check.stray,
    }


@dataclass(frozen=True)
class Dequant:
    """The int8 model's integer logit q of one class read back as a real number: z = s·(q − z_p)."""

    class_id: int
    q: int
    scale: float
    zp: int

    @property
    def z(self) -> float:
        return self.scale * (self.q - self.zp)

    @property
    def latex(self) -> str:
        zp = f"({self.zp})" if self.zp < 0 else f"{self.zp}"
        return rf"z_{{{self.class_id}}} = s\,(q - z_p) = {self.scale:.5f} \times ({self.q} - {zp}) = {self.z:.3f}"


@dataclass(frozen=True)
class Prediction:
    """Both models on one input: every class best first (decode_predictions), their comparison, the dequant."""

    fp32: Decoded
    int8: Decoded
    comparison: Comparison  # over the first `top` places
    dequant: Dequant  # of the int8 model's best class

    @property
    def fp32_probs(self) -> list[float]:
        """fp32's probability of every class, by class id."""
        return [p for _, _, p in sorted(self.fp32)]

    @property
    def int8_probs(self) -> list[float]:
        """int8's probability of every class, by class id."""
        return [p for _, _, p in sorted(self.int8)]

    def raw(self) -> str:
        """Both top-k lists as Python prints decode_predictions' rows, probabilities to 4 places."""
        k = len(self.comparison.fp32)
        return f"fp32 = {_raw(self.fp32[:k])}\nint8 = {_raw(self.int8[:k])}"

    @property
    def softmax_latex(self) -> str:
        """The softmax, with the int8 model's best class and its probability."""
        best = self.comparison.int8[0]
        return (
            r"p_i = \frac{e^{z_i}}{\sum_{j=0}^{9} e^{z_j}} \;\Rightarrow\; "
            rf"p_{{{best.class_id}}} = {100 * best.prob:.2f}\,\%"
        )


def _raw(decoded: Decoded) -> str:
    """decode_predictions' rows as Python would print them, probabilities to 4 places."""
    return "[" + ", ".join(f"({c}, {n!r}, {p:.4f})" for c, n, p in decoded) + "]"


def predict(fp32: torch.nn.Module, int8: Int8Model, x: np.ndarray, lang: str, top: int) -> Prediction:
    """Both models on one 8×8 input; the integer model runs once (its codes give the logits and the dequant)."""
    xt = torch.from_numpy(np.array(x, dtype=np.float32).reshape(1, 1, 8, 8))
    with num_threads(1):
        codes = int8.forward_int(int8.quantize_input(xt))
    qp = int8.output_qparams
    full_f = decode_predictions(float_logits(fp32, xt), top=10, from_logits=True, lang=lang)[0]
    full_q = decode_predictions(dequantize(codes, qp), top=10, from_logits=True, lang=lang)[0]
    cmp = compare(full_f, full_q, top)
    best = cmp.int8[0].class_id
    return Prediction(
        full_f, full_q, cmp, Dequant(best, int(codes.reshape(-1)[best]), float(qp.scale), int(qp.zero_point))
    )


@dataclass(frozen=True)
class Digit:
    """A digit to predict: the model's 8×8 input, the picture as given, where it came from, its label if known."""

    x: np.ndarray  # 8×8 float32 in [-1, 1]
    picture: Image.Image
    source: str  # "sample", "upload", "camera" or "draw"
    label: int | None = None  # the true class (test samples)
    index: int | None = None  # the test sample's number
    steps: PhotoSteps | None = None  # an upload's or a photo's path to the 8×8 (qlib.photo)
    drawing: DrawingSteps | None = None  # a drawing's path to the 8×8 (qlib.drawing)
    check: DigitCheck | None = None  # does it look like one digit (qlib.verdict); None for test samples

    @property
    def is_digit(self) -> bool:
        """False only when qlib.verdict says the picture does not look like one digit."""
        return self.check is None or self.check.is_digit


def sample_digit(xs: np.ndarray, ys: np.ndarray, i: int) -> Digit:
    """Test sample i as a Digit (its picture drawn from the 8×8 input)."""
    x = np.asarray(xs[i], dtype=np.float32).reshape(8, 8)
    return Digit(x, digit_to_image(x), "sample", int(ys[i]), int(i))


def given_digit(data: bytes, source: str) -> Digit:
    """Upload or camera bytes -> a Digit; in memory only.

    Raises qlib.data.ImageError (with `.key` for the translated message) for anything that is not a usable image.
    """
    img = load_image(data)
    steps = photo_steps(img)  # the same path as to_model_input, every stage kept for the page to show
    return Digit(steps.x.numpy().reshape(8, 8), img, source, steps=steps, check=judge(steps))


def drawn_digit(rgba: np.ndarray | None) -> Digit | None:
    """A canvas's RGBA pixels -> a Digit (qlib.drawing's 8×8), or None while nothing is drawn.

    Whether it looks like one digit is qlib.verdict's rule on qlib.photo's stages of the same pixels (a drawing
    of "12" or a scribble over the whole canvas is told so, as a photo of it would be).
    """
    if rgba is None:
        return None
    a = np.ascontiguousarray(np.asarray(rgba, dtype=np.uint8))
    steps = drawing_steps(a)
    if steps.empty:
        return None
    picture = Image.fromarray(a, "RGBA" if a.ndim == 3 and a.shape[-1] == 4 else None)
    check = judge(photo_steps(a))
    return Digit(steps.x.numpy().reshape(8, 8), picture, "draw", drawing=steps, check=check)


def from_upload(data) -> tuple[torch.Tensor, object]:
    """Upload or camera bytes -> (the model's 1x1x8x8 input, the opened picture); in memory only.

    Raises qlib.data.ImageError (with `.key` for the translated message) for anything that is not a usable image.
    """
    img = load_image(data)
    return to_model_input(img), img
