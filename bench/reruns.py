"""Server-side rerun time of every page after its main control moves (streamlit's AppTest, no browser).

Each page is opened once, then its main control is moved the way a person moves it, one step at a time back
and forth over its range, and every rerun is timed. Two figures per page:
- script: the page script's run on the server (ScriptRunner._run_script), what a real server spends per rerun;
- round trip: AppTest's `run()`, which adds the test harness's own parsing of the result.
Two things make it a server's run, not AppTest's: a real server compiles a page once and keeps the bytecode
(its ScriptCache), while AppTest makes a new cache per run, so here one cache is shared; and a server runs a
full garbage collection after every run (runner.postScriptGC), which AppTest skips, so it is timed here too.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit.testing.v1.local_script_runner as local_runner
from streamlit import config
from streamlit.runtime.scriptrunner import script_runner
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest

from bench.common import ROOT, budget, summary

# page file, widget kind, key, the values a person walks through (back and forth), what it is
PAGES = (
    ("app.py", "segmented_control", "lang", ["ja", "en"], "home: language switch"),
    ("pages/1_Preprocess.py", "slider", "pp_row", list(range(8)), "preprocess: pixel row slider"),
    (
        "pages/2_Scale_and_zero_point.py",
        "slider",
        "ex_bits",
        list(range(8, 1, -1)) + list(range(3, 17)),
        "explorer: bits slider",
    ),
    ("pages/3_STE.py", "slider", "ste_bits", list(range(2, 9)), "STE: bits slider"),
    ("pages/4_QAT_training.py", "select_slider", "qat_wbits", [8, 7, 6, 5, 4, 3, 2], "QAT: weight bits"),
    ("pages/5_Predict.py", "number_input", "predict_sample", list(range(1, 41)), "predict: test sample"),
    (
        "pages/6_Integer_inference.py",
        "number_input",
        "int8_sample",
        list(range(1, 41)),
        "integer inference: sample",
    ),
    (
        "pages/7_PyTorch_and_TensorFlow.py",
        "number_input",
        "pytorch_sample",
        list(range(1, 41)),
        "PyTorch: sample",
    ),
)
EXPLORER_BUDGET_MS = 50.0


def walk(values: list, n: int) -> list:
    """n values going back and forth over `values` (a slider moved step by step, then back)."""
    cycle = values + values[-2:0:-1] if len(values) > 2 else values
    return [cycle[i % len(cycle)] for i in range(n)]


@contextmanager
def server_like() -> Iterator[list[float]]:
    """Share one ScriptCache between runs and collect garbage after each (as a server does); record the seconds."""
    runs: list[float] = []
    shared, original_cache = ScriptCache(), local_runner.ScriptCache
    original_run = script_runner.ScriptRunner._run_script

    def timed_run(self, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original_run(self, *args, **kwargs)
        finally:
            if config.get_option("runner.postScriptGC"):
                gc.collect(2)
            runs.append(time.perf_counter() - t0)

    local_runner.ScriptCache = lambda: shared
    script_runner.ScriptRunner._run_script = timed_run
    try:
        yield runs
    finally:
        local_runner.ScriptCache = original_cache
        script_runner.ScriptRunner._run_script = original_run


def measure_page(page: str, kind: str, key: str, values: list, n: int = 40) -> dict:
    """Open a page in English, then move its control n times; script and round-trip timings."""
    with server_like() as runs:
        at = AppTest.from_file(str(ROOT / page), default_timeout=120)
        at.session_state["lang"] = "en"
        at.run()
        if at.exception:
            raise RuntimeError(f"{page} failed to open: {at.exception}")
        runs.clear()
        trips = []
        for v in walk(values, n):
            widget = getattr(at.sidebar if key == "lang" else at, kind)(key=key)
            t0 = time.perf_counter()
            widget.set_value(v).run()
            trips.append(time.perf_counter() - t0)
            if at.exception:
                raise RuntimeError(f"{page} failed at {key}={v}: {at.exception}")
        script = summary(runs)
    trip = summary(trips)
    return {
        "n": script["n"],
        "script_median_ms": script["median_ms"],
        "script_p95_ms": script["p95_ms"],
        "roundtrip_median_ms": trip["median_ms"],
        "roundtrip_p95_ms": trip["p95_ms"],
    }


def run(quick: bool = False) -> dict:
    """Every page's rerun figures and the explorer's budget."""
    n = 3 if quick else 40
    rows = []
    for page, kind, key, values, what in PAGES:
        rows.append({"what": what, "page": page, **measure_page(page, kind, key, values, n)})
    explorer = next(r for r in rows if r["page"].startswith("pages/2_"))
    return {
        "title": "Server-side reruns (AppTest)",
        "rows": rows,
        "budgets": [
            budget(
                "explorer rerun, median server-side (script)",
                explorer["script_median_ms"],
                EXPLORER_BUDGET_MS,
                "ms",
            )
        ],
        "notes": [
            f"{n} reruns per page after opening it; the control walks its range back and forth, so "
            "later values may hit the page's caches, as they do for a class moving a slider.",
            "script = the page script on the server; round trip = AppTest.run(), which adds the "
            "harness's parsing of the result. One shared ScriptCache, as on a server.",
        ],
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
