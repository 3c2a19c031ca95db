"""On a real server, ui.sessions sees a browser session end as soon as its websocket closes (not two minutes later)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.st_client import Student
from tests.browser.server import free_port, stop, wait_healthy
from tests.browser.util import ROOT

pytestmark = pytest.mark.slow


def test_a_closed_tab_is_a_session_that_ended(tmp_path):
    port = free_port()
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "tests/data/session_probe.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc)

        async def visit() -> None:
            tab = Student(f"ws://127.0.0.1:{port}", "")
            tab.query = f"out={tmp_path}"
            await tab.open()
            await tab.wait(lambda r: r.finished and r.metrics.get("session") == "watched", 120)
            started = list(tmp_path.glob("*.started"))
            deadline = time.monotonic() + 60
            while not started and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
                started = list(tmp_path.glob("*.started"))
            assert [p.read_text() for p in started] == ["True"]  # alive while the tab is open
            assert not list(tmp_path.glob("*.ended"))
            await tab.close()

        # a thread of its own: the browser tests' sync Playwright may already run an event loop in this one
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, visit()).result()
        deadline = time.monotonic() + 30
        while not list(tmp_path.glob("*.ended")) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(list(tmp_path.glob("*.ended"))) == 1, (tmp_path / "server.log").read_text()[-2000:]
    finally:
        stop(proc)
        log.close()
