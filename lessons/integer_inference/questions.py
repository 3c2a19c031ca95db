"""The integer lesson's questions: why the accumulator is int32, and how the engine multiplies by a real M."""

from __future__ import annotations

from functools import cache

from lessons.common.questions import Question
from lessons.integer_inference import lesson as lab
from lessons.integer_inference.lesson import Explanation
from qlib import pretrained
from qlib.data import load_digits

MODEL, SAMPLE = "qat-w8a8", 0
INT16_MAX, INT32_MAX = 2**15 - 1, 2**31 - 1


@cache
def _view(layer: str) -> tuple[Explanation, lab.Codes, str]:
    """Output value 0 of a layer (its centre for a conv) on test sample 0 in the 8-bit QAT model."""
    model = pretrained.load(MODEL)
    x, _ = load_digits().test
    trace = model.trace(x[SAMPLE : SAMPLE + 1])
    i = [s.name for s in trace].index(layer)
    _, h, w = lab.layer_shape(trace, i)
    row, col = (None, None) if h is None else (h // 2, w // 2 - 1)
    return lab.explain(model, trace, i, 0, row, col), lab.codes(model), model.requant


def _show(layer: str) -> dict[str, object]:
    """The integer page's widgets for that value (its defaults: channel 0, the centre)."""
    return {
        "int8_model": MODEL,
        "int8_source": "sample",
        "int8_sample": SAMPLE,
        "int8_layer": layer,
        f"int8_channel_{layer}": 0,
    }


def _num(v: int) -> str:
    return f"{v:,}".replace("-", "−")


# ---- why an int32 accumulator

ACC_LAYER = "fc"


def _bounds() -> tuple[int, int]:
    """The largest product and the largest sum of this layer's products (unsigned inputs, signed weights)."""
    e, c, _ = _view(ACC_LAYER)
    product = (c.a_max - c.a_min) * max(-c.w_min, c.w_max)
    return product, len(e.q_in) * product


def _acc_facts() -> dict[str, object]:
    e, c, _ = _view(ACC_LAYER)
    product, total = _bounds()
    return dict(
        layer=ACC_LAYER,
        k=len(e.q_in),
        a=c.a_bits,
        w=c.w_bits,
        product=_num(product),
        bound=_num(total),
        acc=_num(e.acc),
        int16=_num(INT16_MAX),
        int32=_num(INT32_MAX),
    )


def _acc() -> str:
    e, _, _ = _view(ACC_LAYER)
    product, total = _bounds()
    if total <= INT16_MAX:
        return "int16"
    return "fits" if total <= INT32_MAX and abs(e.acc) > INT16_MAX else "clamp"


ACC = Question(
    id="acc",
    options=("clamp", "int16", "fits"),
    correct="fits",
    derive=_acc,
    show=_show(ACC_LAYER),
    facts=_acc_facts,
)


# ---- M = s_in·s_w / s_out in integers

M_LAYER = "conv1"


def _m_facts() -> dict[str, object]:
    e, _, _ = _view(M_LAYER)
    return dict(
        layer=M_LAYER,
        m=f"{e.m:.6g}",
        m0=_num(e.m0),
        n=e.n,
        approx=f"{e.m0 / 2**e.n:.9g}",
        rel=f"{abs(e.m0 / 2**e.n - e.m) / e.m:.1e}",
        rounded=round(e.m),
    )


def _m() -> str:
    e, _, requant = _view(M_LAYER)
    if requant == "fixed" and 2**30 <= e.m0 < 2**31 and abs(e.m0 / 2**e.n - e.m) <= e.m * 2**-30:
        return "fixed"
    return "float"


MULTIPLIER = Question(
    id="multiplier",
    options=("float", "round", "fixed"),
    correct="fixed",
    derive=_m,
    show=_show(M_LAYER),
    facts=_m_facts,
)

QUESTIONS = (ACC, MULTIPLIER)
