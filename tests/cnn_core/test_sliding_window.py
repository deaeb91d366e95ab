"""The sliding-window walk-through: padding marked, taps, progress, and the crop chosen."""

import numpy as np
import pytest

from cnn_core import conv2d
from cnn_core.geometry import Padding
from cnn_core.sliding_window import busiest_crop, padding_mask, sliding_step


def test_padding_mask_marks_each_side():
    mask = padding_mask((2, 3), Padding(1, 0, 2, 1))
    assert mask.astype(int).tolist() == [
        [1, 1, 1, 1, 1, 1],
        [1, 1, 0, 0, 0, 1],
        [1, 1, 0, 0, 0, 1],
    ]
    assert not padding_mask((2, 3), Padding(0, 0, 0, 0)).any()


def test_sliding_step_zero_padding_stride_two_by_hand():
    grid = np.arange(1, 10, dtype=np.float32).reshape(3, 3)  # 1..9
    kernel = np.array([[1, 0], [0, -1]], np.float32)
    step = sliding_step(grid, kernel, 1, 0, stride=2, padding=1)
    # padded 5 x 5; output (3 + 2 - 2) // 2 + 1 = 2 per axis; step (1, 0) reads padded
    # rows 2-3, columns 0-1: [[0, 4], [0, 7]] -> 1*0 + (-1)*7 = -7
    assert step.padded_values.shape == (5, 5) and step.padding.sum() == 25 - 9
    assert np.argwhere(step.taps).tolist() == [[2, 0], [2, 1], [3, 0], [3, 1]]
    assert step.window.total == -7.0
    assert step.window.total == conv2d(grid, kernel, stride=2, padding=1)[1, 0]
    assert step.done.tolist() == [[True, True], [True, False]]
    assert step.current.tolist() == [[False, False], [True, False]]


def test_sliding_step_reflect_padding_reads_mirrored_cells():
    grid = np.array([[1, 2, 3], [4, 5, 6]], np.float32)
    step = sliding_step(grid, np.ones((3, 3), np.float32), 0, 0, padding=1, padding_mode="reflect")
    # reflect: the row above row 0 is row 1, the column left of column 0 is column 1
    assert step.padded_values[0].tolist() == [5, 4, 5, 6, 5]
    assert step.padded_values[:, 0].tolist() == [5, 2, 5, 2]
    assert step.padding[0].all() and not step.padding[1, 1:4].any()
    assert step.window.total == pytest.approx(5 + 4 + 5 + 2 + 1 + 2 + 5 + 4 + 5)


@pytest.mark.parametrize("size", [2, 3, 5, 8])
def test_busiest_crop_has_the_largest_variance_of_any_crop(size):
    gray = np.random.default_rng(size).random((13, 11)).astype(np.float32)
    top, left = busiest_crop(gray, size)
    variances = np.array(
        [
            [np.var(gray[r : r + size, c : c + size], dtype=np.float64) for c in range(12 - size)]
            for r in range(14 - size)
        ]
    )
    assert variances.max() == pytest.approx(variances[top, left], rel=1e-4)


def test_busiest_crop_finds_the_one_edge():
    gray = np.zeros((20, 20), np.float32)
    gray[12:16, 5:7] = 1.0  # a small bright block
    top, left = busiest_crop(gray, 4)
    crop = gray[top : top + 4, left : left + 4]
    assert crop.sum() == 8  # the whole block inside: half the crop bright, variance 1/4


def test_busiest_crop_refuses_a_crop_larger_than_the_image():
    with pytest.raises(ValueError, match="size must be from 1 to 4; got 5"):
        busiest_crop(np.zeros((4, 6), np.float32), 5)
