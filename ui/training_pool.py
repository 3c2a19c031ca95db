"""Training off the server's script threads: a bounded pool of worker processes, a queue, and a cache of runs.

A Streamlit server runs every session's script on threads of one process, so a training run there holds the GIL
for seconds and the whole class waits. Here a run is a job for one of a few worker processes
(`ui.training_worker`, lower priority than the server, no streamlit import); the page only polls the job:

    pool = TrainingPool(workers=1)                                   # once per server (st.cache_resource)
    job = pool.submit(key, lab.train_qat, fp32, cfg, splits, epochs, owner=session_id, alive=is_alive)
    job.position    # 0 running, 1 next in the queue, ...; None once finished
    job.ahead       # while queued: the runs that train before it (running ones included)
    job.progress    # Progress(fraction, record): the latest per-epoch record sent by the worker
    job.result()    # the run (or raises JobFailed / JobCancelled)
    job.cancel()

Training is deterministic, so `key` (hashable, frozen: the run's settings) names the result: a finished run is
kept in a bounded LRU cache and an identical submission returns it at once (`job.cached`); one identical to a
run still queued or running shares it. A newer job of the same `owner` replaces the older ones (they are
cancelled), and an owner whose `alive()` has been false for `grace` seconds loses its jobs: a run abandoned by
its session is not trained for nobody.
"""

from __future__ import annotations

import itertools
import os
import pickle
import subprocess
import sys
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class JobFailed(RuntimeError):
    """The job raised in its worker, or its worker died: the type, the message and the worker's traceback."""

    def __init__(self, type_name: str, message: str, worker_traceback: str = "") -> None:
        super().__init__(f"{type_name}: {message}")
        self.type_name, self.message, self.worker_traceback = type_name, message, worker_traceback


class JobCancelled(RuntimeError):
    """The job was cancelled (by its owner, by a newer job of the owner, or because its session ended)."""


class QueueFull(RuntimeError):
    """More jobs are waiting than the pool accepts: try again later."""


@dataclass(frozen=True)
class Progress:
    """How far a job is: a fraction in [0, 1] and the latest record its worker sent (None before the first)."""

    fraction: float = 0.0
    record: Any = None


@dataclass(eq=False)
class _Task:
    """One run of fn(*args), shared by every Job submitted with its key while it is queued or running."""

    key: Hashable
    payload: bytes  # pickle of (fn, args, progress_kw), made at submit: an unpicklable argument fails there
    id: int
    state: str = QUEUED
    progress: Progress = Progress()
    result: Any = None
    error: JobFailed | None = None
    seconds: float | None = None
    jobs: list[Job] = field(default_factory=list)
    worker: _Worker | None = None
    cancel_sent: float | None = None
    finished: threading.Event = field(default_factory=threading.Event)


class Job:
    """A session's handle on a run: where it is in the queue, its progress, its result; cancel() lets it go."""

    def __init__(
        self, pool: TrainingPool, task: _Task, owner: Hashable | None, cached: bool, shared: bool
    ) -> None:
        self._pool, self._task, self.owner = pool, task, owner
        self.cached = cached  # the result came from the cache of finished runs: no training at all
        self.shared = shared  # joined an identical run already queued or running
        self._cancelled = False

    @property
    def key(self) -> Hashable:
        return self._task.key

    @property
    def state(self) -> str:
        """queued, running, done, failed or cancelled (this handle's view: a cancelled handle is cancelled)."""
        return CANCELLED if self._cancelled else self._task.state

    @property
    def position(self) -> int | None:
        """0 while running, n while n-th in the queue (1 = next), None once finished."""
        return None if self._cancelled else self._pool._position(self._task)

    @property
    def ahead(self) -> int | None:
        """Runs that train before this one starts (those running and those earlier in the queue); None unless queued."""
        return None if self._cancelled else self._pool._ahead(self._task)

    @property
    def progress(self) -> Progress:
        return self._task.progress

    @property
    def seconds(self) -> float | None:
        """The run's time in its worker (None until done; the original run's time for a cached result)."""
        return self._task.seconds

    def done(self) -> bool:
        """Finished one way or another (done, failed, cancelled)."""
        return self.state in (DONE, FAILED, CANCELLED)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the job is finished one way or another; whether it is."""
        return self._cancelled or self._task.finished.wait(timeout)

    def result(self, timeout: float | None = None) -> Any:
        """The run's result; raises JobFailed, JobCancelled, or TimeoutError if not finished within timeout."""
        if not self._cancelled and not self._task.finished.wait(timeout):
            raise TimeoutError("the job has not finished yet")
        if self.state == CANCELLED:
            raise JobCancelled("the job was cancelled")
        if self._task.state == FAILED:
            raise self._task.error
        return self._task.result

    def cancel(self) -> bool:
        """Let the run go: True if this handle was still waiting for it. The run stops once no handle wants it."""
        return self._pool._cancel(self)

    def __repr__(self) -> str:
        return f"Job({self.key!r}, {self.state}, position={self.position}, cached={self.cached}, shared={self.shared})"


