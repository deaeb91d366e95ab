"""Shift sensitivity: convolution moves with the input, pooling partly does not."""

import numpy as np
import pytest

from cnn_core import KERNELS, load_image
from cnn_core.colour import to_gray
from cnn_core.samples import SAMPLES_DIR
from cnn_core.shift import shift_changes


def test_shift_changes_a_dot_inside_its_pooling_window_leaves_the_pooled_map_unchanged():
    image = np.zeros((16, 32), np.float32)
    image[6:8, 12] = 1.0  # a short bar; shifts of 1-3 px keep its responses in their windows
    curves = shift_changes(image, KERNELS["identity"], pool_size=8, pool_stride=8, max_shift=3)
    feature, pooled, strided = curves.values()
    assert feature[0] == pooled[0] == strided[0] == 0
    assert (feature[1:] > 0).all()
    # The identity map's maximum stays in pooling column 1 (cols 8..15) for shifts 1..3 ...
    np.testing.assert_array_equal(pooled, 0.0)
    # ... while a stride-8 convolution samples columns 0, 8, 16: the bar at 12 is missed
    # at every shift, so this strided map stays all zero (and its change is defined as 0).
    np.testing.assert_array_equal(strided, 0.0)


def test_shift_changes_on_a_photo_pooling_is_less_sensitive_than_the_feature_map():
    gray = to_gray(load_image(SAMPLES_DIR / "cat.jpg", max_side=256))
    curves = shift_changes(gray, KERNELS["sobel_x"], pool_size=4, pool_stride=4)
    feature, pooled, strided = curves.values()
    assert (pooled[1:] < feature[1:]).all()
    assert (pooled[1:4] < strided[1:4]).all()


def test_shift_changes_needs_room_to_shift():
    with pytest.raises(ValueError, match="wider than"):
        shift_changes(np.ones((5, 5)), KERNELS["identity"], pool_size=2, pool_stride=2)
