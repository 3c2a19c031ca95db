"""The PyTorch and TensorFlow lesson's questions: the x86 activation scale, PyTorch's kernels, TFLite's narrow weights.

The first and the last have no "show me": their answers are in static tables just below them (the calibration
and the scheme table), which no control on the page changes."""

from __future__ import annotations

from functools import cache

from lessons.common.questions import Computed, Question
from lessons.pytorch_and_tensorflow import lesson
from qlib import pretrained, torch_ref
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


# ---- qlib's fixed-point engine against PyTorch's kernels, the same int8 weights


def _engines() -> lesson.EngineCompare:
    """The page's comparison: the shipped QAT w8a8 model in PyTorch's kernels and in qlib, the whole test split."""
    return lesson.shipped_engine_compare(lesson.QAT_MODEL)


@cache
def _first_tie() -> lesson.SampleLogits:
    """The first test sample whose logits differ between qlib and PyTorch (at a tie, or a saturated sum)."""
    model, x = pretrained.load(lesson.QAT_MODEL), load_digits().test[0]
    tmodel = torch_ref.to_torch_quantized(model)
    for i in range(len(x)):
        s = lesson.sample_logits(model, x, i, tmodel)
        if s.max_diff > 0:
            return s
    raise LookupError("qlib and PyTorch agree on every test sample")


def _pairs() -> tuple[lesson.PairSum, ...]:
    """The two-input demonstration: do fbgemm's pair sums saturate on this CPU?"""
    return lesson.pair_sums()


def _engine_facts() -> dict[str, object]:
    e, s = _engines(), _first_tie()
    step = pretrained.load(lesson.QAT_MODEL).layers[-1].out_scale  # one fc output code, in logits
    return dict(
        lesson.engine_facts(e, _pairs()),
        i=s.index,
        sample_step=f"{s.max_diff:.4f}",
        sample_codes=round(s.max_diff / step),
    )


def engine_option(e: lesson.EngineCompare) -> str:
    """The option whole-split numbers give: all equal, a few by one code (ties), or many (the sums differ)."""
    if e.same_fixed == e.outputs:
        return "all"
    few = e.outputs - e.same_fixed < e.outputs / 10 and e.max_diff_fixed == 1 and e.top1_same == e.n
    return "ties" if few else "many"


def _engine() -> str:
    return engine_option(_engines())


def _regime() -> str:
    """This CPU's kernels, measured apart from the comparison: 'saturated' (no VNNI) or 'exact' pair sums."""
    return lesson.kernel_regime(_pairs())


ENGINE = Question(
    id="engine",
    options=("all", "ties", "many"),
    correct={"exact": "ties", "saturated": "many"},  # VNNI: only the roundings differ; AVX2: the sums too
    derive=_engine,
    show=Computed(lambda: {"pytorch_sample": _first_tie().index}),
    facts=_engine_facts,
    regime=_regime,
)


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

QUESTIONS = (X86, ENGINE, NARROW)
