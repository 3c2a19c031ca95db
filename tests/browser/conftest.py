"""Browser-test fixtures: the real Streamlit server on a free loopback port, and Debian's chromium via Playwright."""

from __future__ import annotations

import shutil

import pytest

from tests.browser.server import CHROMIUM_ARGS, serve


@pytest.fixture(scope="session")
def app_server():
    """The app served on loopback for the whole test session."""
    with serve("server.log") as server:
        yield server


@pytest.fixture(scope="session")
def chromium_browser(playwright):
    """Debian's chromium driven by Playwright (never a downloaded browser).

    It comes from pytest-playwright's one session-wide `playwright`: a second sync_playwright() in the same
    thread, while the plugin's is running, fails ("Sync API inside the asyncio loop").
    """
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium fonts-noto-cjk")
    browser = playwright.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
