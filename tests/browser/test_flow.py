"""Lesson flow and the room (issue 15): next/previous links, shared links with a language and a lock, reset,
the phone's sidebar after a choice, presenter mode, and the contrast of captions and tick labels.

The next/previous tour is also where every page is checked for exceptions, its language and labels cut at 150 %
zoom, and photographed (tests/artifacts/screens/): one tour of all pages per language instead of three."""

from __future__ import annotations

import pytest

from lessons.i18n import t
from tests.browser.util import (
    ARTIFACTS,
    LABELS_CUT,
    MARKERS,
    app_errors,
    bounded,
    exceptions_on,
    page_url,
    screenshot_full,
    wait_idle,
    wait_metric,
)
from ui.shell import PAGES, ROOT

pytestmark = pytest.mark.browser

LESSONS = [p for p in PAGES if (ROOT / p[1]).exists()]
PHONE = {"width": 390, "height": 844}
ZOOMED = {"width": 853, "height": 480}  # a 1280×720 screen at 150 % zoom, in CSS pixels
SHOTS = ARTIFACTS / "screens"
PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"

# WCAG 2 contrast of every visible element a selector finds: its colour (fill for SVG text) at its ancestors'
# combined opacity over the first opaque background behind it; the lowest ratio and where it was found
CONTRAST = """(sel) => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bg = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || c[3] > 0.99) return c.slice(0, 3); } return [255, 255, 255]; };
  let worst = [99, ''];
  for (const e of document.querySelectorAll(sel)) {
    const r = e.getBoundingClientRect(); if (!r.width || !e.textContent.trim()) continue;
    const cs = getComputedStyle(e); const isSvg = e instanceof SVGElement;
    let c = rgb(isSvg ? cs.fill : cs.color); let a = c.length > 3 ? c[3] : 1;
    for (let p = e; p; p = p.parentElement) a *= Number(getComputedStyle(p).opacity);
    const b = bg(isSvg ? e.closest('.js-plotly-plot') : e);
    const fg = c.slice(0, 3).map((v, i) => v * a + b[i] * (1 - a));
    const [hi, lo] = [lum(fg), lum(b)].sort((x, y) => y - x);
    const ratio = (hi + 0.05) / (lo + 0.05);
    if (ratio < worst[0]) worst = [ratio, e.textContent.trim().slice(0, 40)];
  }
  return worst;
}"""


@pytest.fixture
def browse(chromium_browser):
    """A fresh browser context per call (viewport, phone or not); all closed at the end of the test."""
    made = []

    def open_(viewport=None, phone: bool = False, scale: float = 1.0):
        kw = dict(is_mobile=True, has_touch=True, user_agent=PHONE_UA) if phone else {}
        ctx = bounded(
            chromium_browser.new_context(
                viewport=viewport or {"width": 1280, "height": 720}, device_scale_factor=scale, **kw
            )
        )
        made.append(ctx)
        return ctx.new_page()

    yield open_
    for ctx in made:
        ctx.close()


def wait_title(page, name: str) -> None:
    """Wait for the page named `name` to be drawn (the old page's content lingers until the new run ends)."""
    page.wait_for_function("n => document.title.startsWith(n)", arg=name)
    wait_idle(page)


def main_link(page, text: str):
    return page.locator('[data-testid="stMain"] a[data-testid="stPageLink-NavLink"]', has_text=text)


