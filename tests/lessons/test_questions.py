"""The lessons' questions cannot lie: each stated answer is the one the library gives, every number in their
texts is formatted from the lesson code, both languages have every text, and each page asks each of its
questions exactly once."""

from __future__ import annotations

import ast
from importlib import import_module

import numpy as np
import pytest
import torch

from lessons.common.questions import Question
from lessons.i18n import STRINGS, placeholders
from qlib.quant import calc_qparams, dequantize, qrange, quantize
from tests import ROOT

PAGES = {  # page id -> page file
    "preprocess": "pages/1_Preprocess.py",
    "scale_and_zero_point": "pages/2_Scale_and_zero_point.py",
    "ste": "pages/3_STE.py",
    "qat_training": "pages/4_QAT_training.py",
    "predict": "pages/5_Predict.py",
    "integer_inference": "pages/6_Integer_inference.py",
    "pytorch_and_tensorflow": "pages/7_PyTorch_and_TensorFlow.py",
    "why_defaults": "pages/8_Why_the_defaults.py",
}


def questions(page: str) -> tuple[Question, ...]:
    return import_module(f"lessons.{page}.questions").QUESTIONS


ALL = [(page, q) for page in PAGES for q in questions(page)]
IDS = [f"{page}.{q.id}" for page, q in ALL]


@pytest.mark.parametrize(("page", "q"), ALL, ids=IDS)
def test_the_stated_answer_is_the_librarys(page, q):
    """Per regime (PyTorch's kernels with and without VNNI), regime() and derive() are separate measurements."""
    assert q.derive() == q.answer()


@pytest.mark.parametrize(("page", "q"), ALL, ids=IDS)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_text_exists_and_takes_the_computed_numbers(page, q, lang):
    facts = dict(q.facts())
    for key in q.string_keys():
        text = STRINGS[lang].get(f"{page}.{key}")
        assert text, f"{lang}: {page}.{key} missing"
        assert placeholders(text) <= set(facts), (key, placeholders(text) - set(facts))
        text.format(**facts)  # LaTeX braces doubled, no stray {name}


@pytest.mark.parametrize("page", PAGES)
def test_two_to_four_questions_per_page_with_distinct_ids(page):
    ids = [q.id for q in questions(page)]
    assert 2 <= len(ids) <= 4 and len(set(ids)) == len(ids)


