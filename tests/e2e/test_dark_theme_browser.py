"""The dark theme: a reader whose system asks for dark colours gets the app's dark theme
(.streamlit/config.toml, [theme.dark]), and axe-core's WCAG 2.1 A/AA rules, text
contrast included, pass on every page in it, and in presenter mode; headings go in order
on every page. Reports are saved as
test-artifacts/axe/dark-<page>.json; three pages are screenshotted for a person to judge
(test-artifacts/dark-<page>.png)."""

from __future__ import annotations

import pytest

from app.app_pages import registry

from .conftest import screenshot
from .test_accessibility_browser import audit, main_heading_levels, open_page

pytestmark = pytest.mark.browser

DARK = {"viewport": {"width": 1280, "height": 720}, "color_scheme": "dark"}
SCREENSHOTS = {"convolution", "lesson", "matrix"}


def _background_luminance(page) -> float:
    """The main area's background, as WCAG relative luminance (0 black, 1 white)."""
    return page.evaluate(
        """() => {
      const colour = getComputedStyle(document.querySelector('[data-testid="stApp"]'))
        .backgroundColor.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
      const linear = colour.map((c) => c / 255)
        .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
    }"""
    )


@pytest.fixture(scope="module")
def dark_context(browser):
    context = browser.new_context(**DARK)
    yield context
    context.close()


@pytest.mark.parametrize("info", registry.PAGES, ids=lambda info: info.name)
def test_page_in_the_dark_theme(dark_context, server_url, info):
    page = dark_context.new_page()
    try:
        open_page(page, f"{server_url}/{info.url_path}")
        assert _background_luminance(page) < 0.05  # the dark theme, not the light one
        if info.name in SCREENSHOTS:
            screenshot(page, f"dark-{info.name}")
        assert audit(page, f"dark-{info.name}") == {}
        # Headings in order on every page (Layer stack and Your classes included): one h1
        # first, then each at most one level deeper than the one before.
        levels = main_heading_levels(page)
        assert levels[:1] == [1] and levels.count(1) == 1, levels
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    finally:
        page.close()


@pytest.mark.parametrize("address", ["/?present=1", "/lesson?present=1&step=3"])
def test_presenter_mode_in_the_dark_theme(dark_context, server_url, address):
    page = dark_context.new_page()
    try:
        open_page(page, server_url + address)
        name = "dark-presenter-" + (address.split("?")[0].strip("/") or "convolution")
        assert audit(page, name) == {}
    finally:
        page.close()


def test_light_system_setting_keeps_the_light_theme(page, server_url):
    open_page(page, server_url + "/pooling")
    assert _background_luminance(page) > 0.9
