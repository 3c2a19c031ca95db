"""Jobs for the training pool's tests: module-level, so a worker process imports them by name."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def started_at(log: str, name: str, seconds: float = 0.0, callback=None) -> float:
    """Append name to the log file, sleep, and return when it started."""
    with open(log, "a") as f:
        f.write(name + "\n")
    t = time.time()
    time.sleep(seconds)
    return t


def epochs(n: int, seconds: float, callback=None) -> list[int]:
    """n 'epochs' of `seconds` each, reporting a QAT-page-like row after each one."""
    for i in range(1, n + 1):
        time.sleep(seconds)
        if callback:
            callback({"run": "test", "epoch": i, "epochs": n, "loss": 1.0 / i, "val_acc": 0.5})
    return list(range(n))


def wait_for_file(path: str, callback=None) -> str:
    """Block (reporting progress every 50 ms, so it can be cancelled) until the file exists."""
    while not Path(path).exists():
        time.sleep(0.05)
        if callback:
            callback(None, fraction=0.0)
    return "released"


def raises(message: str, callback=None) -> None:
    raise ValueError(message)


def dies(callback=None) -> None:
    """The worker process dies mid-run (as on a segfault or the OOM killer)."""
    os._exit(3)


def sees_streamlit(callback=None) -> tuple[bool, int]:
    """Whether streamlit got imported in the worker, and the worker's pid."""
    return "streamlit" in sys.modules, os.getpid()


def unpicklable(callback=None):
    return lambda: None


def qat(qconfig, epochs: int, fp32, splits, callback=None):
    """qlib.train.train_qat from a given fp32 model, with the pool's reporter as its per-epoch callback."""
    from qlib import train

    return train.train_qat(qconfig, epochs, callback, init=fp32, splits=splits)


def sweep_fails(fp32, epochs: int, bits: tuple[int, ...], callback=None) -> None:
    """Stands in for lessons.qat_training.jobs.run_sweep: a sweep that fails in its worker."""
    raise ValueError("no sweep today")


def sweep_halfway(fp32, epochs: int, bits: tuple[int, ...], callback=None) -> None:
    """Stands in for lessons.qat_training.jobs.run_sweep: one width done, then the next one until cancelled."""
    from lessons.qat_training.jobs import SweepTick

    while True:  # the reporter raises once the pool has cancelled the job
        callback(SweepTick(1, len(bits), bits[1]), fraction=1 / len(bits))
        time.sleep(0.05)
