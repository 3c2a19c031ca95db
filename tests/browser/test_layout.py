"""Projector and phone layouts (issue 15, items 1 and 2), in the real server and chromium, in both languages.

At 1280×720, 1400×900 and 390×844: the explorer's bit slider and number line fit in the viewport together; on
every page no formula runs past its container. Labels cut at 150 % zoom, exceptions and every page's language are
checked on test_flow.py's tour of the lessons. Screenshots go to tests/artifacts/layout/.
"""

from __future__ import annotations

import pytest

from tests.browser.util import ARTIFACTS, BOUND_MS, LABELS_CUT, LOCALES, bounded, page_url, wait_idle
from ui.shell import PAGES

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "layout"
SIZES = {"projector": (1280, 720), "laptop": (1400, 900), "phone": (390, 844)}
SHOWN = {"home", "scale_and_zero_point", "ste", "qat_training", "pytorch_and_tensorflow"}

# The bit slider scrolled to the top (below Streamlit's header), then both boxes in viewport coordinates.
SLIDER_AND_LINE = """() => {
  const s = document.querySelector('.st-key-ex_bits'), l = document.querySelector('.st-key-ex_fig_line');
  s.scrollIntoView({block: 'start'});
  let p = s.parentElement;
  while (p && !(p.scrollHeight > p.clientHeight && getComputedStyle(p).overflowY !== 'visible')) p = p.parentElement;
  if (p) p.scrollBy(0, -70);
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {slider: box(s), line: box(l), w: innerWidth, h: innerHeight};
}"""

# Every KaTeX formula in the page body whose drawing is wider than its box, or reaches past its container
# (3 px of slack: KaTeX's .vlist-s struts add 2 invisible pixels to an aligned block's scrollWidth).
FORMULAS_CUT = """() => [...document.querySelectorAll('[data-testid="stMain"] .katex-display')].filter(k => {
  const c = k.closest('[data-testid="stElementContainer"]');
  const html = k.querySelector('.katex-html') || k;
  return k.scrollWidth > k.clientWidth + 3 || html.getBoundingClientRect().right > c.getBoundingClientRect().right + 1;
}).map(k => k.textContent.slice(0, 80))"""


def _open(browser, lang: str, size: tuple[int, int], scale: float = 1.0):
    w, h = size
    ctx = bounded(
        browser.new_context(
            locale=LOCALES[lang], viewport={"width": w, "height": h}, device_scale_factor=scale
        )
    )
    return ctx, ctx.new_page()


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("size", list(SIZES))
def test_explorer_slider_and_number_line_in_view_together(app_server, chromium_browser, lang, size):
    base, _, _ = app_server
    ctx, page = _open(chromium_browser, lang, SIZES[size])
    try:
        page.goto(f"{base}/Scale_and_zero_point", timeout=BOUND_MS)
        wait_idle(page)
        r = page.evaluate(SLIDER_AND_LINE)
        for name in ("slider", "line"):
            left, top, right, bottom = r[name]
            assert 0 <= top and bottom <= r["h"], f"{name} {r[name]} leaves the {r['w']}×{r['h']} viewport"
            assert 0 <= left and right <= r["w"], f"{name} {r[name]} leaves the {r['w']}×{r['h']} viewport"
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("size", ["projector", "phone"])
def test_no_formula_or_label_cut_on_any_page(app_server, chromium_browser, lang, size):
    """Every page at the projector's and the phone's width. Not again at 1400x900: with the wide layout every
    column only grows from 1280 px to 1400, so what fits the projector fits there (and each tour opens all pages,
    the suite's costliest browser step)."""
    base, _, _ = app_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx, page = _open(chromium_browser, lang, SIZES[size])
    problems = []
    try:
        for pid, path, _ in PAGES:
            page.goto(page_url(base, path), timeout=BOUND_MS)
            wait_idle(page)
            problems += [f"{pid}: formula {t!r}" for t in page.evaluate(FORMULAS_CUT)]
            problems += [f"{pid}: label {t!r}" for t in page.evaluate(LABELS_CUT)]
            if pid in SHOWN:
                page.screenshot(path=str(SHOTS / f"{pid}-{size}-{lang}.png"), full_page=True)
    finally:
        ctx.close()
    assert problems == [], f"{lang} at {SIZES[size]}: " + "; ".join(problems)
