"""The Predict lesson's questions: fp32 against 8-bit QAT on one digit, and 2-bit PTQ on a digit fp32 gets right."""

from __future__ import annotations

from functools import cache

import numpy as np
import torch

from lessons.common.questions import Question
from lessons.predict import lesson as lab
from lessons.predict.lesson import Prediction
from qlib import pretrained
from qlib.data import load_digits

CLOSE_MODEL, CLOSE_SAMPLE = "qat-w8a8", 0
LOW_MODEL = "ptq-w2a2"


@cache
def _test() -> tuple[np.ndarray, np.ndarray]:
    x, y = load_digits().test
    return x.numpy(), y.numpy()


@cache
def _model(name: str):
    return pretrained.load(name)


@cache
def _predict(name: str, i: int) -> Prediction:
    xs, _ = _test()
    return lab.predict(_model("fp32"), _model(name), xs[i], "en", 10)


def _show(name: str, i: int) -> dict[str, object]:
    return {"predict_source": "sample", "predict_sample": i, "predict_model": name}


# ---- fp32 against 8-bit QAT: the same probabilities?


@cache
def _close_facts() -> dict[str, object]:
    p, label = _predict(CLOSE_MODEL, CLOSE_SAMPLE), int(_test()[1][CLOSE_SAMPLE])
    c = p.comparison
    return dict(
        i=CLOSE_SAMPLE,
        label=label,
        best=c.int8[0].class_id,
        pf=f"{100 * c.fp32[0].prob:.2f}",
        pq=f"{100 * c.int8[0].prob:.2f}",
        diff=f"{100 * c.max_prob_diff:.2f}",
    )


def _close() -> str:
    c = _predict(CLOSE_MODEL, CLOSE_SAMPLE).comparison
    if not c.agree_top1:
        return "other"
    return "close" if c.max_prob_diff > 0 else "same"


CLOSE = Question(
    id="close",
    options=("same", "close", "other"),
    correct="close",
    derive=_close,
    show=_show(CLOSE_MODEL, CLOSE_SAMPLE),
    facts=_close_facts,
)


# ---- 2-bit PTQ on a digit fp32 gets right


@cache
def _low_sample() -> int:
    """The first test digit fp32 gets right and the 2-bit PTQ model gets wrong."""
    xs, ys = _test()
    x = torch.from_numpy(xs)
    with torch.no_grad():
        f = _model("fp32")(x).argmax(1).numpy()
        q = _model(LOW_MODEL)(x).argmax(1).numpy()
    return int(np.flatnonzero((f == ys) & (q != ys))[0])


@cache
def _accuracy(name: str) -> float:
    xs, ys = _test()
    with torch.no_grad():
        return 100 * float((_model(name)(torch.from_numpy(xs)).argmax(1).numpy() == ys).mean())


@cache
def _low_facts() -> dict[str, object]:
    i = _low_sample()
    c = _predict(LOW_MODEL, i).comparison
    label = int(_test()[1][i])
    rank = next(r.rank for r in c.int8 if r.class_id == label)
    return dict(
        i=i,
        label=label,
        acc=f"{_accuracy(LOW_MODEL):.1f}",
        qat_acc=f"{_accuracy('qat-w2a2'):.1f}",
        wrong=c.int8[0].class_id,
        pw=f"{100 * c.int8[0].prob:.1f}",
        rank=rank,
    )


def _low() -> str:
    i = _low_sample()
    c = _predict(LOW_MODEL, i).comparison
    return "same" if c.int8[0].class_id == int(_test()[1][i]) else "other"


LOW = Question(
    id="low",
    options=("same", "other", "none"),
    correct="other",
    derive=_low,
    show=_show(LOW_MODEL, _low_sample()),
    facts=_low_facts,
)

QUESTIONS = (CLOSE, LOW)
