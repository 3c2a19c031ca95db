"""deploy/: two replicas behind Debian's nginx on loopback; two browsers land on different replicas (round robin,
then a sticky cookie), the websocket goes through the proxy, and each session keeps its own state across reruns."""

from __future__ import annotations

import re
import shutil
import time

import pytest

from deploy.classroom import classroom, free_port
from tests.browser.test_interactions import metric
from tests.browser.util import ARTIFACTS, wait_idle, wait_metric

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("nginx") is None, reason="needs Debian's nginx"),
]
EXPLORER = "Scale_and_zero_point"
STREAM = re.compile(r'"GET /_stcore/stream HTTP/1.1" 101 \d+ replica=(\S+) cookie=(\S+)')


def test_two_sessions_on_two_replicas_keep_their_own_state(chromium_browser, tmp_path):
    logs = ARTIFACTS / "deploy"
    logs.mkdir(parents=True, exist_ok=True)
    with classroom(2, free_port(), "127.0.0.1", run_dir=tmp_path / "nginx", log_dir=logs) as room:
        ctxs = [
            chromium_browser.new_context(locale="en-US", viewport={"width": 1440, "height": 1000})
            for _ in range(2)
        ]
        try:
            pages, served = [], []
            for ctx in ctxs:
                page = ctx.new_page()
                response = page.goto(f"{room.url}/{EXPLORER}", timeout=90_000)
                served.append(response.headers["x-classroom-replica"])
                wait_metric(page, "zero point z", "64")
                pages.append(page)
            assert sorted(served) == sorted(f"127.0.0.1:{p}" for p in room.replica_ports)  # one each
            a, b = pages
            # a goes 8 -> 7 -> 6 -> 7 bits, b 8 -> 9 -> 10 -> 9: three reruns each, interleaved
            for keys in (
                ("ArrowLeft", "ArrowRight"),
                ("ArrowLeft", "ArrowRight"),
                ("ArrowRight", "ArrowLeft"),
            ):
                for page, key in zip(pages, keys, strict=True):
                    page.locator('[data-testid="stSlider"] input[type="range"]').first.press(key)
                    wait_idle(page)
            wait_metric(a, "zero point z", "32")  # 7 bits: round(2 / (8 / 127)) = 32
            wait_metric(b, "zero point z", "128")  # 9 bits
            assert metric(a, "scale s") == "0.0630" and "bits=7" in a.url and "bits=9" in b.url
            assert a.context.cookies()[0]["value"] != b.context.cookies()[0]["value"]
        finally:
            for ctx in ctxs:
                ctx.close()
        # each websocket went, through nginx, to the replica that served its page (logged when it closes)
        deadline = time.monotonic() + 60
        while (
            len(streams := STREAM.findall(log := room.access_log.read_text())) < 2
            and time.monotonic() < deadline
        ):
            time.sleep(0.2)
    assert sorted(r for r, _ in streams) == sorted(served), log
    assert all(r == c for r, c in streams)
