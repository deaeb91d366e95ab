"""How closely two computations of the same array agree: the number a page prints when it
shows one result reached two ways (a matrix product and conv2d, a transposed convolution
and its equivalent convolution, a learned kernel and the hidden one)."""

from __future__ import annotations

import numpy as np


def largest_difference(a, b) -> float:
    """``max |a - b|`` over all elements, in float64 (0 for empty arrays).

    >>> largest_difference([1.0, 2.0, 3.0], [1.0, 2.5, 2.0])
    1.0
    """
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got {a.shape} and {b.shape}")
    return float(np.abs(a - b).max()) if a.size else 0.0
