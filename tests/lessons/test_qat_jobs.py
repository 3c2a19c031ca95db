"""Page 4's press as a worker runs it (lessons.qat_training.jobs): what the pool returns is what run_plan trains."""

from __future__ import annotations

import torch

from lessons.qat_training import jobs
from lessons.qat_training import lesson as lab


def _same_model(a: torch.nn.Module, b: torch.nn.Module) -> bool:
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


def _same_run(a, b) -> bool:
    return (
        a.test_acc == b.test_acc
        and [h.train_loss for h in a.history] == [h.train_loss for h in b.history]
        and _same_model(a.model, b.model)
    )


def test_run_all_three_shares_one_fp32_run_and_trains_what_run_plan_trains(one_thread):
    """Two presses of "Run all three" with other bit widths: the second reuses the first's fp32 run (the same
    object), and each press's four runs equal lesson.run_plan's in this process, to the bit."""
    jobs._fresh_fp32.cache_clear()
    plans = [lab.Plan(lab.STEPS["all"], lab.Config(wbits=w, abits=w), 2, 1) for w in (8, 4)]
    ticks: list[lab.Tick] = []
    pooled = [jobs.train_plan(p, lab.Runs(), lambda tick, fraction: ticks.append(tick)) for p in plans]
    assert pooled[0].fp32 is pooled[1].fp32 and jobs._fresh_fp32.cache_info().hits == 1
    assert ticks and ticks[-1].fraction == 1.0 and {t.run for t in ticks} == {"ptq", "qat", "fp32_more"}
    assert any(p.run == "fp32" for p in ticks[-1].points)  # the live curve still starts with the fp32 run
    for plan, got in zip(plans, pooled, strict=True):
        want, _ = lab.run_plan(plan, lab.Runs(), jobs._shipped_fp32(), jobs._splits(), lambda tick: None)
        assert got.start == want.start
        assert all(_same_run(getattr(got, f), getattr(want, f)) for f in ("fp32", "ptq", "qat", "fp32_more"))
        assert jobs.merge(lab.Runs(), got, plan) is got
