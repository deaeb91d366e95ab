"""Every page in a real chromium: on a projector-sized window and on a phone, with no
error box, nothing pushing the page sideways, and no request to any host but the app's
own (a classroom network may be closed, and no third party learns who opened what).
Screenshots go to test-artifacts/."""

import pytest

from .conftest import error_texts, every_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _sideways(page) -> int:
    """How many pixels the main area is wider than the window (0: no sideways scroll)."""
    return page.evaluate(
        "() => { const m = document.querySelector('[data-testid=stMain]');"
        " return Math.max(m.scrollWidth - m.clientWidth,"
        " document.documentElement.scrollWidth - document.documentElement.clientWidth); }"
    )


@every_page
def test_page_on_a_projector(page, server_url, info):
    path = info.url_path
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{server_url}/{path}")
    wait_for_app(page, timeout=90)
    page.locator("h1").first.wait_for(timeout=90_000)
    wait_for_app(page)
    assert error_texts(page) == []
    elsewhere = [u for u in requested if not u.startswith((server_url, "data:", "blob:"))]
    assert not elsewhere, elsewhere
    assert _sideways(page) == 0
    screenshot(page, f"page-{info.name}-1280")


@every_page
def test_page_on_a_phone(browser, server_url, info):
    path = info.url_path
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{server_url}/{path}")
    wait_for_app(page, timeout=90)
    page.locator("h1").first.wait_for(timeout=90_000)
    wait_for_app(page)
    assert error_texts(page) == []
    assert _sideways(page) == 0, f"{info.name} scrolls sideways on a phone"
    screenshot(page, f"page-{info.name}-phone")
    context.close()


def test_clicking_an_im2col_column_traces_its_window(page, server_url):
    page.goto(f"{server_url}/matrix")
    wait_for_app(page)
    chart = page.locator('[data-testid="stPlotlyChart"] .nsewdrag').first
    chart.wait_for(timeout=30_000)
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    # Six columns of windows: click the middle of the fifth (column 4, output (1, 1)).
    page.mouse.click(box["x"] + box["width"] * 4.5 / 6, box["y"] + box["height"] / 2)
    page.get_by_text("Column 4 is the window of output (1, 1)").first.wait_for(timeout=30_000)
    # The address follows at the end of the same run, after the text is drawn.
    page.wait_for_function("() => location.search.includes('column=4')", timeout=30_000)
    assert error_texts(page) == []
