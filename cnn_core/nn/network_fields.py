"""Receptive fields of a real network, following its actual graph.

``receptive_field`` handles a chain of layers; real networks branch (ResNet's shortcuts,
MobileNet's squeeze-and-excitation) and join again. Here the model is traced with
``torch.fx`` and every node gets the field of its inputs updated by its own geometry
(Araujo, Norris & Sim, Distill 2019, "Computing Receptive Fields of Convolutional
Neural Networks", the section on arbitrary computation graphs):

- convolutions and poolings apply the three update rules of ``receptive_field``;
- element-wise layers (activations, batch norm, dropout) keep the field;
- where paths join (addition, multiplication, concatenation) the largest field wins,
  as Araujo et al. do for networks whose paths are aligned;
- global pooling, adaptive pooling to 1 x 1, flattening and fully connected layers see
  the whole input; so does everything after a path that joins one (MobileNet's
  squeeze-and-excitation gates), which ``.whole`` records: such a unit's ``box`` is the
  whole input whatever its index.

Spatial sizes come from one forward pass of a zero image of ``input_size``
(``torch.fx``'s shape propagation), so adaptive pooling is read as the window it applies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import fx, nn
from torch.fx.passes.shape_prop import ShapeProp

from ..geometry import to_pair
from ..receptive_field import ReceptiveField, next_field

_GLOBAL_FUNCTIONS = {torch.flatten, torch.mean, nn.functional.adaptive_avg_pool2d}
_GLOBAL_METHODS = {"flatten", "view", "reshape", "mean"}


@dataclass(frozen=True)
class _Axis(ReceptiveField):
    """A field along one axis; ``whole``: every unit sees the whole input (after a global
    pooling, or a path that joined one), so a unit's box is ``start`` to ``start + size
    - 1`` whatever its index."""

    whole: bool = False

    def box(self, index: int) -> tuple[int, int]:
        if self.whole:
            return self.start, self.start + self.size - 1
        return super().box(index)


@dataclass(frozen=True)
class _Field:
    rows: _Axis
    cols: _Axis


def _update(field: _Axis, kernel: int, stride: int, padding: int, dilation: int) -> _Axis:
    after = next_field(field, kernel, stride, padding, dilation)
    return _Axis(after.size, after.jump, after.start, field.whole)


def _whole(field: _Axis, input_extent: int) -> _Axis:
    """A field grown to cover the whole input (and whatever padding it already reached)."""
    start = min(field.start, 0)
    end = max(field.start + field.size - 1, input_extent - 1)
    return _Axis(end - start + 1, field.jump, start, True)


def _largest(fields: list[_Field]) -> _Field:
    """Where paths join, the largest field wins (a whole-input one above all)."""

    def rank(axis: _Axis):
        return (axis.whole, axis.size, -axis.start)

    return _Field(max((f.rows for f in fields), key=rank), max((f.cols for f in fields), key=rank))


def network_receptive_fields(model: nn.Module, input_size=(224, 224)) -> dict:
    """Module name -> receptive field (``.size``, ``.jump``, ``.start``, one axis: the
    rows; ``.cols`` has the columns when they differ) of every module in ``model``, a
    model of any floating dtype on any device (the probe image takes the model's own).

    >>> from torch import nn
    >>> fields = network_receptive_fields(nn.Sequential(nn.Conv2d(1, 1, 3), nn.MaxPool2d(2)))
    >>> fields["1"].size, fields["1"].jump
    (4, 2)
    """
    height, width = to_pair("input_size", tuple(input_size), minimum=1)
    graph = fx.symbolic_trace(model)
    channels = _input_channels(model)
    ShapeProp(graph).propagate(torch.zeros(1, channels, height, width, **_probe_kind(model)))
    modules = dict(graph.named_modules())
    identity = _Axis(1, 1, 0)
    fields: dict[fx.Node, _Field] = {}
    named: dict[str, ReceptiveField] = {}
    for node in graph.graph.nodes:
        inputs = [fields[a] for a in node.all_input_nodes if a in fields]
        if node.op == "placeholder":
            fields[node] = _Field(identity, identity)
            continue
        if not inputs:
            continue
        field = _largest(inputs)
        if node.op == "call_module":
            field = _module_field(modules[node.target], field, node, (height, width))
        elif _sees_everything(node):
            field = _Field(_whole(field.rows, height), _whole(field.cols, width))
        fields[node] = field
        # The module this node runs in, and every module around it: in graph order the
        # last node inside a block is its output, so the block's field is the last one set.
        scopes = [name.split("@")[0] for name in node.meta.get("nn_module_stack", {})]
        if node.op == "call_module":
            scopes.append(node.target)
        for scope in scopes:
            rows = field.rows
            named[scope] = _Named(rows.size, rows.jump, rows.start, rows.whole, field.cols)
    return named


def _sees_everything(node: fx.Node) -> bool:
    """Global means, flattening and reshaping: every output depends on every input pixel."""
    if node.op == "call_function":
        return node.target in _GLOBAL_FUNCTIONS
    return node.op == "call_method" and node.target in _GLOBAL_METHODS


@dataclass(frozen=True)
class _Named(_Axis):
    """A module's field: rows in ``size``/``jump``/``start``, columns in ``cols``."""

    cols: _Axis | None = None


def _probe_kind(model: nn.Module) -> dict:
    """The dtype and device of the model's first floating parameter (or buffer), so the
    probe image runs through a double, half or GPU model as through a float32 CPU one."""
    for tensor in (*model.parameters(), *model.buffers()):
        if tensor.is_floating_point():
            return {"dtype": tensor.dtype, "device": tensor.device}
    return {}


def _input_channels(model: nn.Module) -> int:
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            return module.in_channels
    return 3


def _spatial(node: fx.Node, which: str) -> tuple[int, int] | None:
    if which == "out":
        meta = node.meta.get("tensor_meta")
    else:
        first = node.all_input_nodes[0] if node.all_input_nodes else None
        meta = first.meta.get("tensor_meta") if first is not None else None
    shape = getattr(meta, "shape", None)
    return (int(shape[-2]), int(shape[-1])) if shape is not None and len(shape) == 4 else None


def _module_field(module: nn.Module, field: _Field, node: fx.Node, size) -> _Field:
    if isinstance(module, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
        kernel = to_pair("kernel_size", module.kernel_size, minimum=1)
        stride = module.stride if module.stride is not None else module.kernel_size
        stride = to_pair("stride", stride, minimum=1)
        padding = module.padding
        if isinstance(padding, str):
            padding = tuple(k // 2 for k in kernel) if padding == "same" else (0, 0)
        padding = to_pair("padding", padding, minimum=0)
        dilation = to_pair("dilation", getattr(module, "dilation", 1), minimum=1)
        return _Field(
            _update(field.rows, kernel[0], stride[0], padding[0], dilation[0]),
            _update(field.cols, kernel[1], stride[1], padding[1], dilation[1]),
        )
    if isinstance(module, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)):
        before, after = _spatial(node, "in"), _spatial(node, "out")
        if before is None or after is None or after == (1, 1):
            return _Field(_whole(field.rows, size[0]), _whole(field.cols, size[1]))
        axes = []
        for axis, base in enumerate((field.rows, field.cols)):
            if before[axis] == after[axis]:
                axes.append(base)
                continue
            stride = before[axis] // after[axis]
            kernel = math.ceil(before[axis] / after[axis])
            axes.append(_update(base, kernel, stride, 0, 1))
        return _Field(*axes)
    if isinstance(module, (nn.Linear, nn.Flatten)):
        return _Field(_whole(field.rows, size[0]), _whole(field.cols, size[1]))
    return field  # element-wise: activations, normalisation, dropout, identity