def check_page(page, pid: str, lang: str) -> list[str]:
    """What every page must be, checked on the tour: no exception, in its language, no button or link label cut
    at 150 % zoom (the tour's 853×480 viewport at 1.5 device pixels: a 1280×720 screen zoomed), and a
    screenshot of the whole page at 1280 px."""
    problems = [f"{pid}: exception {e[:200]!r}" for e in exceptions_on(page)]
    if MARKERS[lang] not in page.locator('[data-testid="stMain"]').inner_text().lower():
        problems.append(f"{pid}: not in {lang}")
    problems += [f"{pid}: label cut at 150 % {b!r}" for b in page.evaluate(LABELS_CUT)]
    SHOTS.mkdir(parents=True, exist_ok=True)
    screenshot_full(page, str(SHOTS / f"{pid}-{lang}.png"), width=1280)
    page.set_viewport_size(ZOOMED)
    return problems


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_next_and_previous_links_lead_through_every_lesson_in_the_language(app_server, browse, lang):
    """The whole course by its own links; on the way, every page is checked (check_page) and photographed."""
    base, _, log_path = app_server
    page = browse(ZOOMED, scale=1.5)
    page.goto(page_url(base, "app.py", f"lang={lang}"))
    wait_idle(page)
    problems = check_page(page, LESSONS[0][0], lang)
    for pid, _, _ in LESSONS[1:]:
        name = t(f"common.page.{pid}", lang)
        main_link(page, t("common.next", lang, page=name)).click()
        wait_title(page, name)
        assert page.evaluate("document.documentElement.lang") == lang and f"lang={lang}" in page.url
        problems += check_page(page, pid, lang)
    assert main_link(page, t("common.next", lang, page="")).count() == 0  # the last lesson has no next
    first = t(f"common.page.{LESSONS[-2][0]}", lang)
    main_link(page, t("common.prev", lang, page=first)).click()
    wait_title(page, first)
    assert problems == [], "; ".join(problems)
    assert app_errors(log_path.read_text()) == []


def test_a_shared_link_opens_the_view_in_its_language_with_the_control_locked(app_server, browse):
    base, _, _ = app_server
    page = browse({"width": 1400, "height": 900})
    page.goto(page_url(base, "pages/2_Scale_and_zero_point.py", "lang=ja&bits=4&zero=0&lock=bits,presets"))
    wait_idle(page)
    assert page.evaluate("document.documentElement.lang") == "ja"
    assert page.locator("h1", has_text=t("scale_and_zero_point.title", "ja")).count() == 1
    assert not page.locator(".st-key-ex_bits").is_visible()  # locked: hidden
    assert not page.locator(".st-key-ex_preset_seed").is_visible()
    assert page.locator(".st-key-ex_mode").is_visible()  # not locked
    wait_metric(page, t("scale_and_zero_point.m.codes", "ja"), "0 … 15")  # the link's 4 bits
    assert not page.locator(".st-key-ex_zero input").is_checked()
    assert "bits=4" in page.url and "lock=bits" in page.url.replace("%2C", ",")


def test_a_shared_link_on_another_lesson_opens_its_view(app_server, browse):
    base, _, _ = app_server
    page = browse()
    page.goto(page_url(base, "pages/3_STE.py", "lang=en&bits=5&lock=all"))
    wait_idle(page)
    assert (
        not page.locator(".st-key-ste_bits").is_visible()
        and not page.locator(".st-key-ste_fit_lr").is_visible()
    )
    assert "bits=5" in page.url and page.locator('[data-testid="stMain"] h1').count() == 1


def test_reset_restores_the_defaults_and_clears_the_link(app_server, browse):
    base, _, _ = app_server
    page = browse({"width": 1400, "height": 900})
    page.goto(page_url(base, "pages/2_Scale_and_zero_point.py", "lang=en&bits=4&min=-1&max=1"))
    wait_idle(page)
    assert "0 … 15" in page.locator('[data-testid="stMain"]').inner_text()
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name=t("common.reset", "en")).click()
    wait_idle(page)
    page.wait_for_function("() => !location.search.includes('bits=')")
    assert "0 … 255" in page.locator('[data-testid="stMain"]').inner_text()
    assert "min=" not in page.url and "lang=en" in page.url


def sidebar_open(page) -> bool:
    return page.evaluate(
        """() => { const s = document.querySelector('[data-testid="stSidebar"]');
                   return !!s && s.getBoundingClientRect().right > 10; }"""
    )


def wait_sidebar_closed(page) -> None:
    """Wait for the sidebar's closing slide; on a busy machine the rerun that closes it can take seconds."""
    page.wait_for_function(
        """() => { const s = document.querySelector('[data-testid="stSidebar"]');
                   return !s || s.getBoundingClientRect().right <= 10; }""",
        timeout=15_000,
    )


