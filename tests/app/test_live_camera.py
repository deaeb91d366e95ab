"""The Live camera page: what the browser camera is sent (kernels, padding, gray weights,
colour table), "Check this frame" on a frame made here, and the server path's processing
(the maps a frame gets are torch's; the Network page's digit reader reads held-out digits
held up to a camera; the frame counter measures what it should)."""

from __future__ import annotations

import base64
import json
import re

import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from app.page_parts.live_camera.processing import colour_limit, kernel_frames
from app.page_parts.network.live_digit import LiveReading, reader
from app.widgets.sources.browser_camera import FRAME_SIZE, read_check
from app.widgets.sources.live_video import FrameWork, frame_rate_line
from cnn_core import KERNELS
from cnn_core.colour import LUMA, to_gray
from cnn_core.frame_check import quantise_map
from cnn_core.geometry import PADDING_MODES
from cnn_core.nn.saved_models import heldout_digits, list_models, load_model
from cnn_core.render import DIVERGING_LUT, signed_to_rgb

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


CHECK_KEY = "live_check"  # the page's scratch value "check" (prefix "live")


def camera_data(at) -> dict:
    (element,) = [e for e in at.get("bidi_component") if e.key == "live_camera"]
    return json.loads(element.proto.json)


def test_the_browser_camera_is_sent_every_number_it_uses():
    at = run_app("live_camera", kernels="sobel_x,gaussian_blur,laplacian", padding="reflect")
    assert_clean(at)
    data = camera_data(at)
    assert (data["width"], data["height"]) == FRAME_SIZE == (320, 240)
    assert data["padding_mode"] == "reflect"
    assert data["luma"] == [float(w) for w in LUMA]  # to_gray's weights, not the browser's
    assert np.array_equal(np.array(data["lut"], np.uint8).reshape(256, 3), DIVERGING_LUT)
    sent = {k["name"]: k for k in data["kernels"]}
    assert list(sent) == ["sobel_x", "gaussian_blur", "laplacian"]
    for name, kernel in sent.items():
        side = KERNELS[name].shape[0]
        assert kernel["size"] == side
        assert np.array_equal(np.reshape(kernel["weights"], (side, side)), KERNELS[name])
    # The colouring rule of the server path: signed over colour_limit, blurs as brightness.
    assert sent["sobel_x"]["signed"] and sent["sobel_x"]["limit"] == 2.0
    assert not sent["gaussian_blur"]["signed"]
    assert "no video goes to the server" in " ".join(c.value for c in at.caption)
    assert not any("cannot run here" in w.value for w in at.warning)


def made_frame(seed: int = 0) -> np.ndarray:
    """A 320 x 240 gray frame: a bright square on a dark ground, with noise."""
    rng = np.random.default_rng(seed)
    gray = np.full((240, 320), 40.0)
    gray[60:180, 100:260] = 210
    return np.clip(gray + rng.normal(0, 6, gray.shape), 0, 255).astype(np.uint8)


def browser_map(gray: np.ndarray, name: str, mode: str) -> np.ndarray:
    """The map the browser computes (torch as the stand-in), padding "same" in ``mode``."""
    x = torch.from_numpy(gray.astype(np.float32) / 255)[None, None]
    half = KERNELS[name].shape[0] // 2
    if mode != "zeros":
        x = F.pad(x, (half,) * 4, mode=mode)
    kernel = torch.tensor(KERNELS[name])[None, None]
    return F.conv2d(x, kernel, padding=half if mode == "zeros" else 0)[0, 0].numpy()


def payload(gray: np.ndarray, values: np.ndarray, name: str, mode: str) -> dict:
    """What "Check this frame" sends: the frame and the map as 8-bit steps, in base64."""
    low, high = float(values.min()), float(values.max())
    steps = quantise_map(values, low, high)
    return {
        "width": 320,
        "height": 240,
        "kernel": name,
        "padding_mode": mode,
        "low": low,
        "high": high,
        "gray": base64.b64encode(gray.tobytes()).decode(),
        "steps": base64.b64encode(steps.tobytes()).decode(),
    }


def markdown(at) -> str:
    return " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize(("name", "mode"), [("sobel_x", "zeros"), ("laplacian", "replicate")])
def test_check_this_frame_agrees_with_a_browser_that_computes_the_same(name, mode):
    at = run_app("live_camera", kernels=name, padding=mode)
    gray = made_frame()
    at.session_state[CHECK_KEY] = payload(gray, browser_map(gray, name, mode), name, mode)
    at.run()
    assert_clean(at)
    assert "They agree" in at.success[0].value
    text = markdown(at)
    ours = browser_map(gray, name, mode)
    tolerance = (ours.max() - ours.min()) / 255
    assert f"1/255 of it is **{tolerance:.5f}**" in text
    assert "76,800 of 76,800 values within" in text
    steps_off = float(re.search(r"\(([\d.]+) of a step\)", text)[1])
    assert steps_off <= 0.51  # the 8-bit rounding alone: at most half a step


def test_check_this_frame_tells_a_wrong_map_from_a_right_one():
    at = run_app("live_camera", kernels="sobel_x")
    gray = made_frame(1)
    at.session_state[CHECK_KEY] = payload(
        gray, browser_map(gray, "sobel_y", "zeros"), "sobel_x", "zeros"
    )
    at.run()
    assert not at.exception
    assert not at.success
    assert "They differ" in at.warning[0].value


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"gray": "not base64!"}, "is not base64"),
        ({"steps": base64.b64encode(b"short").decode()}, "has 5 bytes; 76800 expected"),
        ({"kernel": "nonsense"}, "kernel this page does not know"),
        ({"padding_mode": "mirror"}, "unknown padding rule"),
        ({"low": float("nan")}, "not two finite numbers"),
        ({"width": 640}, "must be 320 x 240"),
    ],
)
def test_a_checked_frame_that_is_not_what_the_camera_sends_gets_a_message(change, message):
    gray = made_frame()
    sent = {**payload(gray, browser_map(gray, "sobel_x", "zeros"), "sobel_x", "zeros"), **change}
    with pytest.raises(ValueError, match=message):
        read_check(sent, kernel_names=tuple(KERNELS), padding_modes=PADDING_MODES)
    at = run_app("live_camera")
    at.session_state[CHECK_KEY] = sent
    at.run()
    assert not at.exception
    assert any(message in w.value for w in at.warning)
    assert camera_data(at)["kernels"]  # the camera keeps running


def test_live_camera_page_server_path_and_bad_links():
    """Without a browser session (AppTest) the WebRTC stream cannot start: the page says so
    and the rest works; the stream itself is tested in the browser (tests/e2e)."""
    at = run_app("live_camera", kernels="sobel_x,laplacian", run="server")
    assert_clean(at)
    assert at.multiselect[0].value == ["sobel_x", "laplacian"]
    assert any("The live camera cannot run here" in w.value for w in at.warning)
    assert not [e for e in at.get("bidi_component") if e.key == "live_camera"]
    at = run_app("live_camera", kernels="sobel_x,nonsense")
    assert not at.exception
    assert "`kernels` must list one to 3 of" in at.warning[0].value
    at = run_app("live_camera", padding="mirror", run="cloud")
    assert not at.exception
    assert camera_data(at)["padding_mode"] == "zeros"
    at = run_app("network", src="live")
    assert_clean(at)
    assert "Keep a frame to see every layer respond." in [i.value for i in at.info]
