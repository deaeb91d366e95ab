"""The lesson's last step runs the trained digit network (PyTorch, loaded on first use)."""

from __future__ import annotations

import numpy as np

from .figure import Figure
from .figures_network import trained_network

DIGIT_INDEX = 0  # the held-out digit the step and its link show


def digit_network(_rgb: np.ndarray) -> Figure:
    """The digit network's layers on a held-out digit (the lesson's picture is not a digit)."""
    from cnn_core.nn.digit_net import activations, scores_to_probabilities
    from cnn_core.nn.saved_models import heldout_digits, load_model

    images, labels = heldout_digits()
    digit = images[DIGIT_INDEX].astype(np.float32) / 255.0
    maps = activations(load_model(), digit)
    chances = scores_to_probabilities(maps["fc2"])
    return trained_network(digit, int(labels[DIGIT_INDEX]), maps, chances)