class _Worker:
    """One worker process and the thread that reads its messages."""

    def __init__(self, pool: TrainingPool, number: int) -> None:
        self.pool, self.task = pool, None
        self.ready = threading.Event()
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ui.training_worker", str(to_child_r), str(from_child_w)],
            pass_fds=(to_child_r, from_child_w),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            close_fds=True,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        if pool.cpus:
            os.sched_setaffinity(self.proc.pid, pool.cpus)
        self.inbox = Connection(to_child_w, readable=False)
        self.outbox = Connection(from_child_r, writable=False)
        self.send_lock = threading.Lock()
        self.send(("init", list(sys.path), pool.threads, pool.nice, pool.preload))
        self.reader = threading.Thread(target=self._read, name=f"training-worker-{number}", daemon=True)
        self.reader.start()

    def send(self, msg: tuple) -> bool:
        try:
            with self.send_lock:
                self.inbox.send_bytes(pickle.dumps(msg, pickle.HIGHEST_PROTOCOL))
            return True
        except (OSError, ValueError):
            return False

    def _read(self) -> None:
        while True:
            try:
                msg = pickle.loads(self.outbox.recv_bytes())
            except (EOFError, OSError):
                break
            except Exception as exc:  # a result that cannot be unpickled here fails its job, not the pool
                self.pool._on_message(
                    self,
                    (
                        "error",
                        self.task.id if self.task else -1,
                        type(exc).__name__,
                        f"the result could not be read: {exc}",
                        "",
                    ),
                )
                continue
            if msg[0] == "ready":
                self.ready.set()
            self.pool._on_message(self, msg)
        code = self.proc.wait()
        self.pool._on_worker_exit(self, code)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()

    def stop(self) -> None:
        """Close its pipe (the worker exits after its job); killed if it is still there after a moment."""
        self.inbox.close()
        try:
            self.proc.wait(2)
        except subprocess.TimeoutExpired:
            self.kill()


