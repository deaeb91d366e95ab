"""The receptive fields of each real network's stages, from the real graph
(``cnn_core.nn.network_fields``), and the published values they are checked against."""

from __future__ import annotations

from torch import nn
from torchvision import models

from .network_fields import network_receptive_fields
from .networks import NETWORKS, spec_of


def stage_fields(name: str, model: nn.Module, input_size: int = 224) -> dict:
    """Stage module name -> receptive field, from the real graph."""
    fields = network_receptive_fields(model, (input_size, input_size))
    return {node: fields[node] for node in spec_of(name).stages}


def every_network_field() -> dict[str, dict]:
    """The stage fields of every network here, and of ResNet-50 (for the comparison with
    Araujo et al.), from architectures with random weights (geometry needs no training)."""
    fields = {
        name: stage_fields(name, spec.builder(weights=None)) for name, spec in NETWORKS.items()
    }
    every = network_receptive_fields(models.resnet50(weights=None))
    fields["resnet50"] = {n: every[n] for n in ("layer1", "layer2", "layer3", "layer4")}
    return fields


# Araujo, Norris & Sim, Distill 2019, table of receptive fields (size / jump).
PUBLISHED_FIELDS = {
    "alexnet": ("features.12", 195, 32),
    "vgg16": ("features.30", 212, 32),
    "resnet50": ("layer4", 483, 32),
}
