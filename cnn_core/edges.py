"""Edge strength and direction from derivative kernels.

A pair of derivative kernels (Sobel, Prewitt, Scharr) gives the two components of the
image gradient; their length ``sqrt(gx^2 + gy^2)`` is the edge strength whichever way the
edge runs. The eight Kirsch compass kernels answer the same question differently: the
largest of the eight responses is the strength and the kernel that gave it is the
direction the edge faces (Kirsch, 1971).
"""

from __future__ import annotations

import colorsys

import numpy as np

from .conv import conv2d
from .kernels import GRADIENT_PAIRS, KERNELS, KIRSCH_DIRECTIONS, kirsch_bank


def gradient_magnitude(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """``sqrt(gx^2 + gy^2)`` element-wise, as float32."""
    gx, gy = np.asarray(gx, np.float32), np.asarray(gy, np.float32)
    if gx.shape != gy.shape:
        raise ValueError(f"gx and gy must have the same shape; got {gx.shape} and {gy.shape}")
    return np.hypot(gx, gy)


def derivative_magnitude(
    planes: np.ndarray, kernel_name: str, *, summed: bool = False, **conv_options
) -> np.ndarray:
    """Edge strength from the x/y pair ``kernel_name`` belongs to (Sobel, Prewitt, Scharr).

    ``planes`` is ``(C, H, W)``; each channel's gradient is measured alone (or, with
    ``summed``, the channels' derivatives are summed first, as one conv-layer filter does)
    and the strongest channel wins at each pixel. Returns ``(H', W')``.
    """
    x_name, y_name = GRADIENT_PAIRS[kernel_name]
    gx = conv2d(planes, KERNELS[x_name], **conv_options)  # (C, H', W')
    gy = conv2d(planes, KERNELS[y_name], **conv_options)
    if summed:
        gx, gy = gx.sum(axis=0, keepdims=True), gy.sum(axis=0, keepdims=True)
    return gradient_magnitude(gx, gy).max(axis=0)


def kirsch_responses(gray: np.ndarray, **conv_options) -> np.ndarray:
    """The eight compass responses of a gray image, ``(8, H', W')``, in compass order."""
    gray = np.asarray(gray, np.float32)
    if gray.ndim != 2:
        raise ValueError(f"kirsch_responses needs a 2-D (grayscale) image; got shape {gray.shape}")
    bank = kirsch_bank()[:, None]  # (8, 1, 3, 3)
    return conv2d(gray, bank, **conv_options)


def compass_edges(responses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Strength (the largest response) and direction (its index) per pixel."""
    responses = np.asarray(responses, np.float32)
    if responses.ndim != 3 or responses.shape[0] != len(KIRSCH_DIRECTIONS):
        raise ValueError(f"expected responses of shape (8, H, W); got {responses.shape}")
    direction = responses.argmax(axis=0)
    strength = np.take_along_axis(responses, direction[None], axis=0)[0]
    return strength, direction


def _direction_palette() -> np.ndarray:
    """One fully saturated hue per compass direction, 45 degrees apart on the colour wheel."""
    count = len(KIRSCH_DIRECTIONS)
    return np.array(
        [[round(255 * c) for c in colorsys.hsv_to_rgb(k / count, 0.85, 1.0)] for k in range(count)],
        dtype=np.uint8,
    )


DIRECTION_PALETTE = _direction_palette()  # (8, 3) RGB, in KIRSCH_DIRECTIONS order


def direction_to_rgb(direction: np.ndarray, strength: np.ndarray) -> np.ndarray:
    """Colour each pixel by its winning direction, brighter where the edge is stronger."""
    strength = np.asarray(strength, np.float32)
    peak = float(strength.max(initial=0.0))
    weight = np.clip(strength / peak, 0.0, 1.0) if peak > 0 else np.zeros_like(strength)
    colours = DIRECTION_PALETTE[np.asarray(direction)].astype(np.float32)  # (H, W, 3)
    return np.rint(colours * weight[..., None]).astype(np.uint8)
