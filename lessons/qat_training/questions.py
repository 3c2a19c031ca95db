"""The QAT lesson's questions: ReLU outputs under symmetric activations, and QAT against PTQ at 2 bits."""

from __future__ import annotations

from functools import cache

import torch

from lessons.common.questions import Question
from lessons.qat_training.lesson import Config, relu_codes
from qlib import pretrained
from qlib.data import load_digits

# ---- ReLU outputs with symmetric activations

RELU_BITS = 8


def _relu_facts() -> dict[str, object]:
    sym = relu_codes(Config(abits=RELU_BITS, scheme="sym"))
    asym = relu_codes(Config(abits=RELU_BITS, scheme="asym"))
    return dict(
        bits=RELU_BITS,
        total=sym.total,
        used=sym.used,
        most=sym.total - 1,
        zp=sym.zero_point,
        first=sym.first,
        asym_used=asym.used,
    )


def _relu() -> str:
    r = relu_codes(Config(abits=RELU_BITS, scheme="sym"))
    return {r.total: "all", r.total - 1: "most", r.total // 2: "half"}.get(r.used, "other")


RELU = Question(
    id="relu",
    options=("all", "most", "half"),
    correct="half",
    derive=_relu,
    show={"qat_scheme": "sym", "qat_abits": RELU_BITS},
    facts=_relu_facts,
)


# ---- 2 bits: PTQ against QAT (the shipped models, on the test digits)

LOW = 2


@cache
def _accuracies() -> dict[str, float]:
    """Test accuracy (%) of the shipped fp32, PTQ and QAT models at LOW bits."""
    x, y = load_digits().test
    out = {}
    with torch.no_grad():
        for key, name in (("fp32", "fp32"), ("ptq", f"ptq-w{LOW}a{LOW}"), ("qat", f"qat-w{LOW}a{LOW}")):
            out[key] = 100 * float((pretrained.load(name)(x).argmax(1) == y).float().mean())
    return out


def _low_facts() -> dict[str, object]:
    a = _accuracies()
    return dict(bits=LOW, codes=2**LOW, **{k: f"{v:.1f}" for k, v in a.items()})


def _low() -> str:
    a = _accuracies()
    if a["qat"] >= a["fp32"]:
        return "better"
    return "back" if a["qat"] - a["ptq"] > (a["fp32"] - a["ptq"]) / 2 else "same"


LOW_BITS = Question(
    id="low_bits",
    options=("same", "back", "better"),
    correct="back",
    derive=_low,
    show={"qat_wbits": LOW, "qat_abits": LOW},
    facts=_low_facts,
)

QUESTIONS = (RELU, LOW_BITS)
