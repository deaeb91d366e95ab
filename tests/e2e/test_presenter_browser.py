"""Presenter mode on a 1280 x 720 projector: larger text, the sidebar folded away, the
mode kept from page to page; the keyboard steps the lesson and the sliding window."""

from __future__ import annotations

import re

import pytest

from .conftest import error_texts, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def heading_size(page) -> float:
    page.locator("h1").first.wait_for(timeout=30_000)
    return page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
    )


def href(page) -> str:
    return page.evaluate("() => location.href")


@pytest.mark.parametrize("path", ["lesson", "", "quiz", "compare"])
def test_presenter_mode_is_larger_with_the_sidebar_folded(page, server_url, path):
    page.goto(f"{server_url}/{path}")
    wait_for_app(page)
    ordinary = heading_size(page)
    page.goto(f"{server_url}/{path}?present=1")
    wait_for_app(page)
    page.locator("h1").first.wait_for()
    page.wait_for_function(
        "(size) => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize) >= size",
        arg=1.25 * ordinary,
        timeout=15_000,
    )
    # the sidebar is folded away, off the left edge (one click on the arrow brings it back)
    page.wait_for_function(  # once its slide-out transition has ended
        """() => { const s = document.querySelector('[data-testid="stSidebar"]');
                   if (!s) return true; const b = s.getBoundingClientRect();
                   return b.width === 0 || b.right <= 1; }""",
        timeout=15_000,
    )
    assert error_texts(page) == []
    screenshot(page, f"presenter-{path or 'convolution'}-1280x720")


def test_presenter_mode_survives_moving_to_another_page(page, server_url):
    page.goto(f"{server_url}/lesson?present=1&step=3")
    wait_for_app(page)
    page.get_by_role("button", name="Open the Convolution page").click()
    page.get_by_role("heading", name="Convolution").first.wait_for(timeout=30_000)
    wait_for_app(page)
    assert "present=1" in href(page) and "view=sliding" in href(page)
    assert page.get_by_text("Step 1 of", exact=False).count() >= 1


def keys_ready(page) -> None:
    page.wait_for_function("() => window.convscopeShortcutsReady === true", timeout=30_000)


def test_keys_step_the_lesson_and_the_sliding_window(page, server_url):
    page.goto(f"{server_url}/lesson?present=1&step=2")
    wait_for_app(page)
    keys_ready(page)
    page.locator("h1").first.click()
    page.keyboard.press("ArrowRight")
    page.get_by_role("heading", name=re.compile(r"^3\. ")).wait_for(timeout=30_000)
    page.keyboard.press("PageDown")
    page.get_by_role("heading", name=re.compile(r"^4\. ")).wait_for(timeout=30_000)
    page.keyboard.press("ArrowLeft")
    page.get_by_role("heading", name=re.compile(r"^3\. ")).wait_for(timeout=30_000)
    wait_for_app(page)  # the link is updated when the run that drew step 3 ends
    # (keys pressed quickly once left step=4 in the link: the URL of the step-4 run reached
    # the browser after it had asked for step 3; PageState.publish now sends it again)
    try:
        page.wait_for_function("() => location.href.includes('step=3')", timeout=10_000)
    except Exception as timeout:
        raise AssertionError(
            f"step=3 never reached the link: {href(page)} {error_texts(page)}"
        ) from timeout

    page.goto(f"{server_url}/?view=sliding&present=1")
    wait_for_app(page)
    page.get_by_text(re.compile(r"Step 1 of \d+")).first.wait_for(timeout=30_000)
    keys_ready(page)
    page.locator("h1").first.click()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.get_by_text(re.compile(r"Step 3 of \d+")).first.wait_for(timeout=30_000)
    page.keyboard.press("PageUp")
    page.get_by_text(re.compile(r"Step 2 of \d+")).first.wait_for(timeout=30_000)
    assert error_texts(page) == []
