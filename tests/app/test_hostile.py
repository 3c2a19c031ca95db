"""Hostile input through the real pages (AppTest): every corpus upload, hand-edited URLs, fuzzed settings."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from lessons.i18n import t
from lessons.scale_and_zero_point.distributions import DISTRIBUTIONS
from tests import ROOT
from tests.app.apptest import run_page
from tests.data.make_corpus import EXPECTED, build_corpus

MIME = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
}


@pytest.fixture(scope="module")
def corpus():
    return build_corpus()


def mime(name: str) -> str:
    return MIME.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def upload(at: AppTest, key: str, name: str, data: bytes) -> AppTest:
    at.file_uploader(key=key).set_value((name, data, mime(name)))
    return at.run()


def check(at: AppTest, name: str, lang: str, results) -> None:
    """No traceback; a bad file shows exactly its translated message; a good one reaches the results."""
    assert not at.exception, (name, [e.value for e in at.exception])
    errors = [e.value for e in at.error]
    if EXPECTED[name] == "ok":
        assert errors == [], (name, errors)
        assert results(at), name
    else:
        assert errors == [t(f"common.image_error.{EXPECTED[name]}", lang)], (name, errors)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_corpus_file_on_the_preprocess_page(corpus, lang):
    at = run_page("pages/1_Preprocess.py", lang)
    for name in EXPECTED:
        upload(at, "pp_upload", name, corpus[name])
        check(at, name, lang, lambda a: len(a.get("plotly_chart")) >= 2)
    upload(at, "pp_upload", "digit.png", corpus["digit.png"])  # the session keeps working afterwards
    assert not at.exception and not at.error


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_corpus_file_on_the_predict_page(corpus, lang):
    at = run_page("pages/5_Predict.py", lang)
    at.radio(key="predict_source").set_value("upload").run()
    for name in EXPECTED:
        upload(at, "predict_upload", name, corpus[name])
        check(at, name, lang, lambda a: len(a.dataframe) >= 2)
    at.radio(key="predict_source").set_value("sample").run()
    assert not at.exception and len(at.dataframe) >= 2


# ---- hand-edited URLs and fuzzed settings on the explorer -------------------------------------------------

EVIL_URLS = [
    {"bits": "999"},
    {"bits": "-3"},
    {"bits": "abc"},
    {"bits": ["4", "12"]},
    {"min": "abc"},
    {"max": "nan"},
    {"min": "inf"},
    {"min": "5", "max": "1"},
    {"min": "3", "max": "3"},
    {"mode": "evil"},
    {"dist": "../../etc"},
    {"signed": "2"},
    {"zero": "maybe"},
    {"x": "1e999"},
    {"min": "-1e308", "max": "1e308"},
    {"narrow": "1"},
    {"bits": "16", "min": "0", "max": "0"},
    {"unknown": "1"},
    {"min": "<script>alert(1)</script>"},
]


@pytest.mark.parametrize("params", EVIL_URLS)
def test_hand_edited_urls_give_a_working_view(params):
    at = AppTest.from_file(str(ROOT / "pages/2_Scale_and_zero_point.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception and not at.error
    scale = float(at.metric[0].help)  # the exact scale is in the metric's help
    assert math.isfinite(scale) and scale > 0
    for m in at.metric:
        assert "nan" not in str(m.value).lower() and "<script" not in str(m.value)


SETTINGS = st.fixed_dictionaries(
    {
        "ex_bits": st.integers(2, 16),
        "ex_mode": st.sampled_from(["asym", "sym"]),
        "ex_signed": st.booleans(),
        "ex_zero": st.booleans(),
        "lo": st.one_of(st.floats(-1e6, 1e6), st.just(0.0), st.just(math.nan), st.just(math.inf)),
        "hi": st.one_of(st.floats(-1e6, 1e6), st.just(0.0), st.just(-math.inf)),
        "dist": st.integers(0, 100),
        "button": st.sampled_from(
            [None, None, "ex_cal_minmax", "ex_cal_percentile", "ex_cal_mse", "ex_preset_relu"]
        ),
    }
)


@pytest.fixture(scope="module")
def explorer():
    return AppTest.from_file(str(ROOT / "pages/2_Scale_and_zero_point.py"), default_timeout=60).run()


def set_number(at: AppTest, key: str, value: float) -> None:
    """Type a value into a number input, NaN and infinity included (the page must clamp or refuse them)."""
    at.number_input(key=key).set_value(value)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(s=SETTINGS)
def test_fuzz_the_explorer_controls(explorer, s):
    at = explorer
    at.slider(key="ex_bits").set_value(s["ex_bits"])
    at.radio(key="ex_mode").set_value(s["ex_mode"])
    at.toggle(key="ex_signed").set_value(s["ex_signed"])
    at.toggle(key="ex_zero").set_value(s["ex_zero"])
    at.selectbox(key="ex_dist").set_value(DISTRIBUTIONS[s["dist"] % len(DISTRIBUTIONS)])
    set_number(at, "ex_lo", s["lo"])
    set_number(at, "ex_hi", s["hi"])
    at.run()
    if s["button"]:
        at.button(key=s["button"]).click().run()
    assert not at.exception, [e.value for e in at.exception]
    scale = float(at.metric[0].help)
    assert math.isfinite(scale) and scale > 0


def test_uploaded_bytes_are_never_written_to_disk(corpus, monkeypatch):
    """Every file opened for writing during an upload's rerun is recorded: there must be none."""
    import builtins
    import io as _io

    at = run_page("pages/5_Predict.py", "en")
    at.radio(key="predict_source").set_value("upload").run()
    writes: list[str] = []
    real_open, real_io_open = builtins.open, _io.open

    def spy(opener):
        def wrapped(file, mode="r", *args, **kwargs):
            if any(c in str(mode) for c in "wax+"):
                writes.append(str(file))
            return opener(file, mode, *args, **kwargs)

        return wrapped

    monkeypatch.setattr(builtins, "open", spy(real_open))
    monkeypatch.setattr(_io, "open", spy(real_io_open))
    upload(at, "predict_upload", "digit.png", corpus["digit.png"])
    monkeypatch.undo()
    assert not at.exception and len(at.dataframe) >= 2
    assert writes == []
