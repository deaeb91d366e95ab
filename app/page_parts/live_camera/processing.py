"""What the Live camera page does to each frame: shrink it to the working size, run the
chosen kernels on its gray copy, and lay input and maps side by side."""

from __future__ import annotations

import cv2
import numpy as np

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


def kernel_frames(names: list[str], side: int = LIVE_SIDE):
    """The frame-processing function for these library kernels."""
    kernels = [(name, KERNELS[name]) for name in names[:MAX_LIVE_KERNELS]]

    def process(frame: np.ndarray) -> tuple[np.ndarray, None]:
        height, width = frame.shape[:2]
        scale = side / max(height, width)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        small = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
        gray = to_gray(small.astype(np.float32) / 255.0)
        panels = [small]
        for _, kernel in kernels:
            feature = conv2d(gray, kernel, padding="same")
            if preserves_brightness(kernel):
                panels.append(image_to_rgb(feature))
            else:
                panels.append(signed_to_rgb(feature, limit=colour_limit(kernel)))
        return np.hstack(panels), None

    return process


def panel_titles(names: list[str]) -> str:
    return " | ".join(["Camera", *(kernel_label(n) for n in names[:MAX_LIVE_KERNELS])])
