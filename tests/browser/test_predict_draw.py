"""Drawing a digit on the Predict page, in chromium: a 1 and a 7 with the mouse, a 1 with a finger (CDP touch
events), each recognised by both fp32 and int8 as the page shows it; the drawing then reaches the integer page."""

from __future__ import annotations

import re

import pytest

from tests.browser.util import ARTIFACTS, bounded, exceptions_on, screenshot_full, wait_idle

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "screens"

# strokes in canvas fractions (x, y), as a person draws them
ONE = [(0.53, 0.1), (0.47, 0.9)]
SEVEN = [(0.2, 0.12), (0.8, 0.12), (0.45, 0.9)]
AGREE = re.compile(r"(Both models agree\. Both say|Same answer:) (\d) \(")


@pytest.fixture()
def page(app_server, chromium_browser):
    ctx = bounded(chromium_browser.new_context(locale="en-US", viewport={"width": 1400, "height": 900}))
    pg = ctx.new_page()
    yield pg
    assert exceptions_on(pg) == []
    ctx.close()


def _points(box: dict, strokes: list[tuple[float, float]], steps: int = 16) -> list[tuple[float, float]]:
    """The stroke's corners joined by `steps` moves each, in page pixels."""
    xy = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in strokes]
    out = [xy[0]]
    for (x0, y0), (x1, y1) in zip(xy, xy[1:], strict=False):
        out += [(x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps) for k in range(1, steps + 1)]
    return out


def _canvas(page) -> dict:
    """The drawing canvas's box on the page."""
    c = page.locator("canvas.ql-draw-canvas").first
    c.wait_for()
    c.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    return c.bounding_box()


def draw_mouse(page, strokes) -> None:
    """One stroke with the mouse: press, move through the points, release (the canvas sends on release)."""
    pts = _points(_canvas(page), strokes)
    page.mouse.move(*pts[0])
    page.mouse.down()
    for p in pts[1:]:
        page.mouse.move(*p)
    page.mouse.up()


def draw_touch(page, strokes) -> None:
    """One stroke with a finger: CDP touchStart, touchMove through the points, touchEnd."""
    pts = _points(_canvas(page), strokes)
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": pts[0][0], "y": pts[0][1]}]}
    )
    for x, y in pts[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def answer(page) -> str:
    """The digit both models agree on, from the page's verdict (fails if they disagree or it is 'not a digit')."""
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stDataFrame\"]').length >= 2", timeout=300_000
    )
    wait_idle(page)
    alerts = [a.inner_text() for a in page.locator('[data-testid="stAlert"]').all()]
    assert not any("does not look like a digit" in a for a in alerts), alerts
    found = [m.group(2) for a in alerts if (m := AGREE.search(a))]
    assert found, alerts
    return found[0]


def clear(page) -> None:
    """The page's clear button: a new, empty canvas, and the prompt to draw."""
    page.get_by_role("button", name="Clear the drawing").click()
    wait_idle(page)
    page.get_by_text("Draw a digit in the box").wait_for()
    assert page.locator('[data-testid="stDataFrame"]').count() == 0


def test_draw_a_one_and_a_seven_with_the_mouse_and_a_one_by_touch(page, app_server):
    base, _, _ = app_server
    page.goto(f"{base}/Predict")
    wait_idle(page)
    page.locator('[data-testid="stRadio"] label', has_text="Draw").first.click()
    wait_idle(page)
    page.get_by_text("Draw a digit in the box").wait_for()

    draw_mouse(page, ONE)
    assert answer(page) == "1"
    screenshot_full(page, str(SHOTS / "predict-draw-1.png"), width=1400)
    clear(page)

    for a, b in zip(SEVEN, SEVEN[1:], strict=False):  # a 7 in one stroke would do; two is how many draw it
        draw_mouse(page, [a, b])
        page.wait_for_timeout(300)
    assert answer(page) == "7"
    clear(page)

    draw_touch(page, ONE)  # the first stroke on a new canvas, with no pointer hovering first
    assert answer(page) == "1"

    # the drawing is the integer page's "digit from the Predict page"
    page.locator(
        '[data-testid="stSidebarNav"] a, [data-testid="stSidebar"] a', has_text="Integer"
    ).first.click()
    wait_idle(page)
    page.locator('[data-testid="stRadio"] label', has_text="The digit from the Predict page").first.click()
    wait_idle(page)
    assert page.get_by_text("No digit was drawn").count() == 0
