"""A small stack of layers (convolution, activation, pooling) run on an image.

The Layer-stack page builds a stack from a short text (kept in the URL), runs it with
``run_stack`` and shows every intermediate map next to the number of weights it took and
the number a fully connected layer between the same inputs and outputs would need
(Grosse's lecture notes: 32 -> 16 maps of 50 x 50 with 5 x 5 filters take 12,800 weights
where a fully connected layer takes 3.2 billion).

Stack text: layers separated by ``,``; a layer is ``kind.arg.arg``:

- ``conv.<kernel>[.s<stride>][.p<padding>][.d<dilation>]``: one library kernel on every
  map separately (a depthwise convolution);
- ``kirsch[.s..][.p..]``: the eight Kirsch compass kernels on every map;
- ``rand.<filters>.<size>[.s..][.p..][.d..][.r<seed>]``: a conv layer of random filters
  spanning all input maps, as a network layer before training;
- ``act.<relu|leaky_relu|sigmoid|tanh|abs>``;
- ``pool.<max|avg|l2>.<size>[.s<stride>]``;
- ``maxmaps``: the largest value across maps at each pixel (Kirsch edge strength).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .activations import ACTIVATIONS, apply_activation
from .conv import conv2d
from .kernels import KERNELS, kirsch_bank
from .pool import POOL_MODES, pool2d

MAX_LAYERS = 6
MAX_FILTERS = 32
MAX_KERNEL = 9
MAX_STRIDE = 9  # a pooling layer's stride defaults to its size, up to MAX_KERNEL
MAX_PADDING = 8
MAX_DILATION = 6
MAX_SEED = 99_999


@dataclass(frozen=True)
class Layer:
    """One layer of a stack, as parsed from its text."""

    kind: str  # "conv" | "kirsch" | "rand" | "act" | "pool" | "maxmaps"
    name: str = ""  # kernel, activation or pool mode
    filters: int = 1
    size: int = 3
    stride: int = 1
    padding: int = 0
    dilation: int = 1
    seed: int = 0

    @property
    def label(self) -> str:
        if self.kind == "conv":
            return f"{self.name} (each map)"
        if self.kind == "kirsch":
            return "Kirsch compass, 8 kernels (each map)"
        if self.kind == "rand":
            return f"{self.filters} random {self.size}x{self.size} filters"
        if self.kind == "act":
            return self.name
        if self.kind == "pool":
            return f"{self.name} pool {self.size}x{self.size}, stride {self.stride}"
        return "max over maps"

    def geometry(self) -> dict:
        """kernel/stride/padding/dilation of this layer, for ``receptive_field``."""
        if self.kind in ("act", "maxmaps"):
            return {"kernel": 1, "stride": 1, "padding": 0, "dilation": 1}
        kernel = self.size if self.kind in ("rand", "pool") else self._kernel_size()
        return {
            "kernel": kernel,
            "stride": self.stride,
            "padding": self.padding,
            "dilation": self.dilation,
        }

    def _kernel_size(self) -> int:
        return 3 if self.kind == "kirsch" else int(KERNELS[self.name].shape[0])


@dataclass(frozen=True)
class StageOutput:
    """What one layer produced."""

    layer: Layer
    maps: np.ndarray  # (C, H, W)
    weights: int  # learnable weights this layer holds
    dense_weights: int  # a fully connected layer between the same input and output: in * out

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.maps.shape


@dataclass(frozen=True)
class Stack:
    layers: tuple[Layer, ...]
    text: str = field(default="")


class StackError(ValueError):
    """A stack text that cannot be built; the message names the layer."""


def parse_stack(text: str) -> Stack:
    """Read a stack text (see the module docstring); ``StackError`` names what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise StackError("The stack is empty: add at least one layer.")
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) > MAX_LAYERS:
        raise StackError(f"The stack has {len(parts)} layers; at most {MAX_LAYERS} are allowed.")
    layers = tuple(_parse_layer(part, index + 1) for index, part in enumerate(parts))
    return Stack(layers, ",".join(format_layer(layer) for layer in layers))


def _parse_layer(text: str, number: int) -> Layer:
    tokens = text.split(".")
    kind, args = tokens[0], tokens[1:]
    where = f"Layer {number} ({text[:30]!r})"
    if kind == "conv":
        if not args or args[0] not in KERNELS:
            raise StackError(f"{where}: name a kernel, e.g. conv.sobel_x")
        return Layer("conv", args[0], **_options(args[1:], "spd", where))
    if kind == "kirsch":
        return Layer("kirsch", **_options(args, "sp", where))
    if kind == "rand":
        if len(args) < 2:
            raise StackError(f"{where}: write rand.<filters>.<size>, e.g. rand.6.5")
        filters = _number(args[0], 1, MAX_FILTERS, f"{where}: filters")
        size = _number(args[1], 1, MAX_KERNEL, f"{where}: size")
        return Layer("rand", "", filters, size, **_options(args[2:], "spdr", where))
    if kind == "act":
        if len(args) != 1 or args[0] not in ACTIVATIONS or args[0] == "none":
            names = ", ".join(n for n in ACTIVATIONS if n != "none")
            raise StackError(f"{where}: write act.<name> with one of {names}")
        return Layer("act", args[0])
    if kind == "pool":
        if len(args) < 2 or args[0] not in POOL_MODES:
            raise StackError(f"{where}: write pool.<max|avg|l2>.<size>, e.g. pool.max.2")
        size = _number(args[1], 1, MAX_KERNEL, f"{where}: size")
        options = _options(args[2:], "s", where)
        return Layer("pool", args[0], size=size, stride=options.get("stride", size))
    if kind == "maxmaps" and not args:
        return Layer("maxmaps")
    raise StackError(f"{where}: unknown layer; use conv, kirsch, rand, act, pool or maxmaps")


