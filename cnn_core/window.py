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
from .pool import POOL_MODES, pool_output_shape


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
    pad: Padding  # the padding on each side, as resolved from the options
    output_shape: tuple[int, int]  # (H', W') of the whole feature map


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
        pad=pad,
        output_shape=(rows_out, cols_out),
    )


@dataclass(frozen=True)
class FilterWindow:
    """One output of a filter that spans several channels: a window per channel, and the
    sum of their totals (what a conv layer's filter computes before its bias)."""

    windows: tuple[WindowArithmetic, ...]  # one per input channel
    total: float


def filter_window(planes, kernel, row: int, col: int, **conv_options) -> FilterWindow:
    """The arithmetic behind ``conv2d(planes, kernel, ...)[row, col]`` for ``(C, H, W)``
    planes and a ``(C, kh, kw)`` kernel (a 2-D kernel is used for every channel)."""
    planes = np.asarray(planes, np.float32)
    kernel = np.asarray(kernel, np.float32)
    slices = kernel if kernel.ndim == 3 else np.broadcast_to(kernel, (len(planes), *kernel.shape))
    windows = tuple(
        window_arithmetic(plane, piece, row, col, **conv_options)
        for plane, piece in zip(planes, slices)
    )
    return FilterWindow(windows, float(sum(w.total for w in windows)))


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
    """The window behind one pooled value, and the arithmetic that makes it.

    ``terms`` are the numbers that enter the result and ``divisor`` what their sum (or sum
    of squares) is divided by, both as PyTorch uses them: average and L2 pooling divide by
    the cells that lie inside the padded input (padding zeros count, cells that ceil mode
    lets hang past the padded input do not). L2 pooling then multiplies the mean square by
    the full window's ``window_cells`` before the root, as ``torch.nn.functional.lp_pool2d``
    does; for a whole window this is the plain root of the sum of squares.
    """

    mode: str  # "max" | "avg" | "l2"
    positions: np.ndarray  # (kh, kw, 2) image (row, col) of each cell; outside = padding
    values: np.ndarray  # (kh, kw) the cells' values; NaN where a cell is not in the image
    padded: np.ndarray  # (kh, kw) bool: the cell lies in the padding or past the edge
    counted: np.ndarray  # (kh, kw) bool: the cell enters the result (terms, in row order)
    terms: np.ndarray  # (n,) values of the counted cells, padding zeros included
    divisor: int  # avg and l2: what the sum is divided by; max: 1
    window_cells: int  # kh * kw
    result: float  # the pooled value, computed from terms and divisor
    winner: tuple[int, int] | None  # (i, j) of the maximum, for max pooling

    @property
    def sum_of_terms(self) -> float:
        """The sum (avg) or the sum of squares (l2) of the terms."""
        terms = self.terms.astype(np.float64)
        return float(np.sum(terms * terms if self.mode == "l2" else terms))

    @property
    def cut_short(self) -> bool:
        """The divisor is smaller than the window: ceil mode let it hang past the input."""
        return self.mode != "max" and self.divisor != self.window_cells


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
    """The cells, terms, divisor and result of pooled output ``(row, col)`` of a 2-D
    ``plane``; ``result`` equals ``pool2d(plane, ...)[row, col]``."""
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be one of {', '.join(POOL_MODES)}; got {mode!r}")
    plane = np.asarray(plane, np.float32)
    kh, kw = to_pair("kernel_size", kernel_size, minimum=1)
    sh, sw = to_pair("stride", kernel_size if stride is None else stride, minimum=1)
    ph, pw = to_pair("padding", padding, minimum=0)
    rows, cols = pool_output_shape(
        plane.shape, (kh, kw), stride=(sh, sw), padding=(ph, pw), ceil_mode=ceil_mode
    )
    if not (0 <= row < rows and 0 <= col < cols):
        raise ValueError(f"output cell ({row}, {col}) is outside the {rows} x {cols} pooled map")
    height, width = plane.shape
    positions = tap_positions(row, col, (kh, kw), Padding(ph, ph, pw, pw), (sh, sw), (1, 1))
    r, c = positions[..., 0], positions[..., 1]
    inside = (r >= 0) & (r < height) & (c >= 0) & (c < width)
    values = np.where(inside, plane[r.clip(0, height - 1), c.clip(0, width - 1)], np.nan)
    if mode == "max":
        counted = inside
        terms = values[inside]
        result = float(terms.max())
        flat = int(np.nanargmax(np.where(inside, values, -np.inf)))
        winner = (flat // kw, flat % kw)
        divisor = 1
    else:
        # Padding zeros count; cells past the padded input (ceil mode) do not.
        within_padded = (r < height + ph) & (c < width + pw)
        counted = within_padded
        terms = np.where(inside, values, 0.0)[within_padded]
        divisor = int(within_padded.sum())
        total = np.sum(terms.astype(np.float64) ** (2 if mode == "l2" else 1))
        result = float(total / divisor)
        if mode == "l2":
            result = float(np.sqrt(max(result * kh * kw, 0.0)))
        winner = None
    return PoolWindow(
        mode=mode,
        positions=positions,
        values=values.astype(np.float32),
        padded=~inside,
        counted=counted,
        terms=terms.astype(np.float32),
        divisor=divisor,
        window_cells=kh * kw,
        result=result,
        winner=winner,
    )
