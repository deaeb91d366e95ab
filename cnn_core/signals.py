"""Convolution in one dimension, where both ways of reading it fit on one line.

Grosse's lecture notes define ``(x * w)[t] = sum_tau x[t - tau] w[tau]`` and read it two
ways. Translate-and-scale: the output is a sum of copies of the signal, each shifted by
``tau`` and scaled by ``w[tau]``. Flip-and-filter: each output is a dot product of the
signal with the kernel flipped and slid to ``t``. Layers skip the flip
(cross-correlation); the kernel ``(-1, 1)`` then gives ``x[t + 1] - x[t]``, which is zero
on flat stretches and large at a step: an edge detector (Wolf, after Goodfellow et al.).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SIGNALS = ("step", "ramp", "noisy_step", "sines")
SIGNAL_LABELS = {
    "step": "Step",
    "ramp": "Ramp",
    "noisy_step": "Noisy step",
    "sines": "Sum of two sines",
}


def make_signal(name: str, length: int = 48, *, seed: int = 0) -> np.ndarray:
    """A test signal of ``length`` samples (the noise is seeded)."""
    if name not in SIGNALS:
        raise ValueError(f"signal must be one of {', '.join(SIGNALS)}; got {name!r}")
    if not 8 <= length <= 512:
        raise ValueError(f"length must be from 8 to 512; got {length}")
    t = np.arange(length, dtype=np.float64)
    if name == "step":
        x = (t >= length // 2).astype(np.float64)
    elif name == "ramp":
        x = np.clip((t - length / 4) / (length / 2), 0, 1)
    elif name == "noisy_step":
        noise = np.random.default_rng(seed).normal(0, 0.15, length)
        x = (t >= length // 2) + noise
    else:
        x = 0.6 * np.sin(2 * np.pi * t / 24) + 0.4 * np.sin(2 * np.pi * t / 5)
    return x.astype(np.float32)


def conv1d(x, w, *, flip: bool = True, mode: str = "full") -> np.ndarray:
    """True convolution (``flip=True``) or cross-correlation of 1-D arrays, as numpy's
    ``convolve`` / ``correlate`` with ``mode`` "full", "same" or "valid"."""
    x, w = np.asarray(x, np.float64), np.asarray(w, np.float64)
    if x.ndim != 1 or w.ndim != 1 or not x.size or not w.size:
        raise ValueError(f"x and w must be non-empty 1-D arrays; got {x.shape} and {w.shape}")
    if mode not in ("full", "same", "valid"):
        raise ValueError(f'mode must be "full", "same" or "valid"; got {mode!r}')
    out = np.convolve(x, w, mode) if flip else np.correlate(x, w, mode)
    return out.astype(np.float32)


@dataclass(frozen=True)
class ShiftedCopy:
    """One term of translate-and-scale: the signal shifted by ``shift``, times ``weight``."""

    shift: int
    weight: float
    copy: np.ndarray  # (len(x) + len(w) - 1,) the scaled, shifted signal


def translate_and_scale(x, w) -> list[ShiftedCopy]:
    """The copies whose sum is the full convolution ``conv1d(x, w)``."""
    x, w = np.asarray(x, np.float32), np.asarray(w, np.float32)
    copies = []
    for tau, weight in enumerate(w):
        copy = np.zeros(x.size + w.size - 1, np.float32)
        copy[tau : tau + x.size] = weight * x
        copies.append(ShiftedCopy(tau, float(weight), copy))
    return copies


@dataclass(frozen=True)
class FilterStep:
    """Flip-and-filter at output ``t``: the flipped kernel over the signal."""

    t: int
    positions: np.ndarray  # signal indices under the flipped kernel (outside = zero padding)
    values: np.ndarray  # the signal there (0 outside)
    flipped: np.ndarray  # the kernel reversed
    products: np.ndarray
    total: float  # conv1d(x, w)[t]


def flip_and_filter(x, w, t: int) -> FilterStep:
    """The dot product that makes full-convolution output ``t``."""
    x, w = np.asarray(x, np.float32), np.asarray(w, np.float32)
    if not 0 <= t < x.size + w.size - 1:
        raise ValueError(f"t must be from 0 to {x.size + w.size - 2}; got {t}")
    positions = t - np.arange(w.size)[::-1]  # flipped: w[k-1] meets x[t-k+1], ..., w[0] x[t]
    inside = (positions >= 0) & (positions < x.size)
    values = np.where(inside, x[np.clip(positions, 0, x.size - 1)], 0.0).astype(np.float32)
    flipped = w[::-1].copy()
    products = values * flipped
    return FilterStep(
        t, positions, values, flipped, products, float(products.sum(dtype=np.float64))
    )
