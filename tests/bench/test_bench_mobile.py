"""bench.mobile keeps working and its recorded results agree with the shipped models (the figures themselves
are `python -m bench.mobile`'s)."""

import json

import pytest

from bench import mobile as bench_mobile
from qlib import pretrained


@pytest.fixture(scope="module")
def recorded():
    return json.loads((bench_mobile.RESULTS / "mobile.json").read_text())


def test_recorded_results_render_and_match_the_shipped_models(recorded):
    md = bench_mobile.to_markdown(recorded)
    for heading in (
        "BatchNorm folding",
        "Per-channel against per-tensor",
        "Cross-layer equalisation",
        "frozen",
    ):
        assert heading in md
    shipped = pretrained.metrics("mobile_cnn")
    assert (
        recorded["fp32"]["test_acc"] == shipped["mobile/fp32"]["test_acc"]
    )  # the same recipe, the same weights
    for row in recorded["granularity"]:
        name = f"mobile/{row['method'].lower()}-w{row['w_bits']}a8" + (
            "" if row["per_channel"] else "-per-tensor"
        )
        if name in shipped:
            assert row["test_acc"] == shipped[name]["test_acc"], name
    assert not recorded["quick"] and len(recorded["seeds"]["seeds"]) == len(bench_mobile.SEEDS)


@pytest.mark.slow
def test_a_quick_run_renders(capsys):
    res = bench_mobile.run(quick=True)
    assert {r["w_bits"] for r in res["granularity"]} == {8, 3}
    assert "## From 2 fp32 seeds" in bench_mobile.to_markdown(res)
