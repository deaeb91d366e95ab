"""Convolution as matrix multiplication: the im2col matrix and the convolution matrix.

A convolution is linear in its input, so it is a matrix: ``conv_matrix`` builds the
sparse matrix ``M`` with ``M @ x.ravel() == conv2d(x, kernel).ravel()``. Each row holds
the same few weights, shifted (a Toeplitz structure, block-Toeplitz in 2-D): weight
sharing is repeated values, locality is the zeros (Goodfellow, Bengio & Courville,
"Deep Learning", 2016, section 9.1).

Libraries compute it the other way round (Chellapilla, Puri & Simard, 2006): ``im2col``
copies every window of the input into a column, so the whole convolution is one product
``kernel.ravel() @ im2col(x)`` followed by a reshape. ``im2col`` is numerically
``torch.nn.functional.unfold`` (windows in row order, each window's cells in row order);
``order="column"`` gives the column-major layout of Patel's worked example (2017), where
both the windows and their cells are listed down the columns first, as MATLAB's
``im2col`` does. The two hold the same numbers in a different order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .conv import as_float_array, output_shape
from .geometry import pad_plane, resolve_padding, to_pair, to_shape

ORDERS = ("row", "column")


def im2col(x, kernel_size, *, stride=1, padding=0, dilation=1, order: str = "row") -> np.ndarray:
    """Every window of ``x`` as a column: ``(C * kh * kw, L)``, ``L`` the output positions.

    ``x`` is ``(H, W)`` or ``(C, H, W)``; zeros padding. With ``order="row"`` (the
    default) this is ``F.unfold``; ``order="column"`` lists windows and cells column-major.

    >>> im2col(np.array([[1, 2, 3, 1], [4, 5, 6, 1], [7, 8, 9, 1]]), 2, order="column")[:, 0]
    array([1., 4., 2., 5.], dtype=float32)
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}; got {order!r}")
    planes = as_float_array("x", x, ndims=(2, 3))
    planes = planes if planes.ndim == 3 else planes[None]  # (C, H, W)
    kh, kw = to_pair("kernel_size", kernel_size, minimum=1)
    stride = to_pair("stride", stride, minimum=1)
    dilation = to_pair("dilation", dilation, minimum=1)
    pad = resolve_padding(padding, planes.shape[1:], (kh, kw), stride, dilation)
    rows, cols = output_shape(planes.shape[1:], (kh, kw), pad, stride, dilation)
    padded = pad_plane(planes, pad, "zeros")  # (C, Hp, Wp)
    span = (dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1)
    windows = sliding_window_view(padded, span, axis=(1, 2))  # (C, ., ., span_h, span_w)
    windows = windows[
        :, : (rows - 1) * stride[0] + 1 : stride[0], : (cols - 1) * stride[1] + 1 : stride[1]
    ]
    windows = windows[..., :: dilation[0], :: dilation[1]]  # (C, H', W', kh, kw)
    if order == "row":
        columns = windows.transpose(0, 3, 4, 1, 2).reshape(-1, rows * cols)
    else:
        columns = windows.transpose(0, 4, 3, 2, 1).reshape(-1, cols * rows)
    return np.ascontiguousarray(columns, dtype=np.float32)


def conv_matrix(input_shape, kernel, *, stride=1, padding=0, dilation=1):
    """The sparse matrix ``M`` of ``conv2d(x, kernel, ...)`` for ``(H, W)`` inputs:
    ``M @ x.ravel() == conv2d(x, kernel, ...).ravel()`` (zeros padding, rows in output
    order, columns in input order; padded cells simply have no column). Returns a
    ``scipy.sparse.csr_array``."""
    from scipy import sparse  # imported here: the pages that never build it start faster

    weights = as_float_array("kernel", kernel, ndims=(2,))
    height, width = to_shape("input_shape", input_shape)
    stride = to_pair("stride", stride, minimum=1)
    dilation = to_pair("dilation", dilation, minimum=1)
    pad = resolve_padding(padding, (height, width), weights.shape, stride, dilation)
    rows, cols = output_shape((height, width), weights.shape, pad, stride, dilation)
    out_r, out_c, tap_i, tap_j = np.meshgrid(
        np.arange(rows), np.arange(cols), *map(np.arange, weights.shape), indexing="ij"
    )
    in_r = out_r * stride[0] - pad.top + tap_i * dilation[0]
    in_c = out_c * stride[1] - pad.left + tap_j * dilation[1]
    inside = (in_r >= 0) & (in_r < height) & (in_c >= 0) & (in_c < width)
    values = np.broadcast_to(weights, inside.shape)[inside]
    matrix = sparse.coo_array(
        (values, ((out_r * cols + out_c)[inside], (in_r * width + in_c)[inside])),
        shape=(rows * cols, height * width),
        dtype=np.float32,
    )
    return matrix.tocsr()


def window_of_column(
    column: int, input_shape, kernel_shape, *, stride=1, padding=0, dilation=1, order="row"
) -> tuple[int, int]:
    """The output position (row, col) whose window column ``column`` of ``im2col`` holds."""
    stride = to_pair("stride", stride, minimum=1)
    dilation = to_pair("dilation", dilation, minimum=1)
    pad = resolve_padding(padding, tuple(input_shape), tuple(kernel_shape), stride, dilation)
    rows, cols = output_shape(tuple(input_shape), tuple(kernel_shape), pad, stride, dilation)
    if not 0 <= column < rows * cols:
        raise ValueError(f"column must be from 0 to {rows * cols - 1}; got {column}")
    return divmod(column, cols) if order == "row" else divmod(column, rows)[::-1]


def flatten_kernel(kernel, *, order: str = "row") -> np.ndarray:
    """The kernel as the row vector that multiplies ``im2col(..., order=order)``."""
    weights = as_float_array("kernel", kernel, ndims=(2, 3))
    weights = weights if weights.ndim == 3 else weights[None]
    if order == "column":
        weights = weights.transpose(0, 2, 1)
    return weights.ravel()


def reshape_output(product, output_shape_, *, order: str = "row") -> np.ndarray:
    """The product row back into an ``(H', W')`` map (column-major for ``order="column"``)."""
    return np.reshape(product, output_shape_, order="C" if order == "row" else "F")


@dataclass(frozen=True)
class ColumnProduct:
    """One output as the flattened kernel times one im2col column."""

    weights: np.ndarray  # the flattened kernel
    values: np.ndarray  # the column: the window's values in the same order
    total: float


def column_product(kernel, columns, column: int, *, order: str = "row") -> ColumnProduct:
    """The dot product that makes output number ``column`` (in the listing ``order``)."""
    weights = flatten_kernel(kernel, order=order)
    values = np.asarray(columns, np.float32)[:, column]
    return ColumnProduct(weights, values, float(weights.astype(np.float64) @ values))


@dataclass(frozen=True)
class MatrixCounts:
    """What the convolution matrix is made of: mostly zeros, and a few repeated weights."""

    rows: int
    columns: int
    nonzero: int
    distinct: int  # distinct nonzero values: at most the kernel's number of weights

    @property
    def total(self) -> int:
        return self.rows * self.columns


def matrix_counts(matrix) -> MatrixCounts:
    dense = matrix.toarray() if hasattr(matrix, "toarray") else np.asarray(matrix)
    nonzero = dense[dense != 0]
    return MatrixCounts(
        dense.shape[0], dense.shape[1], int(nonzero.size), int(np.unique(nonzero).size)
    )
