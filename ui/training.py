"""The QAT page's Train button through the server's training pool: one pool per server, one pending run per session.

`training_pool()` is the server's `ui.training_pool.TrainingPool` (st.cache_resource): as many worker processes
as the machine has cores but one (at least one), each on one CPU thread at a lower priority than the server, so
the script threads keep the GIL and a core for the class. `submit` sends a press to it keyed by its frozen
settings (`lessons.qat_training.jobs.job_key`), owned by the session (a newer press replaces the older; a session
gone for the pool's grace period loses its run, `ui.sessions`). `collect` folds a finished run into the session's
runs once. Environment: QLAB_TRAIN_WORKERS (workers), QLAB_TRAIN_CPUS ("1" or "0,1": the workers' CPUs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from lessons.qat_training import jobs
from lessons.qat_training.lesson import Plan
from ui.sessions import alive_check, current_session_id
from ui.state import keep_qat_job, keep_qat_runs, qat_job, qat_runs, train_owner
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
