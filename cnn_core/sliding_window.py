"""The sliding-window walk-through: the input grid as the kernel sees it at one step, and
where in an image such a walk-through is worth cropping.

One step of the walk-through shows the padded input with its padding marked, the cells
under the kernel's taps, and the output filled in up to that step (row by row, as the
kernel slides). The values come from the same padding (``geometry.pad_plane``) and the
same window (``window.window_arithmetic``) that ``conv2d`` and its explanations use.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .geometry import Padding, pad_plane
from .window import WindowArithmetic, window_arithmetic


def padding_mask(shape: tuple[int, int], pad: Padding) -> np.ndarray:
    """(H + pad.rows, W + pad.cols) bool: True on the padding around an ``shape`` input.

    >>> padding_mask((1, 2), Padding(1, 0, 0, 1)).astype(int).tolist()
    [[1, 1, 1], [0, 0, 1]]
    """
    return pad_plane(np.zeros(shape, np.float32), pad, "zeros", fill=1.0) > 0


@dataclass(frozen=True)
class SlidingStep:
    """One step of the kernel sliding over a small grid."""

    padded_values: np.ndarray  # (Hp, Wp) the input with its padding, as the kernel reads it
    padding: np.ndarray  # (Hp, Wp) bool: the cell is padding
    taps: np.ndarray  # (Hp, Wp) bool: a kernel tap reads the cell at this step
    done: np.ndarray  # (H', W') bool: outputs computed so far (row by row, this one included)
    current: np.ndarray  # (H', W') bool: the output made at this step
    window: WindowArithmetic  # the products and sum behind the current output


def sliding_step(
    grid, kernel, row: int, col: int, *, padding_mode: str = "zeros", **options
) -> SlidingStep:
    """Step ``(row, col)`` of ``conv2d(grid, kernel, ...)`` for a 2-D ``grid`` and kernel;
    the options (stride, padding, dilation, flip) mean what they mean for ``conv2d``."""
    window = window_arithmetic(grid, kernel, row, col, padding_mode=padding_mode, **options)
    grid = np.asarray(grid, np.float32)
    pad = window.pad
    padded_values = pad_plane(grid, pad, padding_mode)
    taps = np.zeros(padded_values.shape, bool)
    taps[window.positions[..., 0] + pad.top, window.positions[..., 1] + pad.left] = True
    out_rows, out_cols = window.output_shape
    order = np.arange(out_rows * out_cols).reshape(out_rows, out_cols)
    return SlidingStep(
        padded_values=padded_values,
        padding=padding_mask(grid.shape, pad),
        taps=taps,
        done=order <= row * out_cols + col,
        current=order == row * out_cols + col,
        window=window,
    )


def busiest_crop(gray: np.ndarray, size: int) -> tuple[int, int]:
    """Top-left corner of the ``size`` x ``size`` crop of ``gray`` with the largest
    variance: the most contrast, where edges make the walk-through worth following.

    >>> gray = np.zeros((6, 6), np.float32); gray[4, 1] = 1.0
    >>> busiest_crop(gray, 2)
    (3, 0)
    """
    gray = np.asarray(gray, np.float32)
    height, width = gray.shape
    if not 1 <= size <= min(height, width):
        raise ValueError(f"size must be from 1 to {min(height, width)}; got {size}")
    # Box means of x and x^2 over every window, centred; variance = E[x^2] - E[x]^2.
    mean = cv2.blur(gray, (size, size), borderType=cv2.BORDER_REFLECT)
    mean_of_squares = cv2.blur(gray * gray, (size, size), borderType=cv2.BORDER_REFLECT)
    variance = mean_of_squares - mean * mean  # (H, W)
    half = size // 2  # cv2's box for an even size has its centre right of the middle
    inner = variance[half : height - size + half + 1, half : width - size + half + 1]
    row, col = np.unravel_index(int(np.argmax(inner)), inner.shape)
    return int(row), int(col)
