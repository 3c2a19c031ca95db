"""AppTest of page 5 (Predict): both languages, a test sample's fp32 and int8 top-k exactly as qlib computes them,
the camera behind its toggle, and upload handling through the qlib function the page calls."""

import io
import re
import threading

import pytest
import torch
from streamlit.testing.v1 import AppTest

from lessons.i18n import LANGS, STRINGS, t
from lessons.predict.lesson import compare, from_upload
from qlib import pretrained
from qlib.data import IMAGE_ERROR_KEYS, ImageError, digit_to_image, load_image, to_model_input
from qlib.decode import class_names, decode_predictions
from qlib.pretrained import quantized_names
from tests.app.apptest import no_errors, run_page
from ui.widgets import digit_splits, shipped_model

PAGE = "pages/5_Predict.py"


def open_page(lang: str = "en") -> AppTest:
    at = run_page(PAGE, lang)
    no_errors(at)
    return at


def expected(x: torch.Tensor, name: str, lang: str, top: int) -> list:
    """What qlib says for this input: decode_predictions of the model's logits, best first."""
    return decode_predictions(shipped_model(name)(x), top=top, from_logits=True, lang=lang)[0]


def table_rows(df, lang: str) -> list[tuple]:
    """A page table back in decode_predictions form: (class id, class name, probability in 0..1)."""
    cols = [t(f"predict.col.{c}", lang) for c in ("id", "name", "prob")]
    return [(int(i), n, p / 100) for i, n, p in df[cols].itertuples(index=False)]


def check_tables(at: AppTest, x: torch.Tensor, qname: str, lang: str, top: int) -> None:
    fp32, int8 = (table_rows(d.value, lang) for d in at.dataframe)
    for got, want in ((fp32, expected(x, "fp32", lang, top)), (int8, expected(x, qname, lang, top))):
        assert [(c, n) for c, n, _ in got] == [(c, n) for c, n, _ in want]
        assert [p for _, _, p in got] == pytest.approx([p for _, _, p in want], abs=1e-6)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_test_sample_gets_both_top_k_tables(lang):
    at = open_page(lang)
    assert at.title[0].value == t("predict.title", lang)
    names = quantized_names(pretrained.available())
    qname = names[-1]  # the lowest bit width listed: the one most likely to differ from fp32
    at.number_input(key="predict_sample").set_value(17)
    at.selectbox(key="predict_model").set_value(qname)
    at.slider(key="predict_top").set_value(3)
    at.run()
    no_errors(at)
    x = digit_splits().test[0][17:18]
    check_tables(at, x, qname, lang, 3)
    cmp = compare(expected(x, "fp32", lang, 10), expected(x, qname, lang, 10), 3)
    verdict = (at.success if cmp.same_order else at.info if cmp.agree_top1 else at.warning)[0].value
    assert str(cmp.fp32[0].class_id) in verdict
    moves = at.dataframe[1].value[t("predict.col.move", lang)].tolist()
    assert [re.split(r"[ （]", m)[0] for m in moves] == [
        ("=" if r.move == 0 else "▲▼"[r.move < 0] + str(abs(r.move))) for r in cmp.int8
    ]
    assert (
        at.metric[0].value
        == f"{int(digit_splits().test[1][17])} · {class_names(lang)[int(digit_splits().test[1][17])]}"
    )


def test_language_switch_keeps_the_sample_and_model():
    at = open_page()
    qname = quantized_names(pretrained.available())[0]
    at.number_input(key="predict_sample").set_value(5)
    at.selectbox(key="predict_model").set_value(qname)
    at.run()
    at.session_state["lang"] = "ja"
    at.run()
    no_errors(at)
    assert at.number_input(key="predict_sample").value == 5
    assert at.selectbox(key="predict_model").value == qname
    check_tables(at, digit_splits().test[0][5:6], qname, "ja", 5)


def test_camera_stays_off_until_turned_on_and_upload_waits():
    at = open_page()
    at.radio(key="predict_source").set_value("camera").run()
    no_errors(at)
    assert len(at.get("camera_input")) == 0 and not at.dataframe
    at.toggle(key="predict_camera_on").set_value(True).run()
    assert len(at.get("camera_input")) == 1
    at.radio(key="predict_source").set_value("upload").run()
    no_errors(at)
    assert t("predict.waiting", "en") in [i.value for i in at.info]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "BMP", "GIF"])
