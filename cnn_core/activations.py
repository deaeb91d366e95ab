"""Element-wise activation functions applied after a convolution.

A stack of convolutions without them is still one linear filter (convolution is
associative), so these are what let a network compute anything more.
"""

from __future__ import annotations

import numpy as np

LEAKY_SLOPE = 0.1


def relu(z: np.ndarray) -> np.ndarray:
    """max(z, 0): keeps evidence for a feature, drops evidence against it."""
    return np.maximum(z, 0, dtype=np.float32)


def leaky_relu(z: np.ndarray, slope: float = LEAKY_SLOPE) -> np.ndarray:
    """z where positive, ``slope * z`` elsewhere (Maas, Hannun & Ng, 2013)."""
    z = np.asarray(z, dtype=np.float32)
    return np.where(z > 0, z, np.float32(slope) * z)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)), squashing any response into (0, 1)."""
    z = np.asarray(z, dtype=np.float32)
    # Through tanh, so a large |z| neither overflows exp nor raises a warning.
    return (0.5 * (1.0 + np.tanh(0.5 * z))).astype(np.float32)


def tanh(z: np.ndarray) -> np.ndarray:
    """tanh(z), squashing into (-1, 1) and keeping the sign."""
    return np.tanh(np.asarray(z, dtype=np.float32))


def absolute(z: np.ndarray) -> np.ndarray:
    """|z|: an edge counts whichever way it faces."""
    return np.abs(np.asarray(z, dtype=np.float32))


ACTIVATIONS = {
    "none": None,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "abs": absolute,
}


def apply_activation(name: str, z: np.ndarray) -> np.ndarray:
    """Apply the activation called ``name`` ("none" returns ``z`` unchanged)."""
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {name!r}")
    function = ACTIVATIONS[name]
    return np.asarray(z, dtype=np.float32) if function is None else function(z)
