"""bench.classroom's bookkeeping: the issue's targets read off a setup's rows, the report with every setup."""

from bench.classroom import _children, cpu_seconds, render, rss_mb, targets


def rows(open_cpu: float, p95: float, pool: bool) -> list[dict]:
    out = [
        {"what": "1 open the explorer at once", "students": 1, "cpu_s_per_action": open_cpu, "max_s": 0.1},
        {"what": "1 move the bits slider at once", "students": 1, "cpu_s_per_action": 0.03, "p95_s": 0.1},
        {"what": "30 open the explorer at once", "students": 30, "max_s": 3.0, "peak_rss_mb": 900},
        {"what": "30 move the bits slider at once", "students": 30, "p95_s": p95, "peak_rss_mb": 950},
        {
            "what": "30 press Train (Run all three) at once",
            "students": 30,
            "max_s": 40.0,
            "peak_rss_mb": 1100,
        },
        {"what": "meanwhile, 5 others move the slider", "students": 5, "p95_s": 9.0},
    ]
    if pool:
        out += [
            {
                "what": "30 press Train (Run all three) at once, default settings, in the training pool (1 worker)",
                "students": 30,
                "max_s": 2.0,
                "peak_rss_mb": 1200,
            },
            {
                "what": "meanwhile, 5 others move the slider (default settings, in the training pool)",
                "students": 5,
                "p95_s": 0.2,
            },
        ]
    return out


def test_targets_and_verdicts():
    t = {b["target"]: b for b in targets(rows(0.4, 3.0, pool=True))}
    assert t["server CPU per warm explorer page open (1 student)"]["verdict"] == "MISS"
    assert t["server CPU per slider move (1 student)"]["verdict"] == "PASS"
    assert t["30 move a slider at once: p95 action -> number"]["measured"] == 3.0
    assert t["resident memory with 30 sessions (server and workers)"]["measured"] == 1200
    pool = [b for name, b in t.items() if "training pool" in name]
    assert [b["verdict"] for b in pool] == ["PASS", "PASS"]


def test_the_report_puts_setups_side_by_side():
    machine = {"date": "d", "load_average": [1.0]}
    results = {
        "setups": {
            "before": {"machine": machine, "seconds": 1, "quick": False, "rows": rows(0.4, 3, False)},
            "after": {"machine": machine, "seconds": 1, "quick": False, "rows": rows(0.05, 0.9, True)},
        },
        "notes": ["a note"],
    }
    md = render(results)
    assert (
        "| server CPU per warm explorer page open (1 student) | 0.4 s MISS | 0.05 s PASS | ≤ 0.15 s |" in md
    )
    assert "| — | 2 s PASS |" in md and "a note" in md  # a row the before setup did not measure


def test_proc_readings_of_this_process():
    import os

    assert (
        cpu_seconds([os.getpid()]) > 0
        and rss_mb([os.getpid()]) > 10
        and isinstance(_children(os.getpid()), list)
    )


def test_a_train_only_run_has_the_train_targets_and_distinct_settings():
    from bench.classroom import _settings

    only = rows(0.4, 3.0, pool=True)[4:]  # --only-train: no explorer rows
    names = [b["target"] for b in targets(only)]
    assert names[0].startswith("30 press Train at once") and names[-1].startswith("resident memory with 30")
    assert not any("explorer" in n for n in names)
    assert len({_settings(i) for i in range(30)}) == 30 and _settings(0) == _settings(0)
