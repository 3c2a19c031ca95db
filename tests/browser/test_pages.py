"""Every page in the real server and a real browser, in both languages: no exception, a screenshot of each."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.util import (
    ARTIFACTS,
    BOUND_MS,
    app_errors,
    bounded,
    exceptions_on,
    screenshot_full,
    wait_idle,
)
from ui.shell import PAGES

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "screens"
LOCALES = {"en": "en-US", "ja": "ja-JP"}
MARKERS = {"en": "quantiz", "ja": "量子化"}  # a word every page shows in its language


def url_path(path: str) -> str:
    """Streamlit's URL for a script: the home page is '/', pages/3_STE.py is '/STE'."""
    if path == "app.py":
        return ""
    return Path(path).stem.split("_", 1)[1]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_page_renders_without_exception(app_server, chromium_browser, lang):
    base, _, log_path = app_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx = bounded(
        chromium_browser.new_context(locale=LOCALES[lang], viewport={"width": 1440, "height": 1000})
    )
    page = ctx.new_page()
    try:
        for pid, path, _ in PAGES:
            page.goto(f"{base}/{url_path(path)}", timeout=BOUND_MS)
            wait_idle(page)
            assert exceptions_on(page) == [], f"{pid} ({lang}) shows an exception"
            text = page.locator('[data-testid="stMain"]').inner_text()
            assert MARKERS[lang] in text.lower(), f"{pid} ({lang}) is not in its language"
            screenshot_full(page, str(SHOTS / f"{pid}-{lang}.png"))
    finally:
        ctx.close()
    assert app_errors(log_path.read_text()) == []