def asked(page_file: str) -> list[str]:
    """The names of the questions a page passes to ask(T, ...), in page order."""
    tree = ast.parse((ROOT / page_file).read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ask" and len(node.args) == 2:
            arg = node.args[1]
            out.append(arg.attr if isinstance(arg, ast.Attribute) else arg.id)
    return out


@pytest.mark.parametrize("page", PAGES)
def test_each_page_asks_each_of_its_questions_once(page):
    mod = import_module(f"lessons.{page}.questions")
    names = asked(PAGES[page])
    assert len(names) == len(set(names))
    assert sorted(getattr(mod, n).id for n in names) == sorted(q.id for q in mod.QUESTIONS)


def test_the_explorers_show_me_sets_every_widget_the_shell_knows():
    from lessons.scale_and_zero_point.questions import QUESTIONS
    from ui import explorer_state

    for q in QUESTIONS:
        assert set(q.show) == {*explorer_state.KEYS.values(), explorer_state.RANGE}, q.id


def test_a_computed_show_me_is_worked_out_on_first_use_only():
    from lessons.common.questions import Computed

    calls = []
    q = Question(
        id="x",
        options=("a", "b"),
        correct="a",
        derive=lambda: "a",
        show=Computed(lambda: calls.append(1) or {"k": 3}),
    )
    assert calls == []  # constructing (importing a page) computes nothing
    assert dict(q.show) == {"k": 3} and q.show["k"] == 3 and calls == [1]


def test_a_question_refuses_an_answer_it_does_not_offer():
    with pytest.raises(ValueError, match="not one of"):
        Question(id="x", options=("a", "b"), correct="c", derive=lambda: "c")


# ---- the numbers, once more straight from qlib (not through the lesson code the questions use)


def test_zero_lands_on_code_4_at_4_bits():
    from lessons.scale_and_zero_point.questions import ZERO_CODE

    qp = calc_qparams(-2.0, 6.0, 4)
    code = int(quantize(torch.tensor([0.0]), qp)[0])
    facts = ZERO_CODE.facts()
    assert code == facts["code"] == facts["zp"] == 4
    assert float(dequantize(torch.tensor([code]), qp)[0]) == 0.0
    assert facts["middle"] != code and facts["mean_code"] != code


def test_a_range_without_zero_slides_its_grid():
    from lessons.scale_and_zero_point.questions import NO_ZERO

    qp = calc_qparams(1.0, 5.0, 8, include_zero=False)
    lo, hi = (float(v) for v in dequantize(torch.tensor([0, 255]), qp))
    facts = NO_ZERO.facts()
    assert int(qp.zero_point) == facts["zp"] == 0
    assert (f"{lo:g}", f"{hi:g}") == (facts["grid_lo"], facts["grid_hi"]) == ("0", "4")


def test_relu_outputs_use_half_the_symmetric_codes():
    from lessons.qat_training.questions import RELU

    qp = calc_qparams(0.0, 1.0, 8, symmetric=True, signed=False)
    used = int((quantize(torch.linspace(0, 1, 10_001), qp)).unique().numel())
    assert used == RELU.facts()["used"] == 128


def test_no_ste_leaves_the_weight_where_it_started():
    from lessons.ste.questions import FIT

    assert FIT.facts()["w_no"] == FIT.facts()["w0"] + "00" == "0.100"


def test_tflite_narrow_range():
    from lessons.pytorch_and_tensorflow.questions import NARROW

    assert qrange(8, True, narrow_range=True) == (-127, 127)
    assert NARROW.facts()["qmin"] == "−127"


def test_the_int32_accumulator_really_leaves_int16():
    from lessons.integer_inference.questions import ACC, _view

    e, _, _ = _view("fc")
    products = (np.array(e.q_in) - e.z_in) * np.array(e.w)
    assert int(products.sum()) == e.acc and abs(e.acc) > 2**15 - 1
    assert ACC.facts()["acc"] == f"{e.acc:,}".replace("-", "−")


def test_pytorch_and_qlib_differ_on_the_first_differing_sample_as_the_text_says():
    from lessons.pytorch_and_tensorflow.lesson import QAT_MODEL
    from lessons.pytorch_and_tensorflow.questions import ENGINE
    from qlib import pretrained, torch_ref
    from qlib.data import load_digits

    model, x = pretrained.load(QAT_MODEL), load_digits().test[0]
    f = ENGINE.facts()
    i = ENGINE.show["pytorch_sample"]
    assert i == f["i"]
    one = x[i : i + 1]
    theirs = torch_ref.torch_int_outputs(torch_ref.to_torch_quantized(model), one)["fc"]
    ours = model.forward_int(model.quantize_input(one))
    codes = int((ours - theirs).abs().max())
    assert codes == f["sample_codes"]  # "by {sample_step}, {sample_codes} output steps"
    assert f["sample_step"] == f"{codes * model.layers[-1].out_scale:.4f}"
    if ENGINE.regime() == "exact":  # VNNI: "its logits are one step apart", at a tie
        assert codes == 1 == f["d"]
    else:  # no VNNI: the sums saturated, many steps apart
        assert codes > 1 and f["d"] > 1
    prior = torch_ref.torch_int_outputs(torch_ref.to_torch_quantized(model), x[:i])["fc"] if i else None
    assert prior is None or torch.equal(prior, model.forward_int(model.quantize_input(x[:i])))  # the first


def test_a_question_per_regime_has_a_why_per_regime_and_needs_regime():
    from lessons.pytorch_and_tensorflow.questions import ENGINE

    assert ENGINE.why_parts() == ("why.exact", "why.saturated")
    assert ENGINE.why_part() == f"why.{ENGINE.regime()}"
    assert ENGINE.answer() == ENGINE.correct[ENGINE.regime()]
    with pytest.raises(ValueError, match="regime"):
        Question(id="q", options=("a", "b"), correct={"x": "a"}, derive=lambda: "a")
    with pytest.raises(ValueError, match="not one of"):
        Question(id="q", options=("a", "b"), correct={"x": "c"}, derive=lambda: "a", regime=lambda: "x")


def test_folding_widens_every_folded_layer_and_the_shown_channel_is_stretched_most():
    from lessons.why_defaults.questions import FOLD, _folds

    f = FOLD.facts()
    assert f["widened"] == f["folded"] == len(_folds())  # the text says "every folded layer"
    v = _folds()[f["layer"]]
    assert v.multipliers[FOLD.show["why_fold_channel"]] == max(v.multipliers)


def test_per_tensor_breaks_first_where_folding_spread_the_channels_most():
    from lessons.why_defaults import lesson
    from lessons.why_defaults.questions import BREAKS, LOWER, _folds, _live

    f = BREAKS.facts()
    widest = max(_folds().values(), key=lambda v: v.spread_after)
    assert f["layer"] == widest.layer == _live(BREAKS.show["why_bits"]).per_tensor.breaks_first
    live = _live(f["bits"])  # the recorded numbers the text states are the ones the page computes live
    assert (f["db_pt"], f["db_pc"]) == (
        f"{live.per_tensor.own(f['layer']):.1f}",
        f"{live.per_channel.own(f['layer']):.1f}",
    )
    assert f["pt"] == f"{100 * live.per_tensor.test_acc:.2f}"
    assert 0 < f["n"] <= lesson.NOISE_IMAGES < f["n_low"]  # "hardly shows it yet", then more at 3 bits
    assert f["n_low"] == lesson.images(_live(LOWER).per_channel.test_acc, _live(LOWER).per_tensor.test_acc)


def test_entropy_falls_to_about_chance_while_min_max_holds():
    from lessons.why_defaults.questions import CALIB

    f = CALIB.facts()
    assert float(f["worst_acc"]) < 2 * float(f["chance"])  # "about chance"
    assert float(f["minmax"]) >= float(f["lo"]) > 90  # "the others stay between lo and hi"
