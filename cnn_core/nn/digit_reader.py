"""The trained digit reader's public entry points (exported lazily as ``cnn_core.predict_digit``
and ``cnn_core.digit_activations``).

Both take any picture of one handwritten digit, prepare it like MNIST
(``cnn_core.digits``) and run the shipped network (``cnn_core.nn.saved_models``).
"""

from __future__ import annotations

import numpy as np

from ..digits import preprocess_digit
from .digit_net import activations, probabilities
from .saved_models import load_model


def predict_digit(image: np.ndarray) -> np.ndarray:
    """Probabilities of the digits 0-9 for any picture of one handwritten digit.

    ``image`` is ``(H, W)`` or ``(H, W, 3)`` in [0, 1], dark ink on light paper or light on
    dark, any size. Raises ``DigitError`` for a picture with no discernible ink.
    """
    return probabilities(load_model(), preprocess_digit(image))


def digit_activations(image: np.ndarray) -> dict[str, np.ndarray]:
    """Layer name -> activations for any picture of a digit, in network order."""
    return activations(load_model(), preprocess_digit(image))
