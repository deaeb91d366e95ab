"""Pooling, Layer stack and Receptive field pages in a real chromium."""

import pytest

from .conftest import error_texts, screenshot, wait_for_app
from .test_convolution_browser import wait_for_input_value

pytestmark = pytest.mark.browser
CLICKABLE = "img.convscope-clickable"


def click_fraction(page, x: float, y: float) -> None:
    target = page.locator(CLICKABLE).first
    box = target.bounding_box()
    target.click(position={"x": box["width"] * x, "y": box["height"] * y})


def test_pooling_page_click_a_pooled_cell(page, server_url):
    page.goto(server_url + "/pooling?sample=step_edge&res=128")
    wait_for_app(page)
    wait_for_input_value(page, "Pooled row", "32")
    # 128 x 128 input, 2 x 2 windows: 64 x 64 cells; aim at the centre of cell (10, 50).
    click_fraction(page, 50.5 / 64, 10.5 / 64)
    wait_for_input_value(page, "Pooled row", "10")
    wait_for_app(page)
    assert page.get_by_label("Pooled column").input_value() == "50"
    assert error_texts(page) == []
    screenshot(page, "pooling-picked-cell")
    page.get_by_role("radio", name="Shift lab").click()
    wait_for_app(page)
    page.get_by_text("1-pixel shift", exact=False).first.scroll_into_view_if_needed()
    assert error_texts(page) == []
    screenshot(page, "pooling-shift-lab")


def test_layer_stack_page_presets(page, server_url):
    page.goto(server_url + "/layer_stack?res=128")
    wait_for_app(page)
    blur = "Layer 3: Gaussian blur 5x5 (each map), padding 2"
    page.get_by_role("heading", name=blur).first.wait_for(timeout=30_000)
    assert page.get_by_role("heading", name=blur).count() == 1
    page.get_by_role("button", name="LeNet-shaped, random filters").click()
    page.get_by_role("heading", name="Layer 6: max pool 2x2, stride 2").wait_for(timeout=30_000)
    wait_for_app(page)
    assert error_texts(page) == []
    assert "rand.6.5" in page.url
    screenshot(page, "layer-stack-lenet")


def test_receptive_field_page_click_picks_a_unit_and_draws_its_box(page, server_url):
    page.goto(server_url + "/receptive_field?sample=step_edge&res=128&layers=c3p1,c3p1,c3p1")
    wait_for_app(page, timeout=90)
    wait_for_input_value(page, "Row", "64")
    # Three padded 3x3 convs keep 128 x 128 units, each centred on its own pixel.
    wait_for_app(page)
    click_fraction(page, 20.5 / 128, 100.5 / 128)
    try:
        wait_for_input_value(page, "Row", "100")
    except Exception:  # a click that landed while the page was still being redrawn
        wait_for_app(page)
        click_fraction(page, 20.5 / 128, 100.5 / 128)
        wait_for_input_value(page, "Row", "100")
    wait_for_app(page)
    assert page.get_by_role("spinbutton", name="Column").input_value() == "20"
    caption = page.get_by_text("Theoretical field of unit (100, 20)").first
    assert "rows 97 to 103, columns 17 to 23" in caption.inner_text()
    assert error_texts(page) == []
    caption.scroll_into_view_if_needed()
    screenshot(page, "receptive-field-picked-unit")
