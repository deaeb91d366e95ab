"""Activation functions against torch."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnn_core.activations import ACTIVATIONS, LEAKY_SLOPE, apply_activation

Z = np.linspace(-30, 30, 231).astype(np.float32).reshape(11, 21)

REFERENCES = {
    "none": lambda t: t,
    "relu": F.relu,
    "leaky_relu": lambda t: F.leaky_relu(t, LEAKY_SLOPE),
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "abs": torch.abs,
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_apply_activation_matches_torch(name):
    ours = apply_activation(name, Z)
    assert ours.dtype == np.float32 and ours.shape == Z.shape
    reference = REFERENCES[name](torch.from_numpy(Z)).numpy()
    np.testing.assert_allclose(ours, reference, rtol=1e-6, atol=1e-7)


def test_apply_activation_rejects_unknown_names():
    with pytest.raises(ValueError, match="activation must be one of"):
        apply_activation("softplus", Z)
