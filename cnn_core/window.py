"""The arithmetic behind one output pixel of a convolution.

For output position ``(row, col)`` the kernel's top-left tap sits on padded input position
``(row * stride, col * stride)``, and tap ``(i, j)`` reads padded position
``(row * stride + i * dilation, col * stride + j * dilation)``. Positions outside the
image are padding: zeros, or a copy of an image pixel in the other padding modes. The
output value is the sum of the element-wise products of those values and the kernel
(rotated 180 degrees first for true convolution).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .conv import output_shape
from .geometry import Padding, check_padding_mode, resolve_padding, source_index, to_pair
from .pool import pool2d, pool_output_shape


@dataclass(frozen=True)
class WindowArithmetic:
    """Everything needed to show how one output value of a 2-D convolution is made."""

    positions: np.ndarray  # (kh, kw, 2) image (row, col) under each tap; outside = padding
    values: np.ndarray  # (kh, kw) input values under the taps, padding included
    padded: np.ndarray  # (kh, kw) bool: the tap reads a padded cell
    sources: np.ndarray  # (kh, kw, 2) image (row, col) each tap copies; (-1, -1) for a zero
    kernel: np.ndarray  # (kh, kw) the weights as applied (rotated when flip=True)
    products: np.ndarray  # (kh, kw) values * kernel
    total: float  # sum of products: the output value


def window_arithmetic(
    plane,
    kernel,
    row: int,
    col: int,
    *,
    stride=1,
    padding=0,
    padding_mode: str = "zeros",
    dilation=1,
    flip: bool = False,
) -> WindowArithmetic:
    """The taps, products and sum behind ``conv2d(plane, kernel, ...)[row, col]``.

    ``plane`` is one 2-D channel and ``kernel`` one 2-D kernel; the arguments mean what they
    mean for ``conv2d``. The returned ``total`` equals that output value.
    """
    plane = np.asarray(plane, dtype=np.float32)
    weights = np.asarray(kernel, dtype=np.float32)
    if plane.ndim != 2 or weights.ndim != 2:
        raise ValueError(
            "window_arithmetic takes a 2-D plane and a 2-D kernel; "
            f"got {plane.shape} and {weights.shape}"
        )
    stride = to_pair("stride", stride, minimum=1)
    dilation = to_pair("dilation", dilation, minimum=1)
    pad = resolve_padding(padding, plane.shape, weights.shape, stride, dilation)
    check_padding_mode(padding_mode, pad, plane.shape)
    rows_out, cols_out = output_shape(plane.shape, weights.shape, pad, stride, dilation)
    if not (0 <= row < rows_out and 0 <= col < cols_out):
        raise ValueError(
            f"output pixel ({row}, {col}) is outside the {rows_out} x {cols_out} feature map"
        )
    applied = weights[::-1, ::-1] if flip else weights
    positions = tap_positions(row, col, weights.shape, pad, stride, dilation)  # (kh, kw, 2)
    sources = np.empty_like(positions)
    values = np.zeros(weights.shape, np.float32)
    height, width = plane.shape
    for (i, j), _ in np.ndenumerate(applied):
        r = source_index(int(positions[i, j, 0]) + pad.top, height, pad.top, padding_mode)
        c = source_index(int(positions[i, j, 1]) + pad.left, width, pad.left, padding_mode)
        if r is None or c is None:
            sources[i, j] = (-1, -1)
        else:
            sources[i, j] = (r, c)
            values[i, j] = plane[r, c]
    inside = (
        (positions[..., 0] >= 0)
        & (positions[..., 0] < height)
        & (positions[..., 1] >= 0)
        & (positions[..., 1] < width)
    )
    products = values * applied
    return WindowArithmetic(
        positions=positions,
        values=values,
        padded=~inside,
        sources=sources,
        kernel=applied.copy(),
        products=products,
        total=float(products.sum(dtype=np.float64)),
    )


def window_corners(
    input_shape: tuple[int, int],
    kernel_shape: tuple[int, int],
    row: int,
    col: int,
    *,
    stride=1,
    padding=0,
    dilation=1,
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Image coordinates of the first and last tap for output ``(row, col)``: the box the
    (dilated) kernel covers, without reading any values. Negative or past the edge where
    it reaches into the padding."""
    stride = to_pair("stride", stride, minimum=1)
    dilation = to_pair("dilation", dilation, minimum=1)
    pad = resolve_padding(padding, input_shape, kernel_shape, stride, dilation)
    taps = tap_positions(row, col, kernel_shape, pad, stride, dilation)
    return tuple(taps[0, 0].tolist()), tuple(taps[-1, -1].tolist())


def tap_positions(
    row: int,
    col: int,
    kernel_shape: tuple[int, int],
    pad: Padding,
    stride: tuple[int, int],
    dilation: tuple[int, int],
) -> np.ndarray:
    """(kh, kw, 2) image coordinates read by each tap for output ``(row, col)``."""
    kh, kw = kernel_shape
    rows = row * stride[0] - pad.top + dilation[0] * np.arange(kh)
    cols = col * stride[1] - pad.left + dilation[1] * np.arange(kw)
    grid = np.stack(np.meshgrid(rows, cols, indexing="ij"), axis=-1)
    return grid.astype(np.int64)


@dataclass(frozen=True)
class PoolWindow:
    """The window behind one pooled value."""

    positions: np.ndarray  # (kh, kw, 2) image (row, col) of each cell; outside = padding
    values: np.ndarray  # (kh, kw) the cells' values; padding is -inf (max) or 0 (avg, l2)
    padded: np.ndarray  # (kh, kw) bool: the cell lies in the padding or past the edge
    result: float  # the pooled value
    winner: tuple[int, int] | None  # (i, j) of the maximum, for max pooling


def pool_window(
    plane,
    row: int,
    col: int,
    kernel_size,
    *,
    stride=None,
    padding=0,
    mode="max",
    ceil_mode=False,
) -> PoolWindow:
    """The cells, and the result, of pooled output ``(row, col)`` of one 2-D ``plane``."""
    plane = np.asarray(plane, np.float32)
    kh, kw = to_pair("kernel_size", kernel_size, minimum=1)
    sh, sw = to_pair("stride", kernel_size if stride is None else stride, minimum=1)
    ph, pw = to_pair("padding", padding, minimum=0)
    rows, cols = pool_output_shape(
        plane.shape, (kh, kw), stride=(sh, sw), padding=(ph, pw), ceil_mode=ceil_mode
    )
    if not (0 <= row < rows and 0 <= col < cols):
        raise ValueError(f"output cell ({row}, {col}) is outside the {rows} x {cols} pooled map")
    positions = tap_positions(row, col, (kh, kw), Padding(ph, ph, pw, pw), (sh, sw), (1, 1))
    r, c = positions[..., 0], positions[..., 1]
    inside = (r >= 0) & (r < plane.shape[0]) & (c >= 0) & (c < plane.shape[1])
    fill = -np.inf if mode == "max" else 0.0
    values = np.where(
        inside, plane[r.clip(0, plane.shape[0] - 1), c.clip(0, plane.shape[1] - 1)], fill
    )
    result = float(
        pool2d(plane, (kh, kw), stride=(sh, sw), padding=(ph, pw), mode=mode, ceil_mode=ceil_mode)[
            row, col
        ]
    )
    winner = None
    if mode == "max":
        flat = int(np.argmax(values))
        winner = (flat // kw, flat % kw)
    return PoolWindow(positions, values.astype(np.float32), ~inside, result, winner)
