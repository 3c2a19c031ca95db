"""The QAT page's training as jobs for `ui.training_pool`: one button press, or one bit-width sweep, run in a
worker process.

A worker imports this module by name (no streamlit here) and calls `train_plan` (a Train press) or `run_sweep`
(the sweep); the page keys a press by `job_key` and a sweep by `sweep_key` (the frozen settings and the model it
starts from) and folds a press's result into the session's runs with `merge`, exactly as `lesson.run_plan` would
have in the page's own thread (a sweep's result is `lesson.sweep`'s). Training is deterministic
(`qlib.train.SEED`, one CPU thread in every worker), so equal keys are equal runs and the pool may share them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace

import torch

from lessons.qat_training import lesson as lab
from qlib import train
from qlib.data import Splits, load_digits


@functools.cache
def _splits() -> Splits:
    """The digits splits, loaded once per worker process (the page's `ui.widgets.digit_splits` is the same data)."""
    return load_digits()


@functools.cache
def _shipped_fp32():
    """The shipped fp32 model, read once per worker process (PTQ and QAT copy it, never change it)."""
    from qlib import pretrained

    return pretrained.load("fp32")


@functools.lru_cache(maxsize=len(lab.BITS))
def _fresh_fp32(epochs: int) -> train.Result:
    """A fresh fp32 run of `epochs`, trained once per worker process: it is seeded (qlib.train.SEED, one thread),
    so every "Run all three" with these epochs trains this very model, whatever its bit widths. PTQ, QAT and
    the float control copy it, never change it."""
    return train.train_fp32(epochs=epochs, splits=_splits())


def warm_up(callback: Callable[..., None] | None = None) -> None:
    """A fresh worker's first run, before any student's: the data, the model, the page's default fp32 run, and
    one small press of every step (a process's first training run costs about twice the next one's CPU)."""
    train_plan(lab.Plan(lab.STEPS["all"], lab.Config(), lab.FP32_EPOCHS, 1), lab.Runs())


def base_of(runs: lab.Runs) -> lab.Runs:
    """What a press needs of the session's runs: the session's fp32 model and the start it made, nothing else."""
    return lab.Runs(fp32=runs.fp32, start=runs.start)


def job_key(plan: lab.Plan, runs: lab.Runs) -> Hashable:
    """The press's settings, frozen: what it trains, with what, from which model. Equal keys train equal runs."""
    steps = plan.steps
    quantized = "ptq" in steps or "qat" in steps
    start = ("fp32", plan.fp32_epochs) if "fp32" in steps else start_key(runs)  # afresh, seeded: its epochs
    return (
        "qat_training",
        steps,
        plan.cfg if quantized else None,
        plan.qat_epochs if "qat" in steps else None,
        start,
    )


def start_key(runs: lab.Runs) -> Hashable:
    """The fp32 model a run starts from, frozen: the session's own (a seeded run of that many epochs), else the
    shipped one."""
    return ("fp32", len(runs.fp32.history)) if runs.fp32 is not None else ("shipped",)


def train_plan(plan: lab.Plan, base: lab.Runs, callback: Callable[..., None] | None = None) -> lab.Runs:
    """`lesson.run_plan` in a worker: each epoch's Tick goes to the pool's reporter; returns the new runs. A fresh
    fp32 step is this worker's shared run of those epochs (`_fresh_fp32`): thirty presses train it once."""
    if "fp32" in plan.steps:
        base = lab.Runs(fp32=_fresh_fp32(plan.fp32_epochs))
        plan = replace(plan, steps=tuple(s for s in plan.steps if s != "fp32"))

    def on_tick(tick: lab.Tick) -> None:
        if callback is not None:
            callback(tick, fraction=tick.fraction)

    runs, _ = lab.run_plan(plan, base, _shipped_fp32(), _splits(), on_tick)
    return runs


def merge(old: lab.Runs, new: lab.Runs, plan: lab.Plan) -> lab.Runs:
    """The session's runs after the press, as run_plan leaves them: fp32 starts afresh, else the steps replace."""
    if "fp32" in plan.steps:
        return new
    done = {"ptq": ("ptq",), "qat": ("qat", "fp32_more")}
    fields = {f: getattr(new, f) for s in plan.steps for f in done[s]}
    return replace(old, start=new.start, **fields)


# ---------------------------------------------------------------------------------------------------------------
# the bit-width sweep


@dataclass(frozen=True)
class SweepTick:
    """How far a sweep in a worker is: the bit widths done, of how many, and the width it trains now."""

    done: int
    total: int
    bits: int


def sweep_start(runs: lab.Runs) -> torch.nn.Module | None:
    """The model a sweep sends its worker: the session's fp32 model, else None for the shipped one (every worker
    has its own copy); the model the page's sweep started from when it trained in the script thread."""
    return runs.fp32.model if runs.fp32 is not None else None


def sweep_key(runs: lab.Runs, epochs: int, bits: tuple[int, ...]) -> Hashable:
    """The sweep's settings, frozen: QAT's epochs per width, the widths, the fp32 model it starts from."""
    return ("qat_sweep", epochs, tuple(bits), start_key(runs))


def run_sweep(
    fp32: torch.nn.Module | None,
    epochs: int,
    bits: tuple[int, ...],
    callback: Callable[..., None] | None = None,
) -> lab.Sweep:
    """`lesson.sweep` in a worker, from `fp32` (None: the shipped model): a SweepTick to the pool's reporter as
    each width starts."""

    def on_step(fraction: float, now: int) -> None:
        if callback is not None:
            callback(SweepTick(round(fraction * len(bits)), len(bits), now), fraction=fraction)

    start = fp32 if fp32 is not None else _shipped_fp32()
    return lab.sweep(start, _splits(), epochs, on_step, tuple(bits))