def test_an_uploaded_digit_reaches_the_model(fmt):
    """The page's upload path (from_upload) turns a picture of a test digit back into that digit."""
    x = digit_splits().test[0][3:4]
    buf = io.BytesIO()
    digit_to_image(x[0], size=96).save(buf, format=fmt)
    inp, img = from_upload(buf.getvalue())
    assert inp.shape == (1, 1, 8, 8) and img.size[0] > 8
    assert torch.equal(inp, to_model_input(load_image(buf.getvalue())))  # the page sees what qlib.data gives
    assert set(((inp + 1) * 8).round().unique().tolist()) <= set(range(17))  # the data set's 17 levels
    got = decode_predictions(shipped_model("fp32")(inp), top=1, lang="en")[0][0][0]
    assert got == int(digit_splits().test[1][3])


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x89PNG\r\n\x1a\n broken",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"random bytes, not an image at all",
    ],
)
def test_bad_uploads_raise_an_image_error_with_a_translated_message(data):
    with pytest.raises(ImageError) as info:
        from_upload(data)
    assert info.value.key in IMAGE_ERROR_KEYS
    for lang in LANGS:
        assert STRINGS[lang][f"common.image_error.{info.value.key}"]


def test_compare_marks_real_moves_not_ties():
    fp32 = [(3, "three", 0.90), (8, "eight", 0.06), (5, "five", 0.03), (1, "one", 0.01)]
    int8 = [(3, "three", 0.85), (5, "five", 0.05), (8, "eight", 0.05), (1, "one", 0.05)]  # 5, 8, 1 tied
    cmp = compare(fp32, int8, top=3)
    assert cmp.agree_top1 and not cmp.same_order
    assert [(r.class_id, r.rank, r.other_rank, r.move) for r in cmp.int8] == [
        (3, 1, 1, 0),
        (5, 2, 3, 1),
        (8, 2, 2, 0),
    ]
    assert cmp.max_prob_diff == pytest.approx(0.05)


def test_the_integer_model_runs_once_per_rerun(monkeypatch):
    """Issue 12: the page ran the int8 model twice a rerun (the logits, then again for the dequant formula)."""
    from lessons.predict.questions import QUESTIONS
    from qlib.int8 import Int8Model

    for q in QUESTIONS:  # the questions' numbers are computed once per process, not on every rerun
        q.facts()
    calls = []
    real = Int8Model.forward_int

    def counted(self, q):  # the page's calls, not page 8's warm-up thread's (an earlier test starts it)
        if threading.current_thread().name != "why-defaults-warm":
            calls.append(1)
        return real(self, q)

    monkeypatch.setattr(Int8Model, "forward_int", counted)
    at = open_page()
    assert len(calls) == 1
    at.slider(key="predict_top").set_value(3).run()
    assert len(calls) == 2
    d = at.latex[0].value  # the dequant formula comes from the same single run
    x = digit_splits().test[0][0:1]
    qname = at.selectbox(key="predict_model").value
    best = expected(x, qname, "en", 1)[0][0]
    assert f"z_{{{best}}} = " in d


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_test_sample_is_not_called_your_picture_and_the_page_is_not_the_finale(lang):
    """B10: a test sample's caption names it; the intro points on to pages 6 and 7 instead of closing."""
    at = open_page(lang)
    at.number_input(key="predict_sample").set_value(42).run()
    assert [c for img in at.get("image") for c in img.captions] == [t("predict.picture.sample", lang, i=42)]
    intro = at.markdown[0].value.lower().replace("\u00a0", " ")  # 「6 ページ」 is one word: a no-break space
    assert "finale" not in intro and "最後" not in intro
    assert (
        ("page 6" in intro and "page 7" in intro)
        if lang == "en"
        else ("6 ページ" in intro and "7 ページ" in intro)
    )


def test_the_log_axis_reads_in_percent_and_shows_the_smallest_bars():
    """B11: the axis said '10² %' for 100 %, and bars at the 10⁻⁶ % floor had no height (the axis began there)."""
    import math

    from lessons.i18n import Translator
    from lessons.predict import figures as viz

    tr = Translator("en", "predict")
    probs = [1.0 - 9e-12] + [1e-12] * 9  # nine classes far below the floor
    fig = viz.prob_bars(probs, probs, class_names("en"), tr, "int8").to_plotly_json()
    y = fig["layout"]["yaxis"]
    assert "100 %" in y["ticktext"] and not any("10²" in s or "e+" in s for s in y["ticktext"])
    assert y["ticktext"][0] == t("predict.fig.floor", "en")
    lowest = min(min(trace["y"]) for trace in fig["data"])
    assert y["range"][0] < math.log10(lowest)  # the shortest bar still rises above the axis's bottom
    assert fig["data"][0]["customdata"][1][0] == pytest.approx(1e-10)  # the hover keeps the true value (in %)


def test_class_names_are_kanji_numerals_in_japanese():
    """C: one script for the class names (kanji numerals), as the model labels of pages 5 and 6 are one."""
    assert class_names("ja") == list("零一二三四五六七八九")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_pages_5_and_6_name_the_models_alike(lang):
    """Issue 11 C: the model labels of pages 5 and 6 are one set of names, in both languages."""
    labels = {}
    for page, key in (
        ("pages/5_Predict.py", "predict_model"),
        ("pages/6_Integer_inference.py", "int8_model"),
    ):
        at = run_page(page, lang)
        labels[page] = list(at.selectbox(key=key).options)
    five, six = labels.values()
    assert five and set(five) <= set(six), (five, six)
