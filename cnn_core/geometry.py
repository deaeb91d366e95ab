"""Sizes and padding shared by convolution and pooling.

Every sliding-window operation here has the same geometry: an input of ``size`` pixels,
padded on both sides, a window of ``kernel_size`` taps spaced ``dilation`` apart, moved
``stride`` pixels at a time. The output-size formula and the padding rules follow
``torch.nn.Conv2d`` / ``torch.nn.MaxPool2d`` (Dumoulin & Visin, "A guide to convolution
arithmetic for deep learning", 2016), and "same" padding follows TensorFlow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral

import numpy as np

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")

# numpy's names for torch's padding modes ("reflect" leaves the edge pixel out in both).
_NUMPY_PAD_MODE = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def to_pair(name: str, value, *, minimum: int) -> tuple[int, int]:
    """Read an int or a pair of ints, each at least ``minimum``, as ``(rows, cols)``."""
    items = (value, value) if _is_int(value) else value
    try:
        first, second = items
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be an integer or a pair of integers; got {value!r}"
        ) from None
    if not (_is_int(first) and _is_int(second)):
        raise ValueError(f"{name} must be an integer or a pair of integers; got {value!r}")
    if first < minimum or second < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {value!r}")
    return int(first), int(second)


def to_shape(name: str, value) -> tuple[int, int]:
    """Read ``(H, W)``, two positive whole numbers (the shape of an ``(H, W)`` input)."""
    try:
        height, width = (int(n) for n in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be (H, W); got {value!r}") from None
    if height < 1 or width < 1:
        raise ValueError(f"{name} must be positive; got {value!r}")
    return height, width


def _is_int(value) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def effective_kernel_size(kernel_size: int, dilation: int) -> int:
    """Span in input pixels of ``kernel_size`` taps placed ``dilation`` apart."""
    return dilation * (kernel_size - 1) + 1


def conv_output_size(
    size: int,
    kernel_size: int,
    *,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    """Number of output positions along one axis.

    ``floor((size + 2*padding - dilation*(kernel_size-1) - 1) / stride) + 1``, or with
    ``ceil`` when ``ceil_mode`` is true. With ``ceil_mode``, a last window that would start
    inside the right padding is dropped, as PyTorch's pooling layers do, so every window
    covers at least one real input pixel. The result can be zero or negative when the
    window does not fit; callers decide how to explain that.

    >>> conv_output_size(7, 3, stride=2, padding=1)
    4
    """
    for name, value in (
        ("size", size),
        ("kernel_size", kernel_size),
        ("stride", stride),
        ("padding", padding),
        ("dilation", dilation),
    ):
        if not _is_int(value):
            raise ValueError(f"{name} must be an integer; got {value!r}")
    if size < 1 or kernel_size < 1 or stride < 1 or dilation < 1 or padding < 0:
        raise ValueError(
            "size, kernel_size, stride and dilation must be at least 1 and padding at least 0; "
            f"got size={size}, kernel_size={kernel_size}, stride={stride}, "
            f"padding={padding}, dilation={dilation}"
        )
    span = size + 2 * padding - effective_kernel_size(kernel_size, dilation)
    if span < 0 or not ceil_mode:
        return span // stride + 1
    out = math.ceil(span / stride) + 1
    if (out - 1) * stride >= size + padding:
        out -= 1
    return out


@dataclass(frozen=True)
class Padding:
    """Pixels added on each side of a 2-D input."""

    top: int
    bottom: int
    left: int
    right: int

    @property
    def rows(self) -> int:
        return self.top + self.bottom

    @property
    def cols(self) -> int:
        return self.left + self.right

    def is_zero(self) -> bool:
        return self.rows == 0 and self.cols == 0


def resolve_padding(
    padding,
    input_shape: tuple[int, int],
    kernel_shape: tuple[int, int],
    stride: tuple[int, int],
    dilation: tuple[int, int],
) -> Padding:
    """Turn an int, a pair, ``"valid"`` or ``"same"`` into pixels per side.

    ``"same"`` gives ``ceil(input / stride)`` outputs; when the total padding is odd the
    extra pixel goes to the bottom/right, as TensorFlow does.
    """
    if isinstance(padding, str):
        if padding == "valid":
            return Padding(0, 0, 0, 0)
        if padding == "same":
            rows = _same_total(input_shape[0], kernel_shape[0], stride[0], dilation[0])
            cols = _same_total(input_shape[1], kernel_shape[1], stride[1], dilation[1])
            return Padding(rows // 2, rows - rows // 2, cols // 2, cols - cols // 2)
        raise ValueError(f'padding must be an integer, a pair, "valid" or "same"; got {padding!r}')
    ph, pw = to_pair("padding", padding, minimum=0)
    return Padding(ph, ph, pw, pw)


def _same_total(size: int, kernel_size: int, stride: int, dilation: int) -> int:
    out = -(-size // stride)
    return max((out - 1) * stride + effective_kernel_size(kernel_size, dilation) - size, 0)


def check_padding_mode(mode: str, pad: Padding, input_shape: tuple[int, int]) -> None:
    """Raise ``ValueError`` where torch's padding of the same mode would refuse."""
    if mode not in PADDING_MODES:
        raise ValueError(f"padding_mode must be one of {', '.join(PADDING_MODES)}; got {mode!r}")
    height, width = input_shape
    biggest_rows, biggest_cols = max(pad.top, pad.bottom), max(pad.left, pad.right)
    if mode == "reflect" and (biggest_rows >= height or biggest_cols >= width):
        raise ValueError(
            f"reflect padding of {biggest_rows} x {biggest_cols} needs an input larger than that "
            f"on each axis; the input is {height} x {width}"
        )
    if mode == "circular" and (biggest_rows > height or biggest_cols > width):
        raise ValueError(
            f"circular padding of {biggest_rows} x {biggest_cols} cannot exceed the input size; "
            f"the input is {height} x {width}"
        )


