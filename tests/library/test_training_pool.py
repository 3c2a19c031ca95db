"""The training pool: queue order, positions, progress, the cache of runs, cancellation, crashes, determinism."""

from __future__ import annotations

import time

import pytest

from tests.library import pool_jobs as jobs
from ui.training_pool import JobCancelled, JobFailed, QueueFull, TrainingPool


def wait_until(test, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not test():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


@pytest.fixture()
def pool():
    with TrainingPool(workers=1, cache_size=2, grace=0.3, check_every=0.1, cancel_timeout=3) as p:
        yield p


def test_fifo_order_and_positions(pool, tmp_path):
    gate = tmp_path / "gate"
    log = str(tmp_path / "log")
    blocker = pool.submit("blocker", jobs.wait_for_file, str(gate))
    wait_until(lambda: blocker.position == 0)
    queued = [pool.submit(name, jobs.started_at, log, name) for name in "abc"]
    assert [j.position for j in queued] == [1, 2, 3] and all(j.state == "queued" for j in queued)
    assert [j.ahead for j in queued] == [1, 2, 3] and blocker.ahead is None  # the running blocker counts
    gate.touch()
    assert blocker.result(30) == "released"
    starts = [j.result(30) for j in queued]
    assert starts == sorted(starts) and (tmp_path / "log").read_text().split() == ["a", "b", "c"]
    assert [j.position for j in queued] == [None] * 3 and all(j.state == "done" for j in queued)


def test_progress_comes_from_the_worker(pool):
    job = pool.submit("epochs", jobs.epochs, 3, 0.2)
    seen = set()
    while not job.done():
        seen.add(job.progress.fraction)
        time.sleep(0.02)
    assert job.result() == [0, 1, 2]
    assert {1 / 3, 2 / 3} & seen  # intermediate fractions were visible while it ran
    assert job.progress.fraction == 1.0 and job.progress.record["epoch"] == 3 and job.seconds > 0.5


def test_identical_settings_return_at_once_and_the_cache_is_bounded(pool, tmp_path):
    log = str(tmp_path / "log")
    first = pool.submit(("cfg", 1), jobs.started_at, log, "one")
    twin = pool.submit(("cfg", 1), jobs.started_at, log, "one")  # identical, while the first is live: shared
    assert twin.shared and first.result(30) == twin.result(30)
    again = pool.submit(("cfg", 1), jobs.started_at, log, "one")
    assert again.cached and again.done() and again.position is None and again.result(0) == first.result()
    assert (tmp_path / "log").read_text().split() == ["one"]  # trained once for three submissions
    for k in (2, 3):  # cache_size=2: ("cfg", 1) is the least recently used and goes
        pool.submit(("cfg", k), jobs.started_at, log, str(k)).result(30)
    assert not pool.submit(("cfg", 1), jobs.started_at, log, "one").cached
    assert pool.stats()["cached"] == 2


def test_failures_are_clean_errors_and_not_cached(pool):
    job = pool.submit("bad", jobs.raises, "no such digit")
    with pytest.raises(JobFailed, match="ValueError: no such digit") as err:
        job.result(30)
    assert "raises" in err.value.worker_traceback
    assert not pool.submit("bad", jobs.raises, "no such digit").cached
    with pytest.raises(JobFailed, match="pickle"):  # a result the worker cannot send back
        pool.submit("lambda", jobs.unpicklable).result(30)
    with pytest.raises((AttributeError, TypeError, ValueError)):  # an argument that cannot be sent: at once
        pool.submit("lambda arg", jobs.epochs, lambda: 1, 0.0)
    assert pool.submit("ok", jobs.epochs, 1, 0.0).result(30) == [0]


def test_a_crashed_worker_fails_its_job_and_is_replaced(pool):
    pid = pool.submit("pid", jobs.sees_streamlit).result(30)[1]
    with pytest.raises(JobFailed, match="WorkerDied: the training process stopped unexpectedly"):
        pool.submit("crash", jobs.dies).result(30)
    sees, new_pid = pool.submit("pid again", jobs.sees_streamlit).result(30)
    assert new_pid != pid and not sees and pool.stats()["workers"] == 1


def test_cancel_queued_and_running_jobs(pool, tmp_path):
    log = str(tmp_path / "log")
    running = pool.submit("running", jobs.wait_for_file, str(tmp_path / "never"))
    wait_until(lambda: running.position == 0)
    queued = pool.submit("queued", jobs.started_at, log, "queued")
    assert queued.cancel() and queued.state == "cancelled" and queued.position is None
    assert running.cancel() and not running.cancel()
    with pytest.raises(JobCancelled):
        running.result(0)
    after = pool.submit("after", jobs.epochs, 1, 0.0)
    assert after.result(30) == [0]  # the worker stopped the cancelled run and took the next
    assert not (tmp_path / "log").exists()  # the cancelled queued job never ran


def test_a_shared_run_goes_on_while_someone_still_wants_it(pool, tmp_path):
    gate = tmp_path / "gate"
    a = pool.submit("same", jobs.wait_for_file, str(gate))
    b = pool.submit("same", jobs.wait_for_file, str(gate))
    assert a.cancel() and b.state in ("queued", "running")
    gate.touch()
    assert b.result(30) == "released"


def test_a_newer_job_of_the_owner_replaces_the_older(pool, tmp_path):
    old = pool.submit("settings A", jobs.wait_for_file, str(tmp_path / "never"), owner="session-1")
    other = pool.submit("settings C", jobs.epochs, 1, 0.0, owner="session-2")
    new = pool.submit("settings B", jobs.epochs, 1, 0.0, owner="session-1")
    assert old.state == "cancelled" and new.result(30) == [0] and other.result(30) == [0]


def test_a_session_that_ended_loses_its_jobs(pool, tmp_path):
    alive = {"s": True}
    job = pool.submit(
        "long", jobs.wait_for_file, str(tmp_path / "never"), owner="s", alive=lambda: alive["s"]
    )
    time.sleep(0.5)
    assert job.state == "running"  # alive: kept
    alive["s"] = False
    wait_until(lambda: job.done(), 10)  # dead for longer than grace (0.3 s): cancelled
    assert job.state == "cancelled"
    assert pool.submit("next", jobs.epochs, 1, 0.0).result(30) == [0]


def test_cancel_owner_and_a_full_queue(tmp_path):
    with TrainingPool(workers=1, max_queue=2) as pool:
        gate = str(tmp_path / "never")
        pool.submit("run", jobs.wait_for_file, gate, owner="s")
        wait_until(lambda: pool.stats()["running"] == 1)
        pool.submit("q1", jobs.epochs, 1, 0.0, owner="t")
        pool.submit("q2", jobs.epochs, 1, 0.0, owner="u")
        with pytest.raises(QueueFull):
            pool.submit("q3", jobs.epochs, 1, 0.0)
        assert pool.cancel_owner("s") == 1 and pool.cancel_owner("s") == 0


@pytest.mark.slow
def test_training_in_a_worker_equals_training_here():
    """Training is deterministic: the worker's run (one thread) is the in-process run (one thread), to the bit."""
    import torch

    from qlib import pretrained, train
    from qlib.data import load_digits
    from qlib.qat import QConfig

    splits, fp32, qc = load_digits(), pretrained.load("fp32"), QConfig(4, 4)
    with TrainingPool(workers=1, preload=("qlib.train",)) as pool:
        job = pool.submit(("qat", qc, 1), jobs.qat, qc, 1, fp32, splits)
        remote = job.result(300)
        assert job.progress.fraction == 1.0 and job.progress.record.epoch == 1
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        here = train.train_qat(qc, 1, init=fp32, splits=splits)
    finally:
        torch.set_num_threads(threads)
    assert remote.test_acc == here.test_acc and remote.calibrated == here.calibrated
    assert [h.train_loss for h in remote.history] == [h.train_loss for h in here.history]
    a, b = remote.model.state_dict(), here.model.state_dict()
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
