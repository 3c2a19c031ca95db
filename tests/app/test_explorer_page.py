"""The explorer page in AppTest: what it computes on a rerun, and what it says for each kind of view."""

from __future__ import annotations

import pytest

from streamlit.testing.v1 import AppTest

from lessons.scale_and_zero_point import lesson
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
    """Count every call of the explorer's expensive lesson functions."""
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
    assert at.metric[-4].value == str(lesson.probe(lesson.analyze(lesson.Settings(bits=7, lo=-1.5)), -3.0).code)
