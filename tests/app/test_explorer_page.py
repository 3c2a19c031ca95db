"""The explorer page in AppTest: what it computes on a rerun, and what it says for each kind of view."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lessons.i18n import t
from lessons.scale_and_zero_point import lesson
from lessons.scale_and_zero_point.settings import Settings
from qlib.quant import calc_qparams
from tests import ROOT
from tests.app.apptest import no_errors

PAGE = "pages/2_Scale_and_zero_point.py"


def open_explorer(lang: str = "en", **query: str) -> AppTest:
    """The explorer opened from a link with these URL parameters."""
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.session_state["lang"] = lang
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


@pytest.fixture
def calls(monkeypatch):
    """Count every call of the explorer's expensive lesson functions (the questions' own cached views, computed
    once per process with the unpatched functions, are not the page's: import them before patching)."""
    import lessons.scale_and_zero_point.questions as questions

    for q in questions.QUESTIONS:
        q.facts()
    seen = {"analyze": 0, "staircase": 0, "histogram": 0}
    for name in seen:
        real = getattr(lesson, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            seen[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(lesson, name, spy)
    return seen


def test_moving_the_probed_value_recomputes_nothing_else(calls):
    """Issue 12 item 6: the view's cache key leaves x out, so a new x finds every number and figure cached."""
    at = open_explorer(bits="7", min="-1.5")  # a view no other test has cached
    assert at.slider(key="ex_bits").value == 7
    assert calls["analyze"] == 1 and calls["staircase"] == calls["histogram"] == 1
    for x in (0.5, 1.25, -3.0):
        at.number_input(key="ex_x").set_value(x).run()
        no_errors(at)
    assert calls == {"analyze": 1, "staircase": 1, "histogram": 1}
    assert at.metric[-4].value == str(lesson.probe(lesson.analyze(Settings(bits=7, lo=-1.5)), -3.0).code)


def texts(at: AppTest) -> list[str]:
    return [e.value for e in (*at.warning, *at.info, *at.success, *at.caption, *at.markdown)]


def metric_by(at: AppTest, key: str, lang: str = "en"):
    return next(m for m in at.metric if m.label == t(f"scale_and_zero_point.{key}", lang))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_clamp_warning_shows_only_when_the_rounded_zero_point_clamps(lang):
    """Issue 11 B7: bits 8, include zero off, 0.001…5 rounds −0.05 to 0: nothing clamps, nothing is said."""
    head = t("scale_and_zero_point.zp_clamped", lang).split("{")[0]
    at = open_explorer(lang, bits="8", zero="0", min="0.001", max="5")
    no_errors(at)
    assert not any(w.value.startswith(head) for w in at.warning)
    at = open_explorer(lang, bits="16", min="-5", max="-2")  # 65535.000015 rounds to 65535: no clamp either
    assert not any(w.value.startswith(head) for w in at.warning)
    at = open_explorer(lang, bits="16", zero="0", min="-5", max="-2")  # 109225: clamps
    assert any(w.value.startswith(head) for w in at.warning)


def test_the_error_is_shown_in_its_two_parts_with_help_texts():
    at = open_explorer(bits="16")
    v = lesson.analyze(Settings(bits=16))
    assert metric_by(at, "m.round").value == f"{v.error.mse_round:.3g}"
    assert metric_by(at, "m.clip_part").value == f"{v.error.mse_clip:.3g}"
    assert metric_by(at, "m.mse").help == t("scale_and_zero_point.m.mse_help", "en")
    assert metric_by(at, "m.sqnr").help == t("scale_and_zero_point.m.sqnr_help", "en")
    assert t("scale_and_zero_point.trade_off", "en") in texts(at)


def test_a_calibration_says_what_it_did_to_each_part_of_the_error():
    at = open_explorer()
    at.button(key="ex_preset_outliers").click().run()
    at.button(key="ex_cal_percentile").click().run()
    no_errors(at)
    pays = t("scale_and_zero_point.cal.pays_clip", "en").split("{")[0]
    assert any(pays in s.value and "here clipping pays" in s.value for s in at.success)
    at.slider(key="ex_bits").set_value(8).run()
    at.button(key="ex_preset_outliers").click().run()
    at.slider(key="ex_bits").set_value(8).run()
    at.button(key="ex_cal_percentile").click().run()
    assert any("here clipping does not pay" in s.value for s in at.success)


def test_narrow_range_holds_no_hidden_state():
    """Issue 11 B7: a greyed-out narrow-range toggle is never left on to change the codes later."""
    at = open_explorer(mode="sym", signed="1", narrow="1")
    assert at.toggle(key="ex_narrow").value is True and metric_by(at, "m.codes").value == "−127 … 127"
    at.toggle(key="ex_signed").set_value(False).run()
    assert at.toggle(key="ex_narrow").value is False and at.toggle(key="ex_narrow").disabled
    at.toggle(key="ex_signed").set_value(True).run()  # signed again: the codes are the full −128 … 127
    assert at.toggle(key="ex_narrow").value is False and metric_by(at, "m.codes").value == "−128 … 127"
    at.toggle(key="ex_narrow").set_value(True).run()
    at.radio(key="ex_mode").set_value("asym").run()  # asymmetric is unsigned: narrow goes off with signed
    assert at.toggle(key="ex_signed").value is False and at.toggle(key="ex_narrow").value is False
    no_errors(at)


def test_the_two_bit_shift_is_explained_and_the_eight_bit_sentence_stays_at_eight_bits():
    fine = t("scale_and_zero_point.stair_fine", "en", bits=2)
    at = open_explorer(bits="2")
    v = lesson.analyze(Settings(bits=2))
    shift = next(n for n in v.notes if n.key == "grid_shift")
    assert t("scale_and_zero_point.grid_shift", "en", **shift.fmt) in texts(at)
    assert not any(fine.split(":")[-1] in c for c in texts(at))  # no "too fine to see" at 2 bits
    at.slider(key="ex_bits").set_value(8).run()
    assert any(t("scale_and_zero_point.stair_fine", "en", bits=8) in c for c in texts(at))


def test_link_messages_show_no_python_false():
    at = open_explorer(signed="maybe", zero="yes")
    no_errors(at)
    assert len(at.warning) >= 2 and not any("False" in w.value or "True" in w.value for w in at.warning)
    assert any("signed=0" in w.value for w in at.warning)


@pytest.mark.parametrize("signed", ["0", "1"])
def test_the_symmetric_formula_shows_calc_qparams_numbers_on_the_page(signed):
    """A1's consequence: whatever rule calc_qparams follows, the page's z and s are its numbers."""
    at = open_explorer(mode="sym", signed=signed, min="-4", max="8")
    qp = calc_qparams(-4.0, 8.0, 8, symmetric=True, signed=signed == "1")
    assert metric_by(at, "m.zp").value == str(int(qp.zero_point))
    assert at.latex[1].value.strip("$\n").rsplit("=", 1)[1].strip(" {}") == str(int(qp.zero_point))
    assert metric_by(at, "m.zp").help == t("scale_and_zero_point.m.zp_help_sym", "en")


def test_a_cached_figure_is_turned_into_its_dict_once_and_sent_as_built(monkeypatch):
    """ui.shell keeps each figure's dict form: a move back to a view already drawn converts no figure again
    (BaseFigure.to_dict deep-copies and base64-encodes every array), and what the browser gets is still
    exactly the JSON of a figure built afresh."""
    import plotly.basedatatypes
    import plotly.io

    from lessons.i18n import Translator
    from lessons.scale_and_zero_point import figures

    converted = []
    real = plotly.basedatatypes.BaseFigure.to_dict
    monkeypatch.setattr(plotly.basedatatypes.BaseFigure, "to_dict", lambda f: converted.append(f) or real(f))
    at = open_explorer(bits="6", min="-1.25")  # a view no other test has drawn
    sent = [c.proto.spec for c in at.get("plotly_chart")]
    assert len(sent) == len(converted) == 3
    for bits in (5, 6):
        at.slider(key="ex_bits").set_value(bits).run()
        no_errors(at)
    assert len(converted) == 3 + 3  # 6 bits: once; 5 bits: once; back at 6: none
    assert [c.proto.spec for c in at.get("plotly_chart")] == sent
    v, tr = lesson.analyze(Settings(bits=6, lo=-1.25)), Translator("en", "scale_and_zero_point")
    stairs, hist = lesson.staircase(v), lesson.histogram(v)
    fresh = (figures.number_line(v, tr), figures.staircase(stairs, v, tr), figures.histogram(hist, v, tr))
    assert sent == [plotly.io.to_json(f, validate=False) for f in fresh]
