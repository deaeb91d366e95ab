"""Arrays to coloured pictures: the colour maps.

Feature maps are signed: an edge detector answers "brighter to the right" with positive
numbers and "darker to the right" with negative ones. Clipping the negatives to black (as
many demos do) hides half the answer, so signed maps use a diverging colour map centred at
zero with a symmetric range (blue below zero, white at zero, red above; ColorBrewer's RdBu,
Harrower & Brewer 2003), and maps that cannot be negative use viridis (van der Walt &
Smith, 2015), which stays readable in grey and for colour-blind viewers. Drawing on the
coloured pictures (enlargements, boxes, marks, overlays) is ``cnn_core.drawing``.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

# ColorBrewer RdBu, from most negative (dark blue) through white to most positive (dark red).
_RDBU = (
    "#053061",
    "#2166ac",
    "#4393c3",
    "#92c5de",
    "#d1e5f0",
    "#f7f7f7",
    "#fddbc7",
    "#f4a582",
    "#d6604d",
    "#b2182b",
    "#67001f",
)
# Index 127 is zero in a signed map, so 0..254 cover [-limit, +limit] symmetrically.
_SIGNED_CENTRE = 127


def _hex_to_rgb(code: str) -> tuple[int, int, int]:
    return tuple(int(code[i : i + 2], 16) for i in (1, 3, 5))


def _diverging_lut() -> np.ndarray:
    anchors = np.array([_hex_to_rgb(c) for c in _RDBU], dtype=np.float64)  # (11, 3)
    positions = np.linspace(0, 2 * _SIGNED_CENTRE, len(anchors))
    steps = np.arange(256, dtype=np.float64).clip(0, 2 * _SIGNED_CENTRE)
    lut = np.stack([np.interp(steps, positions, anchors[:, k]) for k in range(3)], axis=1)
    return np.rint(lut).astype(np.uint8)  # (256, 3)


def _viridis_lut() -> np.ndarray:
    ramp = np.arange(256, dtype=np.uint8).reshape(1, 256)
    bgr = cv2.applyColorMap(ramp, cv2.COLORMAP_VIRIDIS)  # (1, 256, 3)
    return np.ascontiguousarray(bgr[0, :, ::-1])  # (256, 3) RGB


DIVERGING_LUT = _diverging_lut()
SEQUENTIAL_LUT = _viridis_lut()


def symmetric_limit(values: np.ndarray) -> float:
    """The largest absolute finite value (0 for an all-zero or empty map)."""
    values = np.asarray(values, dtype=np.float32)
    if values.size == 0:
        return 0.0
    limit = max(float(values.max()), -float(values.min()))
    if math.isfinite(limit):
        return limit
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size else 0.0


def value_range(values: np.ndarray) -> tuple[float, float]:
    """The smallest and largest value of a map, NaN counted as 0 (as it is coloured)."""
    finite = np.nan_to_num(np.asarray(values, np.float32))
    return float(finite.min()), float(finite.max())


def clipped_share(values: np.ndarray, low: float = 0.0, high: float = 1.0) -> float:
    """The share (0 to 1) of values outside ``low .. high``, which a brightness picture
    clips to black or white."""
    values = np.asarray(values, np.float32)
    return float(np.mean((values < low) | (values > high)))


def signed_to_rgb(values: np.ndarray, limit: float | None = None) -> np.ndarray:
    """Colour a signed 2-D map: -limit blue, 0 white, +limit red; ``(H, W, 3)`` uint8.

    ``limit`` defaults to the map's largest absolute value, so the range is symmetric and
    zero is always white. Values beyond ``limit`` take the end colours.
    """
    values = _plane(values)
    limit = symmetric_limit(values) if limit is None else float(limit)
    if not limit > 0:
        return _apply_lut(np.full(values.shape, _SIGNED_CENTRE, np.uint8), DIVERGING_LUT)
    scaled = np.clip(np.nan_to_num(values, nan=0.0), -limit, limit)
    index = cv2.convertScaleAbs(scaled, alpha=_SIGNED_CENTRE / limit, beta=_SIGNED_CENTRE)
    return _apply_lut(index, DIVERGING_LUT)


def unsigned_to_rgb(values: np.ndarray, low: float | None = None, high: float | None = None):
    """Colour a map with viridis from ``low`` (dark purple) to ``high`` (yellow)."""
    values = np.nan_to_num(_plane(values), nan=0.0)
    low = float(values.min()) if low is None else float(low)
    high = float(values.max()) if high is None else float(high)
    if not high > low:
        return _apply_lut(np.zeros(values.shape, np.uint8), SEQUENTIAL_LUT)
    scaled = np.clip(values, low, high)
    index = cv2.convertScaleAbs(
        scaled, alpha=255.0 / (high - low), beta=-255.0 * low / (high - low)
    )
    return _apply_lut(index, SEQUENTIAL_LUT)


def image_to_rgb(image: np.ndarray) -> np.ndarray:
    """A [0, 1] gray ``(H, W)`` or colour ``(H, W, 3)`` image as ``(H, W, 3)`` uint8."""
    image = np.asarray(image, dtype=np.float32)
    pixels = cv2.convertScaleAbs(np.clip(np.nan_to_num(image), 0.0, 1.0), alpha=255.0)
    if pixels.ndim == 2:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_GRAY2RGB)
    return pixels


def _apply_lut(index: np.ndarray, lut: np.ndarray) -> np.ndarray:
    return np.take(lut, index, axis=0)  # (H, W, 3); 4x faster than lut[index]


def _plane(values) -> np.ndarray:
    values = np.asarray(values, dtype=np.float32)
    if values.ndim != 2:
        raise ValueError(f"expected a 2-D map; got shape {values.shape}")
    return values


def colour_stops(*, signed: bool, stops: int = 11) -> list[tuple[int, int, int]]:
    """``stops`` evenly spaced RGB colours of a colour map, from low to high (for bars)."""
    lut, last = (DIVERGING_LUT, 2 * _SIGNED_CENTRE) if signed else (SEQUENTIAL_LUT, 255)
    return [tuple(int(v) for v in lut[round(i)]) for i in np.linspace(0, last, stops)]
