"""The QAT page's "Run all three" as one job for ui.training_pool (module-level, so a worker imports it by name)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from lessons.qat_training import lesson as lab
from qlib.data import Splits, load_digits


@functools.cache
def _splits() -> Splits:
    """The digits splits, loaded once per worker process."""
    return load_digits()


def run_all_three(
    cfg: lab.Config, fp32_epochs: int, qat_epochs: int, callback: Callable[..., None] | None = None
) -> lab.Runs:
    """fp32, then PTQ and QAT from it: what the page's "Run all three" trains (lessons.qat_training.run_plan)."""
    from qlib import pretrained

    def on_tick(t: lab.Tick) -> None:
        if callback is not None:
            row = {"run": t.run, "epoch": t.epoch, "epochs": t.epochs, "loss": t.loss, "val_acc": t.val_acc}
            callback(row, fraction=t.fraction)

    plan = lab.Plan(lab.STEPS["all"], cfg, fp32_epochs, qat_epochs)
    runs, _ = lab.run_plan(plan, lab.Runs(), pretrained.load("fp32"), _splits(), on_tick)
    return runs
