"""The browser tests' own wait: ``wait_for_app`` after a click returns only once the run
that the click asked for has been drawn."""

import pytest

from .conftest import wait_for_app

pytestmark = pytest.mark.browser

RUNS = "() => window.__convscopeRuns"


def test_wait_for_app_after_a_click_waits_for_the_run_it_asked_for(page, server_url):
    page.goto(server_url)
    wait_for_app(page)
    runs = page.evaluate(RUNS)
    # the run tracker reads this Streamlit's messages (a new release may change them)
    assert runs["usable"] and runs["requested"] >= 1 and runs["answered"] == runs["requested"]
    image = page.locator("img.convscope-clickable").first
    before = image.get_attribute("src")
    # Right after the click Streamlit's root element still says "notRunning": the run the
    # click asks for has not started. No other wait here: wait_for_app alone must cover it.
    page.get_by_text("valid", exact=True).click()
    wait_for_app(page)
    assert image.get_attribute("src") != before
    after = page.evaluate(RUNS)
    assert after["usable"] and after["requested"] > runs["requested"]
    assert after["answered"] == after["requested"]
