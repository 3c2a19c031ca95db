"""The benchmark keeps working: its statistics are right, its report renders, and a page rerun can be timed.

The figures themselves are not tested here (a shared machine makes timed tests flaky): `python -m bench`.
"""

import pytest

from bench import reruns
from bench.common import budget, summary
from bench.kernels import fake_quant_rows
from bench.report import render


def test_summary_median_and_nearest_rank_p95():
    s = summary([i / 1000 for i in range(1, 101)])  # 1..100 ms
    assert s["n"] == 100 and s["median_ms"] == pytest.approx(50.5) and s["p95_ms"] == pytest.approx(95)
    assert s["min_ms"] == pytest.approx(1) and s["max_ms"] == pytest.approx(100)
    assert summary([0.002])["p95_ms"] == pytest.approx(2)
    with pytest.raises(ValueError):
        summary([])


def test_budget_verdicts():
    assert budget("x", 49.9, 50, "ms")["verdict"] == "PASS"
    assert budget("x", 50.1, 50, "ms")["verdict"] == "MISS"


def test_walk_goes_back_and_forth():
    assert reruns.walk([1, 2, 3], 7) == [1, 2, 3, 2, 1, 2, 3]


def test_a_rerun_is_timed_and_the_report_renders():
    row = reruns.measure_page("pages/2_Scale_and_zero_point.py", "slider", "ex_bits", [8, 7], n=2)
    assert row["n"] == 2 and 0 < row["script_median_ms"] <= row["roundtrip_median_ms"]
    fq = fake_quant_rows((1000,))
    assert [r["what"] for r in fq] == [
        "fake_quant forward, 0.001M floats",
        "fake_quant forward + backward, 0.001M floats",
    ]
    results = {
        "machine": {
            "date": "d",
            "cpus": 2,
            "load_average": [1.0],
            "python": "3",
            "torch": "t",
            "streamlit": "s",
            "plotly": "p",
        },
        "sections": {
            "reruns": {
                "title": "Reruns",
                "rows": [{"what": "explorer", **row}],
                "budgets": [budget("explorer", row["script_median_ms"], 50, "ms")],
            },
            "kernels": {"title": "Kernels", "rows": fq, "budgets": []},
            "browser": {"title": "Browser", "error": "RuntimeError: no chromium", "rows": []},
        },
    }
    before = {
        "machine": results["machine"],
        "sections": {
            "reruns": {"rows": [{"what": "explorer", "script_median_ms": 4 * row["script_median_ms"]}]}
        },
    }
    md = render(results, before)
    assert "| explorer |" in md and "4.0×" in md and "Could not run" in md and "## Before and after" in md
