"""Pictures as a small CNN trained on them expects: square, small, gray or colour.

A model trained on a folder of pictures or on camera snapshots records its input in its
card (``side``, ``colour``); every picture it sees, in training and afterwards, goes
through ``prepare_picture``: the shorter side scaled to ``side`` (antialiased), the
middle square cut out, and for gray models the BT.601 luma.
"""

from __future__ import annotations

import cv2
import numpy as np

from .colour import to_gray

COLOURS = ("rgb", "gray")


def prepare_picture(rgb: np.ndarray, side: int, colour: str) -> np.ndarray:
    """``(H, W, 3)`` RGB in [0, 1] -> ``(C, side, side)`` float32 (C = 3 or 1).

    >>> prepare_picture(np.ones((40, 80, 3), np.float32), 16, "gray").shape
    (1, 16, 16)
    """
    if colour not in COLOURS:
        raise ValueError(f"colour must be one of {', '.join(COLOURS)}; got {colour!r}")
    rgb = np.asarray(rgb, np.float32)
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"expected an (H, W, 3) picture; got shape {rgb.shape}")
    height, width = rgb.shape[:2]
    scale = side / min(height, width)
    size = (max(side, round(width * scale)), max(side, round(height * scale)))
    resized = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    top, left = (resized.shape[0] - side) // 2, (resized.shape[1] - side) // 2
    square = np.clip(resized[top : top + side, left : left + side], 0, 1)
    if colour == "gray":
        return to_gray(square)[None].astype(np.float32)
    return np.ascontiguousarray(np.moveaxis(square, 2, 0), dtype=np.float32)


def prepare_batch(pictures: np.ndarray, side: int, colour: str) -> np.ndarray:
    """Square ``(N, 3, H, H)`` pictures in [0, 1] as ``(N, C, side, side)`` for a model."""
    return np.stack([prepare_picture(np.moveaxis(p, 0, 2), side, colour) for p in pictures])
