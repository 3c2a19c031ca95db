"""Shared AppTest helpers: open one page in a language, and check it shows no exception or error."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def run_page(page_file: str, lang: str = "en", timeout: float = 60) -> AppTest:
    """A page script run on its own (e.g. "pages/5_Predict.py"), in a language."""
    at = AppTest.from_file(str(ROOT / page_file), default_timeout=timeout)
    at.session_state["lang"] = lang
    return at.run()


def no_errors(at: AppTest) -> None:
    """No traceback and no error message on the page."""
    assert not at.exception, at.exception
    assert not [e.value for e in at.error], [e.value for e in at.error]
