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
    cfg: lab.Config, fp32_epochs: int, qat_epochs: int, callback: Callable[[dict], None] | None = None
) -> dict[str, lab.Run]:
    """fp32, then PTQ and QAT from it: what the page's "Run all three" trains, in the same order."""
    splits = _splits()
    fp32 = lab.train_fp32(splits, fp32_epochs, callback)
    return {
        "fp32": fp32,
        "ptq": lab.run_ptq(fp32.model, cfg, splits),
        "qat": lab.train_qat(fp32.model, cfg, splits, qat_epochs, callback),
    }
