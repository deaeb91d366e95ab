"""Running a real network on a photo: its top classes, every stage's activations, its
first layer's filters, and the effective receptive field of one unit on that photo."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torchvision.models.feature_extraction import create_feature_extractor

from .erf import input_gradient
from .networks import class_names, spec_of


@dataclass(frozen=True)
class Prediction:
    classes: list[tuple[str, float]]  # the top classes with their probabilities
    stages: dict[str, np.ndarray]  # stage module name -> (C, h, w) activations


def _extractor(model: nn.Module, nodes: list[str]) -> nn.Module:
    cache = model.__dict__.setdefault("_convscope_extractors", {})
    key = tuple(nodes)
    if key not in cache:
        cache[key] = create_feature_extractor(model, return_nodes={n: n for n in nodes})
    return cache[key]


def predict(name: str, model: nn.Module, batch: torch.Tensor, *, top: int = 5) -> Prediction:
    """Top classes and every stage's activations, from one forward pass."""
    spec = spec_of(name)
    last = list(dict(model.named_children()))[-1]  # the classifier: its output is the scores
    nodes = [*spec.stages, last]
    with torch.no_grad():
        outputs = _extractor(model, nodes)(batch)
    scores = outputs[last][0]
    probabilities = torch.softmax(scores, dim=0)
    values, indices = probabilities.topk(top)
    names = class_names(name)
    classes = [(names[int(i)], float(v)) for v, i in zip(values, indices)]
    stages = {node: outputs[node][0].numpy() for node in spec.stages}
    return Prediction(classes, stages)


def most_active(maps: np.ndarray, count: int) -> list[int]:
    """The channels with the largest mean activation, strongest first."""
    means = maps.reshape(maps.shape[0], -1).mean(axis=1)
    return [int(i) for i in np.argsort(-means)[:count]]


def first_layer_filters(name: str, model: nn.Module) -> np.ndarray:
    """The first convolution's filters, ``(F, 3, k, k)``."""
    module = dict(model.named_modules())[spec_of(name).first_conv]
    return module.weight.detach().numpy().copy()


def stage_channels(name: str, model: nn.Module) -> dict[str, int]:
    """Stage module name -> how many channels (maps) it has."""
    with torch.no_grad():
        outputs = _extractor(model, list(spec_of(name).stages))(torch.zeros(1, 3, 224, 224))
    return {node: int(value.shape[1]) for node, value in outputs.items()}


def effective_field(model: nn.Module, batch: torch.Tensor, node: str, unit) -> np.ndarray:
    """``|d activation / d input|`` of ``unit`` = (channel, row, col) of module ``node``,
    summed over colour channels: the effective receptive field on this very photo."""
    return input_gradient(lambda x: _extractor(model, [node])(x)[node], batch, unit)
