"""More states for the axe audit (WCAG 2.1 A and AA, serious and critical violations fail;
reports under test-artifacts/axe/, as in test_accessibility_browser.py): Compare images
after uploads (one picture, one file that is not a picture), the Digit network with a
drawn digit and with its model card's confusion table open, the heat maps summarised in
numbers (Convolution as matrix; the Channels page shows its summary as it opens), and
the Live camera running with chromium's fake camera, in the browser (before and after
"Check this frame") and on the server (the page, and the video player's own frame
before and while it streams)."""

from __future__ import annotations

import pytest

from .conftest import error_texts, screenshot, wait_for_app
from .test_accessibility_browser import PHONE, _picture_png, audit, open_page, settled
from .test_live_camera_browser import (
    CAMERA_DRAWN,
    SERVER_FRAMES,
    camera_tab,
    player_frame,
    server_camera,
    start_stream,
)
from .test_network_browser import draw_seven

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("options", [{}, PHONE], ids=["desktop", "phone"])
def test_compare_after_uploads(browser, server_url, options):
    context = browser.new_context(**({"viewport": {"width": 1280, "height": 720}} | options))
    page = context.new_page()
    name = "compare-upload" + ("-phone" if options else "")
    try:
        open_page(page, server_url + "/compare?pics=cat")
        files = [
            {"name": "photo.png", "mimeType": "image/png", "buffer": _picture_png()},
            {"name": "notes.png", "mimeType": "image/png", "buffer": b"not a picture at all"},
        ]
        page.locator('input[type="file"]').first.set_input_files(files)
        page.get_by_text("Your picture 1").first.wait_for(timeout=60_000)
        page.get_by_text("Upload 2:").first.wait_for(timeout=60_000)  # the file it cannot read
        settled(page)
        # The upload's map is said in numbers, not as the brightness of its colours.
        alts = page.locator("figure img").evaluate_all("(imgs) => imgs.map((i) => i.alt)")
        assert any(a.startswith("Your picture 1, feature map, ") for a in alts), alts
        screenshot(page, name)
        assert audit(page, name) == {}
    finally:
        context.close()


def test_network_with_a_drawn_digit(page, server_url):
    open_page(page, server_url + "/network?src=draw")
    page.get_by_text("Draw a digit in the box.").wait_for(timeout=90_000)
    draw_seven(page)
    page.get_by_text("confident").first.wait_for(timeout=60_000)
    settled(page)
    assert audit(page, "network-drawn-digit") == {}


def test_network_model_card_with_its_confusion_table_open(page, server_url):
    open_page(page, server_url + "/network?view=card")
    page.get_by_text("The counts as a table").click()
    page.get_by_role("table").filter(has_text="answer 9").wait_for(timeout=30_000)
    settled(page)
    screenshot(page, "network-card-table")
    assert audit(page, "network-card-table") == {}


@pytest.mark.parametrize(
    ("name", "address"),
    [("matrix-im2col", "/matrix?view=forward"), ("matrix-matrix", "/matrix?view=matrix")],
)
def test_heat_maps_with_their_summaries(page, server_url, name, address):
    open_page(page, server_url + address)
    page.get_by_text("The heat map in numbers").first.wait_for(timeout=30_000)
    assert audit(page, name) == {}


def test_live_camera_running_in_the_browser(browser, server_url):
    instance, page = camera_tab(browser)
    try:
        page.goto(server_url + "/live_camera?kernels=sobel_x,sobel_y,laplacian")
        wait_for_app(page)
        page.wait_for_function(CAMERA_DRAWN, timeout=60_000)
        assert audit(page, "live-camera-running") == {}
        page.get_by_role("button", name="Check this frame").click()
        page.get_by_text("They agree").first.wait_for(timeout=60_000)
        wait_for_app(page)
        assert error_texts(page) == []
        screenshot(page, "live-camera-checked")
        assert audit(page, "live-camera-checked") == {}
    finally:
        instance.close()


def test_live_camera_running_on_the_server(browser, server_url):
    with server_camera(browser, server_url + "/live_camera?kernels=sobel_x&run=server") as page:
        # The video player is a component in a frame of its own, which axe run on the
        # page does not enter: it is audited by itself, before and while it streams.
        assert audit(player_frame(page), "live-camera-server-player-stopped") == {}
        start_stream(page, "Start the camera")
        page.wait_for_function(f"() => ({SERVER_FRAMES})() >= 20", timeout=60_000)
        assert audit(page, "live-camera-server") == {}
        assert audit(player_frame(page), "live-camera-server-player") == {}


# The boxes of each chart's tool bar, title drawn in the chart (if any) and plot area.
CHART_BOXES = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .map((chart) => {
  const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom]; };
  return { modebar: box(chart.querySelector(".modebar")),
           title: box(chart.querySelector(".gtitle")),
           plot: box(chart.querySelector(".nsewdrag")) };
})"""


def _overlap(a, b) -> bool:
    return bool(a and b) and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(
    "options",
    [PHONE | {"has_touch": True}, {"viewport": {"width": 1920, "height": 1080}}],
    ids=["phone", "projector"],
)
def test_training_charts_tool_bar_covers_no_title_and_no_curve(browser, server_url, options):
    """On a phone plotly's tool bar sat over the Training charts' titles, drawn inside the
    charts: the titles are in the page now, and the tool bar sits in the top margin."""
    context = browser.new_context(**options)
    page = context.new_page()
    try:
        open_page(page, server_url + "/training" + ("" if "is_mobile" in options else "?present=1"))
        page.get_by_role("button", name="Step once").click()
        page.get_by_text("Loss (cross-entropy)", exact=True).wait_for(timeout=60_000)
        page.get_by_text("Accuracy", exact=True).wait_for(timeout=60_000)
        settled(page)
        charts = page.evaluate(CHART_BOXES)
        assert len(charts) == 2, charts
        for chart in charts:
            assert chart["modebar"] and chart["plot"], chart
            assert chart["title"] is None, chart  # the title is the page's, above the chart
            assert not _overlap(chart["modebar"], chart["plot"]), chart
        screenshot(page, "training-charts-" + ("phone" if "is_mobile" in options else "projector"))
    finally:
        context.close()
