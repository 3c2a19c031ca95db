"""Predict page, issue 14: an upload's steps to the 8×8 are shown; a picture that is no digit gets 'not a digit'
(in the page's language) and the models' answers as a guess, never a green 'agree'; a drawing becomes a digit."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from bench import photo_corpus as corpus
from lessons.i18n import STRINGS
from lessons.predict import figures as viz
from lessons.predict import lesson as lab
from qlib import verdict as rule
from tests.app.apptest import no_errors, run_page

PAGE = "pages/5_Predict.py"


def t(key: str, lang: str) -> str:
    """A predict-page string as written (before its fields are filled)."""
    return STRINGS[lang][f"predict.{key}"]


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def upload(lang: str, data: bytes):
    at = run_page(PAGE, lang)
    at.radio(key="predict_source").set_value("upload").run()
    at.file_uploader(key="predict_upload").set_value(("digit.png", data, "image/png")).run()
    no_errors(at)
    return at


def head(key: str, lang: str) -> str:
    """The bold first sentence of a string: what the page shows whatever the fields are."""
    return t(key, lang).split("**")[1]


BLANK = Image.new("RGB", (400, 300), (236, 232, 224))  # a sheet of paper, nothing on it


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("kind", ["blank", "scene"])
def test_a_non_digit_is_told_so_and_the_answer_is_a_guess(lang, kind):
    img = BLANK if kind == "blank" else corpus.non_digit_photo("scene", 0).image
    at = upload(lang, png(img))
    warnings = [w.value for w in at.warning]
    assert any(head("not_digit", lang) in w for w in warnings), warnings
    assert not at.success  # no green "both models agree"
    infos = [i.value for i in at.info]
    assert any(head("guess_same", lang) in i for i in infos), infos
    assert len(at.dataframe) == 2  # the models' answers are still shown ...
    tag = t("guess_tag", lang)
    assert sum(tag in m.value for m in at.markdown) == 2  # ... each marked as a guess
    expected = "reason.no_ink" if kind == "blank" else None
    if expected:
        assert any(t(expected, lang) in w for w in warnings)
    rule_text = t("rule", lang).format(**lab.rule_fmt())
    assert any(m.value == rule_text for m in at.markdown)  # the rule, explained on the page


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_photographed_digit_shows_its_steps_and_no_guess(lang):
    photo = corpus.digit_photo("shadow", 3)
    at = upload(lang, png(photo.image))
    shown = {m.value for m in at.markdown}
    for step in viz.STEPS:
        assert f"**{STRINGS[lang][f'predict.step.{step}']}**" in shown
    assert (
        len(at.get("imgs")) >= 1 or len(at.main.get("imgs")) >= 0
    )  # the step pictures are st.image elements
    assert not any(head("not_digit", lang) in w.value for w in at.warning)
    assert t("guess_tag", lang) not in " ".join(m.value for m in at.markdown)


def test_the_step_pictures_follow_qlib_photo():
    from qlib.photo import photo_steps

    steps = photo_steps(corpus.digit_photo("inverted", 5).image)
    pics = viz.photo_steps(steps)
    assert [p.step for p in pics] == list(viz.STEPS)
    assert all(p.image.size == (viz.STEP_SIDE, viz.STEP_SIDE) for p in pics)
    assert pics[1].note == ("step.flat.c_inverted" if steps.polarity == "light_on_dark" else "step.flat.c")
    assert pics[2].fmt == {"n": sum(p.in_digit for p in steps.pieces), "total": len(steps.pieces)}
    # the last picture is the model's input: each cell's darkness is its level
    cell = viz.STEP_SIDE // 8
    grey = np.asarray(pics[4].image.convert("L"))[cell // 2 :: cell, cell // 2 :: cell][:8, :8]
    assert np.abs(grey.astype(int) - np.rint(255 * (1 - steps.result.levels / 16))).max() <= 1


def test_the_rule_on_the_page_quotes_qlib_verdicts_thresholds():
    fmt = lab.rule_fmt()
    assert fmt == {
        "ink": 100 * rule.MAX_INK,
        "pieces": rule.MAX_PIECES,
        "width": rule.MAX_WIDTH,
        "other": 100 * rule.MAX_OTHER,
        "stray": 100 * rule.MAX_STRAY,
    }
    for lang in ("en", "ja"):
        text = t("rule", lang).format(**fmt)
        for v in ("30\u00a0%", "6", "1.25", "40\u00a0%", "50\u00a0%"):
            assert v in text, (lang, v)


def _canvas(draw) -> np.ndarray:
    im = Image.new("RGBA", (280, 280), (255, 255, 255, 255))
    draw(ImageDraw.Draw(im))
    return np.asarray(im)


def test_a_drawing_is_a_digit_an_empty_canvas_is_nothing_and_a_scribble_is_not_a_digit():
    assert lab.drawn_digit(None) is None
    assert lab.drawn_digit(_canvas(lambda d: None)) is None
    seven = lab.drawn_digit(
        _canvas(lambda d: d.line([(60, 40), (220, 40), (120, 250)], fill="black", width=18))
    )
    assert seven is not None and seven.is_digit and seven.source == "draw" and seven.x.shape == (8, 8)
    row = lab.drawn_digit(
        _canvas(
            lambda d: [
                d.line([(10 + 55 * i, 120), (40 + 55 * i, 160)], fill="black", width=10) for i in range(5)
            ]
        )
    )
    assert row is not None and not row.is_digit


def test_the_camera_over_plain_http_to_another_host_is_explained():
    from ui.camera_access import camera_access

    acc = camera_access("http://10.0.0.5:8501/Predict", {})
    assert not acc.ok
    for lang in ("en", "ja"):
        assert acc.host in t("camera_blocked", lang).format(host=acc.host)
