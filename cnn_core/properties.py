"""The algebra of convolution, checked on an image: each property as two computations
that should agree, and how far apart they really are.

Grosse's lecture notes list the properties: convolution is linear, commutative and
associative (so blurring then detecting edges equals detecting edges then blurring,
and equals one combined kernel), and equivariant to translation (shift the input, and
the output shifts with it). Each holds exactly in exact arithmetic; here each is
computed in float32 on the user's own image, so the largest difference shows rounding
(about 1e-6 of the values), and where a property breaks (translation at the border with
zero padding) the difference map shows where.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .conv import as_float_array, conv2d


@dataclass(frozen=True)
class PropertyCheck:
    """Two ways to compute the same map, and how far apart they came out."""

    left: np.ndarray
    right: np.ndarray
    difference: np.ndarray  # |left - right|
    largest: float  # the largest difference
    scale: float  # the largest |value| of left, for a relative reading

    @property
    def relative(self) -> float:
        return self.largest / self.scale if self.scale > 0 else 0.0


def _check(left: np.ndarray, right: np.ndarray) -> PropertyCheck:
    left, right = np.asarray(left, np.float32), np.asarray(right, np.float32)
    difference = np.abs(left.astype(np.float64) - right.astype(np.float64)).astype(np.float32)
    scale = float(np.abs(left).max()) if left.size else 0.0
    return PropertyCheck(left, right, difference, float(difference.max(initial=0.0)), scale)


def combine_kernels(first, second) -> np.ndarray:
    """The one kernel that does ``first`` then ``second`` (cross-correlations, as
    ``conv2d`` computes): the full convolution of the two, ``kh1 + kh2 - 1`` wide.

    >>> combine_kernels([[1, 1]], [[1, -1]]).tolist()
    [[1.0, 0.0, -1.0]]
    """
    a = as_float_array("first", first, ndims=(2,))
    b = as_float_array("second", second, ndims=(2,))
    # corr(corr(x, a), b) = corr(x, a * b), with * the full (true) convolution.
    padded = np.pad(a, ((b.shape[0] - 1,) * 2, (b.shape[1] - 1,) * 2))
    return conv2d(padded, b, flip=True)


def linearity(x, y, kernel, a: float, b: float) -> PropertyCheck:
    """conv(a x + b y) against a conv(x) + b conv(y), zeros padding, same size."""
    x, y = np.asarray(x, np.float32), np.asarray(y, np.float32)
    left = conv2d(a * x + b * y, kernel, padding="same")
    right = a * conv2d(x, kernel, padding="same") + b * conv2d(y, kernel, padding="same")
    return _check(left, right)


def commutativity(x, first, second) -> PropertyCheck:
    """``first`` then ``second`` against ``second`` then ``first`` ("valid": no border)."""
    left = conv2d(conv2d(x, first), second)
    right = conv2d(conv2d(x, second), first)
    return _check(left, right)


def associativity(x, first, second) -> PropertyCheck:
    """``first`` then ``second`` against the one combined kernel ("valid")."""
    left = conv2d(conv2d(x, first), second)
    right = conv2d(x, combine_kernels(first, second))
    return _check(left, right)


def translation(x, kernel, shift: tuple[int, int], padding_mode: str) -> PropertyCheck:
    """conv(shifted x) against the shifted conv(x), same size, in ``padding_mode``.

    The shift is circular (``np.roll``): with circular padding the two agree everywhere;
    with zeros they agree away from the border, where the rolled-in pixels meet zeros.
    """
    x = np.asarray(x, np.float32)
    options = dict(padding="same", padding_mode=padding_mode)
    left = conv2d(np.roll(x, shift, axis=(0, 1)), kernel, **options)
    right = np.roll(conv2d(x, kernel, **options), shift, axis=(0, 1))
    return _check(left, right)


def border_mask(shape: tuple[int, int], kernel_shape: tuple[int, int], shift) -> np.ndarray:
    """Pixels within reach of the image border or the rolled seam, where zero padding
    may break translation equivariance; True there."""
    height, width = shape
    reach_r, reach_c = kernel_shape[0] // 2 + 1, kernel_shape[1] // 2 + 1
    mask = np.zeros(shape, bool)
    mask[:reach_r], mask[-reach_r:], mask[:, :reach_c], mask[:, -reach_c:] = (True,) * 4
    dy, dx = shift[0] % height, shift[1] % width
    mask[max(dy - reach_r, 0) : dy + reach_r] = True
    mask[:, max(dx - reach_c, 0) : dx + reach_c] = True
    return mask


def flip_versus_correlation(x, kernel) -> PropertyCheck:
    """True convolution against cross-correlation: equal exactly when the kernel is
    symmetric under a 180-degree turn, negated for an antisymmetric one like Sobel."""
    return _check(conv2d(x, kernel, padding="same", flip=True), conv2d(x, kernel, padding="same"))
