"""`<html lang>` follows the language chosen in the app, not Streamlit's fixed lang="en" (issue 11 C)."""

from __future__ import annotations

import pytest

from lessons.i18n import LANG_NAMES
from tests.browser.util import wait_idle

pytestmark = pytest.mark.browser


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


def test_html_lang_follows_the_language(app_server, chromium_browser):
    base, _, _ = app_server
    ctx = chromium_browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    try:
        page.goto(base, timeout=90_000)
        wait_idle(page)
        assert html_lang(page) == "ja"  # the first visit follows the browser's language
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text(LANG_NAMES["en"], exact=True).click()
        wait_idle(page)
        assert html_lang(page) == "en"
        sidebar.get_by_text(LANG_NAMES["ja"], exact=True).click()
        wait_idle(page)
        assert html_lang(page) == "ja"
        sidebar.locator("a").nth(7).click()  # the last lesson: a page of its own, the language kept
        wait_idle(page)
        assert html_lang(page) == "ja" and "TensorFlow" in page.url
    finally:
        ctx.close()
