"""Pooling: max, average and L2 over sliding windows, as PyTorch computes them.

``pool2d`` equals ``F.max_pool2d``, ``F.avg_pool2d`` (its defaults: padding counted in the
average) and ``F.lp_pool2d(norm_type=2)`` for the arguments torch accepts. L2 pooling is
the square root of the sum of squares over the window (a smooth middle way between the two);
like torch, it is computed as ``sqrt(kh * kw * mean of squares)``, which for a window cut
short by ``ceil_mode`` scales the mean as if the window were full.

Max pooling also reports its "switches": where in the input each maximum came from, the
positions backpropagation sends the gradient to (Zeiler & Fergus, 2014).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .conv import as_float_array
from .geometry import conv_output_size, to_pair

POOL_MODES = ("max", "avg", "l2")


@dataclass(frozen=True)
class _Windows:
    """Every pooling window of a padded input, and how many real cells each one holds."""

    values: np.ndarray  # (C, H', W', kh, kw) view into the padded input
    counts: np.ndarray  # (H', W') cells inside the padded input (torch's avg divisor)
    pad: tuple[int, int]  # padding before, rows and columns


def pool2d(
    x, kernel_size, *, stride=None, padding=0, mode: str = "max", ceil_mode: bool = False
) -> np.ndarray:
    """Pool every channel of ``x`` with a ``kernel_size`` window.

    Parameters
    ----------
    x : array, shape (H, W) or (C, H, W)
    kernel_size, stride : int or (int, int); ``stride=None`` means ``kernel_size``
    padding : int or (int, int), at most half the window on each axis (as torch requires)
    mode : "max", "avg" or "l2"
    ceil_mode : bool
        Round the output size up, keeping a last window that starts inside the input.

    Examples
    --------
    >>> pool2d(np.arange(16.0).reshape(4, 4), 2).tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be one of {', '.join(POOL_MODES)}; got {mode!r}")
    image = _as_planes(x)
    windows = _windows(image, kernel_size, stride, padding, mode, ceil_mode)
    if mode == "max":
        out = windows.values.max(axis=(-2, -1))
    else:
        squares = windows.values.astype(np.float64)
        if mode == "l2":
            squares = squares * squares
        mean = squares.sum(axis=(-2, -1)) / windows.counts
        if mode == "avg":
            out = mean
        else:
            kh, kw = windows.values.shape[-2:]
            out = np.sqrt(np.maximum(mean * (kh * kw), 0.0))
    out = np.ascontiguousarray(out, dtype=np.float32)
    return out if np.ndim(x) == 3 else out[0]


def max_pool_switches(x, kernel_size, *, stride=None, padding=0, ceil_mode=False) -> np.ndarray:
    """Input (row, col) of the maximum in every max-pooling window.

    Returns an int array of shape ``(H', W', 2)`` for a 2-D ``x`` or ``(C, H', W', 2)`` for
    ``(C, H, W)``. Ties go to the first maximum in row-major order, as torch's CPU kernel
    picks it.
    """
    image = _as_planes(x)
    windows = _windows(image, kernel_size, stride, padding, "max", ceil_mode)
    channels, rows, cols, kh, kw = windows.values.shape
    flat = windows.values.reshape(channels, rows, cols, kh * kw).argmax(axis=-1)
    sh, sw = _stride(kernel_size, stride)
    top = np.arange(rows)[:, None] * sh - windows.pad[0]  # (H', 1)
    left = np.arange(cols)[None, :] * sw - windows.pad[1]  # (1, W')
    switches = np.stack([top + flat // kw, left + flat % kw], axis=-1)  # (C, H', W', 2)
    return switches if np.ndim(x) == 3 else switches[0]


def global_pool(x, mode: str = "avg") -> np.ndarray:
    """One number per channel: the mean ("avg") or maximum ("max") of the whole map."""
    image = _as_planes(x)
    if mode == "avg":
        out = image.mean(axis=(1, 2), dtype=np.float64)
    elif mode == "max":
        out = image.max(axis=(1, 2))
    else:
        raise ValueError(f'mode must be "avg" or "max"; got {mode!r}')
    out = np.asarray(out, dtype=np.float32)
    return out if np.ndim(x) == 3 else out[0]


def pool_output_shape(input_shape, kernel_size, *, stride=None, padding=0, ceil_mode=False):
    """(rows, cols) that ``pool2d`` returns; a ``ValueError`` explains settings with none."""
    kh, kw = to_pair("kernel_size", kernel_size, minimum=1)
    sh, sw = _stride(kernel_size, stride)
    ph, pw = to_pair("padding", padding, minimum=0)
    if 2 * ph > kh or 2 * pw > kw:
        raise ValueError(
            f"padding {ph} x {pw} is more than half the {kh} x {kw} window; a window would "
            "then hold nothing but padding (torch refuses this too)"
        )
    shape = []
    axes = (("rows", input_shape[0], kh, sh, ph), ("columns", input_shape[1], kw, sw, pw))
    for name, size, k, s, p in axes:
        out = conv_output_size(size, k, stride=s, padding=p, ceil_mode=ceil_mode)
        if out < 1:
            raise ValueError(
                f"No output {name}: the {k}-pixel window does not fit in {size} + 2 x {p} "
                f"padded pixels (output {name} = floor(({size} + 2 x {p} - {k}) / {s}) + 1 "
                f"= {out})"
            )
        shape.append(out)
    return shape[0], shape[1]


def _stride(kernel_size, stride) -> tuple[int, int]:
    return to_pair("stride", kernel_size if stride is None else stride, minimum=1)


def _as_planes(x) -> np.ndarray:
    array = as_float_array("x", x, ndims=(2, 3))
    return array if array.ndim == 3 else array[None]


def _windows(image, kernel_size, stride, padding, mode, ceil_mode) -> _Windows:
    channels, height, width = image.shape
    kh, kw = to_pair("kernel_size", kernel_size, minimum=1)
    sh, sw = _stride(kernel_size, stride)
    ph, pw = to_pair("padding", padding, minimum=0)
    rows, cols = pool_output_shape(
        (height, width), (kh, kw), stride=(sh, sw), padding=(ph, pw), ceil_mode=ceil_mode
    )
    # Windows that ceil_mode lets run past the padding need cells beyond it too.
    extra_rows = max(0, (rows - 1) * sh + kh - (height + 2 * ph))
    extra_cols = max(0, (cols - 1) * sw + kw - (width + 2 * pw))
    # Max pooling pads with -inf (a zero would beat negative maxima), as torch does.
    fill = -np.inf if mode == "max" else 0.0
    padded = np.pad(
        image,
        ((0, 0), (ph, ph + extra_rows), (pw, pw + extra_cols)),
        mode="constant",
        constant_values=fill,
    )
    views = sliding_window_view(padded, (kh, kw), axis=(1, 2))[:, ::sh, ::sw][:, :rows, :cols]
    row_cells = np.minimum(np.arange(rows) * sh + kh, height + 2 * ph) - np.arange(rows) * sh
    col_cells = np.minimum(np.arange(cols) * sw + kw, width + 2 * pw) - np.arange(cols) * sw
    counts = np.outer(row_cells, col_cells).astype(np.float64)
    return _Windows(views, counts, (ph, pw))
