"""The camera as an image source, with chromium's built-in fake camera (a test pattern)."""

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, error_texts, screenshot, wait_for_app

pytestmark = pytest.mark.browser

FAKE_CAMERA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture
def camera_page(browser):
    """A tab whose camera is chromium's fake device, permission already granted."""
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS + FAKE_CAMERA
    )
    context = camera_browser.new_context(
        viewport={"width": 1280, "height": 720}, permissions=["camera"]
    )
    yield context.new_page()
    context.close()
    camera_browser.close()


def test_a_camera_frame_becomes_the_input(camera_page, server_url):
    page = camera_page
    page.goto(server_url + "/?res=256")
    wait_for_app(page)
    page.get_by_role("radio", name="Camera", exact=True).first.dispatch_event("click")
    wait_for_app(page)
    # Take Photo does nothing until the camera's picture is playing (a person sees it and
    # clicks then); a cold fake camera on a busy machine takes a few seconds.
    page.wait_for_function(
        "() => [...document.querySelectorAll('video')]"
        ".some(v => v.readyState >= 2 && v.videoWidth)",
        timeout=30_000,
    )
    page.get_by_role("button", name="Take Photo").first.click(timeout=30_000)
    page.get_by_text("Input: your camera frame").first.wait_for(timeout=30_000)
    wait_for_app(page)
    assert error_texts(page) == []
    caption = page.get_by_text("Input: your camera frame").first.inner_text()
    height, width = (int(v) for v in caption.rsplit(", ", 1)[1].split(" x "))
    assert max(height, width) <= 256  # the working size applies to camera frames too
    assert page.locator("img.convscope-clickable").count() >= 1
    screenshot(page, "convolution-camera")


def test_your_classes_from_camera_bursts(camera_page, server_url):
    """Two classes from the fake camera's bursts, trained, and the result reported."""
    page = camera_page
    page.goto(server_url + "/own_classes?names=left,right")
    wait_for_app(page, timeout=90)
    page.get_by_role("button", name="Burst").wait_for(timeout=60_000)
    for name in ("left", "right"):
        page.locator("label").filter(has_text=name).first.click()
        wait_for_app(page)
        page.get_by_role("button", name="Burst").click()
        page.get_by_text(f"{name}: 10 pictures").first.wait_for(timeout=30_000)
        wait_for_app(page)
    page.get_by_role("button", name="Train").click()
    page.get_by_text("Held-out accuracy").first.wait_for(timeout=60_000)
    assert error_texts(page) == []
    screenshot(page, "your-classes-trained")
