"""The QAT page's Train button and bit-width sweep through the server's training pool: one pool per server, one
pending Train run and one pending sweep per session.

`training_pool()` is the server's `ui.training_pool.TrainingPool` (st.cache_resource): as many worker processes
as the machine has cores but one (at least one), each on one CPU thread at a lower priority than the server, so
the script threads keep the GIL and a core for the class. `submit` sends a press to it keyed by its frozen
settings (`lessons.qat_training.jobs.job_key`), owned by the session (a newer press replaces the older; a session
gone for the pool's grace period loses its run, `ui.sessions`). `collect` folds a finished run into the session's
runs once. `submit_sweep` / `collect_sweep` do the same for the sweep (`jobs.sweep_key`, `jobs.run_sweep`), under
an owner name of its own (`ui.state.sweep_owner`): a sweep press replaces the older sweep, never a Train run.
Environment: QLAB_TRAIN_WORKERS (workers), QLAB_TRAIN_CPUS ("1" or "0,1": the workers' CPUs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from lessons.qat_training import jobs
from lessons.qat_training.lesson import Plan
from ui.sessions import alive_check, current_session_id
from ui.state import (
    keep_qat_job,
    keep_qat_runs,
    keep_qat_sweep,
    keep_qat_sweep_job,
    qat_job,
    qat_runs,
    qat_sweep_job,
    sweep_owner,
    train_owner,
)
from ui.training_pool import Job, TrainingPool


def pool_workers() -> int:
    """Worker processes: QLAB_TRAIN_WORKERS, else the machine's cores but one (one at least)."""
    return int(os.environ.get("QLAB_TRAIN_WORKERS") or max(1, (os.cpu_count() or 2) - 1))


def pool_cpus() -> set[int] | None:
    """The workers' CPUs from QLAB_TRAIN_CPUS ("1", "0,1"), else the server's own."""
    cpus = os.environ.get("QLAB_TRAIN_CPUS", "").strip()
    return {int(c) for c in cpus.split(",")} if cpus else None


@st.cache_resource(show_spinner=False)
def training_pool() -> TrainingPool:
    """The server's pool of training workers, started once and shared by every session."""
    pool = TrainingPool(
        workers=pool_workers(), threads=1, nice=10, cpus=pool_cpus(), preload=("lessons.qat_training.jobs",)
    )
    for i in range(pool.size):  # each worker reads the data and the model before the first press
        pool.submit(("warm-up", i), jobs.warm_up)
    return pool


@dataclass(eq=False)
class TrainRun:
    """One session's Train press in the pool: the job, what it trains, and whether its result is in the session."""

    job: Job
    plan: Plan
    collected: bool = False


def submit(plan: Plan) -> TrainRun:
    """Send a press to the pool (raises ui.training_pool.QueueFull when too many wait); it replaces the last one."""
    runs, session = qat_runs(), current_session_id()
    job = training_pool().submit(
        jobs.job_key(plan, runs),
        jobs.train_plan,
        plan,
        jobs.base_of(runs),
        owner=train_owner(session),
        alive=alive_check(session) if session is not None else None,
    )
    run = TrainRun(job, plan)
    keep_qat_job(run)
    return run


def collect(run: TrainRun) -> None:
    """Fold a finished run into the session's runs, once (raises JobFailed or JobCancelled as the job did)."""
    if run.collected or not run.job.done():
        return
    new = run.job.result(0)
    keep_qat_runs(jobs.merge(qat_runs(), new, run.plan))
    run.collected = True


def pending() -> TrainRun | None:
    """The session's press still queued or training, if any."""
    run = qat_job()
    return run if run is not None and not run.job.done() else None


@dataclass(eq=False)
class SweepRun:
    """One session's sweep press in the pool: the job, its settings, and whether its result is in the session."""

    job: Job
    epochs: int
    bits: tuple[int, ...]
    collected: bool = False


def submit_sweep(epochs: int, bits: tuple[int, ...]) -> SweepRun:
    """Send a sweep to the pool from the session's fp32 model, else the shipped one (raises QueueFull when too
    many wait); it replaces the session's last sweep, not its Train run."""
    runs, session = qat_runs(), current_session_id()
    bits = tuple(bits)
    job = training_pool().submit(
        jobs.sweep_key(runs, epochs, bits),
        jobs.run_sweep,
        jobs.sweep_start(runs),
        epochs,
        bits,
        owner=sweep_owner(session),
        alive=alive_check(session) if session is not None else None,
    )
    run = SweepRun(job, epochs, bits)
    keep_qat_sweep_job(run)
    return run


def collect_sweep(run: SweepRun) -> None:
    """Keep a finished sweep in the session, once (raises JobFailed or JobCancelled as the job did)."""
    if run.collected or not run.job.done():
        return
    keep_qat_sweep(run.job.result(0))
    run.collected = True


def pending_sweep() -> SweepRun | None:
    """The session's sweep still queued or training, if any."""
    run = qat_sweep_job()
    return run if run is not None and not run.job.done() else None
