"""The Network page in a real chromium: draw a digit with the mouse, get an answer."""

import pytest

from .conftest import error_texts, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def draw_seven(page) -> None:
    canvas = page.locator("canvas").first
    canvas.wait_for(timeout=60_000)
    box = canvas.bounding_box()
    x0, y0 = box["x"], box["y"]
    page.mouse.move(x0 + 70, y0 + 60)
    page.mouse.down()
    for step in range(20):
        page.mouse.move(x0 + 70 + 7 * step, y0 + 60, steps=2)
    for step in range(25):
        page.mouse.move(x0 + 210 - 4 * step, y0 + 60 + 7.5 * step, steps=2)
    page.mouse.up()


def test_drawing_a_seven_on_the_canvas_gets_a_seven(page, server_url):
    page.goto(server_url + "/network?src=draw")
    wait_for_app(page, timeout=90)
    page.get_by_text("Draw a digit in the box.").wait_for(timeout=90_000)
    draw_seven(page)
    page.get_by_text("confident").first.wait_for(timeout=60_000)
    wait_for_app(page)
    assert page.locator("h2").first.inner_text().strip() == "7"
    assert page.get_by_text("16 x 14 x 14").count() >= 1  # the conv2 layer's label
    assert error_texts(page) == []
    screenshot(page, "network-drawn-seven")


def test_held_out_digit_and_model_card(page, server_url):
    page.goto(server_url + "/network?idx=3&view=card")
    wait_for_app(page, timeout=90)
    page.get_by_text("Held-out accuracy:").first.wait_for(timeout=90_000)
    confusion = page.locator('[data-testid="stPlotlyChart"]').first
    confusion.wait_for(timeout=30_000)
    confusion.scroll_into_view_if_needed()
    # Plotly draws each cell's count as text; the diagonal holds the right answers.
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    assert confusion.locator("text").count() >= 100
    assert error_texts(page) == []
    screenshot(page, "network-model-card")
