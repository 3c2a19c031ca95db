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


# What the file uploader shows: its own words at size 0, and in their place the ::after text (ui/layout.py).
UPLOADER_WORDS = """() => {
  const q = s => document.querySelector('[data-testid="stFileUploader"] ' + s);
  const shown = e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content];
  return [shown(q('[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p')),
          shown(q('[data-testid="stFileUploaderDropzoneInstructions"] span'))];
}"""


@pytest.mark.parametrize(
    ("lang", "button", "limit"), [("ja", "アップロード", "1 ファイル 10 MB まで"), ("en", "Upload", "10 MB")]
)
def test_the_file_uploader_speaks_the_pages_language(app_server, chromium_browser, lang, button, limit):
    """Streamlit writes "Upload" and "10MB per file • PNG, …" in English whatever the page's language."""
    base, _, _ = app_server
    ctx = chromium_browser.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    try:
        page.goto(f"{base}/Preprocess?lang={lang}", timeout=90_000)
        wait_idle(page)
        (size1, text1), (size2, text2) = page.evaluate(UPLOADER_WORDS)
        assert size1 == size2 == "0px"
        assert text1 == f'"{button}"' and text2.startswith(f'"{limit}') and "PNG" in text2
        if lang == "ja":
            assert "、JPG、" in text2
    finally:
        ctx.close()
