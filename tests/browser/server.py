"""The real Streamlit server on a free loopback port, and the chromium flags: shared by the browser tests and bench/."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

from tests.browser.util import ARTIFACTS, ROOT

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# what the tests add to the repo's .streamlit/config.toml: a traceback on the page, to be caught
TEST_FLAGS = ("--browser.gatherUsageStats", "false", "--client.showErrorDetails", "full")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60.0, poll: float = 0.3) -> None:
    """Poll Streamlit's health endpoint every `poll` seconds until it answers ok (or the server dies)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(poll)
    raise RuntimeError("the server did not become healthy in time")


def start_server(
    port: int, log_path: Path, flags: Sequence[str] = TEST_FLAGS, cwd: Path = ROOT
) -> subprocess.Popen:
    """`streamlit run app.py` on 127.0.0.1:port, headless, no file watcher, plus `flags`; its output to log_path.

    Everything else comes from the folder's .streamlit/config.toml, as for a person (pass flags=() for exactly
    that); `cwd` is the app's folder (the repo, or another checkout of it).
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        *flags,
    ]
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ})


def stop(proc: subprocess.Popen) -> None:
    """Terminate the server; one slow to stop is killed."""
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


@contextlib.contextmanager
def serve(log_name: str, flags: Sequence[str] = TEST_FLAGS) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """The app on a free loopback port for the duration of a block; yields (base_url, process, log_path)."""
    port = free_port()
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # pytest -n: each worker has its own server and log
    log_path = ARTIFACTS / (f"{worker}-{log_name}" if worker else log_name)
    proc = start_server(port, log_path, flags)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url, proc, log_path
    finally:
        stop(proc)
