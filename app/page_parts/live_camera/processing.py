"""What the Live camera page does to each frame: shrink it to the working size, run the
chosen kernels on its gray copy, and colour each map by one rule, in the student's browser
(``camera_kernels``: the kernels and colour ranges it is sent) or, on the server path, here
(``kernel_frames``: input and maps side by side)."""

from __future__ import annotations

import cv2
import numpy as np

from app.widgets.sources.browser_camera import CameraKernel
from cnn_core import KERNELS, conv2d
from cnn_core.colour import to_gray
from cnn_core.kernels import kernel_label, preserves_brightness
from cnn_core.render import image_to_rgb, signed_to_rgb

LIVE_SIDE = 256  # longest side of the processed frame
MAX_LIVE_KERNELS = 3


def colour_limit(kernel: np.ndarray) -> float:
    """A fixed colour range for a kernel's map on [0, 1] input: the largest response any
    picture can give is the sum of the positive weights. Fixed, so the colours do not
    flicker from frame to frame; halved, so ordinary edges show strongly."""
    return max(float(kernel[kernel > 0].sum()) / 2, 1e-6)


def colour_feature(feature: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """A live map's colours: brightness for kernels that keep it (blurs, sharpen), else
    signed colours over the kernel's fixed ``colour_limit``."""
    if preserves_brightness(kernel):
        return image_to_rgb(feature)
    return signed_to_rgb(feature, limit=colour_limit(kernel))


def camera_kernels(names: list[str]) -> list[CameraKernel]:
    """The chosen library kernels as the browser runs and colours them (the same rule as
    ``kernel_frames``: brightness for kernels that keep it, else signed colours over
    ``colour_limit``)."""
    return [
        CameraKernel(
            name,
            kernel_label(name),
            KERNELS[name],
            signed=not preserves_brightness(KERNELS[name]),
            limit=colour_limit(KERNELS[name]),
        )
        for name in names[:MAX_LIVE_KERNELS]
    ]


def kernel_frames(names: list[str], side: int = LIVE_SIDE, padding_mode: str = "zeros"):
    """The frame-processing function for these library kernels (the server path)."""
    kernels = [(name, KERNELS[name]) for name in names[:MAX_LIVE_KERNELS]]

    def process(frame: np.ndarray) -> tuple[np.ndarray, None]:
        height, width = frame.shape[:2]
        scale = side / max(height, width)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        small = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
        gray = to_gray(small.astype(np.float32) / 255.0)
        panels = [small]
        for _, kernel in kernels:
            feature = conv2d(gray, kernel, padding="same", padding_mode=padding_mode)
            panels.append(colour_feature(feature, kernel))
        return np.hstack(panels), None

    return process


def panel_titles(names: list[str]) -> str:
    return " | ".join(["Camera", *(kernel_label(n) for n in names[:MAX_LIVE_KERNELS])])
