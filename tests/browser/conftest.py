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
def chromium_browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
