"""The same stacks as PyTorch modules: an independent check of ``run_stack`` and its weight
counts, and the differentiable model the effective receptive field is measured on.
"""

from __future__ import annotations

import torch
from torch import nn

from .activations import LEAKY_SLOPE
from .stack import Layer, Stack, layer_weights


class MaxOverMaps(nn.Module):
    """The largest value across channels at each pixel (no weights)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.amax(dim=1, keepdim=True)


class Absolute(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.abs()


_ACTIVATION_MODULES = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(LEAKY_SLOPE),
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "abs": Absolute,
}


def stack_to_torch(stack: Stack, in_channels: int) -> nn.Sequential:
    """``nn.Sequential`` computing what ``run_stack`` computes, with the same weights."""
    modules, channels = [], in_channels
    for layer in stack.layers:
        module, channels = _module(layer, channels)
        modules.append(module)
    return nn.Sequential(*modules)


def _module(layer: Layer, channels: int) -> tuple[nn.Module, int]:
    if layer.kind in ("conv", "kirsch", "rand"):
        bank = torch.from_numpy(layer_weights(layer, channels))  # (F, C or 1, kh, kw)
        grouped = layer.kind != "rand"
        conv = nn.Conv2d(
            channels,
            bank.shape[0],
            tuple(bank.shape[2:]),
            stride=layer.stride,
            padding=layer.padding,
            dilation=layer.dilation,
            groups=channels if grouped else 1,
            bias=False,
        )
        conv.weight.data = bank.clone()
        return conv, bank.shape[0]
    if layer.kind == "act":
        return _ACTIVATION_MODULES[layer.name](), channels
    if layer.kind == "pool":
        if layer.name == "max":
            return nn.MaxPool2d(layer.size, layer.stride), channels
        if layer.name == "avg":
            return nn.AvgPool2d(layer.size, layer.stride), channels
        return nn.LPPool2d(2, layer.size, layer.stride), channels
    return MaxOverMaps(), 1
