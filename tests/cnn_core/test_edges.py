"""Gradient magnitude and the Kirsch compass on analytic edges."""

import numpy as np
import pytest

from cnn_core import KERNELS, conv2d
from cnn_core.edges import (
    DIRECTION_PALETTE,
    compass_edges,
    direction_to_rgb,
    gradient_magnitude,
    kirsch_responses,
)
from cnn_core.kernels import KIRSCH_DIRECTIONS


def test_gradient_magnitude_is_the_euclidean_length():
    gx, gy = np.array([[3.0, 0.0]]), np.array([[4.0, -2.0]])
    np.testing.assert_allclose(gradient_magnitude(gx, gy), [[5.0, 2.0]])
    with pytest.raises(ValueError, match="same shape"):
        gradient_magnitude(np.ones(2), np.ones(3))


@pytest.mark.parametrize(
    "bright, winner",
    [("top", "n"), ("bottom", "s"), ("left", "w"), ("right", "e")],
)
def test_kirsch_compass_picks_the_direction_of_the_bright_side(bright, winner):
    image = np.zeros((12, 12))
    half = {
        "top": np.s_[:6, :],
        "bottom": np.s_[6:, :],
        "left": np.s_[:, :6],
        "right": np.s_[:, 6:],
    }
    image[half[bright]] = 1.0
    responses = kirsch_responses(image, padding=1, padding_mode="replicate")
    strength, direction = compass_edges(responses)
    # The first dark pixel next to the edge: its window holds exactly one bright line.
    centre = {"top": (6, 6), "bottom": (5, 6), "left": (6, 6), "right": (6, 5)}[bright]
    assert KIRSCH_DIRECTIONS[direction[centre]] == winner
    # Across a straight edge the winning kernel sees 5+5+5 on the bright side, i.e. 15.
    assert strength[centre] == 15.0
    assert strength.max() == 15.0 and strength.min() == 0.0


def test_kirsch_responses_match_conv2d_with_each_kernel():
    image = np.random.default_rng(0).random((9, 11))
    responses = kirsch_responses(image)
    for k, direction in enumerate(KIRSCH_DIRECTIONS):
        np.testing.assert_array_equal(responses[k], conv2d(image, KERNELS[f"kirsch_{direction}"]))


def test_direction_to_rgb_colours_by_direction_and_dims_weak_edges():
    direction = np.array([[0, 2], [4, 6]])
    strength = np.array([[1.0, 1.0], [0.5, 0.0]])
    rgb = direction_to_rgb(direction, strength)
    np.testing.assert_array_equal(rgb[0, 0], DIRECTION_PALETTE[0])
    np.testing.assert_array_equal(rgb[0, 1], DIRECTION_PALETTE[2])
    np.testing.assert_array_equal(rgb[1, 1], [0, 0, 0])
    assert len({tuple(c) for c in DIRECTION_PALETTE}) == 8
