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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral

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


def receptive_field(layers: Sequence[Mapping]) -> list[ReceptiveField]:
    """Size, jump and start of the receptive field after each layer (one axis).

    ``layers`` holds mappings with keys ``kernel``, ``stride``, ``padding``, ``dilation``
    (integers; missing keys mean 3, 1, 0, 1).

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
    unknown = set(layer) - set(_DEFAULTS)
    if unknown:
        raise ValueError(f"layer {index} has unknown keys: {', '.join(sorted(map(str, unknown)))}")
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
