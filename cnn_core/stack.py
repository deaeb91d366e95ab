"""A small stack of layers (convolution, activation, pooling) run on an image.

The Layer-stack page builds a stack from a short text (kept in the URL; the grammar is in
``cnn_core.layers``), runs it with ``run_stack`` and shows every intermediate map next to
the number of weights it took and the number a fully connected layer between the same
inputs and outputs would need (Grosse's lecture notes: 32 -> 16 maps of 50 x 50 with
5 x 5 filters take 12,800 weights where a fully connected layer takes 3.2 billion).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .activations import apply_activation
from .conv import conv2d
from .kernels import KERNELS, kirsch_bank
from .layers import Layer, LayerError
from .pool import pool2d


@dataclass(frozen=True)
class WeightCount:
    """A layer's weights as the product that counts them: kernels x maps x rows x cols."""

    kernels: int  # filters, or kernels applied to every input map
    maps: int  # input maps each kernel reads (1 for a per-map kernel: counted per map)
    rows: int
    cols: int

    @property
    def total(self) -> int:
        return self.kernels * self.maps * self.rows * self.cols


@dataclass(frozen=True)
class StageOutput:
    """What one layer produced."""

    layer: Layer
    maps: np.ndarray  # (C, H, W)
    weights: WeightCount | None  # None for layers without weights
    dense_weights: int  # a fully connected layer between the same input and output: in * out

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.maps.shape

    @property
    def dense_ratio(self) -> float:
        """How many times more weights the fully connected layer would need."""
        return self.dense_weights / self.weights.total if self.weights else math.nan


def layer_weights(layer: Layer, in_channels: int) -> np.ndarray | None:
    """The layer's kernel bank as ``(F, C, kh, kw)``, or None for layers without weights.

    Library kernels and the Kirsch bank act on every input map separately, so they are
    returned per input map as ``(C * k, 1, kh, kw)`` (grouped by input channel).
    """
    if layer.kind == "conv":
        return np.repeat(KERNELS[layer.name][None, None], in_channels, axis=0)
    if layer.kind == "kirsch":
        return np.tile(kirsch_bank()[:, None], (in_channels, 1, 1, 1))
    if layer.kind == "rand":
        rng = np.random.default_rng(layer.seed)
        scale = 1.0 / np.sqrt(in_channels * layer.size**2)  # keeps map values of order 1
        shape = (layer.filters, in_channels, layer.size, layer.size)
        return (rng.standard_normal(shape) * scale).astype(np.float32)
    return None


def run_stack(image: np.ndarray, layers: Sequence[Layer]) -> list[StageOutput]:
    """Run ``layers`` on a ``(C, H, W)`` (or ``(H, W)``) image; one output per layer.

    Raises ``LayerError`` naming the layer whose settings leave no output.
    """
    maps = np.asarray(image, np.float32)
    maps = maps if maps.ndim == 3 else maps[None]
    stages = []
    for number, layer in enumerate(layers, start=1):
        before = maps
        try:
            maps, weights = _apply(layer, maps)
        except ValueError as error:
            raise LayerError(f"Layer {number} ({layer.label}): {error}") from None
        dense = dense_weight_count(before.size, maps.size) if weights else 0
        stages.append(StageOutput(layer, maps, weights, dense))
    return stages


def _apply(layer: Layer, maps: np.ndarray) -> tuple[np.ndarray, WeightCount | None]:
    channels = maps.shape[0]
    options = dict(stride=layer.stride, padding=layer.padding, dilation=layer.dilation)
    if layer.kind in ("conv", "kirsch", "rand"):
        bank = layer_weights(layer, channels)  # (F, C, kh, kw) or (C * k, 1, kh, kw)
        if layer.spec.per_map:
            per_map = bank.shape[0] // channels
            out = np.concatenate(
                [
                    conv2d(maps[c], bank[c * per_map : (c + 1) * per_map], **options)
                    for c in range(channels)
                ]
            )
            count = WeightCount(per_map, channels, *bank.shape[2:])
        else:
            out = conv2d(maps, bank, **options)
            count = WeightCount(bank.shape[0], channels, *bank.shape[2:])
        return out, count
    if layer.kind == "act":
        return apply_activation(layer.name, maps), None
    if layer.kind == "pool":
        return pool2d(
            maps, layer.size, stride=layer.stride, padding=layer.padding, mode=layer.name
        ), None
    return maps.max(axis=0, keepdims=True), None


PRESETS = {
    "horizontalness": "conv.sobel_y.p1,act.relu,conv.gaussian_blur.p2",
    "kirsch": "kirsch.p1,maxmaps,pool.max.2",
    "lenet": "rand.6.5.r1,act.relu,pool.max.2,rand.16.5.r2,act.relu,pool.max.2",
}


def conv_weight_count(in_maps: int, out_maps: int, kernel: int, *, bias: bool = False) -> int:
    """Weights of a conv layer with ``out_maps`` filters of ``in_maps x kernel x kernel``:
    the same number whatever the image size, since every position shares them."""
    return out_maps * in_maps * kernel * kernel + (out_maps if bias else 0)


def dense_weight_count(in_units: int, out_units: int, *, bias: bool = False) -> int:
    """Weights of a fully connected layer: one per input-output pair (plus a bias each)."""
    return (in_units + (1 if bias else 0)) * out_units


@dataclass(frozen=True)
class WeightExample:
    """A worked weight count: a convolution against a fully connected layer."""

    example: str
    conv_layer: str
    dense: int
    conv: int

    @property
    def ratio(self) -> float:
        return self.dense / self.conv


def lecture_examples() -> list[WeightExample]:
    """Two classic weight counts, worked: a fully connected layer against the
    convolution that does the same job."""
    return [
        WeightExample(
            "512 x 512 gray image into 8 units (bias included)",
            "eight 5 x 5 filters",
            dense_weight_count(512 * 512, 8, bias=True),
            conv_weight_count(1, 8, 5),
        ),
        WeightExample(
            "32 maps of 50 x 50 into 16 maps of 50 x 50",
            "sixteen 32 x 5 x 5 filters",
            dense_weight_count(32 * 50 * 50, 16 * 50 * 50),
            conv_weight_count(32, 16, 5),
        ),
    ]


def stack_totals(stages: Sequence[StageOutput]) -> tuple[int, int]:
    """Weights of the whole stack, and of fully connected layers between the same maps."""
    total = sum(stage.weights.total for stage in stages if stage.weights)
    return total, sum(stage.dense_weights for stage in stages)
