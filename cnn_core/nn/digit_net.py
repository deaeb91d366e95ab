"""The small CNN: a LeNet-style network you can look inside, and running it.

Architecture after LeCun et al., "Gradient-based learning applied to document
recognition" (1998): two convolution + ReLU + max-pool stages, then two fully connected
layers. About 29,000 weights for the digit reader. The ReLUs are not in-place, so every
captured activation is the layer's true output. Its weights and card on disk:
``cnn_core.nn.saved_models``.
"""

from __future__ import annotations

import copy
import weakref
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torchvision.models.feature_extraction import create_feature_extractor


@dataclass(frozen=True)
class DigitNetConfig:
    conv1_maps: int = 8  # first-layer kernels: few enough to look at one by one
    conv2_maps: int = 16  # second-layer maps, each summing all 8 first-layer maps
    kernel: int = 5  # LeNet's 5x5 kernels, padded to keep the input's size
    hidden: int = 32  # units of the first fully connected layer
    classes: int = 10  # the digits 0 to 9, or the user's own classes
    in_channels: int = 1  # 1 for gray (digits), 3 for colour pictures
    side: int = 28  # input side in pixels; a multiple of 4 (two 2 x 2 poolings)


class DigitNet(nn.Module):
    """conv k x k (8) > ReLU > max 2 > conv k x k (16) > ReLU > max 2 > fc 32 > ReLU > fc,
    with k = ``config.kernel`` (LeNet's 5) and the map counts of ``config``.

    The small CNN of every model the app trains: the digit reader (1 x 28 x 28, 10
    classes) and the models trained on a folder of images or on camera snapshots."""

    def __init__(self, config: DigitNetConfig = DigitNetConfig()):
        super().__init__()
        c = config
        if c.side % 4:
            raise ValueError(f"side must be a multiple of 4; got {c.side}")
        self.config = config
        self.conv1 = nn.Conv2d(c.in_channels, c.conv1_maps, c.kernel, padding=c.kernel // 2)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)  # side / 2
        self.conv2 = nn.Conv2d(c.conv1_maps, c.conv2_maps, c.kernel, padding=c.kernel // 2)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)  # side / 4
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(c.conv2_maps * (c.side // 4) ** 2, c.hidden)
        self.relu3 = nn.ReLU()
        self.fc2 = nn.Linear(c.hidden, c.classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (N, C, side, side) -> (N, classes)
        x = self.pool1(self.relu1(self.conv1(x)))
        x = self.pool2(self.relu2(self.conv2(x)))
        return self.fc2(self.relu3(self.fc1(self.flatten(x))))


# Layers whose outputs the Network page shows, in network order.
LAYER_NAMES = ("conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "fc1", "relu3", "fc2")


def layer_geometry(config: DigitNetConfig) -> dict[str, list[dict]]:
    """Each spatial layer's path of convolutions and poolings from the input, as
    ``receptive_field`` reads it, for the receptive fields of its units."""
    conv = {"kernel": config.kernel, "padding": config.kernel // 2}
    pool = {"kernel": 2, "stride": 2}
    return {
        "conv1": [conv],
        "relu1": [conv],
        "pool1": [conv, pool],
        "conv2": [conv, pool, conv],
        "relu2": [conv, pool, conv],
        "pool2": [conv, pool, conv, pool],
    }


def as_batch(digit: np.ndarray) -> torch.Tensor:
    """A prepared input as a batch of one: ``(H, W)`` (a digit) becomes ``(1, 1, H, W)``,
    ``(C, H, W)`` becomes ``(1, C, H, W)`` (float64 stays float64)."""
    digit = np.asarray(digit)
    dtype = np.float64 if digit.dtype == np.float64 else np.float32
    tensor = torch.from_numpy(np.ascontiguousarray(digit, dtype))
    return tensor[None, None] if tensor.ndim == 2 else tensor[None]


def probabilities(model: nn.Module, digit: np.ndarray) -> np.ndarray:
    """Softmax over the 10 classes for a prepared 28 x 28 digit."""
    with torch.no_grad():
        return scores_to_probabilities(model(as_batch(digit))[0])


def scores_to_probabilities(scores) -> np.ndarray:
    """Softmax of the 10 class scores (fc2's output), e.g. from ``activations``."""
    return torch.softmax(torch.as_tensor(scores), dim=0).numpy()


# Tracing a model into a feature extractor takes ~8 ms; the forward pass ~1 ms. One
# extractor per model object, dropped with the model.
_EXTRACTORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def feature_extractor(model: nn.Module) -> nn.Module:
    """torchvision's feature extractor returning every layer in ``LAYER_NAMES``."""
    if model not in _EXTRACTORS:
        _EXTRACTORS[model] = create_feature_extractor(
            model, return_nodes={name: name for name in LAYER_NAMES}
        )
    return _EXTRACTORS[model]


def activations(model: nn.Module, digit: np.ndarray) -> dict[str, np.ndarray]:
    """Every layer's output for a prepared digit, in network order (batch axis dropped)."""
    with torch.no_grad():
        outputs = feature_extractor(model)(as_batch(digit))
    return {name: outputs[name][0].numpy() for name in LAYER_NAMES}


def with_first_layer_kernels(model: DigitNet, replacements: dict[int, np.ndarray]) -> DigitNet:
    """A copy of ``model`` whose first-layer kernels ``i`` are ``replacements[i]`` (k x k).

    The cached model itself is never changed, so dropping the copy restores it exactly.
    """
    changed = copy.deepcopy(model)
    kernel_size = changed.conv1.weight.shape[-1]
    for index, kernel in replacements.items():
        kernel = np.asarray(kernel, np.float32)
        if kernel.shape != (kernel_size, kernel_size):
            raise ValueError(
                f"a first-layer kernel is {kernel_size} x {kernel_size}; got {kernel.shape}"
            )
        changed.conv1.weight.data[index, 0] = torch.from_numpy(kernel)
    return changed


def dead_filters(layer: nn.Conv2d) -> list[int]:
    """Filters of ``layer`` whose weights are all zero: they died in training (a ReLU that
    never fires passes no gradient back, and weight decay then shrinks them to nothing)."""
    weights = layer.weight.detach().reshape(layer.weight.shape[0], -1)
    return [int(i) for i in torch.nonzero(weights.abs().sum(dim=1) == 0).flatten()]
