"""The words of every picture's text alternative, checked against values worked by hand."""

import numpy as np
import pytest

from cnn_core.describe import (
    describe_box,
    describe_curve,
    describe_image,
    describe_kernel,
    describe_map,
    describe_maps,
    describe_probabilities,
    number,
)


def test_a_feature_map_says_its_size_range_and_extremes():
    values = np.zeros((170, 256), np.float32)
    values[125, 139] = 0.99
    values[3, 7] = -0.93
    assert describe_map(values) == (
        "Feature map, 170 x 256, from -0.93 to 0.99; strongest response at row 125, "
        "column 139; most negative at row 3, column 7"
    )


def test_a_mostly_negative_map_names_its_most_positive_place():
    values = np.array([[-4.0, 1.0], [0.0, 0.5]])
    assert describe_map(values, "Sobel x") == (
        "Sobel x, 2 x 2, from -4 to 1; strongest response at row 0, column 0; "
        "most positive at row 0, column 1"
    )


def test_flat_empty_and_nan_maps():
    assert describe_map(np.full((3, 4), 2.0)) == "Feature map, 3 x 4, every value 2"
    assert describe_map(np.full((2, 2), np.nan)) == "Feature map, 2 x 2, no finite values"
    with_nan = np.array([[np.nan, 1.0], [0.25, 0.0]])
    assert describe_map(with_nan) == (
        "Feature map, 2 x 2, from 0 to 1; strongest response at row 0, column 1"
    )
    with pytest.raises(ValueError, match="values"):
        describe_map(np.zeros(5))


def test_a_stack_of_maps_names_the_strongest():
    maps = np.zeros((3, 2, 2))
    maps[2, 1, 1] = -7.5
    maps[0, 0, 0] = 3.0
    assert describe_maps(maps) == (
        "Feature maps: 3 maps of 2 x 2, from -7.5 to 3; strongest response in map 2"
    )


def test_a_kernel_is_read_as_its_values():
    sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float32)
    assert describe_kernel(sobel_x, "Sobel x") == ("Sobel x, 3 x 3, rows: -1 0 1; -2 0 2; -1 0 1")
    box = np.full((3, 3), 1 / 9)
    assert describe_kernel(box) == "Kernel, 3 x 3, rows: " + "; ".join(["0.11 0.11 0.11"] * 3)
    big = np.full((15, 15), 1 / 225)
    assert describe_kernel(big) == "Kernel, 15 x 15, from 0.0044 to 0.0044, sum 1"


def test_probabilities_read_as_the_top_classes():
    probabilities = np.array([0.02, 0.9, 0.01, 0.07])
    assert describe_probabilities(probabilities) == "Most likely: 1 90.0%, 3 7.0%, 0 2.0%"
    assert (
        describe_probabilities([0.25, 0.75], ["cat", "dog"]) == "Most likely: dog 75.0%, cat 25.0%"
    )
    with pytest.raises(ValueError, match="classes"):
        describe_probabilities([0.5, 0.5], ["one"])


def test_pictures_and_boxes():
    gray = np.array([[0.0, 1.0], [0.25, 0.75]])
    assert describe_image(gray) == "Picture, 2 x 2, gray, mean brightness 0.5 (0 black, 1 white)"
    as_rgb = np.dstack([gray] * 3)  # a gray picture drawn as RGB is still gray
    assert describe_image(as_rgb, "Input") == describe_image(gray, "Input")
    red = np.zeros((1, 3, 3))
    red[..., 0] = 0.75
    assert describe_image(red) == "Picture, 1 x 3, colour, mean brightness 0.25 (0 black, 1 white)"
    assert describe_box(0, 0, 4, 4) == "Box: rows 0 to 4, columns 0 to 4 (5 x 5 pixels)"


def test_numbers():
    assert [number(v) for v in (0.125, -3.0, 250.4, float("nan"))] == [
        "0.12",
        "-3",
        "250",
        "not a number",
    ]


def test_a_chart_curve_says_its_ends_and_extremes():
    # loss at steps 10, 20, 30, 40: lowest 0.4 at step 30, highest 2.31 at step 10
    text = describe_curve("loss, held-out", [10, 20, 30, 40], [2.31, 0.9, 0.4, 0.45])
    assert text == (
        "loss, held-out, 4 points from step 10 to 40: first 2.31, last 0.45; "
        "lowest 0.4 at step 30, highest 2.31 at step 10"
    )
    assert describe_curve("loss", [], []) == "loss: no points yet"
    assert describe_curve("loss", [0], [2.3]) == "loss: 2.3 at step 0"
    assert describe_curve("loss", [1, 2], [float("nan")] * 2) == "loss, 2 points: no finite value"
    # a NaN is skipped when finding the extremes, but said when it is the last value
    assert describe_curve("a", [0, 1, 2], [0.5, 0.9, float("nan")]).endswith(
        "last not a number; lowest 0.5 at step 0, highest 0.9 at step 1"
    )
    with pytest.raises(ValueError):
        describe_curve("loss", [1, 2], [0.5])
