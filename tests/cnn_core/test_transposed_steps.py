"""The Transposed convolution walk-through: stamps one at a time, the size round trip and
the padded zero-inserted input, by hand and against conv_transpose2d."""

import numpy as np
import pytest

from cnn_core import conv2d
from cnn_core.transposed import as_convolution, conv_transpose2d
from cnn_core.transposed_steps import padded_zero_inserted, size_round_trip, stamp_step

X = np.array([[1, 2], [3, 4]], np.float32)
K = np.ones((3, 3), np.float32)


def test_stamp_step_by_hand():
    step = stamp_step(X, K, 1, stride=2)
    # full output (2 - 1) * 2 + 3 = 5; stamp 1 is input (0, 1) = 2 at column 2
    assert step.value == 2.0 and step.source.tolist() == [[False, True], [False, False]]
    assert step.stamp.tolist() == (2 * K).tolist()
    assert step.so_far[0].tolist() == [1, 1, 3, 2, 2]  # the two stamps overlap at column 2
    assert step.so_far[3:].sum() == 0  # the second row's stamps have not landed
    assert np.argwhere(step.landed.any(axis=0)).ravel().tolist() == [2, 3, 4]


@pytest.mark.parametrize(("stride", "dilation"), [(1, 1), (2, 1), (3, 2)])
def test_stamp_step_last_equals_the_uncropped_transposed_convolution(stride, dilation):
    x = np.random.default_rng(stride).normal(size=(3, 2)).astype(np.float32)
    kernel = np.arange(6, dtype=np.float32).reshape(2, 3)
    last = stamp_step(x, kernel, x.size - 1, stride=stride, dilation=dilation)
    full = conv_transpose2d(x, kernel, stride=stride, dilation=dilation)
    np.testing.assert_allclose(last.so_far, full, rtol=1e-5, atol=1e-6)


def test_stamp_step_refuses_a_step_past_the_last():
    with pytest.raises(ValueError, match="step must be from 0 to 3; got 4"):
        stamp_step(X, K, 4)


def test_size_round_trip_by_hand():
    trip = size_round_trip((2, 3), (3, 3), stride=2, padding=1, output_padding=1)
    # (2 - 1)·2 - 2·1 + 1·(3 - 1) + 1 + 1 = 4 rows; (3 - 1)·2 - 2 + 2 + 1 + 1 = 6 columns
    assert [s.result for s in trip.sizes] == [4, 6]
    # a stride-2 convolution with padding 1 takes 4 -> 2 and 6 -> 3: the input's size
    assert trip.back == (2, 3)
    out = conv_transpose2d(np.ones((2, 3)), np.ones((3, 3)), stride=2, padding=1, output_padding=1)
    assert out.shape == (4, 6)


def test_padded_zero_inserted_is_what_conv2d_reads():
    equivalent = as_convolution(X, K, stride=2, padding=1)
    padded, mask = padded_zero_inserted(equivalent)
    # zero-inserted 3 x 3, padded by d·(k - 1) - p = 1 on each side: 5 x 5
    assert padded.shape == (5, 5) and mask.sum() == 25 - 9
    assert padded[1:4, 1:4].tolist() == [[1, 0, 2], [0, 0, 0], [3, 0, 4]]
    flipped = K[::-1, ::-1]
    np.testing.assert_allclose(conv2d(padded, flipped), conv_transpose2d(X, K, stride=2, padding=1))
