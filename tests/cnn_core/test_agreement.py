import numpy as np
import pytest

from cnn_core.agreement import largest_difference


def test_largest_difference_by_hand():
    a = np.array([[1.0, -2.0], [3.0, 0.5]], np.float32)
    b = np.array([[1.0, 2.0], [2.5, 0.5]], np.float32)
    assert largest_difference(a, b) == 4.0  # |-2 - 2|
    assert largest_difference(a, a) == 0.0
    assert largest_difference(np.zeros((0, 3)), np.zeros((0, 3))) == 0.0


def test_largest_difference_refuses_different_shapes():
    with pytest.raises(ValueError, match=r"same shape; got \(2,\) and \(3,\)"):
        largest_difference(np.zeros(2), np.zeros(3))
