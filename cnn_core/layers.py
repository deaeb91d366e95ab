"""Layers of a small network, written as text: one grammar for every page that builds one.

A stack is a comma-separated list of layers; each layer is its kind, then arguments
separated by dots::

    conv.<kernel>[.s<stride>][.p<padding>][.d<dilation>]   a library kernel on every map
    kirsch[.s..][.p..][.d..]                                the eight Kirsch kernels on every map
    rand.<filters>.<size>[.s..][.p..][.d..][.r<seed>]       random filters spanning all maps
    act.<relu|leaky_relu|sigmoid|tanh|abs>                  an activation
    pool.<max|avg|l2>.<size>[.s<stride>][.p<padding>]       pooling (stride defaults to size)
    maxmaps                                                 the largest value across maps

Geometry-only stacks (the Receptive field page) may use a compact spelling of the same
layers: ``c3p1`` is ``rand.1.3.p1`` (one 3 x 3 filter, padding 1), ``m2s2`` is
``pool.max.2.s2`` and ``a2`` is ``pool.avg.2``. Both spellings parse to the same ``Layer``;
``format_layers(..., compact=True)`` writes the compact one where it exists.

Every number is checked against ``cnn_core.limits``; a ``LayerError`` names the layer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from . import limits
from .activations import ACTIVATIONS, LAYER_ACTIVATIONS
from .kernels import KERNELS, kernel_label
from .pool import POOL_MODES


@dataclass(frozen=True)
class LayerKind:
    """What one kind of layer is: how it is written, labelled and counted."""

    name: str
    label: str  # in the layer editor
    options: str  # which of s(tride), p(adding), d(ilation), r (seed) its text may carry
    has_weights: bool  # holds learnable weights (counted against a dense layer)
    per_map: bool  # applies its kernels to each input map separately (depthwise)
    sliding: bool  # slides a window over the maps (has a receptive-field geometry)


KINDS: dict[str, LayerKind] = {
    kind.name: kind
    for kind in (
        LayerKind("conv", "Library kernel", "spd", True, True, True),
        LayerKind("kirsch", "Kirsch compass (8)", "spd", True, True, True),
        LayerKind("rand", "Random filters", "spdr", True, False, True),
        LayerKind("act", "Activation", "", False, False, False),
        LayerKind("pool", "Pooling", "sp", False, False, True),
        LayerKind("maxmaps", "Max over maps", "", False, False, False),
    )
}
# Kinds a geometry-only stack (receptive fields) may hold: convolutions and poolings.
GEOMETRY_KINDS = ("rand", "pool")


class LayerError(ValueError):
    """A stack text that cannot be read; the message names the layer."""


@dataclass(frozen=True)
class Layer:
    """One layer, as parsed from its text."""

    kind: str  # a key of KINDS
    name: str = ""  # kernel (conv), activation (act) or pool mode (pool)
    filters: int = 1
    size: int = 3  # kernel size of random filters, window size of pooling
    stride: int = 1
    padding: int = 0
    dilation: int = 1
    seed: int = 0

    @property
    def spec(self) -> LayerKind:
        return KINDS[self.kind]

    @property
    def label(self) -> str:
        """What the layer does, in words, every non-default setting included."""
        if self.kind == "conv":
            text = f"{kernel_label(self.name)} (each map)"
        elif self.kind == "kirsch":
            text = "Kirsch compass, 8 kernels (each map)"
        elif self.kind == "rand":
            text = f"{_count(self.filters, 'random filter')} {self.size}x{self.size}"
        elif self.kind == "act":
            return ACTIVATIONS[self.name].label
        elif self.kind == "pool":
            text = f"{self.name} pool {self.size}x{self.size}, stride {self.stride}"
            return text + (f", padding {self.padding}" if self.padding else "")
        else:
            return "Max over maps"
        details = [
            f"stride {self.stride}" if self.stride != 1 else "",
            f"padding {self.padding}" if self.padding else "",
            f"dilation {self.dilation}" if self.dilation != 1 else "",
        ]
        extra = ", ".join(d for d in details if d)
        return f"{text}, {extra}" if extra else text

    @property
    def geometry_label(self) -> str:
        """The layer as a shape only, for geometry stacks: "conv 5x5, padding 2"."""
        if self.kind == "pool":
            return self.label
        k = self.kernel_size
        details = [
            f"stride {self.stride}" if self.stride != 1 else "",
            f"padding {self.padding}" if self.padding else "",
            f"dilation {self.dilation}" if self.dilation != 1 else "",
        ]
        return ", ".join([f"conv {k}x{k}", *(d for d in details if d)])

    @property
    def kernel_size(self) -> int:
        """The side of the window this layer slides (a library kernel's own size)."""
        if self.kind == "conv":
            return int(KERNELS[self.name].shape[0])
        if self.kind == "kirsch":
            return 3
        return self.size if self.spec.sliding else 1

    def geometry(self) -> dict:
        """Kernel, stride, padding and dilation, as ``receptive_field`` reads them.

        Element-wise layers (activations, max over maps) are 1 x 1 windows at stride 1.
        """
        if not self.spec.sliding:
            return {"kernel": 1, "stride": 1, "padding": 0, "dilation": 1}
        return {
            "kernel": self.kernel_size,
            "stride": self.stride,
            "padding": self.padding,
            "dilation": self.dilation,
        }


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


_COMPACT = re.compile(r"^([cma])(\d{1,3})(?:s(\d{1,3}))?(?:p(\d{1,3}))?(?:d(\d{1,3}))?$")
_COMPACT_POOL = {"m": "max", "a": "avg"}
_OPTION_FIELDS = {"s": "stride", "p": "padding", "d": "dilation", "r": "seed"}


def parse_layers(
    text: str, *, max_layers: int = limits.MAX_STACK_LAYERS, kinds: Sequence[str] = tuple(KINDS)
) -> list[Layer]:
    """Read a stack text (see the module docstring) into layers of the allowed ``kinds``."""
    if not isinstance(text, str) or not text.strip():
        raise LayerError("The stack is empty: add at least one layer.")
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) > max_layers:
        raise LayerError(f"The stack has {len(parts)} layers; at most {max_layers} are allowed.")
    layers = []
    for number, part in enumerate(parts, start=1):
        where = f"Layer {number} ({part[:30]!r})"
        layer = _parse_layer(part, where)
        if layer.kind not in kinds:
            raise LayerError(f"{where}: this page takes only {_kind_names(kinds)} layers.")
        layers.append(layer)
    return layers


