"""Play controls and prefers-reduced-motion, in chromium: a reader who asks for less
motion gets no Play button but a note saying why, and still steps with Next; anyone else
can play, and pause what plays (WCAG 2.2.2)."""

from __future__ import annotations

import pytest

from app.widgets.controls.stepper import STILL_NOTE

from .conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

STAMPS = "/transposed?view=stamps"  # the stamps of a transposed convolution, one by one
STEP_TEXT = "() => document.querySelector('main').innerText.match(/Stamp (\\d+) of/)?.[1]"


def _open(browser, server_url, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, **options)
    page = context.new_page()
    page.goto(server_url + STAMPS)
    wait_for_app(page, timeout=90)
    page.get_by_role("button", name="Next").first.wait_for(timeout=60_000)
    return context, page


def _step_becomes(page, number: int) -> None:
    page.wait_for_function(f"() => ({STEP_TEXT})() === '{number}'", timeout=30_000)


def test_reduced_motion_hides_play_and_says_why(browser, server_url):
    context, page = _open(browser, server_url, reduced_motion="reduce")
    try:
        assert page.get_by_text(STILL_NOTE).is_visible()
        assert page.get_by_role("button", name="Play").count() == 0 or not (
            page.get_by_role("button", name="Play").first.is_visible()
        )
        _step_becomes(page, 1)
        page.get_by_role("button", name="Next").first.click()
        _step_becomes(page, 2)  # a step on request
        wait_for_app(page)
        screenshot(page, "reduced-motion-stamps")
    finally:
        context.close()


def test_play_can_be_paused_without_reduced_motion(browser, server_url):
    context, page = _open(browser, server_url, reduced_motion="no-preference")
    try:
        assert not page.get_by_text(STILL_NOTE).is_visible()
        page.get_by_role("button", name="Play").first.click()
        page.get_by_role("button", name="Pause").first.wait_for(timeout=30_000)
        _step_becomes(page, 3)  # it moves by itself
        page.get_by_role("button", name="Pause").first.click()
        page.get_by_role("button", name="Play").first.wait_for(timeout=30_000)
        wait_for_app(page)
        stopped = page.evaluate(f"({STEP_TEXT})()")
        # Paused: the step stays where it is while the page answers another run.
        page.get_by_role("button", name="Next").first.click()
        _step_becomes(page, int(stopped) + 1)
        wait_for_app(page)
        assert page.evaluate(f"({STEP_TEXT})()") == str(int(stopped) + 1)
    finally:
        context.close()
