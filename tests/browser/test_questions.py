"""A question in the browser, at a projector's and a phone's size in both languages: it can be answered,
checked, it explains, and "show me" sets the explorer to what the explanation claims (issue 15, item 4)."""

from __future__ import annotations

import pytest

from lessons.i18n import t
from lessons.scale_and_zero_point.questions import ZERO_CODE
from tests.browser.util import exceptions_on, wait_idle

pytestmark = pytest.mark.browser

PAGE = "scale_and_zero_point"


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("size", [(1280, 720), (390, 844)], ids=["projector", "phone"])
def test_the_zero_code_question(app_server, chromium_browser, lang, size):
    base, _, _ = app_server
    locale = {"en": "en-US", "ja": "ja-JP"}[lang]
    ctx = chromium_browser.new_context(locale=locale, viewport={"width": size[0], "height": size[1]})
    page = ctx.new_page()
    facts = dict(ZERO_CODE.facts())
    try:
        page.goto(f"{base}/Scale_and_zero_point", timeout=90_000)
        wait_idle(page)
        box = page.locator(f".st-key-{ZERO_CODE.widget_key(PAGE, 'box')}")
        box.scroll_into_view_if_needed()
        check = box.get_by_role("button", name=t("common.q.check", lang))
        assert check.is_disabled()
        wrong = t(f"{PAGE}.{ZERO_CODE.key('opt.zero')}", lang, **facts)
        box.locator('[role="radiogroup"] label').filter(has_text=wrong).click()
        wait_idle(page)
        check.click()
        wait_idle(page)
        right = t(f"{PAGE}.{ZERO_CODE.key('opt.zp')}", lang, **facts)
        assert right in box.inner_text()  # "not quite: the answer is ..."
        show = box.get_by_role("button", name=t(f"{PAGE}.{ZERO_CODE.key('show')}", lang, **facts))
        box_right = box.bounding_box()
        assert box_right["x"] + box_right["width"] <= size[0]  # the box fits the screen
        show.click()
        wait_idle(page)
        label = t(f"{PAGE}.m.zero", lang)
        m = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
        assert m.locator('[data-testid="stMetricValue"]').inner_text().strip() == str(facts["code"])
        assert exceptions_on(page) == []
    finally:
        ctx.close()
