"""The real ImageNet classifiers here: torchvision's AlexNet, VGG-16, ResNet-18 and
MobileNetV3-Small, with the stages the pages show, the preprocessing and class names.

Each network comes with its weights enum, which carries everything needed to use it as
trained: the preprocessing (``weights.transforms()``: resize, centre crop, normalise),
the 1,000 class names (``weights.meta["categories"]``) and the URL of the weights. The
weights themselves are cached and loaded by ``cnn_core.nn.network_weights``; a classroom
server fetches them ahead of time with

    python -m cnn_core.nn.networks fetch alexnet vgg16 resnet18 mobilenet_v3_small

(the command line is ``cnn_core.nn.fetch_weights``; this module only hands over to it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torchvision import models


@dataclass(frozen=True)
class NetworkSpec:
    """One classifier: how to build it, and the stages the pages show."""

    name: str
    label: str
    builder: Callable[..., nn.Module]
    weights: object  # the torchvision weights enum value
    stages: dict[str, str]  # module name -> what to call its output on the page
    first_conv: str  # the module holding the first layer's filters


NETWORKS: dict[str, NetworkSpec] = {
    spec.name: spec
    for spec in (
        NetworkSpec(
            "alexnet",
            "AlexNet (2012)",
            models.alexnet,
            models.AlexNet_Weights.IMAGENET1K_V1,
            {
                "features.1": "conv1 + ReLU",
                "features.4": "conv2 + ReLU",
                "features.7": "conv3 + ReLU",
                "features.9": "conv4 + ReLU",
                "features.11": "conv5 + ReLU",
            },
            "features.0",
        ),
        NetworkSpec(
            "vgg16",
            "VGG-16 (2014)",
            models.vgg16,
            models.VGG16_Weights.IMAGENET1K_V1,
            {
                "features.3": "block 1",
                "features.8": "block 2",
                "features.15": "block 3",
                "features.22": "block 4",
                "features.29": "block 5",
            },
            "features.0",
        ),
        NetworkSpec(
            "resnet18",
            "ResNet-18 (2015)",
            models.resnet18,
            models.ResNet18_Weights.IMAGENET1K_V1,
            {
                "relu": "stem",
                "layer1": "stage 1",
                "layer2": "stage 2",
                "layer3": "stage 3",
                "layer4": "stage 4",
            },
            "conv1",
        ),
        NetworkSpec(
            "mobilenet_v3_small",
            "MobileNetV3-Small (2019)",
            models.mobilenet_v3_small,
            models.MobileNet_V3_Small_Weights.IMAGENET1K_V1,
            {
                "features.0": "stem",
                "features.1": "stage 1",
                "features.3": "stage 2",
                "features.8": "stage 3",
                "features.12": "last conv",
            },
            "features.0.0",
        ),
    )
}


def spec_of(name: str) -> NetworkSpec:
    if name not in NETWORKS:
        raise ValueError(f"network must be one of {', '.join(NETWORKS)}; got {name!r}")
    return NETWORKS[name]


def class_names(name: str) -> list[str]:
    """The 1,000 ImageNet class names, from the weights enum (no download needed)."""
    return list(spec_of(name).weights.meta["categories"])


def preprocess(name: str, rgb: np.ndarray) -> torch.Tensor:
    """An ``(H, W, 3)`` float RGB photo in [0, 1] as the network's input ``(1, 3, S, S)``:
    the weights' own transforms (resize, centre crop, normalise)."""
    image = torch.from_numpy(np.ascontiguousarray(np.moveaxis(np.asarray(rgb, np.float32), 2, 0)))
    return spec_of(name).weights.transforms(antialias=True)(image)[None]


def shown_input(name: str, batch: torch.Tensor) -> np.ndarray:
    """The network's input un-normalised back to an ``(S, S, 3)`` picture in [0, 1]."""
    transform = spec_of(name).weights.transforms()
    mean = torch.tensor(transform.mean)[:, None, None]
    std = torch.tensor(transform.std)[:, None, None]
    return (batch[0] * std + mean).clamp(0, 1).permute(1, 2, 0).numpy()


if __name__ == "__main__":
    from .fetch_weights import main

    sys.exit(main())
