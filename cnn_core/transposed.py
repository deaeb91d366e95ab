"""Transposed convolution: every input cell stamps a scaled copy of the kernel.

``conv_transpose2d`` is the gradient of ``conv2d`` with respect to its input, written as
a layer of its own (Dumoulin & Visin, "A guide to convolution arithmetic for deep
learning", 2016, section 4). It is computed here the way it is easiest to see: each input
value ``x[i, j]`` adds ``x[i, j] * kernel`` into the output at ``(i * stride, j *
stride)`` (taps ``dilation`` apart), then ``padding`` rows and columns are cut from each
side and ``output_padding`` more are kept at the bottom and right. Where stamps overlap
unevenly (kernel size not a multiple of the stride) the output shows a checkerboard
(Odena, Dumoulin & Olah, "Deconvolution and Checkerboard Artifacts", Distill 2016).

The same output is an ordinary convolution: insert ``stride - 1`` zeros between input
cells, pad by ``dilation * (k - 1) - padding``, and correlate with the kernel rotated
180 degrees (``as_convolution``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .conv import as_float_array, conv2d
from .geometry import to_pair


@dataclass(frozen=True)
class TransposedSize:
    """conv_arithmetic's output size of a transposed convolution, with its numbers:
    ``(size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1``."""

    size: int
    kernel: int
    stride: int
    padding: int
    output_padding: int
    dilation: int
    result: int


def transposed_output_size(
    size: int, kernel: int, *, stride=1, padding=0, output_padding=0, dilation=1
) -> TransposedSize:
    """One axis of the transposed output size.

    >>> transposed_output_size(3, 3, stride=2, padding=1).result
    5
    """
    result = (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1
    return TransposedSize(size, kernel, stride, padding, output_padding, dilation, result)


def _check(stride, padding, output_padding, dilation):
    stride = to_pair("stride", stride, minimum=1)
    padding = to_pair("padding", padding, minimum=0)
    output_padding = to_pair("output_padding", output_padding, minimum=0)
    dilation = to_pair("dilation", dilation, minimum=1)
    for axis in range(2):
        if output_padding[axis] >= max(stride[axis], dilation[axis]):
            raise ValueError(
                f"output_padding must be smaller than the stride or the dilation; got "
                f"output_padding={output_padding}, stride={stride}, dilation={dilation}"
            )
    return stride, padding, output_padding, dilation


def conv_transpose2d(x, kernel, *, stride=1, padding=0, output_padding=0, dilation=1) -> np.ndarray:
    """Numerically ``F.conv_transpose2d``: ``x`` ``(H, W)`` with ``kernel`` ``(kh, kw)``,
    or ``(C_in, H, W)`` with ``(C_in, C_out, kh, kw)`` (result ``(C_out, H', W')``).

    >>> conv_transpose2d(np.array([[1.0, 2.0]]), np.array([[1.0, 10.0]]), stride=2).tolist()
    [[1.0, 10.0, 2.0, 20.0]]
    """
    image = as_float_array("x", x, ndims=(2, 3)).astype(np.float64)
    weights = as_float_array("kernel", kernel, ndims=(2, 4)).astype(np.float64)
    if (image.ndim == 2) != (weights.ndim == 2):
        raise ValueError(
            f"kernel must be (kh, kw) for an (H, W) x and (C_in, C_out, kh, kw) for a "
            f"(C_in, H, W) x; got x {image.shape} and kernel {weights.shape}"
        )
    if image.ndim == 3 and weights.shape[0] != image.shape[0]:
        raise ValueError(
            f"kernel of shape {weights.shape} expects {weights.shape[0]} input channel(s) "
            f"but x has {image.shape[0]}"
        )
    stride, padding, output_padding, dilation = _check(stride, padding, output_padding, dilation)
    planes = image if image.ndim == 3 else image[None]  # (C_in, H, W)
    bank = weights if weights.ndim == 4 else weights[None, None]  # (C_in, C_out, kh, kw)
    _, height, width = planes.shape
    kh, kw = bank.shape[2:]
    arithmetic = [
        transposed_output_size(n, k, stride=s, padding=p, output_padding=o, dilation=d)
        for n, k, s, p, o, d in zip(
            (height, width), (kh, kw), stride, padding, output_padding, dilation
        )
    ]
    for name, size in zip(("rows", "columns"), arithmetic):
        if size.result < 1:
            raise ValueError(
                f"No output {name}: padding {size.padding} cuts away more than the stamps "
                f"cover. Output {name} = ({size.size} - 1)·{size.stride} - 2·{size.padding} + "
                f"{size.dilation}·({size.kernel} - 1) + {size.output_padding} + 1 = "
                f"{size.result}."
            )
    sizes = [size.result for size in arithmetic]
    full = np.zeros(
        (
            bank.shape[1],
            (height - 1) * stride[0] + dilation[0] * (kh - 1) + 1 + output_padding[0],
            (width - 1) * stride[1] + dilation[1] * (kw - 1) + 1 + output_padding[1],
        )
    )
    for a in range(kh):
        for b in range(kw):
            # Tap (a, b) of every stamp lands on a strided grid of the output.
            rows = slice(a * dilation[0], a * dilation[0] + (height - 1) * stride[0] + 1, stride[0])
            cols = slice(b * dilation[1], b * dilation[1] + (width - 1) * stride[1] + 1, stride[1])
            full[:, rows, cols] += np.einsum("chw,co->ohw", planes, bank[:, :, a, b])
    out = full[:, padding[0] : padding[0] + sizes[0], padding[1] : padding[1] + sizes[1]]
    out = np.ascontiguousarray(out, dtype=np.float32)
    return out if image.ndim == 3 else out[0]


def stamps(x, kernel, *, stride=1, dilation=1) -> list[tuple[tuple[int, int], np.ndarray]]:
    """Each input cell's contribution before cropping: ``((top, left), x[i, j] * kernel)``
    with the kernel's taps ``dilation`` apart, for a step-by-step view."""
    image = as_float_array("x", x, ndims=(2,))
    weights = as_float_array("kernel", kernel, ndims=(2,))
    stride = to_pair("stride", stride, minimum=1)
    dilation = to_pair("dilation", dilation, minimum=1)
    kh, kw = weights.shape
    spread = np.zeros((dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1), np.float32)
    spread[:: dilation[0], :: dilation[1]] = weights
    return [
        ((i * stride[0], j * stride[1]), image[i, j] * spread)
        for i in range(image.shape[0])
        for j in range(image.shape[1])
    ]


@dataclass(frozen=True)
class AsConvolution:
    """A transposed convolution written as an ordinary one."""

    zero_inserted: np.ndarray  # the input with stride - 1 zeros between its cells
    padding: tuple[int, int, int, int]  # top, bottom, left, right zeros added around it
    flipped: np.ndarray  # the kernel rotated 180 degrees
    output: np.ndarray  # conv2d of the padded, zero-inserted input with the flipped kernel


def as_convolution(x, kernel, *, stride=1, padding=0, output_padding=0, dilation=1):
    """``conv_transpose2d(x, kernel, ...)`` for ``(H, W)`` inputs, as a convolution of the
    zero-inserted input with the rotated kernel; ``output`` equals the transposed result."""
    image = as_float_array("x", x, ndims=(2,))
    weights = as_float_array("kernel", kernel, ndims=(2,))
    stride, padding, output_padding, dilation = _check(stride, padding, output_padding, dilation)
    height, width = image.shape
    inserted = np.zeros(((height - 1) * stride[0] + 1, (width - 1) * stride[1] + 1), np.float32)
    inserted[:: stride[0], :: stride[1]] = image
    before = [dilation[a] * (weights.shape[a] - 1) - padding[a] for a in range(2)]
    if min(before) < 0:
        raise ValueError(
            "padding larger than dilation * (kernel - 1) has no equivalent zero padding"
        )
    pad = (before[0], before[0] + output_padding[0], before[1], before[1] + output_padding[1])
    padded = np.pad(inserted, ((pad[0], pad[1]), (pad[2], pad[3])))
    flipped = np.ascontiguousarray(weights[::-1, ::-1])
    output = conv2d(padded, flipped, dilation=dilation)
    return AsConvolution(inserted, pad, flipped, output)


def overlap_counts(size: int, kernel: int, stride: int) -> np.ndarray:
    """How many stamps cover each output cell along one axis (no padding): uneven counts
    are the checkerboard. A kernel size divisible by the stride covers evenly inside.

    >>> overlap_counts(4, 3, 2).tolist()
    [1, 1, 2, 1, 2, 1, 2, 1, 1]
    """
    counts = np.zeros((size - 1) * stride + kernel, np.int64)
    for i in range(size):
        counts[i * stride : i * stride + kernel] += 1
    return counts


@dataclass(frozen=True)
class Checkerboard:
    """A transposed convolution of a flat input, beside resize-then-convolve."""

    transposed: np.ndarray  # conv_transpose2d of ones: uneven where stamps overlap unevenly
    resized: np.ndarray  # nearest-neighbour upsampling by the stride, then a "same" conv
    row_counts: np.ndarray  # stamps covering each output row (no padding)
    spread: float  # (max - min) / max over the transposed output's inner part
    resized_spread: float


def checkerboard(size: int, kernel: int, stride: int) -> Checkerboard:
    """Odena, Dumoulin & Olah (2016): upsample a flat ``size`` x ``size`` input with a
    ``kernel`` x ``kernel`` box and ``stride``. Unless the kernel is a multiple of the
    stride, output cells receive different numbers of stamps: a checkerboard."""
    ones = np.ones((size, size), np.float32)
    box = np.ones((kernel, kernel), np.float32)
    transposed = conv_transpose2d(ones, box, stride=stride)
    upsampled = np.kron(ones, np.ones((stride, stride), np.float32))
    resized = conv2d(upsampled, box, padding="same", padding_mode="replicate")
    inner = transposed[kernel:-kernel, kernel:-kernel]  # the border gets fewer stamps anyway

    def spread(values: np.ndarray) -> float:
        return float((values.max() - values.min()) / values.max())

    return Checkerboard(
        transposed, resized, overlap_counts(size, kernel, stride), spread(inner), spread(resized)
    )
