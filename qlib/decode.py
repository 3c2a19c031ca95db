"""From the model's ten scores to readable answers: `[(class_id, class_name, prob), ...]`, best first."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

LABELS = Path(__file__).resolve().parent.parent / "assets" / "labels.json"


@lru_cache(maxsize=1)
def _labels() -> dict[str, tuple[str, ...]]:
    """The class names per language, read once from assets/labels.json."""
    return {lang: tuple(names) for lang, names in json.loads(LABELS.read_text(encoding="utf-8")).items()}


def class_names(lang: str = "en") -> list[str]:
    """The ten digit names in a language ('en' or 'ja'), by class id."""
    labels = _labels()
    if lang not in labels:
        raise ValueError(f"no class names for language {lang!r}; there are {sorted(labels)}")
    return list(labels[lang])


def softmax(z: np.ndarray) -> np.ndarray:
    """exp(z - max z) / sum exp(z - max z): the softmax, without overflow however big the logits are."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _rows(preds) -> np.ndarray:
    """A tensor, array or list of scores as a float64 batch: one row per image (1-D input is one row)."""
    if isinstance(preds, torch.Tensor):
        preds = preds.detach().cpu().double().numpy()
    p = np.array(preds, dtype=np.float64, ndmin=2)
    if p.ndim != 2:
        raise ValueError(f"expected scores of shape (classes,) or (batch, classes), got {p.shape}")
    return p


def decode_predictions(
    preds, top: int = 5, from_logits: bool = True, lang: str = "en"
) -> list[list[tuple[int, str, float]]]:
    """For each row, the `top` classes as (class_id, class_name, probability), best first; ties by class id.

    from_logits=True applies a numerically stable softmax first (in float64). from_logits=False takes the
    scores as probabilities and only sorts them, as Keras's decode_predictions always does (it never applies
    a softmax). `top` is clamped to 1..10.
    """
    names = class_names(lang)
    p = _rows(preds)
    if p.shape[1] != len(names):
        raise ValueError(f"expected {len(names)} scores per row (one per digit), got {p.shape[1]}")
    if not np.isfinite(p).all():
        raise ValueError("the scores contain NaN or infinity: the model's output is not usable")
    if from_logits:
        p = softmax(p)
    top = min(max(int(top), 1), len(names))
    best = np.argsort(-p, axis=1, kind="stable")[:, :top]  # stable: equal scores keep class id order
    return [[(int(c), names[c], float(row[c])) for c in idx] for row, idx in zip(p, best, strict=True)]
