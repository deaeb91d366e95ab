"""The Transposed convolution walk-through's arithmetic, built on ``transposed``: the
stamps added one at a time, the output size and the size a convolution gives back, and
the zero-inserted input as the equivalent convolution reads it.

Dumoulin & Visin, "A guide to convolution arithmetic for deep learning" (2016),
relationships 8 to 14, for the sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import Padding, conv_output_size, pad_plane, to_pair
from .sliding_window import padding_mask
from .transposed import AsConvolution, TransposedSize, stamps, transposed_output_size


@dataclass(frozen=True)
class StampStep:
    """Input cell number ``step`` (row by row) stamping its scaled kernel."""

    source: np.ndarray  # (H, W) bool: the input cell that stamps at this step
    value: float  # that cell's value
    stamp: np.ndarray  # (d*(kh-1)+1, d*(kw-1)+1) value * kernel, taps ``dilation`` apart
    so_far: np.ndarray  # (H_full, W_full) the stamps up to this one added, before cropping
    landed: np.ndarray  # (H_full, W_full) bool: where this step's stamp lands


def stamp_step(x, kernel, step: int, *, stride=1, dilation=1) -> StampStep:
    """The first ``step + 1`` stamps of ``conv_transpose2d(x, kernel, ...)`` with no
    padding cut (so ``so_far`` at the last step is the uncropped output).

    >>> s = stamp_step(np.array([[1.0, 2.0]]), np.ones((1, 2)), 1, stride=1)
    >>> s.so_far.tolist(), s.landed.tolist()
    ([[1.0, 3.0, 2.0]], [[False, True, True]])
    """
    pieces = stamps(x, kernel, stride=stride, dilation=dilation)
    if not 0 <= step < len(pieces):
        raise ValueError(f"step must be from 0 to {len(pieces) - 1}; got {step}")
    x = np.asarray(x, np.float32)
    stride = to_pair("stride", stride, minimum=1)
    span = pieces[0][1].shape
    full = tuple((n - 1) * s + k for n, s, k in zip(x.shape, stride, span))
    so_far = np.zeros(full, np.float32)
    for (top, left), piece in pieces[: step + 1]:
        so_far[top : top + span[0], left : left + span[1]] += piece
    (top, left), stamp = pieces[step]
    landed = np.zeros(full, bool)
    landed[top : top + span[0], left : left + span[1]] = True
    source = np.zeros(x.shape, bool)
    source[divmod(step, x.shape[1])] = True
    return StampStep(source, float(x[divmod(step, x.shape[1])]), stamp, so_far, landed)


@dataclass(frozen=True)
class SizeRoundTrip:
    """The transposed output size per axis, and what a convolution makes of it again."""

    sizes: tuple[TransposedSize, TransposedSize]  # rows, columns, with their terms
    back: tuple[int, int]  # conv output size of ``sizes`` with the same settings


def size_round_trip(
    input_shape: tuple[int, int],
    kernel_shape: tuple[int, int],
    *,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> SizeRoundTrip:
    """Output size of the transposed convolution, and the size an ordinary convolution
    with the same kernel, stride, padding and dilation takes it back to.

    >>> size_round_trip((3, 4), (3, 3), stride=2, padding=1).back
    (3, 4)
    """
    sizes = tuple(
        transposed_output_size(
            n,
            k,
            stride=stride,
            padding=padding,
            output_padding=output_padding,
            dilation=dilation,
        )
        for n, k in zip(input_shape, kernel_shape)
    )
    back = tuple(
        conv_output_size(
            s.result, s.kernel, stride=s.stride, padding=s.padding, dilation=s.dilation
        )
        for s in sizes
    )
    return SizeRoundTrip(sizes, back)


def padded_zero_inserted(equivalent: AsConvolution) -> tuple[np.ndarray, np.ndarray]:
    """The zero-inserted input with the padding ``equivalent`` adds, and a mask of that
    padding: what ``conv2d`` reads to give the transposed convolution's output."""
    top, bottom, left, right = equivalent.padding
    pad = Padding(top, bottom, left, right)
    inserted = equivalent.zero_inserted
    return pad_plane(inserted, pad, "zeros"), padding_mask(inserted.shape, pad)