def test_on_a_phone_the_sidebar_closes_after_a_lesson_is_chosen(app_server, browse):
    base, _, _ = app_server
    page = browse(PHONE, phone=True)
    page.goto(page_url(base, "app.py", "lang=en"))
    wait_idle(page)
    assert not sidebar_open(page)  # a phone opens with the sidebar closed
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().left >= 0"
    )
    page.locator('[data-testid="stSidebar"] a', has_text=t("common.page.ste", "en")).tap()
    wait_title(page, t("common.page.ste", "en"))
    wait_sidebar_closed(page)
    assert "STE" in page.url
    assert page.locator("h1", has_text=t("ste.title", "en")).is_visible()


TOOLBARS_OVER = """() => [...document.querySelectorAll('[data-testid="stElementToolbar"]')].filter(t => {
  if (getComputedStyle(t).opacity === '0') return false;
  const c = t.closest('.stElementContainer'), prev = c && c.previousElementSibling;
  return prev && t.getBoundingClientRect().top < prev.getBoundingClientRect().bottom - 1;
}).map(t => t.closest('.stElementContainer').previousElementSibling.textContent.slice(0, 40))"""


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_on_a_phone_a_tables_toolbar_leaves_its_title_readable(app_server, browse, lang):
    """A touch screen shows a table's toolbar all the time, 44 px above the table: it covered the end of the
    Japanese QAT table's title on Predict (「…活性化 8 ビット」)."""
    base, _, _ = app_server
    page = browse(PHONE, phone=True)
    page.goto(page_url(base, "pages/5_Predict.py", f"lang={lang}"))
    wait_idle(page)
    assert page.locator('[data-testid="stDataFrame"]').count() >= 2
    assert page.evaluate(TOOLBARS_OVER) == []


def test_presenter_mode_from_the_link(app_server, browse):
    base, _, _ = app_server
    page = browse()
    page.goto(page_url(base, "pages/3_STE.py", "lang=en&present=1"))
    wait_idle(page)
    assert not sidebar_open(page)
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") > 17
    folded = page.locator('[data-testid="stMain"] [data-testid="stExpander"] [data-testid="stExpander"]')
    assert folded.count() == 2  # the page's two long notes, folded inside "What the libraries really do"
    assert "present=1" in page.url


def test_presenter_mode_from_the_sidebar_folds_the_sidebar(app_server, browse):
    base, _, _ = app_server
    page = browse({"width": 1280, "height": 720})
    page.goto(page_url(base, "pages/3_STE.py", "lang=ja"))
    wait_idle(page)
    assert sidebar_open(page)  # a 1280 px screen opens with the sidebar open
    page.locator('[data-testid="stSidebar"] .st-key-present label').click()
    page.wait_for_url("**present=1**")
    wait_sidebar_closed(page)
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") > 17


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_captions_and_chart_text_have_enough_contrast(app_server, browse, lang):
    base, _, _ = app_server
    page = browse({"width": 1400, "height": 900})
    page.goto(page_url(base, "pages/2_Scale_and_zero_point.py", f"lang={lang}"))
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .xtick text")
    for sel in (
        '[data-testid="stCaptionContainer"] p',
        ".js-plotly-plot .xtick text",
        ".js-plotly-plot .ytick text",
        ".js-plotly-plot .legendtext",
        '[data-testid="stMain"] [data-testid="stMarkdown"] p',
    ):
        ratio, where = page.evaluate(CONTRAST, sel)
        assert ratio >= 4.5, (sel, ratio, where)


def test_icons_are_not_read_out_and_chart_toolbars_are_out_of_the_tab_order(app_server, browse):
    base, _, _ = app_server
    page = browse({"width": 1400, "height": 900})
    page.goto(page_url(base, "pages/2_Scale_and_zero_point.py", "lang=en"))
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot")
    spoken = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stIconMaterial"]')]
                 .filter(e => e.getAttribute('aria-hidden') !== 'true').map(e => e.textContent)"""
    )
    assert spoken == []
    stops = page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot a, .js-plotly-plot button, .js-plotly-plot [tabindex]')]
                 .filter(e => e.tabIndex >= 0).length"""
    )
    assert stops == 0
