"""Training live in a real browser: the curves and the step count move while it trains,
and stop moving when it stops."""

import re

import pytest

from .conftest import error_texts, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _steps(page) -> int:
    text = page.get_by_text(re.compile(r"step \d+, epoch")).first.inner_text()
    return int(re.search(r"step (\d+),", text).group(1))


def _wait_for_steps_above(page, count: int) -> None:
    """Wait until the page's status line shows more than ``count`` steps."""
    page.wait_for_function(
        "n => { const m = document.body.innerText.match(/step (\\d+), epoch/);"
        " return m !== null && Number(m[1]) > n; }",
        arg=count,
        timeout=60_000,
    )


def test_training_starts_stops_and_resumes(page, server_url):
    page.goto(server_url + "/training")
    wait_for_app(page, timeout=90)
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_text(re.compile(r"^Training: step")).first.wait_for(timeout=30_000)
    _wait_for_steps_above(page, _steps(page))  # the page redraws every second while training
    page.get_by_role("button", name="Stop").click()
    page.get_by_text(re.compile(r"^Stopped: step")).first.wait_for(timeout=30_000)
    stopped = _steps(page)
    wait_for_app(page)
    assert _steps(page) == stopped
    screenshot(page, "training-stopped")
    page.get_by_role("button", name="Resume").click()
    page.get_by_text(re.compile(r"^Training: step")).first.wait_for(timeout=30_000)
    _wait_for_steps_above(page, stopped)
    page.get_by_role("button", name="Stop").click()
    page.get_by_text(re.compile(r"^Stopped: step")).first.wait_for(timeout=30_000)
    assert _steps(page) > stopped
    assert error_texts(page) == []
