"""The STE lesson's questions: rounding's true derivative, the fit without the STE, the CNN's gradients."""

from __future__ import annotations

from functools import cache

import numpy as np

from lessons.common.questions import Question
from lessons.ste import lesson

# ---- round(u)'s true derivative

CURVE_BITS = 2  # the coarsest staircase: its flat steps are easiest to see


@cache
def _true_grad_facts() -> dict[str, object]:
    c = lesson.curves(CURVE_BITS)
    return dict(bits=CURVE_BITS, g=f"{float(np.abs(c.grad_true).max()):g}", n=len(c.x))


def _true_grad() -> str:
    g = lesson.curves(CURVE_BITS).grad_true
    if np.all(g == 0):
        return "zero"
    return "one" if np.allclose(g, 1) else "scale"


TRUE_GRAD = Question(
    id="true_grad",
    options=("one", "scale", "zero"),
    correct="zero",
    derive=_true_grad,
    show={"ste_bits": CURVE_BITS},
    facts=_true_grad_facts,
)


# ---- the 1-D fit without the STE

FIT_BITS, FIT_TARGET, FIT_LR = 3, 0.8, 0.5  # the page's defaults


@cache
def _fit() -> lesson.Fit:
    return lesson.fit_both(FIT_BITS, FIT_TARGET, FIT_LR)


def _fit_facts() -> dict[str, object]:
    f = _fit()
    return dict(
        w0=f"{lesson.FIT_W0:g}",
        target=f"{FIT_TARGET:g}",
        bits=FIT_BITS,
        steps=lesson.FIT_STEPS,
        w_no=f"{f.no_ste.w[-1]:.3f}",
        loss_no=f"{f.no_ste.loss[-1]:.3f}",
        w_ste=f"{f.ste.w[-1]:.3f}",
        wq_ste=f"{f.ste.w_q[-1]:.3f}",
    )


def _fit_answer() -> str:
    f = _fit()
    if f.no_ste.w[-1] == f.no_ste.w[0]:
        return "stuck"
    return "code" if abs(f.no_ste.w_q[-1] - f.ste.w_q[-1]) < 1e-6 else "slow"


FIT = Question(
    id="fit",
    options=("slow", "code", "stuck"),
    correct="stuck",
    derive=_fit_answer,
    show={"ste_fit_bits": FIT_BITS, "ste_fit_target": FIT_TARGET, "ste_fit_lr": FIT_LR},
    facts=_fit_facts,
)


# ---- the CNN's weight gradients with the STE

CNN_BITS = 2


@cache
def _norms() -> lesson.GradNorms:
    return lesson.grad_norms(CNN_BITS)


def _cnn_facts() -> dict[str, object]:
    g = _norms()
    return dict(
        bits=CNN_BITS,
        biggest=f"{g.largest_ste:.3g}",
        smallest=f"{min(g.ste):.3g}",
        none=f"{g.largest_no_ste:g}",
    )


def _cnn() -> str:
    g = _norms()
    if min(g.ste) > 0 and g.largest_no_ste == 0:
        return "passes"
    return "zero" if g.largest_ste == 0 else "tiny"


CNN = Question(
    id="cnn",
    options=("zero", "passes", "tiny"),
    correct="passes",
    derive=_cnn,
    show={"ste_cnn_bits": CNN_BITS},
    facts=_cnn_facts,
)

QUESTIONS = (TRUE_GRAD, FIT, CNN)
