"""Helpers for the browser tests: wait for a Streamlit run to finish, read exceptions off the page."""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"


def wait_idle(page, timeout_ms: int = 60_000) -> None:
    """Wait until the app has rendered and its script run has finished."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_selector('[data-testid="stMain"]', timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    quiet_since = None
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        skeleton = page.locator('[data-testid="stSkeleton"]').count() > 0
        if running or skeleton:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 1.0:
            return
        time.sleep(0.2)
    raise TimeoutError("the app kept running")


def exceptions_on(page) -> list[str]:
    """Texts of any exception boxes Streamlit drew (a person must never see one)."""
    return [e.inner_text() for e in page.locator('[data-testid="stException"]').all()]
