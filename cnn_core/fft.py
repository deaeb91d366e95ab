"""Convolution through the Fourier transform.

Convolution in space is multiplication in frequency (the convolution theorem): pad the
image and the kernel to the full output size, transform both, multiply, transform back.
Cross-correlation, what ``conv2d`` computes, is convolution with the kernel rotated 180
degrees. The cost is a few FFTs of the image, whatever the kernel's size, so for large
kernels it wins over sliding the kernel (k * k multiply-adds per pixel); for the 3 x 3
kernels of most networks the direct sum is cheaper.
"""

from __future__ import annotations

import numpy as np

from .conv import as_float_array, output_shape
from .geometry import pad_plane, resolve_padding


def conv2d_fft(x, kernel, *, padding=0) -> np.ndarray:
    """``conv2d(x, kernel, padding=padding)`` (zeros padding, stride 1), through the FFT.

    ``x`` is ``(H, W)`` or ``(C, H, W)`` (each channel alone), ``kernel`` ``(kh, kw)``.

    >>> x = np.array([[1, 2, 3, 1], [4, 5, 6, 1], [7, 8, 9, 1]])
    >>> conv2d_fft(x, np.full((2, 2), 2.0)).round(3).tolist()
    [[24.0, 32.0, 22.0], [48.0, 56.0, 34.0]]
    """
    planes = as_float_array("x", x, ndims=(2, 3)).astype(np.float64)
    weights = as_float_array("kernel", kernel, ndims=(2,)).astype(np.float64)
    if not np.isfinite(weights).all():
        raise ValueError("kernel holds a non-finite value")
    stack = planes if planes.ndim == 3 else planes[None]  # (C, H, W)
    pad = resolve_padding(padding, stack.shape[1:], weights.shape, (1, 1), (1, 1))
    rows, cols = output_shape(stack.shape[1:], weights.shape, pad, (1, 1), (1, 1))
    padded = pad_plane(stack, pad, "zeros")  # (C, Hp, Wp)
    full = (padded.shape[1] + weights.shape[0] - 1, padded.shape[2] + weights.shape[1] - 1)
    spectrum = np.fft.rfft2(padded, s=full) * np.fft.rfft2(weights[::-1, ::-1], s=full)
    product = np.fft.irfft2(spectrum, s=full)  # (C, full_h, full_w): the full convolution
    kh, kw = weights.shape
    out = product[:, kh - 1 : kh - 1 + rows, kw - 1 : kw - 1 + cols]
    out = np.ascontiguousarray(out, dtype=np.float32)
    return out if planes.ndim == 3 else out[0]
