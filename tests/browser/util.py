"""Helpers for the browser tests: wait for a Streamlit run to finish, read exceptions off the page."""

from __future__ import annotations

import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
# How long a browser test waits for a state before it calls the app hung: a bound, not a budget. A shared 2-core
# machine under load may take minutes for what takes a second on a quiet one; speed is for `python -m bench`.
BOUND_MS = 300_000
LOCALES = {"en": "en-US", "ja": "ja-JP"}  # the browser's language for each of the app's
MARKERS = {"en": "quantiz", "ja": "量子化"}  # a word every page shows in its language
# Every button or page link on screen (a collapsed sidebar lies left of it) with an element whose text is wider
# than its box.
LABELS_CUT = """() => [...document.querySelectorAll('button, [data-testid="stPageLink"] a')].filter(b =>
  b.offsetParent !== null && b.getBoundingClientRect().right > 1 && [b, ...b.querySelectorAll('*')].some(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
).map(b => b.textContent.slice(0, 60))"""
SCRIPT_DONE = (
    """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'"""
)


def page_url(base: str, path: str, query: str = "") -> str:
    """The URL Streamlit gives a page file (app.py -> /, pages/2_Scale_and_zero_point.py -> /Scale_and_zero_point)."""
    name = "" if path == "app.py" else re.sub(r"^\d+_", "", path.split("/")[-1][:-3])
    return f"{base}/{name}" + (f"?{query}" if query else "")


def bounded(ctx):
    """A browser context whose every wait (actions, navigation) is bounded by BOUND_MS, not Playwright's 30 s."""
    ctx.set_default_timeout(BOUND_MS)
    ctx.set_default_navigation_timeout(BOUND_MS)
    return ctx


def wait_idle(page, timeout_ms: int = BOUND_MS, quiet_s: float = 1.0) -> None:
    """Wait until the app has drawn its page and its script run has finished (nothing changes for quiet_s)."""
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stElementContainer"]', timeout=timeout_ms)
    page.wait_for_function(SCRIPT_DONE, timeout=timeout_ms, polling=100)
    deadline = time.monotonic() + timeout_ms / 1000
    last, quiet_since = None, time.monotonic()
    while time.monotonic() < deadline:
        busy = page.locator('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]').count() > 0
        size = len(page.locator('[data-testid="stMain"]').inner_text())
        if busy or size != last:
            last, quiet_since = size, time.monotonic()
        elif time.monotonic() - quiet_since > quiet_s:
            return
        time.sleep(0.1)
    raise TimeoutError("the app kept running")


def exceptions_on(page) -> list[str]:
    """Texts of any exception boxes Streamlit drew (a person must never see one)."""
    return [e.inner_text() for e in page.locator('[data-testid="stException"]').all()]


def screenshot_full(page, path: str, width: int | None = None, cap: int = 16_000) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, so grow the viewport to fit, then
    give the window back its size (so a later "top of the page" shot is the first screen). `cap` keeps under
    Chromium's largest texture (16,384 px)."""
    before = page.viewport_size
    width = width or before["width"]
    height = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stMainBlockContainer"]')]
                 .map(e => e.scrollHeight), 800)"""
    )
    page.set_viewport_size({"width": width, "height": min(int(height) + 80, cap)})
    page.wait_for_timeout(400)
    page.screenshot(path=path)
    page.set_viewport_size(before)


def app_errors(log_text: str) -> list[str]:
    """Tracebacks in a server log that pass through the app's own code (pages, qlib, ui, app.py).

    Streamlit's web server also logs a traceback when a browser tab closes mid-connection; that is the
    server's noise, not the app failing, so only tracebacks naming our files count.
    """
    blocks = log_text.split("Traceback (most recent call last):")[1:]
    ours = (f"{ROOT}/pages/", f"{ROOT}/qlib/", f"{ROOT}/ui/", f"{ROOT}/app.py")
    return [b[:2000] for b in blocks if any(p in b for p in ours)] + [
        line
        for line in log_text.splitlines()
        if "Uncaught app" in line or "failed" in line and "section" in line
    ]


METRIC_SHOWS = """([label, value]) => {
  for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
    const l = m.querySelector('[data-testid="stMetricLabel"]');
    if (l && l.textContent.trim() === label)
      return value === null ? true : m.querySelector('[data-testid="stMetricValue"]')?.textContent.trim() === value;
  }
  return false;
}"""


def wait_metric(page, label: str, value: str | None = None, timeout_ms: int = BOUND_MS) -> None:
    """Wait for a state, not a time: the st.metric labelled `label` shows `value` (any value if None).

    The timeout only bounds a hang (a busy shared machine may take minutes); the test waits for the number.
    """
    page.wait_for_function(METRIC_SHOWS, arg=[label, value], timeout=timeout_ms, polling=100)


def wait_script_done(page, timeout_ms: int = BOUND_MS) -> None:
    """Wait until the app's script run has finished (Streamlit's own e2e tests wait on data-test-script-state)."""
    page.wait_for_function(SCRIPT_DONE, timeout=timeout_ms, polling=100)