def pad_plane(plane: np.ndarray, pad: Padding, mode: str, *, fill: float = 0.0) -> np.ndarray:
    """Pad the last two axes of ``plane`` by ``pad`` in ``mode`` (zeros use ``fill``)."""
    if pad.is_zero():
        return plane
    widths = [(0, 0)] * (plane.ndim - 2) + [(pad.top, pad.bottom), (pad.left, pad.right)]
    if mode == "zeros":
        return np.pad(plane, widths, mode="constant", constant_values=fill)
    return np.pad(plane, widths, mode=_NUMPY_PAD_MODE[mode])


def source_index(index: int, size: int, before: int, mode: str) -> int | None:
    """Input index that padded position ``index`` (0 = first padded cell) copies.

    ``None`` means the cell is a zero of zero padding. Used to explain padded windows.
    """
    i = index - before
    if 0 <= i < size:
        return i
    if mode == "zeros":
        return None
    if mode == "replicate":
        return min(max(i, 0), size - 1)
    if mode == "circular":
        return i % size
    period = 2 * (size - 1)
    if period == 0:
        return 0
    i = abs(i) % period
    return period - i if i >= size else i


def unreached_trailing(
    size: int, kernel_size: int, *, stride: int, before: int, after: int, dilation: int = 1
) -> int:
    """Input pixels at the bottom/right that no window reaches.

    When ``(size + before + after - span) / stride`` is not whole, the output size rounds
    down and the last few input pixels are never under the kernel.
    """
    return output_size_arithmetic(
        size, kernel_size, stride=stride, before=before, after=after, dilation=dilation
    ).unreached


@dataclass(frozen=True)
class OutputSize:
    """The output-size formula of one axis, with its numbers and its result.

    ``result = floor(numerator / stride) + 1`` (``ceil`` in ceil mode, less one when the
    last window would start in the padding), where
    ``numerator = size + before + after - dilation * (kernel - 1) - 1``. Pages print these
    fields; nothing is recomputed outside this module.
    """

    size: int
    before: int
    after: int
    kernel: int
    dilation: int
    stride: int
    ceil_mode: bool
    numerator: int
    result: int  # output positions; below 1 when the window does not fit at all
    dropped_last: bool  # ceil mode rounded up, then dropped a window starting in padding
    unreached: int  # input pixels at the end that no window reaches

    @property
    def quotient(self) -> int:
        """The rounded division, before the + 1."""
        return self.result - 1 + int(self.dropped_last)


def output_size_arithmetic(
    size: int,
    kernel_size: int,
    *,
    stride: int = 1,
    before: int = 0,
    after: int | None = None,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> OutputSize:
    """The output-size formula of one axis, as ``conv_output_size`` computes it.

    ``before`` and ``after`` are the padding on each side (``after`` defaults to
    ``before``); ceil mode needs them equal, as pooling pads.

    >>> o = output_size_arithmetic(128, 3, stride=3, before=2)
    >>> o.numerator, o.quotient, o.result
    (129, 43, 44)
    """
    after = before if after is None else after
    if ceil_mode and before != after:
        raise ValueError(f"ceil mode needs equal padding on both sides; got {before} and {after}")
    if ceil_mode:
        result = conv_output_size(
            size, kernel_size, stride=stride, padding=before, dilation=dilation, ceil_mode=True
        )
    else:
        result = conv_output_size(
            size + before + after, kernel_size, stride=stride, padding=0, dilation=dilation
        )
    numerator = size + before + after - effective_kernel_size(kernel_size, dilation)
    rounded = -(-numerator // stride) if ceil_mode and numerator >= 0 else numerator // stride
    dropped = ceil_mode and numerator >= 0 and result == rounded
    unreached = 0
    if result >= 1:
        last_tap = (result - 1) * stride + effective_kernel_size(kernel_size, dilation) - 1
        unreached = max(0, size - 1 - (last_tap - before))
    return OutputSize(
        size=size,
        before=before,
        after=after,
        kernel=kernel_size,
        dilation=dilation,
        stride=stride,
        ceil_mode=ceil_mode,
        numerator=numerator,
        result=result,
        dropped_last=dropped,
        unreached=unreached,
    )
