"""Does a feature map computed elsewhere agree with ``conv2d``? The arithmetic behind the
Live camera page's "Check this frame".

The browser filters the camera on the student's own machine. On request it sends one gray
frame, 8 bits a pixel exactly as it convolved it, and its feature map of that frame
quantised to 8 bits over the map's own range: ``low`` (the smallest value) is step 0,
``high`` (the largest) step 255. Here the same frame goes through ``conv2d`` and the
browser's map, read back from its steps, is compared value by value with ours.

The two agree when every value is within 1/255 of our map's range (``high - low``): the
8-bit steps alone put a value up to half a step off, so a browser that computes the same
numbers as ``conv2d`` (to float rounding) always passes, and one that used another kernel,
another padding rule or another frame does not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .conv import conv2d

STEPS = 255  # the highest 8-bit step: low is 0, high is 255
# The tolerance never drops below this, so a flat map (range 0) compares by float rounding:
# a 7x7 sum of float32 products of [0, 1] inputs is good to ~1e-6.
FLOAT_FLOOR = 1e-5


@dataclass(frozen=True)
class FrameCheck:
    """The comparison of a received map with ours, every figure the page prints."""

    shape: tuple[int, int]  # (rows, columns) of both maps
    low: float  # our map's smallest value
    high: float  # our map's largest value
    tolerance: float  # 1/255 of (high - low), at least FLOAT_FLOOR
    largest_difference: float  # the largest |received - ours|
    where: tuple[int, int]  # (row, column) of that largest difference
    within: int  # how many values are within the tolerance

    @property
    def size(self) -> int:
        return self.shape[0] * self.shape[1]

    @property
    def agrees(self) -> bool:
        return self.within == self.size

    @property
    def steps_off(self) -> float:
        """The largest difference in 8-bit steps of our map's range."""
        return self.largest_difference / max((self.high - self.low) / STEPS, FLOAT_FLOOR)


def quantise_map(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """A map as uint8 steps: ``low`` -> 0, ``high`` -> 255, nearest step, clipped."""
    values = np.asarray(values, np.float64)
    if not high > low:
        return np.zeros(values.shape, np.uint8)
    steps = np.rint((np.clip(values, low, high) - low) * (STEPS / (high - low)))
    return steps.astype(np.uint8)


def dequantise_map(steps: np.ndarray, low: float, high: float) -> np.ndarray:
    """The values uint8 ``steps`` stand for (``quantise_map`` read back), float64."""
    return low + np.asarray(steps, np.float64) * ((high - low) / STEPS)


def compare_maps(steps: np.ndarray, low: float, high: float, ours: np.ndarray) -> FrameCheck:
    """Compare a received map (uint8 ``steps`` over ``low`` .. ``high``) with ``ours``.

    >>> ours = np.array([[-1.0, 0.0], [0.5, 1.0]])
    >>> check = compare_maps(np.array([[0, 128], [191, 255]]), -1.0, 1.0, ours)
    >>> check.agrees, round(check.largest_difference, 5), check.where
    (True, 0.00392, (0, 1))
    """
    steps, ours = np.asarray(steps), np.asarray(ours, np.float64)
    if steps.shape != ours.shape or ours.ndim != 2:
        raise ValueError(
            f"steps must be a 2-D map the shape of ours {ours.shape}; got {steps.shape}"
        )
    if not (np.isfinite(low) and np.isfinite(high) and high >= low):
        raise ValueError(f"low and high must be finite with low <= high; got {low}, {high}")
    our_low, our_high = float(ours.min()), float(ours.max())
    tolerance = max((our_high - our_low) / STEPS, FLOAT_FLOOR)
    difference = np.abs(dequantise_map(steps, low, high) - ours)
    row, column = np.unravel_index(int(difference.argmax()), difference.shape)
    return FrameCheck(
        shape=(int(ours.shape[0]), int(ours.shape[1])),
        low=our_low,
        high=our_high,
        tolerance=tolerance,
        largest_difference=float(difference[row, column]),
        where=(int(row), int(column)),
        within=int((difference <= tolerance).sum()),
    )


def check_frame(
    gray: np.ndarray,
    kernel: np.ndarray,
    padding_mode: str,
    steps: np.ndarray,
    low: float,
    high: float,
) -> tuple[np.ndarray, FrameCheck]:
    """Our map of an 8-bit gray frame (``conv2d`` of ``gray / 255``, padding "same" in
    ``padding_mode``) and its comparison with the received ``steps`` over ``low`` .. ``high``."""
    gray = np.asarray(gray)
    if gray.dtype != np.uint8 or gray.ndim != 2:
        raise ValueError(f"gray must be a 2-D uint8 frame; got {gray.dtype} {gray.shape}")
    frame = gray.astype(np.float32) / 255.0  # (H, W) in [0, 1], as the browser convolves it
    ours = conv2d(frame, kernel, padding="same", padding_mode=padding_mode)
    return ours, compare_maps(steps, low, high, ours)
