"""Sessions are isolated: what one person trains, calibrates or sets never shows in another's view, and the
cached (shared) models are never changed. Plus a fuzz over the QAT page's settings."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from lessons.i18n import t
from lessons.qat_training import lesson as lab
from tests import ROOT, digest
from tests.app.apptest import finish_training
from ui.widgets import shipped_model

QAT = str(ROOT / "pages" / "4_QAT_training.py")
EXPLORER = str(ROOT / "pages" / "2_Scale_and_zero_point.py")


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_explorer_sessions_do_not_share_settings():
    a = AppTest.from_file(EXPLORER, default_timeout=60).run()
    b = AppTest.from_file(EXPLORER, default_timeout=60).run()
    a.slider(key="ex_bits").set_value(4).run()
    a.radio(key="ex_mode").set_value("sym").run()
    a.button(key="ex_cal_mse").click().run()
    b.run()
    assert metric(a, "zero point z") == "0"
    assert (metric(b, "scale s"), metric(b, "zero point z")) == ("0.0314", "64")
    assert b.slider(key="ex_bits").value == 8 and b.query_params.get("bits", ["8"]) in (["8"], "8")


def test_training_in_one_session_changes_nothing_in_another():
    names = ("fp32", "qat-w8a8", "ptq-w8a8")
    before = {n: digest(shipped_model(n)) for n in names}
    a = AppTest.from_file(QAT, default_timeout=120)
    b = AppTest.from_file(QAT, default_timeout=120)
    for at in (a, b):
        at.run()
        at.number_input(key="qat_fp32_epochs").set_value(1)
        at.number_input(key="qat_qat_epochs").set_value(1)
    a.select_slider(key="qat_wbits").set_value(4)
    a.select_slider(key="qat_abits").set_value(4).run()
    finish_training(a.button(key="qat_btn_all").click().run())
    assert not a.exception and not b.exception
    assert t("qat_training.no_results", "en") not in [i.value for i in a.info]  # A has results
    b.run()
    assert t("qat_training.no_results", "en") in [i.value for i in b.info]  # B still has none
    assert b.select_slider(key="qat_wbits").value == 8
    assert {n: digest(shipped_model(n)) for n in names} == before  # the cached models are untouched


QAT_SETTINGS = st.fixed_dictionaries(
    {
        "wbits": st.sampled_from(lab.BITS),
        "abits": st.sampled_from(lab.BITS),
        "scheme": st.sampled_from(lab.SCHEMES),
        "per_channel": st.booleans(),
        "observer": st.sampled_from(lab.OBSERVERS),
        "lang": st.sampled_from(["en", "ja"]),
        "ptq": st.booleans(),
    }
)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(s=QAT_SETTINGS)
def test_fuzz_the_qat_settings(s):
    at = AppTest.from_file(QAT, default_timeout=120)
    at.session_state["lang"] = s["lang"]
    at.run()
    at.select_slider(key="qat_wbits").set_value(s["wbits"])
    at.select_slider(key="qat_abits").set_value(s["abits"])
    at.radio(key="qat_scheme").set_value(s["scheme"])
    at.toggle(key="qat_per_channel").set_value(s["per_channel"])
    at.selectbox(key="qat_observer").set_value(s["observer"])
    at.run()
    if s["ptq"]:
        finish_training(at.button(key="qat_btn_ptq").click().run())
        assert t("qat_training.no_results", s["lang"]) not in [i.value for i in at.info]
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize(
    ("page", "choices"),
    [
        ("pages/5_Predict.py", {"predict_model": "qat-w4a4"}),
        ("pages/6_Integer_inference.py", {"int8_model": "qat-w4a4", "int8_layer": "fc"}),
    ],
)
def test_a_language_switch_sets_no_widget_twice(page, choices, monkeypatch):
    """B11 for pages 5 and 6 (page 4's is in test_app_qat): after the switch every choice is set again and no
    widget logs 'created with a default value but also had its value set via the Session State API'."""
    from streamlit.elements.lib import policies

    logged = []
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    monkeypatch.setattr(policies._LOGGER, "warning", lambda msg, *args, **kw: logged.append(msg % args))
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    for key, value in choices.items():
        at.selectbox(key=key).set_value(value).run()
    at.sidebar.get("button_group")[0].set_value("ja").run()
    assert not at.exception and not at.error
    assert {k: at.selectbox(key=k).value for k in choices} == choices
    assert not [m for m in logged if "default value" in m], logged