def _kind_names(kinds: Sequence[str]) -> str:
    return " and ".join(KINDS[k].label.lower() for k in kinds)


def _parse_layer(text: str, where: str) -> Layer:
    compact = _COMPACT.match(text)
    if compact:
        return _compact_layer(compact.groups(), where)
    kind, *args = text.split(".")
    if kind == "conv":
        if not args or args[0] not in KERNELS:
            raise LayerError(f"{where}: name a kernel, e.g. conv.sobel_x")
        return _checked(Layer("conv", args[0]), args[1:], where)
    if kind == "kirsch":
        return _checked(Layer("kirsch"), args, where)
    if kind == "rand":
        if len(args) < 2:
            raise LayerError(f"{where}: write rand.<filters>.<size>, e.g. rand.6.5")
        filters = _number(args[0], 1, limits.MAX_STACK_FILTERS, f"{where}: filters")
        size = _number(args[1], 1, limits.MAX_KERNEL_SIZE, f"{where}: size")
        return _checked(Layer("rand", filters=filters, size=size), args[2:], where)
    if kind == "act":
        if len(args) != 1 or args[0] not in LAYER_ACTIVATIONS:
            raise LayerError(
                f"{where}: write act.<name> with one of {', '.join(LAYER_ACTIVATIONS)}"
            )
        return Layer("act", args[0])
    if kind == "pool":
        if len(args) < 2 or args[0] not in POOL_MODES:
            raise LayerError(f"{where}: write pool.<max|avg|l2>.<size>, e.g. pool.max.2")
        size = _number(args[1], 1, limits.MAX_POOL_WINDOW, f"{where}: size")
        return _checked(Layer("pool", args[0], size=size, stride=size), args[2:], where)
    if kind == "maxmaps" and not args:
        return Layer("maxmaps")
    raise LayerError(
        f"{where}: unknown layer; write conv, kirsch, rand, act, pool or maxmaps "
        "(or c3p1, m2s2, a2s2 for a convolution or a max or average pool)"
    )


