"""The PyTorch and TensorFlow lesson's questions: the x86 qconfig's activation scale, TFLite's narrow weights."""

from __future__ import annotations

from functools import cache

from lessons.common.questions import Question
from lessons.pytorch_and_tensorflow import lesson
from qlib import pretrained
from qlib.data import load_digits
from qlib.quant import qrange

# ---- the x86 qconfig's activation scale against qlib's

LAYER = "conv1"


@cache
def _act() -> lesson.ActCompare:
    """conv1's output qparams by qlib and by PyTorch, the page's calibration (same model, same images)."""
    return lesson.calibration_compare(pretrained.load("fp32"), load_digits().train[0]).act(LAYER)


def _x86_facts() -> dict[str, object]:
    a = _act()
    return dict(
        layer=LAYER,
        ratio=f"{a.x86_ratio:.3f}",
        full=f"{a.full_ratio:g}",
        qlib=f"{a.qlib.scale:.5f}",
        x86=f"{a.x86.scale:.5f}",
        zq=a.qlib.zero_point,
        zx=a.x86.zero_point,
    )


def _x86() -> str:
    r = _act().x86_ratio
    if abs(r - 1) < 1e-6:
        return "same"
    return "twice" if 1.9 < r < 2.1 else "half" if 0.45 < r < 0.55 else "other"


X86 = Question(id="x86", options=("same", "twice", "half"), correct="twice", derive=_x86, facts=_x86_facts)


# ---- TFLite's narrow weight range


def _narrow_facts() -> dict[str, object]:
    qmin, qmax = qrange(8, True, narrow_range=True)
    full = qrange(8, True)
    return dict(
        qmin=f"{qmin}".replace("-", "−"),
        qmax=qmax,
        full_min=f"{full[0]}".replace("-", "−"),
        lost=qmin - full[0],
        share=f"{100 * (qmin - full[0]) / (full[1] - full[0] + 1):.1f}",
    )


def _narrow() -> str:
    qmin, qmax = qrange(8, True, narrow_range=True)
    if qmin == -qmax:
        return "symmetric"
    return "bit" if qmax - qmin + 1 <= 2**7 else "nan"


NARROW = Question(
    id="narrow", options=("nan", "bit", "symmetric"), correct="symmetric", derive=_narrow, facts=_narrow_facts
)

QUESTIONS = (X86, NARROW)
