"""Receptive fields of a stack of convolution and pooling layers, along one axis.

Follows Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional Neural
Networks", Distill 2019. With ``k`` the dilated kernel span ``d * (kernel - 1) + 1`` of
layer ``l`` and layer 0 the input (size 1, jump 1, start 0):

    size_l  = size_{l-1} + (k - 1) * jump_{l-1}
    jump_l  = jump_{l-1} * stride_l
    start_l = start_{l-1} - padding_l * jump_{l-1}

``size`` is how many input pixels one unit sees, ``jump`` how far apart neighbouring units
look (the product of the strides), ``start`` where unit 0's field begins (negative when it
reaches into the padding). Unit ``i`` of a layer sees input pixels ``start + i * jump`` to
``start + i * jump + size - 1``. A pooling layer counts like a convolution of its window.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral

from .geometry import conv_output_size

_DEFAULTS = {"kernel": 3, "stride": 1, "padding": 0, "dilation": 1}


@dataclass(frozen=True)
class ReceptiveField:
    """The receptive field of every unit of one layer, along one axis."""

    size: int  # input pixels one unit sees
    jump: int  # input pixels between neighbouring units
    start: int  # input coordinate where unit 0's field begins

    def box(self, index: int) -> tuple[int, int]:
        """First and last input coordinate seen by unit ``index`` (may lie in the padding)."""
        first = self.start + index * self.jump
        return first, first + self.size - 1

    def centre(self, index: int) -> float:
        """Input coordinate at the middle of unit ``index``'s field."""
        first, last = self.box(index)
        return (first + last) / 2

    def unit_at(self, coordinate: float, units: int) -> int:
        """The unit (of ``units``) whose field is centred nearest to input ``coordinate``."""
        nearest = round((coordinate - self.start - (self.size - 1) / 2) / self.jump)
        return int(min(max(nearest, 0), units - 1))


def receptive_field(layers: Sequence[Mapping]) -> list[ReceptiveField]:
    """Size, jump and start of the receptive field after each layer (one axis).

    ``layers`` holds mappings with keys ``kernel``, ``stride``, ``padding``, ``dilation``
    (integers; missing keys mean 3, 1, 0, 1). Other keys, such as a layer's name or kind,
    are ignored: a pooling layer counts by its window like a convolution.

    >>> [f.size for f in receptive_field([{"kernel": 3}, {"kernel": 2, "stride": 2}, {}])]
    [3, 4, 8]
    """
    fields = []
    size, jump, start = 1, 1, 0
    for index, layer in enumerate(layers):
        kernel, stride, padding, dilation = _read(layer, index)
        span = dilation * (kernel - 1) + 1
        size, jump, start = size + (span - 1) * jump, jump * stride, start - padding * jump
        fields.append(ReceptiveField(size, jump, start))
    return fields


def _read(layer, index: int) -> tuple[int, int, int, int]:
    if not isinstance(layer, Mapping):
        raise ValueError(f"layer {index} must be a mapping of kernel/stride/padding/dilation")
    values = []
    for key, default in _DEFAULTS.items():
        value = layer.get(key, default)
        if not isinstance(value, Integral) or isinstance(value, bool):
            raise ValueError(f"layer {index}: {key} must be an integer; got {value!r}")
        minimum = 0 if key == "padding" else 1
        if value < minimum:
            raise ValueError(f"layer {index}: {key} must be at least {minimum}; got {value}")
        values.append(int(value))
    return values[0], values[1], values[2], values[3]


def layer_output_sizes(size: int, layers: Sequence[Mapping]) -> list[int]:
    """Output length of every layer for an input of ``size`` pixels (0 once nothing fits)."""
    sizes = []
    for layer in layers:
        kernel, stride, padding, dilation = _read(
            {k: v for k, v in layer.items() if k != "pool"}, len(sizes)
        )
        if size > 0:
            size = max(
                conv_output_size(size, kernel, stride=stride, padding=padding, dilation=dilation),
                0,
            )
        sizes.append(size)
    return sizes


# Layer geometries of well-known networks, for the receptive-field page and the tests.
VGG16 = (
    [{"kernel": 3, "padding": 1}] * 2
    + [{"kernel": 2, "stride": 2}]
    + [{"kernel": 3, "padding": 1}] * 2
    + [{"kernel": 2, "stride": 2}]
    + [{"kernel": 3, "padding": 1}] * 3
    + [{"kernel": 2, "stride": 2}]
    + [{"kernel": 3, "padding": 1}] * 3
    + [{"kernel": 2, "stride": 2}]
    + [{"kernel": 3, "padding": 1}] * 3
    + [{"kernel": 2, "stride": 2}]
)


MAX_GEOMETRY_LAYERS = 24
_KINDS = {"c": None, "m": "max", "a": "avg"}
_TOKEN = re.compile(r"^([cma])(\d{1,2})(?:s(\d{1,2}))?(?:p(\d{1,2}))?(?:d(\d{1,2}))?$")


def parse_geometry(text: str) -> list[dict]:
    """Read layers written like ``c3p1,c3p1,m2s2``: ``c`` conv, ``m`` max pool, ``a`` average
    pool, then the kernel and optional ``s`` stride, ``p`` padding, ``d`` dilation."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("The stack is empty: add at least one layer.")
    tokens = [token.strip() for token in text.split(",") if token.strip()]
    if len(tokens) > MAX_GEOMETRY_LAYERS:
        raise ValueError(f"{len(tokens)} layers; at most {MAX_GEOMETRY_LAYERS} are allowed.")
    layers = []
    for number, token in enumerate(tokens, start=1):
        match = _TOKEN.match(token)
        if not match:
            raise ValueError(
                f"Layer {number} ({token[:20]!r}): write c3p1 (conv 3x3, padding 1), m2s2 "
                "(max pool 2x2, stride 2) or a2s2 (average pool)."
            )
        kind, kernel, stride, padding, dilation = match.groups()
        layer = {
            "kernel": int(kernel),
            "stride": int(stride or (kernel if kind != "c" else 1)),
            "padding": int(padding or 0),
            "dilation": int(dilation or 1),
        }
        if _KINDS[kind]:
            layer["pool"] = _KINDS[kind]
        layers.append(layer)
    receptive_field([{k: v for k, v in layer.items() if k != "pool"} for layer in layers])
    return layers


def format_geometry(layers: Sequence[Mapping]) -> str:
    """The text ``parse_geometry`` reads back to ``layers``."""
    tokens = []
    for layer in layers:
        kind = {"max": "m", "avg": "a"}.get(layer.get("pool"), "c")
        kernel = layer.get("kernel", 3)
        default_stride = 1 if kind == "c" else kernel
        token = f"{kind}{kernel}"
        token += (
            f"s{layer['stride']}" if layer.get("stride", default_stride) != default_stride else ""
        )
        token += f"p{layer['padding']}" if layer.get("padding", 0) else ""
        token += f"d{layer['dilation']}" if layer.get("dilation", 1) != 1 else ""
        tokens.append(token)
    return ",".join(tokens)


GEOMETRY_PRESETS = {
    "three_3x3": "c3p1,c3p1,c3p1",
    "conv5_pool2": "c5p2,m2,c5p2,m2,c5p2,m2",
    "vgg16": format_geometry(
        [{**layer, **({"pool": "max"} if layer.get("stride") == 2 else {})} for layer in VGG16]
    ),
    "dilated": "c3p1,c3p2d2,c3p4d4,c3p8d8",
}
