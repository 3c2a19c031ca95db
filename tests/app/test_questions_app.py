"""Each page's questions in the running app: none answered at first, Check says right or not and explains,
"show me" sets the page's controls, and the page then shows the number the explanation claims."""

from __future__ import annotations

import pytest

from lessons.i18n import t
from tests.app.apptest import no_errors, run_page
from tests.lessons.test_questions import PAGES, questions


def texts(at) -> list[str]:
    """Every markdown, caption and latex body on the page."""
    return [e.value for e in (*at.markdown, *at.caption, *at.latex)]


def metric(at, label_key: str, lang: str) -> str:
    label = t(label_key, lang)
    return next(m.value for m in at.metric if m.label == label)


def answer(at, page: str, q, option: str):
    at.radio(key=q.widget_key(page)).set_value(option).run()
    at.button(key=q.widget_key(page, "check")).click().run()
    no_errors(at)
    return at


# what the page shows after "show me", per question: (page, question id) -> check(at, facts, lang)
CLAIMS = {
    ("scale_and_zero_point", "zero_code"): lambda at, f, lang: (
        metric(at, "scale_and_zero_point.m.zero", lang) == str(f["code"])
        and metric(at, "scale_and_zero_point.m.zp", lang) == str(f["zp"])
    ),
    ("scale_and_zero_point", "clip"): lambda at, f, lang: (
        metric(at, "scale_and_zero_point.m.mse", lang) == f["mse_clipped"]
    ),
    ("scale_and_zero_point", "no_zero"): lambda at, f, lang: (
        metric(at, "scale_and_zero_point.m.zp", lang) == str(f["zp"])
        and metric(at, "scale_and_zero_point.m.clip", lang) == f"{f['clip_pct']} %"
    ),
    ("preprocess", "pixel"): lambda at, f, lang: any(
        f"({f['r']}, {f['c']})" in s or f"（{f['r']}, {f['c']}）" in s for s in texts(at)
    ),
    ("preprocess", "mode"): lambda at, f, lang: at.radio(key="pp_mode").value == "torch",
    ("ste", "true_grad"): lambda at, f, lang: at.slider(key="ste_bits").value == f["bits"],
    ("ste", "fit"): lambda at, f, lang: metric(at, "ste.m.w_no", lang) == f["w_no"],
    ("ste", "cnn"): lambda at, f, lang: any(f["biggest"] in s for s in texts(at)),
    ("qat_training", "relu"): lambda at, f, lang: any(
        str(f["used"]) in s and str(f["total"]) in s for s in texts(at)
    ),
    ("qat_training", "low_bits"): lambda at, f, lang: (
        at.select_slider(key="qat_wbits").value == at.select_slider(key="qat_abits").value == f["bits"]
    ),
    ("predict", "close"): lambda at, f, lang: any(f["diff"] in s for s in texts(at)),
    ("predict", "low"): lambda at, f, lang: at.selectbox(key="predict_model").value == "ptq-w2a2",
    ("integer_inference", "acc"): lambda at, f, lang: any(
        f["acc"].replace("−", "-").replace(",", "") in s.replace(",", "").replace("{", "").replace("}", "")
        for s in texts(at)
    ),
    ("pytorch_and_tensorflow", "engine"): lambda at, f, lang: (
        metric(at, "pytorch_and_tensorflow.same_fixed", lang) == f"{f['same']} / {f['outputs']}"
        and any(
            f["sample_step"] in s for s in texts(at)
        )  # the chosen sample's logits apart by what the text says (else 0.0000)
    ),
    ("why_defaults", "fold"): lambda at, f, lang: (
        at.number_input(key="why_fold_channel").value == f["c"]
        and f"{float(metric(at, 'why_defaults.m.mult', lang)):.2f}" == f["mmax"]
        and any(f"{f['before']}" in s and f"{f['after']}" in s for s in texts(at))
    ),
    ("why_defaults", "breaks"): lambda at, f, lang: (
        metric(at, "why_defaults.m.breaks", lang) == f"{f['layer']} · {f['db_pt']} dB"
    ),
    ("why_defaults", "calib"): lambda at, f, lang: (
        t("why_defaults.cal.entropy_why", lang) in texts(at)
        and any(
            str(v).startswith(f"{f['worst_acc']} %") for tb in at.table for v in tb.value.to_numpy().ravel()
        )
    ),
    ("integer_inference", "multiplier"): lambda at, f, lang: any(
        f["m0"].replace(",", "") in s.replace(",", "").replace("{", "").replace("}", "") for s in texts(at)
    ),
}

CASES = [(page, q) for page in PAGES for q in questions(page)]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(("page", "q"), CASES, ids=[f"{p}.{q.id}" for p, q in CASES])
def test_a_question_is_answered_checked_explained_and_shown(page, q, lang):
    at = run_page(PAGES[page], lang, timeout=180)
    no_errors(at)
    facts = dict(q.facts())
    choice = at.radio(key=q.widget_key(page))
    assert choice.value is None and choice.label == t(f"{page}.{q.key('prompt')}", lang, **facts)
    assert at.button(key=q.widget_key(page, "check")).disabled  # nothing chosen yet

    why = t(f"{page}.{q.key(q.why_part())}", lang, **facts)  # this machine's, if the answer depends on it
    right = q.answer()
    wrong = next(o for o in q.options if o != right)
    answer(at, page, q, wrong)
    right_label = t(f"{page}.{q.key(f'opt.{right}')}", lang, **facts)
    assert [w.value for w in at.warning if right_label in w.value], "no 'not quite' with the answer"
    assert why in texts(at)

    at.radio(key=q.widget_key(page)).set_value(right).run()
    assert why not in texts(at)  # a changed answer hides the verdict until checked again
    answer(at, page, q, right)
    assert [s.value for s in at.success] == [t("common.q.right", lang)]
    assert why in texts(at)

    if not q.show:
        assert not [b for b in at.button if b.key == q.widget_key(page, "show")]
        return
    at.button(key=q.widget_key(page, "show")).click().run()
    no_errors(at)
    for key, value in q.show.items():
        assert at.session_state[key] == value, key
    assert CLAIMS[(page, q.id)](at, facts, lang), "the page does not show what the explanation claims"


def test_every_question_with_show_me_has_a_claim_checked():
    assert {(p, q.id) for p, q in CASES if q.show} == set(CLAIMS)
