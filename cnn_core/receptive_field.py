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

from .geometry import conv_output_size, effective_kernel_size

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
    return [step.after for step in receptive_field_steps(layers)]


@dataclass(frozen=True)
class FieldStep:
    """The three update rules of one layer, with its numbers: ``after.size = before.size +
    (span - 1) * before.jump``, ``after.jump = before.jump * stride``, ``after.start =
    before.start - padding * before.jump``."""

    number: int  # 1 for the first layer
    before: ReceptiveField  # after the previous layer (the input: 1, 1, 0)
    kernel: int
    dilation: int
    span: int  # dilation * (kernel - 1) + 1
    stride: int
    padding: int
    after: ReceptiveField


def next_field(
    field: ReceptiveField, kernel: int, stride: int, padding: int, dilation: int
) -> ReceptiveField:
    """The field after one more layer: the three update rules (Araujo et al. 2019).

    >>> next_field(ReceptiveField(3, 1, -1), kernel=2, stride=2, padding=0, dilation=1)
    ReceptiveField(size=4, jump=2, start=-1)
    """
    span = effective_kernel_size(kernel, dilation)
    return ReceptiveField(
        field.size + (span - 1) * field.jump,
        field.jump * stride,
        field.start - padding * field.jump,
    )


def receptive_field_steps(layers: Sequence[Mapping]) -> list[FieldStep]:
    """Every layer's update of size, jump and start, from the input onwards."""
    steps = []
    field = ReceptiveField(1, 1, 0)
    for index, layer in enumerate(layers):
        kernel, stride, padding, dilation = _read(layer, index)
        span = effective_kernel_size(kernel, dilation)
        after = next_field(field, kernel, stride, padding, dilation)
        steps.append(FieldStep(index + 1, field, kernel, dilation, span, stride, padding, after))
        field = after
    return steps


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
        kernel, stride, padding, dilation = _read(layer, len(sizes))
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


# Geometry-only stacks for the Receptive field page, in the compact layer grammar
# (cnn_core.layers): c = convolution, m = max pool, a = average pool.
GEOMETRY_PRESETS = {
    "three_3x3": "c3p1,c3p1,c3p1",
    "conv5_pool2": "c5p2,m2,c5p2,m2,c5p2,m2",
    "vgg16": ",".join(
        "m2" if layer.get("stride") == 2 else f"c{layer['kernel']}p{layer['padding']}"
        for layer in VGG16
    ),
    "dilated": "c3p1,c3p2d2,c3p4d4,c3p8d8",
}
