"""Which classic kernel a learned one resembles most.

Kernels are compared by the correlation of their weights (cosine similarity after
removing each kernel's mean), so scale does not matter and sign does: -1 means the learned
kernel is the classic one with its sign flipped. Classic 3 x 3 kernels are zero-padded to
the learned kernel's size.
"""

from __future__ import annotations

import numpy as np

from .kernels import KERNELS


def kernel_similarity(first: np.ndarray, second: np.ndarray) -> float:
    """Correlation of two kernels' weights, in [-1, 1] (0 if either is flat)."""
    a = np.asarray(first, np.float64).ravel()
    b = np.asarray(second, np.float64).ravel()
    if a.shape != b.shape:
        raise ValueError(f"kernels must have the same size; got {first.shape} and {second.shape}")
    a, b = a - a.mean(), b - b.mean()
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b / norm) if norm > 0 else 0.0


def padded_to(kernel: np.ndarray, size: int) -> np.ndarray:
    """``kernel`` centred in a ``size`` x ``size`` grid of zeros (or cropped to it)."""
    kernel = np.asarray(kernel, np.float32)
    out = np.zeros((size, size), np.float32)
    rows, cols = min(size, kernel.shape[0]), min(size, kernel.shape[1])
    top, left = (size - rows) // 2, (size - cols) // 2
    k_top, k_left = (kernel.shape[0] - rows) // 2, (kernel.shape[1] - cols) // 2
    out[top : top + rows, left : left + cols] = kernel[k_top : k_top + rows, k_left : k_left + cols]
    return out


def closest_classic(kernel: np.ndarray) -> tuple[str, float]:
    """The library kernel most correlated (in absolute value) with ``kernel``, and the
    signed correlation. The identity kernel is left out: it matches any blob."""
    size = np.asarray(kernel).shape[0]
    scores = {
        name: kernel_similarity(kernel, padded_to(classic, size))
        for name, classic in KERNELS.items()
        if name != "identity"
    }
    best = max(scores, key=lambda name: abs(scores[name]))
    return best, scores[best]
