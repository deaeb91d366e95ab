"""The pixel inspector's arithmetic against conv2d itself."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnn_core import conv2d
from cnn_core.geometry import unreached_trailing
from cnn_core.window import filter_window, pool_window, window_arithmetic, window_corners

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
    assume(dilation * (kh - 1) + 1 <= 11 + 2 * padding)
    assume(dilation * (kw - 1) + 1 <= 13 + 2 * padding)
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


def _torch_pool(plane, mode, size, stride, padding, ceil_mode):
    x = torch.from_numpy(np.asarray(plane, np.float64))[None, None]
    if mode == "max":
        return F.max_pool2d(x, size, stride, padding, ceil_mode=ceil_mode)[0, 0].numpy()
    if mode == "avg":
        return F.avg_pool2d(x, size, stride, padding, ceil_mode=ceil_mode)[0, 0].numpy()
    # lp_pool2d has no padding argument: zero-pad first, as pool2d counts padding.
    x = F.pad(x, (padding,) * 4)
    return F.lp_pool2d(x, 2, size, stride, ceil_mode=ceil_mode)[0, 0].numpy()


@settings(max_examples=120, deadline=None)
@given(
    mode=st.sampled_from(["max", "avg", "l2"]),
    size=st.integers(1, 4),
    stride=st.integers(1, 3),
    data=st.data(),
    ceil_mode=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_pool_window_terms_and_divisor_make_torchs_value(mode, size, stride, data, ceil_mode, seed):
    """Sum of terms / divisor (avg), root of kh*kw * mean square (l2) or the largest term
    (max) equals torch's pooled value: the window's own arithmetic, checked against torch,
    not against pool2d."""
    padding = data.draw(st.integers(0, size // 2))
    plane = np.random.default_rng(seed).standard_normal((7, 9)).astype(np.float32)
    assume(size <= 7 + 2 * padding)
    # lp_pool2d takes no padding: the reference pads first, and its ceil mode then keeps
    # a last window that starts in that padding, which padded pooling drops.
    assume(not (mode == "l2" and padding and ceil_mode))
    expected = _torch_pool(plane, mode, size, stride, padding, ceil_mode)
    row = data.draw(st.integers(0, expected.shape[0] - 1))
    col = data.draw(st.integers(0, expected.shape[1] - 1))
    window = pool_window(
        plane, row, col, size, stride=stride, padding=padding, mode=mode, ceil_mode=ceil_mode
    )
    terms = window.terms.astype(np.float64)
    if mode == "max":
        by_hand = terms.max()
    elif mode == "avg":
        by_hand = terms.sum() / window.divisor
    else:
        by_hand = np.sqrt(window.window_cells * (terms**2).sum() / window.divisor)
    assert by_hand == pytest.approx(float(expected[row, col]), rel=1e-5, abs=1e-6)
    assert window.result == pytest.approx(by_hand, rel=1e-6, abs=1e-7)


@pytest.mark.parametrize("padding, ceil_mode", [(0, True), (1, False), (1, True)])
def test_pool_window_divisor_is_torchs_cell_count(padding, ceil_mode):
    """torch's average of an all-ones input is (cells inside the image) / divisor: the
    divisor read back from torch equals the window's, for every window."""
    ones = np.ones((7, 9), np.float32)
    averaged = _torch_pool(ones, "avg", 3, 2, padding, ceil_mode)
    for row in range(averaged.shape[0]):
        for col in range(averaged.shape[1]):
            window = pool_window(
                ones, row, col, 3, stride=2, padding=padding, mode="avg", ceil_mode=ceil_mode
            )
            inside = int((~window.padded).sum())  # counted by hand from the positions
            assert round(inside / averaged[row, col]) == window.divisor


def test_pool_window_worked_example_of_a_ceil_mode_window():
    """A 3 x 3 window at stride 2 over a 4 x 4 input (values 0..15) in ceil mode: output
    row 1 starts at input row 2, so its windows hold rows 2 and 3 and a row past the input.
    Column 0: (8 + 9 + 10 + 12 + 13 + 14) / 6 = 11, and L2
    sqrt(9 * (64 + 81 + 100 + 144 + 169 + 196) / 6) = sqrt(1131) = 33.63.
    Column 1 starts at input column 2: (10 + 11 + 14 + 15) / 4 = 12.5."""
    plane = np.arange(16, dtype=np.float32).reshape(4, 4)
    window = pool_window(plane, 1, 0, 3, stride=2, mode="avg", ceil_mode=True)
    assert window.terms.tolist() == [8, 9, 10, 12, 13, 14] and window.divisor == 6
    assert window.result == 11 and window.cut_short
    corner = pool_window(plane, 1, 1, 3, stride=2, mode="avg", ceil_mode=True)
    assert corner.terms.tolist() == [10, 11, 14, 15] and corner.divisor == 4
    assert corner.result == 12.5
    l2 = pool_window(plane, 1, 0, 3, stride=2, mode="l2", ceil_mode=True)
    assert l2.result == pytest.approx(np.sqrt(1131.0))


def test_pool_window_max_winner_is_the_largest_real_cell():
    plane = -np.ones((4, 4), np.float32)
    plane[0, 1] = -0.5
    window = pool_window(plane, 0, 0, 3, stride=2, padding=1, mode="max")
    assert window.result == -0.5  # padding never wins, even over negative values
    assert window.positions[window.winner].tolist() == [0, 1]


def test_filter_window_sums_the_channels_like_conv2d():
    rng = np.random.default_rng(3)
    planes = rng.standard_normal((3, 6, 7))
    kernel = rng.standard_normal((3, 3, 3))
    out = conv2d(planes, kernel, padding=1)
    arithmetic = filter_window(planes, kernel, 2, 4, padding=1)
    assert arithmetic.total == pytest.approx(float(out[2, 4]), abs=1e-5)
    assert len(arithmetic.windows) == 3
