"""Live camera processing: the maps a frame gets are torch's, the digit reader reads
held-out digits held up to a camera, and the frame counter measures what it should."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from app.page_parts.live_camera.processing import colour_limit, kernel_frames
from app.page_parts.network.live_digit import LiveReading, reader
from app.widgets.sources.live_video import FrameWork, frame_rate_line
from cnn_core import KERNELS
from cnn_core.colour import to_gray
from cnn_core.nn.saved_models import heldout_digits, list_models, load_model
from cnn_core.render import signed_to_rgb

from .conftest import assert_clean, run_app


def camera_frame(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    frame = np.full((480, 640, 3), 200, np.uint8)
    frame[100:380, 300:640] = 40  # a vertical edge at column 300
    return np.clip(frame + rng.integers(0, 10, frame.shape), 0, 255).astype(np.uint8)


def test_each_frame_gets_the_kernels_maps_beside_it():
    frame = camera_frame()
    shown, _ = kernel_frames(["sobel_x", "sobel_y"])(frame)
    assert shown.shape == (192, 256 * 3, 3)  # 640 x 480 fitted to 256, then two maps
    small = cv2.resize(frame, (256, 192), interpolation=cv2.INTER_AREA)
    assert np.array_equal(shown[:, :256], small)
    gray = torch.from_numpy(to_gray(small.astype(np.float32) / 255))[None, None]
    for index, name in enumerate(("sobel_x", "sobel_y"), start=1):
        kernel = torch.from_numpy(KERNELS[name])[None, None]
        reference = F.conv2d(gray, kernel, padding=1)[0, 0].numpy()
        expected = signed_to_rgb(reference, limit=colour_limit(KERNELS[name]))
        panel = shown[:, 256 * index : 256 * (index + 1)]
        assert np.abs(panel.astype(int) - expected.astype(int)).max() <= 1
    # the vertical edge answers Sobel x strongly and Sobel y barely
    column = 300 * 256 // 640
    sobel_x_panel = shown[60:120, 256 + column - 2 : 256 + column + 2]
    assert (np.abs(sobel_x_panel.astype(int) - 247).max(axis=2) > 60).any()


def test_colour_limit_is_half_the_largest_possible_answer():
    assert colour_limit(KERNELS["sobel_x"]) == 2.0  # positive weights 1 + 2 + 1
    assert colour_limit(KERNELS["laplacian"]) == pytest.approx(2.0)


@pytest.mark.parametrize("index", [0, 3, 7, 11, 19])
def test_the_live_reader_reads_held_out_digits_held_up_to_a_camera(index):
    images, labels = heldout_digits()
    entry = next(e for e in list_models() if e.is_digits)
    frame = np.full((480, 640, 3), 230, np.uint8)
    ink = 255 - cv2.resize(images[index], (220, 220), interpolation=cv2.INTER_CUBIC)
    frame[130:350, 210:430] = ink[..., None]  # dark ink on paper, centred
    shown, reading = reader(entry, load_model())(frame)
    assert isinstance(reading, LiveReading)
    assert int(reading.chances.argmax()) == int(labels[index])
    assert shown.shape[1] == 480  # sent back smaller than it came


def test_a_frame_without_a_digit_says_so():
    entry = next(e for e in list_models() if e.is_digits)
    _, reading = reader(entry, load_model())(np.full((480, 640, 3), 255, np.uint8))
    assert reading.chances is None and reading.message


def test_frame_counter_measures_frames_and_swaps_processing():
    import av

    work = FrameWork()
    assert frame_rate_line(work.stats()) == "Waiting for frames..."
    frame = av.VideoFrame.from_ndarray(camera_frame(), format="rgb24")
    out = work(frame)
    assert out.to_ndarray(format="rgb24").shape == (480, 640, 3)  # nothing to do yet
    work.use(kernel_frames(["sobel_x"]))
    for _ in range(5):
        out = work(frame)
    assert out.to_ndarray(format="rgb24").shape == (192, 512, 3)
    stats = work.stats()
    assert stats.frames == 6 and stats.fps > 0 and stats.ms_per_frame > 0


def test_live_camera_page_and_its_bad_links():
    """Without a browser session (AppTest) the stream cannot start: the page says so and
    the rest works; the stream itself is tested in the browser (tests/e2e)."""
    at = run_app("live_camera", kernels="sobel_x,laplacian")
    assert_clean(at)
    assert at.multiselect[0].value == ["sobel_x", "laplacian"]
    assert any("The live camera cannot run here" in w.value for w in at.warning)
    at = run_app("live_camera", kernels="sobel_x,nonsense")
    assert not at.exception
    assert "`kernels` must list one to 3 of" in at.warning[0].value
    at = run_app("network", src="live")
    assert_clean(at)
    assert "Keep a frame to see every layer respond." in [i.value for i in at.info]