def _compact_layer(groups, where: str) -> Layer:
    letter, size, stride, padding, dilation = groups
    options = {"stride": stride, "padding": padding, "dilation": dilation}
    args = [f"{key[0]}{value}" for key, value in options.items() if value is not None]
    if letter == "c":
        size = _number(size, 1, limits.MAX_KERNEL_SIZE, f"{where}: kernel")
        return _checked(Layer("rand", size=size), args, where)
    if dilation is not None:
        raise LayerError(f"{where}: pooling windows have no dilation here")
    size = _number(size, 1, limits.MAX_POOL_WINDOW, f"{where}: window")
    return _checked(Layer("pool", _COMPACT_POOL[letter], size=size, stride=size), args, where)


_RANGES = {
    "stride": (1, limits.MAX_STRIDE),
    "padding": (0, limits.MAX_PADDING),
    "dilation": (1, limits.MAX_DILATION),
    "seed": (0, limits.MAX_SEED),
}


def _checked(layer: Layer, args: list[str], where: str) -> Layer:
    changes = {}
    for arg in args:
        letter, value = arg[:1], arg[1:]
        if letter not in layer.spec.options:
            raise LayerError(f"{where}: unexpected option {arg[:12]!r}")
        field = _OPTION_FIELDS[letter]
        low, high = _RANGES[field]
        changes[field] = _number(value, low, high, f"{where}: {field}")
    layer = replace(layer, **changes)
    if layer.kind == "pool" and 2 * layer.padding > layer.size:
        raise LayerError(
            f"{where}: padding {layer.padding} is more than half the {layer.size}-wide window"
        )
    return layer


def _number(text: str, low: int, high: int, what: str) -> int:
    if not text.isdigit() or not low <= int(text) <= high:
        raise LayerError(f"{what} must be a whole number from {low} to {high}")
    return int(text)


def format_layer(layer: Layer, *, compact: bool = False) -> str:
    """The text ``parse_layers`` reads back to ``layer``."""
    if compact and _has_compact_form(layer):
        letter = "c" if layer.kind == "rand" else {"max": "m", "avg": "a"}[layer.name]
        default_stride = 1 if layer.kind == "rand" else layer.size
        text = f"{letter}{layer.size}"
        text += f"s{layer.stride}" if layer.stride != default_stride else ""
        text += f"p{layer.padding}" if layer.padding else ""
        return text + (f"d{layer.dilation}" if layer.dilation != 1 else "")
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
        padding = f".p{layer.padding}" if layer.padding else ""
        return f"pool.{layer.name}.{layer.size}{stride}{padding}"
    return "maxmaps"


def _has_compact_form(layer: Layer) -> bool:
    if layer.kind == "rand":
        return layer.filters == 1 and layer.seed == 0
    return layer.kind == "pool" and layer.name in ("max", "avg")


def format_layers(layers: Sequence[Layer], *, compact: bool = False) -> str:
    return ",".join(format_layer(layer, compact=compact) for layer in layers)


def with_seeds(layers: Sequence[Layer], seed: int) -> list[Layer]:
    """The layers with random filters seeded ``seed``, ``seed + 1``, ... in order, so one
    seed chosen on a page gives every layer its own, reproducible weights."""
    out, offset = [], 0
    for layer in layers:
        if layer.kind == "rand":
            layer = replace(layer, seed=(seed + offset) % (limits.MAX_SEED + 1))
            offset += 1
        out.append(layer)
    return out


# A fresh layer of each kind, for the editor's "change kind" and "add a layer".
NEW_LAYER = {
    "conv": Layer("conv", "sobel_x", padding=1),
    "kirsch": Layer("kirsch", padding=1),
    "rand": Layer("rand", filters=4, size=3, padding=1, seed=1),
    "act": Layer("act", "relu"),
    "pool": Layer("pool", "max", size=2, stride=2),
    "maxmaps": Layer("maxmaps"),
}