class TrainingPool:
    """A bounded pool of worker processes with a FIFO queue, a cache of finished runs, and cancellation."""

    def __init__(
        self,
        workers: int = 1,
        max_queue: int = 100,
        cache_size: int = 64,
        threads: int = 1,
        nice: int = 10,
        cpus: set[int] | None = None,
        preload: tuple[str, ...] = (),
        grace: float = 10.0,
        cancel_timeout: float = 5.0,
        check_every: float = 1.0,
    ) -> None:
        """workers: processes (each trains one run at a time on `threads` CPU threads, at niceness `nice`,
        pinned to `cpus` if given, with `preload` modules imported at start); max_queue: jobs waiting at most;
        cache_size: finished runs kept; grace: seconds an owner may look dead before its jobs are cancelled;
        cancel_timeout: seconds a running job may take to stop before its worker is killed and replaced."""
        if workers < 1 or max_queue < 0 or cache_size < 0:
            raise ValueError("workers >= 1, max_queue >= 0 and cache_size >= 0")
        self.size, self.max_queue, self.cache_size = workers, max_queue, cache_size
        self.threads, self.nice, self.cpus, self.preload = threads, nice, cpus, tuple(preload)
        self.grace, self.cancel_timeout, self.check_every = grace, cancel_timeout, check_every
        self._lock = threading.RLock()
        self._queue: deque[_Task] = deque()
        self._live: dict[Hashable, _Task] = {}  # queued or running, by key
        self._cache: OrderedDict[Hashable, _Task] = OrderedDict()
        self._owners: dict[Hashable, list[Job]] = {}
        self._alive: dict[Hashable, Callable[[], bool]] = {}
        self._dead_since: dict[Hashable, float] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._workers = [_Worker(self, i) for i in range(workers)]
        self._idle = list(self._workers)
        self._wake = threading.Event()
        self._monitor = threading.Thread(target=self._watch, name="training-pool", daemon=True)
        self._monitor.start()

    # ---- the API

    def submit(
        self,
        key: Hashable,
        fn: Callable,
        *args: Any,
        owner: Hashable | None = None,
        alive: Callable[[], bool] | None = None,
        progress: str | None = "callback",
    ) -> Job:
        """Queue fn(*args) in a worker under `key` (its settings); a cached or identical live run is shared.

        fn must be importable by name (a module-level function, e.g. lessons.qat_training.lesson.train_qat) and its args and
        result picklable (args are pickled here: an unpicklable one raises at once, in the caller). The worker passes fn a reporter as the keyword argument named `progress` (None: none):
        report(record) after each epoch (fraction = epoch / epochs), or report(record, fraction=f).
        A newer job of `owner` cancels its older ones; `alive()` false for `grace` seconds cancels them all.
        """
        hash(key)
        with self._lock:
            if self._closed:
                raise RuntimeError("the pool is shut down")
            if owner is not None:
                for old in self._owners.get(owner, []):
                    if old.key != key:
                        self._cancel(old)
                if alive is not None:
                    self._alive[owner] = alive
            task = self._cache.get(key)
            cached, shared = task is not None, False
            if cached:
                self._cache.move_to_end(key)
            else:
                task = self._live.get(key)
                shared = task is not None
                if task is None:
                    if len(self._queue) >= self.max_queue:
                        raise QueueFull(f"{len(self._queue)} runs are waiting already")
                    payload = pickle.dumps((fn, args, progress), pickle.HIGHEST_PROTOCOL)
                    task = _Task(key, payload, next(self._ids))
                    self._live[key] = task
                    self._queue.append(task)
            job = Job(self, task, owner, cached, shared)
            if not cached:
                task.jobs.append(job)
            if owner is not None:
                self._owners[owner] = [j for j in self._owners.get(owner, []) if not j.done()] + [job]
            self._dispatch()
        return job

    def cancel_owner(self, owner: Hashable) -> int:
        """Cancel every unfinished job of an owner (its session ended); how many were cancelled."""
        with self._lock:
            jobs = self._owners.pop(owner, [])
            self._alive.pop(owner, None)
            self._dead_since.pop(owner, None)
            return sum(self._cancel(j) for j in jobs)

    def stats(self) -> dict[str, int]:
        """Runs waiting, running, cached; owners watched; workers alive."""
        with self._lock:
            return {
                "queued": len(self._queue),
                "running": sum(w.task is not None for w in self._workers),
                "cached": len(self._cache),
                "owners": len(self._owners),
                "workers": sum(w.proc.poll() is None for w in self._workers),
            }

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def shutdown(self) -> None:
        """Cancel everything and stop the workers."""
        with self._lock:
            self._closed = True
            for task in list(self._queue) + [w.task for w in self._workers if w.task]:
                for job in list(task.jobs):
                    self._cancel(job)
            workers = list(self._workers)
        self._wake.set()
        for w in workers:
            w.stop()

    def __enter__(self) -> TrainingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    # ---- inside

    def _position(self, task: _Task) -> int | None:
        with self._lock:
            if task.state == RUNNING:
                return 0
            if task.state == QUEUED:
                return self._queue.index(task) + 1
            return None

    def _ahead(self, task: _Task) -> int | None:
        with self._lock:
            if task.state != QUEUED:
                return None
            return self._queue.index(task) + sum(w.task is not None for w in self._workers)

    def _cancel(self, job: Job) -> bool:
        with self._lock:
            task = job._task
            if job._cancelled or task.state in (DONE, FAILED, CANCELLED) or job not in task.jobs:
                return False
            job._cancelled = True
            task.jobs.remove(job)
            if not task.jobs:  # nobody wants the run any more
                if task.state == QUEUED:
                    self._queue.remove(task)
                    self._finish(task, CANCELLED)
                elif task.state == RUNNING and task.worker is not None:
                    # a new submission of the same settings starts afresh
                    if self._live.get(task.key) is task:
                        del self._live[task.key]
                    task.cancel_sent = time.monotonic()
                    task.worker.send(("cancel", task.id))
            return True

    def _finish(
        self,
        task: _Task,
        state: str,
        result: Any = None,
        error: JobFailed | None = None,
        seconds: float | None = None,
    ) -> None:
        task.state, task.result, task.error, task.seconds = state, result, error, seconds
        if state == DONE:
            task.progress = Progress(1.0, task.progress.record)
        if self._live.get(task.key) is task:
            del self._live[task.key]
        if state == DONE and self.cache_size:
            self._cache[task.key] = task
            self._cache.move_to_end(task.key)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        task.payload = b""  # the inputs are no longer needed: let them go
        task.finished.set()

    def _dispatch(self) -> None:
        """Hand queued runs to idle workers (a dead worker is replaced first)."""
        while self._queue and self._idle and not self._closed:
            worker = self._idle.pop(0)
            task = self._queue.popleft()
            task.state, task.worker, worker.task = RUNNING, worker, task
            if not worker.send(("run", task.id, task.payload)):
                self._finish(
                    task, FAILED, error=JobFailed("WorkerDied", "the training process could not take it")
                )
                worker.task = None

    def _on_message(self, worker: _Worker, msg: tuple) -> None:
        kind = msg[0]
        with self._lock:
            task = worker.task
            if kind == "ready" or task is None or msg[1] != task.id:
                return
            if kind == "progress":
                task.progress = Progress(msg[2] if msg[2] is not None else task.progress.fraction, msg[3])
                return
            if kind == "done":
                self._finish(task, DONE, result=msg[2], seconds=msg[3])
            elif kind == "error":
                self._finish(task, FAILED, error=JobFailed(msg[2], msg[3], msg[4]))
            else:
                self._finish(task, CANCELLED)
            worker.task = None
            self._idle.append(worker)
            self._dispatch()

    def _on_worker_exit(self, worker: _Worker, code: int) -> None:
        """A worker died (crashed, killed, or stopped): its run fails cleanly and a new worker takes its place."""
        with self._lock:
            task, worker.task = worker.task, None
            if task is not None and task.state == RUNNING:
                if task.cancel_sent is not None:
                    self._finish(task, CANCELLED)
                else:
                    how = f"signal {-code}" if code < 0 else f"exit code {code}"
                    self._finish(
                        task,
                        FAILED,
                        error=JobFailed("WorkerDied", f"the training process stopped unexpectedly ({how})"),
                    )
            if worker in self._idle:
                self._idle.remove(worker)
            if worker in self._workers:
                i = self._workers.index(worker)
                if self._closed:
                    return
                self._workers[i] = fresh = _Worker(self, i)
                self._idle.append(fresh)
                self._dispatch()

    def _watch(self) -> None:
        """Every check_every seconds: cancel the jobs of owners dead for `grace`, kill workers slow to cancel."""
        while not self._wake.wait(self.check_every):
            now = time.monotonic()
            with self._lock:
                watched = list(self._alive.items())
            for owner, alive in watched:
                try:
                    ok = alive()
                except Exception:  # a broken check must not stop the pool: treat the owner as alive
                    ok = True
                with self._lock:
                    if ok:
                        self._dead_since.pop(owner, None)
                    elif now - self._dead_since.setdefault(owner, now) >= self.grace:
                        self.cancel_owner(owner)
            with self._lock:
                slow = [
                    w
                    for w in self._workers
                    if w.task is not None
                    and w.task.cancel_sent is not None
                    and now - w.task.cancel_sent > self.cancel_timeout
                ]
                self._owners = {o: [j for j in js if not j.done()] for o, js in self._owners.items()}
                for o in [o for o, js in self._owners.items() if not js and o in self._alive]:
                    del self._owners[o], self._alive[o]
                    self._dead_since.pop(o, None)
            for w in slow:
                w.kill()
