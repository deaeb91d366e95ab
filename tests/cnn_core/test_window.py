"""The pixel inspector's arithmetic against conv2d itself."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnn_core import conv2d
from cnn_core.geometry import unreached_trailing
from cnn_core.window import window_arithmetic, window_corners

MODES = ("zeros", "reflect", "replicate", "circular")


@settings(max_examples=150, deadline=None)
@given(
    mode=st.sampled_from(MODES),
    flip=st.booleans(),
    stride=st.integers(1, 3),
    padding=st.integers(0, 3),
    dilation=st.integers(1, 3),
    kh=st.integers(1, 4),
    kw=st.integers(1, 4),
    seed=st.integers(0, 10_000),
)
def test_window_total_equals_conv2d_everywhere(mode, flip, stride, padding, dilation, kh, kw, seed):
    rng = np.random.default_rng(seed)
    plane = rng.uniform(-1, 1, (11, 13))
    kernel = rng.standard_normal((kh, kw))
    options = dict(stride=stride, padding=padding, padding_mode=mode, dilation=dilation)
    if (dilation * (kh - 1) + 1 > 11 + 2 * padding) or (dilation * (kw - 1) + 1 > 13 + 2 * padding):
        return
    out = conv2d(plane, kernel, flip=flip, **options)
    for row in range(out.shape[0]):
        for col in range(out.shape[1]):
            window = window_arithmetic(plane, kernel, row, col, flip=flip, **options)
            assert window.total == pytest.approx(float(out[row, col]), abs=1e-5)
            np.testing.assert_allclose(window.products, window.values * window.kernel, rtol=1e-6)


@settings(max_examples=100, deadline=None)
@given(
    stride=st.integers(1, 3),
    padding=st.one_of(st.integers(0, 3), st.sampled_from(["same", "valid"])),
    dilation=st.integers(1, 3),
    kh=st.integers(1, 4),
    kw=st.integers(1, 4),
)
def test_window_corners_are_the_first_and_last_taps(stride, padding, dilation, kh, kw):
    plane = np.zeros((11, 13), np.float32)
    options = dict(stride=stride, padding=padding, dilation=dilation)
    rows, cols = conv2d(plane, np.zeros((kh, kw)), **options).shape
    for row, col in [(0, 0), (rows - 1, cols - 1), (rows // 2, cols // 3)]:
        taps = window_arithmetic(plane, np.zeros((kh, kw)), row, col, **options).positions
        corners = window_corners(plane.shape, (kh, kw), row, col, **options)
        assert corners == (tuple(taps[0, 0].tolist()), tuple(taps[-1, -1].tolist()))


def test_window_stride_2_padding_1_dilation_2_reads_the_right_pixels():
    plane = np.arange(49, dtype=float).reshape(7, 7)  # value = 7 * row + col
    window = window_arithmetic(plane, np.ones((3, 3)), 1, 2, stride=2, padding=1, dilation=2)
    # Output (1, 2) starts at padded (2, 4) = image (1, 3); taps 2 apart:
    # rows 1, 3, 5 and columns 3, 5, 7.
    np.testing.assert_array_equal(window.positions[..., 0][:, 0], [1, 3, 5])
    np.testing.assert_array_equal(window.positions[..., 1][0], [3, 5, 7])
    assert window.padded[:, 2].all() and not window.padded[:, :2].any()
    expected = sum(7 * r + c for r in (1, 3, 5) for c in (3, 5))  # column 7 is zero padding
    assert window.total == expected
    assert window.total == conv2d(plane, np.ones((3, 3)), stride=2, padding=1, dilation=2)[1, 2]


def test_window_reflect_padding_names_the_copied_pixel():
    plane = np.arange(16, dtype=float).reshape(4, 4)
    window = window_arithmetic(plane, np.ones((3, 3)), 0, 0, padding=1, padding_mode="reflect")
    # Padded cell (-1, -1) reflects to image (1, 1).
    assert tuple(window.sources[0, 0]) == (1, 1)
    assert window.values[0, 0] == plane[1, 1]
    assert window.padded[0].all() and window.padded[:, 0].all() and not window.padded[1, 1]


def test_window_flip_applies_the_rotated_kernel():
    kernel = np.arange(9.0).reshape(3, 3)
    window = window_arithmetic(np.ones((5, 5)), kernel, 1, 1, flip=True)
    np.testing.assert_array_equal(window.kernel, kernel[::-1, ::-1])


def test_window_rejects_pixels_outside_the_map():
    with pytest.raises(ValueError, match="outside the 3 x 3 feature map"):
        window_arithmetic(np.ones((5, 5)), np.ones((3, 3)), 3, 0)


@pytest.mark.parametrize(
    "size, kernel, stride, before, after, dilation, expected",
    [
        (7, 3, 2, 0, 0, 1, 0),  # (7 - 3) / 2 is whole: every pixel is reached
        (8, 3, 2, 0, 0, 1, 1),  # (8 - 3) / 2 = 2.5 rounds down: the last pixel is left out
        (10, 2, 4, 0, 0, 1, 0),  # windows at 0, 4, 8 end exactly at pixel 9
        (11, 3, 4, 1, 1, 1, 1),  # windows end at image pixel 9 of 0..10
        (12, 3, 5, 0, 0, 2, 2),  # dilated span 5: windows at 0, 5 end at pixel 9 of 0..11
    ],
)
def test_unreached_trailing_counts_pixels_no_window_covers(
    size, kernel, stride, before, after, dilation, expected
):
    out = (size + before + after - (dilation * (kernel - 1) + 1)) // stride + 1
    reached = np.zeros(size, bool)  # brute force: every image pixel any tap reads
    for o in range(out):
        for t in range(kernel):
            i = o * stride + t * dilation - before
            if 0 <= i < size:
                reached[i] = True
    brute_force = size - 1 - int(np.flatnonzero(reached).max())
    counted = unreached_trailing(
        size, kernel, stride=stride, before=before, after=after, dilation=dilation
    )
    assert counted == brute_force == expected


@pytest.mark.parametrize("mode", ["max", "avg", "l2"])
@pytest.mark.parametrize("padding, ceil_mode", [(0, False), (1, False), (1, True), (0, True)])
def test_pool_window_result_equals_pool2d(mode, padding, ceil_mode):
    from cnn_core.pool import pool2d
    from cnn_core.window import pool_window

    if mode == "l2" and padding:
        padding = 0
    plane = np.random.default_rng(2).standard_normal((9, 11))
    out = pool2d(plane, 3, stride=2, padding=padding, mode=mode, ceil_mode=ceil_mode)
    for row in range(out.shape[0]):
        for col in range(out.shape[1]):
            window = pool_window(
                plane, row, col, 3, stride=2, padding=padding, mode=mode, ceil_mode=ceil_mode
            )
            assert window.result == pytest.approx(float(out[row, col]), rel=1e-5)
            if mode == "max":
                i, j = window.winner
                assert window.values[i, j] == pytest.approx(window.result)
                assert not window.padded[i, j]
