"""How a colour image meets a convolution.

Three ways: convert to one gray channel first;
apply the same 2-D kernel to R, G and B separately (three feature maps, as an image editor
does); or treat the image as a 3-channel input to one conv-layer filter, whose 3-D kernel
(one 2-D slice per channel) is summed over the channels into a single feature map.
"""

from __future__ import annotations

import cv2
import numpy as np

from .conv import conv2d

COLOUR_MODES = ("gray", "channels", "summed")
CHANNEL_NAMES = ("red", "green", "blue")
# ITU-R BT.601 luma weights, the ones JPEG and most image libraries use for gray.
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def to_gray(rgb: np.ndarray) -> np.ndarray:
    """``(H, W, 3)`` RGB to ``(H, W)`` luma, float32 (OpenCV's RGB2GRAY uses these weights)."""
    rgb = np.ascontiguousarray(rgb, dtype=np.float32)
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"expected an (H, W, 3) image; got shape {rgb.shape}")
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def gray_of_planes(planes: np.ndarray) -> np.ndarray:
    """One gray plane from ``(1, H, W)`` gray or ``(3, H, W)`` RGB planes (BT.601 luma)."""
    planes = np.asarray(planes, np.float32)
    if len(planes) == 1:
        return planes[0]
    return np.tensordot(LUMA, planes, axes=1).astype(np.float32)


def input_planes(rgb: np.ndarray, mode: str) -> np.ndarray:
    """The channels a convolution sees: ``(1, H, W)`` for gray, else ``(3, H, W)``."""
    if mode not in COLOUR_MODES:
        raise ValueError(f"mode must be one of {', '.join(COLOUR_MODES)}; got {mode!r}")
    if mode == "gray":
        return to_gray(rgb)[None]
    return np.ascontiguousarray(np.moveaxis(np.asarray(rgb, np.float32), 2, 0))


def map_names(mode: str) -> tuple[str, ...]:
    """Names of the feature maps each mode produces, in order."""
    return CHANNEL_NAMES if mode == "channels" else (("gray",) if mode == "gray" else ("sum",))


def convolve_image(rgb: np.ndarray, kernel: np.ndarray, mode: str, **conv_options) -> np.ndarray:
    """Feature maps of an RGB image under one colour mode, always ``(n, H', W')``.

    ``kernel`` is ``(kh, kw)``; in "summed" mode it may also be ``(3, kh, kw)``, one slice
    per channel (a 2-D kernel is then used for all three slices).
    """
    return convolve_planes(input_planes(rgb, mode), kernel, mode, **conv_options)


def convolve_planes(planes: np.ndarray, kernel: np.ndarray, mode: str, **conv_options):
    """``convolve_image`` for planes already made by ``input_planes(rgb, mode)``."""
    kernel = np.asarray(kernel, np.float32)
    if mode == "summed":
        bank = kernel if kernel.ndim == 3 else np.broadcast_to(kernel, (3, *kernel.shape))
        return conv2d(planes, bank, **conv_options)[None]  # (1, H', W')
    if mode not in COLOUR_MODES:
        raise ValueError(f"mode must be one of {', '.join(COLOUR_MODES)}; got {mode!r}")
    if kernel.ndim != 2:
        raise ValueError(f"mode {mode!r} takes a 2-D kernel; got shape {kernel.shape}")
    return conv2d(planes, kernel, **conv_options)  # (C, H', W')
