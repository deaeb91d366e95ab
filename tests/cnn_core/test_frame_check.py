"""The frame check: a received 8-bit map against ours, with hand-made examples."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnn_core import KERNELS
from cnn_core.frame_check import (
    FLOAT_FLOOR,
    check_frame,
    compare_maps,
    dequantise_map,
    quantise_map,
)

# Our map, range -1 .. 1 (2), so the tolerance is 2 / 255 = 0.00784.
OURS = np.array([[-1.0, 0.0], [0.5, 1.0]])


def test_compare_maps_hand_example_agrees():
    # Steps over -1 .. 1 are 2/255 = 0.007843 apart:
    #   -1 -> step 0 (exact); 0 -> 127.5, sent as 128 = 0.003922 (off by 0.003922);
    #   0.5 -> 191.25, sent as 191 = 0.498039 (off by 0.001961); 1 -> step 255 (exact).
    check = compare_maps(np.array([[0, 128], [191, 255]]), -1.0, 1.0, OURS)
    assert check.shape == (2, 2) and (check.low, check.high) == (-1.0, 1.0)
    assert check.tolerance == pytest.approx(2 / 255)
    assert check.largest_difference == pytest.approx(1 / 255)
    assert check.where == (0, 1)
    assert check.within == 4 and check.agrees
    assert check.steps_off == pytest.approx(0.5)


def test_compare_maps_two_steps_off_disagrees():
    # 0.5 sent as step 193 = 0.513725: off by 0.013725, more than 0.00784.
    check = compare_maps(np.array([[0, 128], [193, 255]]), -1.0, 1.0, OURS)
    assert not check.agrees and check.within == 3
    assert check.where == (1, 0)
    assert check.largest_difference == pytest.approx(-1 + 193 * 2 / 255 - 0.5)


def test_compare_maps_of_a_flat_map_uses_the_float_floor():
    ours = np.full((3, 4), 0.25)
    check = compare_maps(np.zeros((3, 4), np.uint8), 0.25, 0.25, ours)
    assert check.tolerance == FLOAT_FLOOR and check.agrees


@pytest.mark.parametrize(
    ("steps", "low", "high", "match"),
    [
        (np.zeros((2, 3)), -1.0, 1.0, "steps must be a 2-D map"),
        (np.zeros((2, 2)), 1.0, -1.0, "low and high"),
        (np.zeros((2, 2)), float("nan"), 1.0, "low and high"),
    ],
)
def test_compare_maps_rejects_what_it_cannot_compare(steps, low, high, match):
    with pytest.raises(ValueError, match=match):
        compare_maps(steps, low, high, OURS)


def test_quantise_map_round_trips_within_half_a_step():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(40, 50))
    low, high = float(values.min()), float(values.max())
    steps = quantise_map(values, low, high)
    assert steps.dtype == np.uint8 and steps.min() == 0 and steps.max() == 255
    back = dequantise_map(steps, low, high)
    assert np.abs(back - values).max() <= (high - low) / 255 / 2 + 1e-12


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_check_frame_of_a_step_edge_is_torchs_map(mode):
    # A vertical step edge from black to white at column 5: Sobel x answers 4 * 1 there.
    gray = np.zeros((12, 16), np.uint8)
    gray[:, 5:] = 255
    kernel = KERNELS["sobel_x"]
    x = torch.from_numpy(gray.astype(np.float32) / 255)[None, None]
    padded = x if mode == "zeros" else F.pad(x, (1, 1, 1, 1), mode=mode)
    reference = F.conv2d(padded, torch.tensor(kernel)[None, None], padding=int(mode == "zeros"))
    reference = reference[0, 0].numpy()
    low, high = float(reference.min()), float(reference.max())
    ours, check = check_frame(gray, kernel, mode, quantise_map(reference, low, high), low, high)
    np.testing.assert_allclose(ours, reference, atol=1e-6)
    assert ours[6, 4] == pytest.approx(4.0) and ours[6, 5] == pytest.approx(4.0)
    assert check.agrees


def test_check_frame_notices_another_kernel():
    gray = np.zeros((12, 16), np.uint8)
    gray[:, 5:] = 255
    flat = np.zeros((12, 16), np.uint8)
    other, _ = check_frame(gray, KERNELS["sobel_y"], "replicate", flat, 0, 0)  # all zero
    low, high = float(other.min()), float(other.max())
    steps = quantise_map(other, low, high)
    _, check = check_frame(gray, KERNELS["sobel_x"], "replicate", steps, low, high)
    assert not check.agrees


def test_check_frame_wants_an_8_bit_frame():
    with pytest.raises(ValueError, match="gray must be a 2-D uint8 frame"):
        check_frame(np.zeros((4, 4)), KERNELS["sobel_x"], "zeros", np.zeros((4, 4)), 0, 1)
