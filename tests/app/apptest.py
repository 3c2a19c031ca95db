"""The one AppTest helper: open a page in a language (with any session state set first), check it for errors."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests import ROOT


def run_page(page_file: str, lang: str = "en", timeout: float = 60, **state) -> AppTest:
    """A page script run on its own (e.g. "pages/5_Predict.py"), in a language, with session state preset."""
    at = AppTest.from_file(str(ROOT / page_file), default_timeout=timeout)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def no_errors(at: AppTest) -> None:
    """No traceback and no error message on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def keyed_table(at: AppTest, key: str) -> pd.DataFrame:
    """The static table the page put in the container with this key (ui.shell.table); fails if there is none."""
    blocks = [at.main]
    while blocks:
        b = blocks.pop()
        if getattr(b, "key", None) == key:
            return b.table[0].value
        blocks += [c for c in getattr(b, "children", {}).values() if hasattr(c, "children")]
    raise AssertionError(f"no table with key {key!r} on the page")


def finish_training(at: AppTest, timeout: float = 600) -> AppTest:
    """Rerun page 4 once this session's Train press and sweep are done in the server's training pool (a state,
    not a time)."""
    from ui.state import QAT_JOB, QAT_SWEEP_JOB

    for key in (QAT_JOB, QAT_SWEEP_JOB):
        run = at.session_state[key] if key in at.session_state else None
        if run is not None and not run.job.wait(timeout):
            raise TimeoutError("the training run did not finish")
    return at.run()
