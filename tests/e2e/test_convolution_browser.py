"""The Convolution page in a real chromium: settings, shared links, clicks, stepping."""

import re

import pytest

from ..qr_reading import read_qr_picture
from .conftest import error_texts, screenshot, wait_for_app

pytestmark = pytest.mark.browser

FEATURE_MAP = "img.convscope-clickable"


def feature_map_src(page) -> str:
    image = page.locator(FEATURE_MAP).first
    image.wait_for(state="attached", timeout=30_000)
    return image.get_attribute("src") or ""


def wait_for_new_src(page, old: str, timeout: float = 30.0) -> str:
    page.wait_for_function(
        "(old) => { const image = document.querySelector('img.convscope-clickable');"
        " return !!image && !!image.getAttribute('src') && image.getAttribute('src') !== old; }",
        arg=old,
        timeout=timeout * 1000,
    )
    return feature_map_src(page)


def wait_for_input_value(page, label: str, value: str) -> None:
    page.wait_for_function(
        "([label, value]) => [...document.querySelectorAll('input')].some("
        "i => i.getAttribute('aria-label') === label && i.value === value)",
        arg=[label, value],
        timeout=30_000,
    )


def test_changing_a_setting_paints_a_new_feature_map(page, server_url):
    page.goto(server_url)
    wait_for_app(page)
    before = feature_map_src(page)
    assert before.startswith("data:image/")
    page.get_by_text("valid", exact=True).click()
    wait_for_new_src(page, before)
    wait_for_app(page)
    assert error_texts(page) == []
    assert page.get_by_text("Feature map").first.is_visible()
    screenshot(page, "convolution-valid-padding")


# Every animation frame from the page's start: the feature map's top while it is painted.
MAP_TOPS = """
window.__mapTops = [];
(function frame() {
  const image = document.querySelector("img.convscope-clickable");
  if (image && image.complete && image.naturalWidth > 0)
    window.__mapTops.push(Math.round(image.getBoundingClientRect().top));
  requestAnimationFrame(frame);
})();
"""


@pytest.mark.parametrize(
    ("path", "sidebar_box", "name"),
    [
        ("/", "Kernel", "convolution-new-session"),
        ("/?present=1", "Kernel", "convolution-new-session-presenting"),
        ("/pooling", "Pool the output of", "pooling-new-session"),
    ],
)
def test_a_new_sessions_map_is_painted_in_its_final_place(
    browser, server_url, path, sidebar_box, name
):
    """A new session is sent its map before the controls above it and the sidebar: the
    map must not move when they arrive, and the page must end complete."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(MAP_TOPS)
    page = context.new_page()
    try:
        page.goto(server_url + path)
        wait_for_app(page)
        page.get_by_role("slider", name="Stride").wait_for()
        # The sidebar came after the map; its widgets appear once their code has loaded.
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_role("combobox", name=sidebar_box).wait_for(state="attached")
        sidebar.get_by_role("button", name="Reset every setting").wait_for(state="attached")
        assert sidebar.get_by_role("combobox", name=sidebar_box).count() == 1
        tops = page.evaluate("window.__mapTops")
        assert tops and set(tops) == {tops[-1]}, sorted(set(tops))
        assert error_texts(page) == []
        screenshot(page, name)
    finally:
        context.close()


def test_a_shared_link_opens_the_same_settings(page, server_url):
    page.goto(
        server_url + "/?kernel=laplacian&stride=2&padk=amount&pad=3&mode=reflect&sample=shapes"
    )
    wait_for_app(page)
    assert error_texts(page) == []
    assert page.get_by_role("combobox", name="Kernel").input_value() == "Laplacian"
    assert page.get_by_role("combobox", name="Sample").input_value() == "Geometric shapes"
    stride = page.get_by_role("slider", name="Stride")
    assert stride.input_value() == "2"
    padding = page.get_by_role("slider", name="Padding on each side")
    assert padding.input_value() == "3"
    assert "reflect" in page.url and "laplacian" in page.url
    screenshot(page, "convolution-shared-link")


def test_the_share_panel_opens_on_request_with_a_link_to_this_view(page, server_url):
    page.goto(server_url + "/?kernel=laplacian&stride=2&sample=shapes")
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.locator('[data-testid="stCode"]').count() == 0  # sent only when opened
    sidebar.get_by_text("Share this view").click()
    code = sidebar.locator('[data-testid="stCode"]').first
    code.wait_for(timeout=30_000)
    link = code.inner_text().strip()
    assert "kernel=laplacian" in link and "stride=2" in link and "sample=shapes" in link
    qr = sidebar.locator("img.cs-qr").first
    qr.wait_for(timeout=30_000)
    page.wait_for_function("() => document.querySelector('img.cs-qr').naturalWidth > 0")
    assert read_qr_picture(qr.screenshot()) == link  # the painted code reads back
    screenshot(page, "convolution-share-panel")
    page.goto(link)
    wait_for_app(page)
    assert page.get_by_role("combobox", name="Kernel").input_value() == "Laplacian"
    assert page.get_by_role("slider", name="Stride").input_value() == "2"


def test_bad_link_parameters_show_a_notice_not_a_crash(page, server_url):
    page.goto(server_url + "/?stride=banana&kernel=%3Cscript%3E&dil=0")
    wait_for_app(page)
    notice = page.locator('[data-testid="stAlertContentWarning"]').first
    assert "could not be used" in notice.inner_text()
    assert error_texts(page) == []
    screenshot(page, "convolution-bad-link")


def test_clicking_the_feature_map_moves_the_inspector(page, server_url):
    page.goto(server_url + "/?sample=step_edge&res=128")
    wait_for_app(page)
    assert page.get_by_label("Output row").count() == 0  # the inspector opens on a click
    feature_map = page.locator(FEATURE_MAP).first
    box = feature_map.bounding_box()
    # Aim at the centre of map pixel (96, 32). Browsers report clicks at whole page pixels
    # and a map pixel is under 2 screen pixels here, so aim at the whole page pixel nearest
    # the centre.
    x = round(box["x"] + box["width"] * 32.5 / 128) - box["x"]
    y = round(box["y"] + box["height"] * 96.5 / 128) - box["y"]
    feature_map.click(position={"x": x, "y": y})
    # The click opens the inspector on that pixel: row 96, column 32 of the 128 x 128 map.
    wait_for_input_value(page, "Output row", "96")
    wait_for_app(page)
    assert page.get_by_label("Output column").input_value() == "32"
    page.get_by_text("The feature map holds").first.scroll_into_view_if_needed()
    assert error_texts(page) == []
    screenshot(page, "convolution-inspector-after-click")


def test_the_sliding_window_steps(page, server_url):
    page.goto(server_url + "/?sw=lecture&padk=valid")
    wait_for_app(page)
    page.get_by_role("radio", name="Sliding window").click()
    wait_for_app(page)
    step = page.get_by_text(re.compile(r"^Step \d+ of 8"))
    assert step.first.inner_text().startswith("Step 1 of 8")
    page.get_by_role("button", name="Next").click()
    page.get_by_text(re.compile(r"^Step 2 of 8")).first.wait_for(timeout=30_000)
    page.get_by_text(re.compile(r"^Step 2 of 8")).first.scroll_into_view_if_needed()
    assert error_texts(page) == []
    screenshot(page, "convolution-sliding-window")