_OPTION_NAMES = {"s": "stride", "p": "padding", "d": "dilation", "r": "seed"}
_OPTION_RANGES = {
    "s": (1, MAX_STRIDE),
    "p": (0, MAX_PADDING),
    "d": (1, MAX_DILATION),
    "r": (0, MAX_SEED),
}


def _options(args: list[str], allowed: str, where: str) -> dict:
    options = {}
    for arg in args:
        letter, value = arg[:1], arg[1:]
        if letter not in allowed:
            raise StackError(f"{where}: unexpected option {arg[:12]!r}")
        low, high = _OPTION_RANGES[letter]
        options[_OPTION_NAMES[letter]] = _number(value, low, high, f"{where}: {arg[:12]!r}")
    return options


def _number(text: str, low: int, high: int, what: str) -> int:
    if not text.isdigit() or not low <= int(text) <= high:
        raise StackError(f"{what} must be a whole number from {low} to {high}")
    return int(text)


def format_layer(layer: Layer) -> str:
    """The text ``parse_stack`` reads back to ``layer``."""
    options = ""
    if layer.kind in ("conv", "kirsch", "rand"):
        options += f".s{layer.stride}" if layer.stride != 1 else ""
        options += f".p{layer.padding}" if layer.padding else ""
        options += f".d{layer.dilation}" if layer.dilation != 1 else ""
    if layer.kind == "conv":
        return f"conv.{layer.name}{options}"
    if layer.kind == "kirsch":
        return f"kirsch{options}"
    if layer.kind == "rand":
        return f"rand.{layer.filters}.{layer.size}{options}.r{layer.seed}"
    if layer.kind == "act":
        return f"act.{layer.name}"
    if layer.kind == "pool":
        stride = f".s{layer.stride}" if layer.stride != layer.size else ""
        return f"pool.{layer.name}.{layer.size}{stride}"
    return "maxmaps"


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


def run_stack(image: np.ndarray, stack: Stack) -> list[StageOutput]:
    """Run ``stack`` on a ``(C, H, W)`` (or ``(H, W)``) image; one output per layer.

    Raises ``StackError`` naming the layer whose settings leave no output.
    """
    maps = np.asarray(image, np.float32)
    maps = maps if maps.ndim == 3 else maps[None]
    stages = []
    for number, layer in enumerate(stack.layers, start=1):
        before = maps
        try:
            maps, weights = _apply(layer, maps)
        except ValueError as error:
            raise StackError(f"Layer {number} ({layer.label}): {error}") from None
        dense = dense_weight_count(before.size, maps.size) if weights else 0
        stages.append(StageOutput(layer, maps, weights, dense))
    return stages


def _apply(layer: Layer, maps: np.ndarray) -> tuple[np.ndarray, int]:
    channels = maps.shape[0]
    options = dict(stride=layer.stride, padding=layer.padding, dilation=layer.dilation)
    if layer.kind == "rand":
        bank = layer_weights(layer, channels)
        return conv2d(maps, bank, **options), bank.size
    if layer.kind in ("conv", "kirsch"):
        bank = layer_weights(layer, channels)  # (C * k, 1, kh, kw)
        per_map = bank.shape[0] // channels
        out = [
            conv2d(maps[c], bank[c * per_map : (c + 1) * per_map], **options)
            for c in range(channels)
        ]
        return np.concatenate(out), bank.size
    if layer.kind == "act":
        return apply_activation(layer.name, maps), 0
    if layer.kind == "pool":
        return pool2d(maps, layer.size, stride=layer.stride, mode=layer.name), 0
    return maps.max(axis=0, keepdims=True), 0


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


def lecture_examples() -> list[dict]:
    """The two weight counts the lecture notes work through, computed here."""
    return [
        {
            "example": "512 x 512 gray image into 8 units (bias included)",
            "fully connected": dense_weight_count(512 * 512, 8, bias=True),
            "convolution": conv_weight_count(1, 8, 5),
            "conv layer": "eight 5 x 5 filters",
        },
        {
            "example": "32 maps of 50 x 50 into 16 maps of 50 x 50",
            "fully connected": dense_weight_count(32 * 50 * 50, 16 * 50 * 50),
            "convolution": conv_weight_count(32, 16, 5),
            "conv layer": "sixteen 32 x 5 x 5 filters",
        },
    ]
