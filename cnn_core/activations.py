"""Element-wise activation functions applied after a convolution.

A stack of convolutions without them is still one linear filter (convolution is
associative), so these are what let a network compute anything more. Each activation is
one ``Activation`` spec: its numpy function, whether its output can be negative (which
decides the colour map), its label, and its PyTorch form (for generated code and for the
torch twin of a layer stack).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


def identity(z: np.ndarray) -> np.ndarray:
    return np.asarray(z, dtype=np.float32)


@dataclass(frozen=True)
class Activation:
    """One activation function and everything the product says or builds from it."""

    name: str  # in URLs and stack texts
    label: str  # on the page
    function: Callable[[np.ndarray], np.ndarray]
    can_be_negative: bool  # negative outputs need the diverging colour map
    squashes: bool  # maps [0, 1] elsewhere (sigmoid, tanh): no longer a brightness scale
    torch_code: str | None  # applied to ``out`` in generated PyTorch code
    torch_module: tuple[str, dict] | None  # torch.nn class name and its arguments


ACTIVATIONS: dict[str, Activation] = {
    spec.name: spec
    for spec in (
        Activation("none", "None (raw values)", identity, True, False, None, None),
        Activation(
            "relu", "ReLU: max(z, 0)", relu, False, False, "out = F.relu(out)", ("ReLU", {})
        ),
        Activation(
            "leaky_relu",
            f"Leaky ReLU (slope {LEAKY_SLOPE})",
            leaky_relu,
            True,
            False,
            f"out = F.leaky_relu(out, negative_slope={LEAKY_SLOPE})",
            ("LeakyReLU", {"negative_slope": LEAKY_SLOPE}),
        ),
        Activation(
            "sigmoid", "Sigmoid", sigmoid, False, True, "out = torch.sigmoid(out)", ("Sigmoid", {})
        ),
        Activation("tanh", "tanh", tanh, True, True, "out = torch.tanh(out)", ("Tanh", {})),
        Activation("abs", "Absolute value |z|", absolute, False, False, "out = out.abs()", None),
    )
}
# The activations a layer stack offers as a layer of its own ("none" is not a layer).
LAYER_ACTIVATIONS = tuple(name for name in ACTIVATIONS if name != "none")


def activation(name: str) -> Activation:
    """The spec called ``name``; a ``ValueError`` listing the names otherwise."""
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {name!r}")
    return ACTIVATIONS[name]


def apply_activation(name: str, z: np.ndarray) -> np.ndarray:
    """Apply the activation called ``name`` ("none" returns ``z`` unchanged)."""
    return activation(name).function(z)
