"""One training worker process of `ui.training_pool`: runs one job at a time, reports progress, obeys cancel.

Started by the pool as `python -m ui.training_worker <read fd> <write fd>`; it never imports streamlit (nothing
here does, and the jobs are qlib functions). Messages are framed by `multiprocessing.connection` and pickled with plain pickle (by value: the
multiprocessing pickler would send torch tensors as shared-memory handles):

    pool -> worker   ("init", sys_path, threads, nice, preload)   once, first
                     ("run", job_id, pickle of (fn, args, progress_kw))   one at a time
                     ("cancel", job_id)                            the job stops at its next progress report
    worker -> pool   ("ready",)  ("progress", job_id, fraction, record)  ("done", job_id, result, seconds)
                     ("error", job_id, type_name, message, traceback)    ("cancelled", job_id)
"""

from __future__ import annotations

import importlib
import os
import pickle
import queue
import sys
import threading
import time
import traceback
from multiprocessing.connection import Connection


class Cancelled(Exception):
    """Raised inside a job at its next progress report once the pool has cancelled it."""


def fraction_of(record: object) -> float | None:
    """How far a run is from a per-epoch record: epoch / epochs (a QAT page history row or an EpochInfo), else None."""
    get = record.get if isinstance(record, dict) else lambda k: getattr(record, k, None)
    epoch, epochs = get("epoch"), get("epochs")
    if isinstance(epoch, int) and isinstance(epochs, int) and epochs > 0:
        return min(epoch / epochs, 1.0)
    return None


def _setup(sys_path: list[str], threads: int, nice: int, preload: tuple[str, ...]) -> None:
    """The parent's module path, fewer CPU threads, a lower priority than the server, modules loaded up front."""
    sys.path[:] = sys_path
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(threads)
    if nice:
        os.nice(nice)
    for name in preload:
        importlib.import_module(name)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


def serve(inbox: Connection, outbox: Connection) -> None:
    """The worker's loop: jobs from the main thread, cancel requests noticed by a reader thread."""
    send_lock = threading.Lock()

    def send(*msg: object) -> None:
        with send_lock:
            outbox.send_bytes(pickle.dumps(msg, pickle.HIGHEST_PROTOCOL))

    kind, *init = pickle.loads(inbox.recv_bytes())
    assert kind == "init"
    _setup(*init)
    jobs: queue.Queue = queue.Queue()
    cancelled: set[int] = set()

    def read() -> None:
        try:
            while True:
                msg = pickle.loads(inbox.recv_bytes())
                if msg[0] == "run":
                    jobs.put(msg)
                elif msg[0] == "cancel":
                    cancelled.add(msg[1])
        except (EOFError, OSError):  # the pool is gone: stop after the current job
            jobs.put(None)

    threading.Thread(target=read, name="inbox", daemon=True).start()
    send("ready")
    while (msg := jobs.get()) is not None:
        _, job_id, payload = msg

        def report(record: object = None, fraction: float | None = None, job_id: int = job_id) -> None:
            if job_id in cancelled:
                raise Cancelled
            send("progress", job_id, fraction if fraction is not None else fraction_of(record), record)

        t0 = time.perf_counter()
        try:
            # unpickled here, not in the reader thread: a function that cannot be imported fails the job
            fn, args, progress_kw = pickle.loads(payload)
            result = fn(*args, **({progress_kw: report} if progress_kw else {}))
            if job_id in cancelled:
                raise Cancelled
            send("done", job_id, result, time.perf_counter() - t0)
        except Cancelled:
            send("cancelled", job_id)
        except BaseException as exc:  # noqa: BLE001 - every failure of a job goes back to the pool, as text
            send("error", job_id, type(exc).__name__, str(exc), traceback.format_exc())
        cancelled.discard(job_id)


def main(argv: list[str]) -> None:
    """Entry point: the two pipe file descriptors the pool passed."""
    serve(Connection(int(argv[0]), writable=False), Connection(int(argv[1]), readable=False))


if __name__ == "__main__":
    main(sys.argv[1:])
