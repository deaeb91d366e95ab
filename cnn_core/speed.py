"""Timing the ways to compute one convolution, on the user's own image.

Five computations of the same ``(H, W)`` feature map: a direct sum over the kernel's
taps (numpy, one shifted multiply-add per tap), im2col then one matrix product, the FFT,
PyTorch's ``F.conv2d``, and OpenCV's ``filter2D`` (which ``conv2d`` runs on). Each is
timed by the median of a few runs, interleaved so the machine's noise hits all alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .conv import conv2d
from .fft import conv2d_fft
from .matrix import im2col

METHOD_LABELS = {
    "direct": "direct sum (numpy)",
    "im2col": "im2col + matrix product",
    "fft": "FFT",
    "torch": "PyTorch F.conv2d",
    "opencv": "OpenCV filter2D",
}
METHODS = tuple(METHOD_LABELS)
# im2col copies every window: above this many values the copy alone is too big to time.
MAX_IM2COL_VALUES = 40_000_000


def direct_sum(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """ "valid" cross-correlation as a sum over taps: for each weight, add the shifted image
    times that weight (k * k passes over the image)."""
    kh, kw = kernel.shape
    rows, cols = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    out = np.zeros((rows, cols), np.float32)
    for i in range(kh):
        for j in range(kw):
            out += kernel[i, j] * x[i : i + rows, j : j + cols]
    return out


def _torch_conv(x: np.ndarray, kernel: np.ndarray) -> Callable[[], object]:
    import torch
    import torch.nn.functional as F

    xt = torch.from_numpy(x)[None, None]
    kt = torch.from_numpy(kernel)[None, None]

    def run():
        with torch.no_grad():
            return F.conv2d(xt, kt)

    return run


@dataclass(frozen=True)
class Timing:
    kernel: int
    milliseconds: dict[str, float | None]  # None: not measured (too large)
    largest_difference: float  # between all the measured results, against OpenCV's


def time_methods(x, kernel_sizes, *, repeats: int = 5, seed: int = 0) -> list[Timing]:
    """Median milliseconds of every method for each kernel size ("valid" padding)."""
    image = np.ascontiguousarray(x, dtype=np.float32)
    rng = np.random.default_rng(seed)
    timings = []
    for size in kernel_sizes:
        kernel = rng.standard_normal((size, size)).astype(np.float32)
        runs: dict[str, Callable[[], object]] = {
            "direct": lambda k=kernel: direct_sum(image, k),
            "fft": lambda k=kernel: conv2d_fft(image, k),
            "torch": _torch_conv(image, kernel),
            "opencv": lambda k=kernel: conv2d(image, k),
        }
        positions = (image.shape[0] - size + 1) * (image.shape[1] - size + 1)
        if positions * size * size <= MAX_IM2COL_VALUES:
            runs["im2col"] = lambda k=kernel: k.ravel() @ im2col(image, k.shape)
        reference = conv2d(image, kernel)
        largest = 0.0
        for name, run in runs.items():
            result = np.asarray(run() if name != "torch" else run()[0, 0].numpy())
            result = result.reshape(reference.shape)
            largest = max(largest, float(np.abs(result - reference).max()))
        samples: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(repeats):
            for name, run in runs.items():
                start = time.perf_counter()
                run()
                samples[name].append((time.perf_counter() - start) * 1e3)
        milliseconds = {
            name: (float(np.median(samples[name])) if name in samples else None) for name in METHODS
        }
        timings.append(Timing(size, milliseconds, largest))
    return timings


def fft_crossover(timings: list[Timing], *, against: str = "direct") -> int | None:
    """The smallest kernel size at which the FFT was faster than ``against``, if any."""
    for timing in timings:
        fft, other = timing.milliseconds["fft"], timing.milliseconds[against]
        if fft is not None and other is not None and fft < other:
            return timing.kernel
    return None
