"""Layer stacks as PyTorch modules: the one builder for every page that needs gradients.

``layers_to_torch`` computes what ``run_stack`` computes, with the same weights, so the
tests can check ``run_stack`` and its weight counts against torch. The Receptive field
page measures the effective receptive field on it (through autograd), optionally with
every convolution made a plain average (``uniform=True``) and a ReLU after each one.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from ..activations import ACTIVATIONS
from ..layers import Layer
from ..stack import layer_weights


class MaxOverMaps(nn.Module):
    """The largest value across channels at each pixel (no weights)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.amax(dim=1, keepdim=True)


class Absolute(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.abs()


def layers_to_torch(
    layers: Sequence[Layer], in_channels: int, *, uniform: bool = False, relu: bool = False
) -> nn.Sequential:
    """``nn.Sequential`` computing ``run_stack(image, layers)``.

    ``uniform`` gives every convolution tap the same positive weight (each layer an
    average of its window); ``relu`` adds a ReLU after every convolution.
    """
    modules: list[nn.Module] = []
    channels = in_channels
    for layer in layers:
        module, channels = _module(layer, channels, uniform)
        modules.append(module)
        if relu and layer.kind in ("conv", "kirsch", "rand"):
            modules.append(nn.ReLU())
    return nn.Sequential(*modules)


def _module(layer: Layer, channels: int, uniform: bool) -> tuple[nn.Module, int]:
    if layer.kind in ("conv", "kirsch", "rand"):
        bank = torch.from_numpy(layer_weights(layer, channels))  # (F, C or 1, kh, kw)
        conv = nn.Conv2d(
            channels,
            bank.shape[0],
            tuple(bank.shape[2:]),
            stride=layer.stride,
            padding=layer.padding,
            dilation=layer.dilation,
            groups=channels if layer.spec.per_map else 1,
            bias=False,
        )
        conv.weight.data = torch.full_like(bank, 1.0 / bank[0].numel()) if uniform else bank
        return conv, bank.shape[0]
    if layer.kind == "act":
        spec = ACTIVATIONS[layer.name]
        if spec.torch_module is None:
            return Absolute(), channels
        name, arguments = spec.torch_module
        return getattr(nn, name)(**arguments), channels
    if layer.kind == "pool":
        return _pool(layer), channels
    return MaxOverMaps(), 1


def _pool(layer: Layer) -> nn.Module:
    if layer.name == "max":
        return nn.MaxPool2d(layer.size, layer.stride, layer.padding)
    if layer.name == "avg":
        return nn.AvgPool2d(layer.size, layer.stride, layer.padding)
    # torch's LPPool2d has no padding: pad with zeros first, as pool2d counts them.
    return nn.Sequential(nn.ZeroPad2d(layer.padding), nn.LPPool2d(2, layer.size, layer.stride))


class StackClassifier(nn.Module):
    """A layer stack (its random filters trainable, library kernels fixed) followed by a
    fully connected layer to ``classes`` scores: a stack built on the Layer stack page,
    trained as a classifier."""

    def __init__(self, layers: Sequence[Layer], *, in_channels: int, side: int, classes: int):
        super().__init__()
        if not layers or layers[0].kind not in ("conv", "kirsch", "rand"):
            raise ValueError(
                "A stack to train must start with a convolution (a library kernel, the "
                "Kirsch bank or random filters)."
            )
        self.stack = layers_to_torch(layers, in_channels)
        for module, layer in zip(self.stack, layers):
            if layer.kind in ("conv", "kirsch"):  # classic kernels stay what they are
                module.weight.requires_grad_(False)
        with torch.no_grad():
            features = self.stack(torch.zeros(1, in_channels, side, side)).numel()
        self.fc = nn.Linear(features, classes)

    @property
    def first_layer(self) -> nn.Conv2d:
        return self.stack[0]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.stack(x).flatten(1))
