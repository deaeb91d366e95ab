"""The live camera in a real browser: chromium's fake camera streams over WebRTC on
loopback, the server runs the kernels (or the digit network) on every frame."""

from __future__ import annotations

import re
import time

import cv2
import numpy as np
import pytest

from cnn_core.nn.saved_models import heldout_digits

from .conftest import CHROMIUM, CHROMIUM_ARGS, error_texts, screenshot, wait_for_app

pytestmark = pytest.mark.browser

FAKE_CAMERA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
DIGIT_INDEX = 3


def write_digit_video(path, index: int) -> int:
    """A y4m video of a held-out digit on paper (chromium plays it as the camera)."""
    images, labels = heldout_digits()
    frame = np.full((480, 640), 235, np.uint8)
    frame[130:350, 210:430] = 255 - cv2.resize(images[index], (220, 220))
    chroma = np.full((240, 320), 128, np.uint8).tobytes()
    with open(path, "wb") as video:
        video.write(b"YUV4MPEG2 W640 H480 F20:1 Ip A1:1 C420jpeg\n")
        for _ in range(20):
            video.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)
    return int(labels[index])


def camera_tab(browser, extra=()):
    instance = browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS + FAKE_CAMERA + list(extra)
    )
    context = instance.new_context(viewport={"width": 1280, "height": 900}, permissions=["camera"])
    return instance, context.new_page()


def start_stream(page, label: str) -> None:
    player = page.frame_locator('iframe[title*="webrtc"]').first
    player.get_by_role("button", name=label).click(timeout=60_000)


def frames_so_far(page) -> int:
    text = " ".join(page.locator('[data-testid="stCaptionContainer"]').all_inner_texts())
    match = re.search(r"\((\d+) frames so far\)", text)
    return int(match[1]) if match else 0


def test_live_camera_streams_through_the_kernels(browser, server_url):
    instance, page = camera_tab(browser)
    try:
        page.goto(server_url + "/live_camera?kernels=sobel_x,sobel_y")
        wait_for_app(page)
        start_stream(page, "Start the camera")
        deadline = time.monotonic() + 60
        while frames_so_far(page) < 40 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert frames_so_far(page) >= 40, "frames did not reach the server and come back"
        assert page.frame_locator('iframe[title*="webrtc"]').first.locator("video").count()
        assert error_texts(page) == []
        screenshot(page, "live-camera")
    finally:
        instance.close()


def test_network_page_reads_a_digit_held_up_to_the_camera(browser, server_url, tmp_path):
    video = tmp_path / "digit.y4m"
    label = write_digit_video(video, DIGIT_INDEX)
    instance, page = camera_tab(browser, [f"--use-file-for-fake-video-capture={video}"])
    try:
        page.goto(server_url + "/network?src=live")
        wait_for_app(page)
        start_stream(page, "Start the camera")
        page.locator(".cs-probs").first.wait_for(timeout=60_000)
        time.sleep(1.5)
        rows = page.locator(".cs-probs").first.locator(":scope > div")
        chances = {}
        for index in range(rows.count()):
            spans = rows.nth(index).locator("span")
            chances[spans.first.inner_text()] = float(spans.last.inner_text().rstrip("%"))
        assert len(chances) == 10
        assert max(chances, key=chances.get) == str(label)
        page.get_by_role("button", name="Keep this frame: every layer").click()
        page.get_by_text("Layer by layer").wait_for(timeout=60_000)
        assert error_texts(page) == []
        screenshot(page, "network-live-digit")
    finally:
        instance.close()
