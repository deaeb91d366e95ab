"""The kernel library and reading a user's custom kernel."""

import cv2
import numpy as np
import pytest

from cnn_core import KERNELS
from cnn_core.kernel_text import KernelError, format_kernel, parse_kernel, validate_kernel
from cnn_core.kernels import (
    KIRSCH_DIRECTIONS,
    box_kernel,
    gaussian_kernel,
    kirsch_bank,
    normalized,
    random_kernel,
)

REQUIRED = [
    "identity",
    "box_blur",
    "gaussian_blur",
    "sharpen",
    "laplacian",
    "emboss",
    "sobel_x",
    "sobel_y",
    "prewitt_x",
    "prewitt_y",
    "scharr_x",
    "scharr_y",
    *[f"kirsch_{d}" for d in ("n", "ne", "e", "se", "s", "sw", "w", "nw")],
]


def test_kernels_has_every_required_name_as_float32():
    for name in REQUIRED:
        assert KERNELS[name].dtype == np.float32, name
        assert KERNELS[name].ndim == 2, name


def test_kernels_sobel_values_and_transpose():
    np.testing.assert_array_equal(KERNELS["sobel_x"], [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    np.testing.assert_array_equal(KERNELS["sobel_y"], KERNELS["sobel_x"].T)
    np.testing.assert_array_equal(KERNELS["prewitt_x"], [[-1, 0, 1]] * 3)
    np.testing.assert_array_equal(KERNELS["scharr_x"], [[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]])


def test_kernels_sobel_agrees_with_opencv_derivative():
    """cv2.Sobel(dx=1) is the same 3x3 derivative; both correlate without flipping."""
    rng = np.random.default_rng(1)
    image = rng.random((20, 20)).astype(np.float32)
    ours = cv2.filter2D(image, -1, KERNELS["sobel_x"], borderType=cv2.BORDER_REPLICATE)
    reference = cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=3, borderType=cv2.BORDER_REPLICATE)
    np.testing.assert_allclose(ours, reference, atol=1e-5)


def test_kernels_kirsch_north_and_each_next_is_rotated_45_degrees_clockwise():
    np.testing.assert_array_equal(KERNELS["kirsch_n"], [[5, 5, 5], [-3, 0, -3], [-3, -3, -3]])
    ring = [(0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0)]
    for previous, current in zip(KIRSCH_DIRECTIONS, KIRSCH_DIRECTIONS[1:] + KIRSCH_DIRECTIONS[:1]):
        before, after = KERNELS[f"kirsch_{previous}"], KERNELS[f"kirsch_{current}"]
        for k, cell in enumerate(ring):
            # The value at each ring cell moves one step clockwise.
            assert after[ring[(k + 1) % 8]] == before[cell]
        assert after[1, 1] == 0
    np.testing.assert_array_equal(KERNELS["kirsch_e"], np.rot90(KERNELS["kirsch_n"], -1))
    assert kirsch_bank().shape == (8, 3, 3)


@pytest.mark.parametrize("name", ["box_blur", "gaussian_blur", "identity", "sharpen"])
def test_kernels_smoothing_ones_sum_to_one(name):
    assert KERNELS[name].sum() == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("name", ["sobel_x", "laplacian", "kirsch_ne", "scharr_y", "prewitt_y"])
def test_kernels_edge_ones_sum_to_zero(name):
    assert KERNELS[name].sum() == 0


@pytest.mark.parametrize("size, sigma", [(3, 0.8), (5, 1.0), (7, 2.5), (15, 3.0)])
def test_gaussian_kernel_matches_opencv(size, sigma):
    column = cv2.getGaussianKernel(size, sigma, cv2.CV_64F)
    np.testing.assert_allclose(gaussian_kernel(size, sigma), column @ column.T, rtol=1e-5)


def test_gaussian_kernel_even_size_is_centred_between_pixels():
    kernel = gaussian_kernel(4, 1.0).astype(np.float64)
    # Taps at -1.5, -0.5, 0.5, 1.5: neighbouring weights differ by exp(-(1.5^2 - 0.5^2) / 2).
    assert kernel[1, 0] / kernel[1, 1] == pytest.approx(np.exp(-1.0), rel=1e-6)
    np.testing.assert_allclose(kernel, kernel[::-1, ::-1])
    assert kernel.sum() == pytest.approx(1.0)


def test_box_kernel_and_normalized():
    np.testing.assert_allclose(box_kernel(4), np.full((4, 4), 1 / 16))
    np.testing.assert_allclose(normalized([[1, 2], [3, 4]]), np.array([[1, 2], [3, 4]]) / 10)
    with pytest.raises(ValueError, match="sums to 0"):
        normalized(KERNELS["sobel_x"])


def test_random_kernel_is_reproducible_per_seed():
    np.testing.assert_array_equal(random_kernel(5, 42), random_kernel(5, 42))
    assert not np.array_equal(random_kernel(5, 42), random_kernel(5, 43))
    assert random_kernel(7, 0).shape == (7, 7)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 0 -1; 2 0 -2; 1 0 -1", [[1, 0, -1], [2, 0, -2], [1, 0, -1]]),
        ("1,2\n3,4", [[1, 2], [3, 4]]),
        ("[[1, 2], [3, 4]]", [[1, 2], [3, 4]]),
        ("1/9 1/9; 1/9 1/9", [[1 / 9, 1 / 9], [1 / 9, 1 / 9]]),
        ("  -0.5  ", [[-0.5]]),
        ("1e-3 2E2", [[0.001, 200]]),
    ],
)
def test_parse_kernel_reads_common_ways_of_writing_a_grid(text, expected):
    np.testing.assert_allclose(parse_kernel(text), expected, rtol=1e-6)


@pytest.mark.parametrize(
    "text, match",
    [
        ("1 2; 3 x", r"Row 2, column 2: 'x' is not a number"),
        ("1 2 3; 4 5", "Every row needs the same number of cells"),
        ("", "The kernel is empty"),
        ("1 nan; 0 1", r"Row 1, column 2 is nan"),
        ("1 inf", r"Row 1, column 2 is inf"),
        ("1/0 1", r"Row 1, column 1: '1/0' is not a number"),
        (";".join(["1 " * 16] * 16), "16 x 16"),
        ("1e300", "keep cells within"),
    ],
)
def test_parse_kernel_names_the_bad_cell(text, match):
    with pytest.raises(KernelError, match=match):
        parse_kernel(text)


def test_validate_kernel_accepts_1x1_to_15x15_and_even_sizes():
    assert validate_kernel([[2]]).shape == (1, 1)
    assert validate_kernel(np.ones((15, 15))).shape == (15, 15)
    assert validate_kernel(np.ones((2, 4))).shape == (2, 4)
    with pytest.raises(KernelError, match="Row 2, column 1"):
        validate_kernel([[1, 2], [None, 3]])


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_format_kernel_round_trips_through_parse_kernel(name):
    np.testing.assert_array_equal(parse_kernel(format_kernel(KERNELS[name])), KERNELS[name])
