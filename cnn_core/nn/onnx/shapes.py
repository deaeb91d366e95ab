"""Operators that move values around: Flatten, Reshape, Squeeze, Unsqueeze, Concat, Pad,
Slice, Gather, Transpose, Cast, Shape, Constant, ConstantOfShape, and Identity and Dropout
(nothing to do at inference). Axes moved from attributes to inputs in opsets 10 (Slice), 11
(Pad, Clip), 13 (Squeeze, Unsqueeze) and 18 (Pad's axes): both forms are read.
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from torch import fx, nn

from ..saved_models import ModelError

if TYPE_CHECKING:
    from .graph import GraphBuilder


def flatten(b: GraphBuilder, node, a: dict):
    x = b.input(0)
    axis = a.get("axis", 1) % (b.rank(x) + 1) if b.rank(x) else 0
    if axis == 1:
        return [b.module(nn.Flatten(), x)]
    return [b.call(_flatten_at, x, axis)]


def _flatten_at(x, axis: int):
    return x.reshape(1, -1) if axis == 0 else x.flatten(axis).flatten(0, axis - 1)


def reshape(b: GraphBuilder, node, a: dict):
    x, shape = b.input(0), b.input(1)
    if isinstance(shape, torch.Tensor):
        dims = shape.tolist()
        if not a.get("allowzero", 0) and 0 in dims:
            size = b.call("size", x, kind="call_method")
            dims = [b.call(operator.getitem, size, i) if d == 0 else d for i, d in enumerate(dims)]
        return [b.call("reshape", x, dims, kind="call_method")]
    if not a.get("allowzero", 0):
        count = b.example(shape).numel()
        actual = b.call(F.pad, b.call(torch._shape_as_tensor, x), (0, max(count - b.rank(x), 0)))
        actual = b.call(operator.getitem, actual, slice(0, count))
        shape = b.call(torch.where, b.call(operator.eq, shape, 0), actual, shape)
    return [b.call("reshape", x, b.call("tolist", shape, kind="call_method"), kind="call_method")]


def _axes(b: GraphBuilder, a: dict, rank: int) -> list[int] | None:
    axes = b.ints(1, a, "axes", 13)
    return None if axes is None else sorted(axis % rank for axis in axes)


def squeeze(b: GraphBuilder, node, a: dict):
    x = b.input(0)
    axes = _axes(b, a, b.rank(x))
    if axes is None:
        return [b.call(torch.squeeze, x)]
    return [b.call(torch.squeeze, x, tuple(axes))]


def unsqueeze(b: GraphBuilder, node, a: dict):
    x = b.input(0)
    axes = _axes(b, a, b.rank(x) + len(b.ints(1, a, "axes", 13)))
    for axis in axes:
        x = b.call(torch.unsqueeze, x, axis)
    return [x]


def concat(b: GraphBuilder, node, a: dict):
    parts = [b.value(name) for name in node.input if name]
    return [b.call(torch.cat, parts, a["axis"] % b.rank(parts[0]))]


def pad(b: GraphBuilder, node, a: dict):
    x = b.input(0)
    mode = {"constant": "constant", "reflect": "reflect", "edge": "replicate"}.get(
        a.get("mode", "constant")
    )
    if mode is None:
        raise ModelError(f"The Pad node '{node.name}' uses mode {a['mode']!r}; unsupported.")
    if b.opset < 11:
        pads, value = a["pads"], a.get("value", 0.0)
    else:
        pads = [int(v) for v in b.constant(1, "pads").tolist()]
        fill = b.constant(2, "fill value")
        value = 0.0 if fill is None or fill.numel() == 0 else float(fill.reshape(-1)[0])
    rank = b.rank(x)
    axes = b.ints(3, {}, "axes", 18) if b.opset >= 18 else None
    axes = list(range(rank)) if axes is None else [axis % rank for axis in axes]
    begins, ends = dict(zip(axes, pads[: len(axes)])), dict(zip(axes, pads[len(axes) :]))
    torch_pads = []  # torch lists (begin, end) from the last axis back
    for axis in reversed(range(rank)):
        torch_pads += [begins.get(axis, 0), ends.get(axis, 0)]
    b.guard([n + begins.get(i, 0) + ends.get(i, 0) for i, n in enumerate(b.example(x).shape)])
    while torch_pads[-2:] == [0, 0] and len(torch_pads) > 2:
        torch_pads = torch_pads[:-2]
    if mode == "constant":
        return [b.call(F.pad, x, tuple(torch_pads), mode, value)]
    return [b.call(F.pad, x, tuple(torch_pads), mode)]


def constant(b: GraphBuilder, node, a: dict):
    for key, value in a.items():
        if key == "value":
            return [value]
        if key in ("value_float", "value_floats"):
            return [torch.tensor(value, dtype=torch.float32)]
        if key in ("value_int", "value_ints"):
            return [torch.tensor(value, dtype=torch.int64)]
    raise ModelError(f"The Constant node '{node.name}' holds a kind of value ConvScope cannot read")


def shape(b: GraphBuilder, node, a: dict):
    shape = b.call(torch._shape_as_tensor, b.input(0))
    start, end = a.get("start", 0), a.get("end")
    if start or end is not None:
        shape = b.call(operator.getitem, shape, slice(start, end))
    return [shape]


def gather(b: GraphBuilder, node, a: dict):
    data, indices = b.input(0), b.input(1)
    axis = a.get("axis", 0) % b.rank(data)
    count = b.example(indices).dim()
    return [b.call(_gather_function, data, indices, axis, count)]


def _gather_function(data, indices, axis: int, count: int):
    """ONNX Gather: the indexed entries along ``axis``; the index dims take its place."""
    picked = data.movedim(axis, 0)[indices]
    return picked.movedim(tuple(range(count)), tuple(range(axis, axis + count)))


def cast(b: GraphBuilder, node, a: dict):
    dtype = torch.from_numpy(np.zeros(0, onnx.helper.tensor_dtype_to_np_dtype(a["to"]))).dtype
    return [b.call("to", b.input(0), dtype, kind="call_method")]


def slice_tensor(b: GraphBuilder, node, a: dict):
    x = b.input(0)
    rank = b.rank(x)
    if b.opset < 10:
        starts, ends, axes, steps = a["starts"], a["ends"], a.get("axes"), None
    else:
        starts, ends = (_bounds(b, b.input(i)) for i in (1, 2))
        axes_t, steps_t = b.constant(3, "axes"), b.constant(4, "steps")
        axes = None if axes_t is None else axes_t.tolist()
        steps = None if steps_t is None else steps_t.tolist()
    axes = list(range(len(starts))) if axes is None else [axis % rank for axis in axes]
    steps = steps or [1] * len(starts)
    index = [slice(None)] * rank
    backwards = []
    for axis, start, end, step in zip(axes, starts, ends, steps):
        if step > 0:
            index[axis] = slice(start, end, step)
        elif isinstance(start, fx.Node) or isinstance(end, fx.Node):
            raise ModelError(f"The Slice node '{node.name}' steps backwards by computed bounds.")
        else:  # torch slices forwards only: pick the entries, read at the declared size
            extent = b.example(x).shape[axis]
            backwards.append((axis, list(range(*slice(start, end, step).indices(extent)))))
    x = b.call(operator.getitem, x, tuple(index))
    for axis, entries in backwards:
        x = b.call(torch.index_select, x, axis, torch.tensor(entries, dtype=torch.int64))
    return [x]


def _bounds(b: GraphBuilder, value) -> list:
    """Slice bounds as Python ints, or graph nodes giving them when computed (ShuffleNet
    splits its channels in half at a point read from the input's shape)."""
    if isinstance(value, torch.Tensor):
        return value.tolist()
    listed = b.call("tolist", value, kind="call_method")
    return [b.call(operator.getitem, listed, i) for i in range(b.example(value).numel())]


def constant_of_shape(b: GraphBuilder, node, a: dict):
    value = a.get("value", torch.zeros(1))
    b.guard(b.example(b.input(0)).tolist())
    return [b.call(_filled, b.input(0), value)]


def _filled(shape, value):
    return value.reshape(()).expand(shape.tolist()).clone()


def transpose(b: GraphBuilder, node, a: dict):
    x = b.input(0)
    order = a.get("perm", list(reversed(range(b.rank(x)))))
    return [b.call(torch.permute, x, tuple(order))]


def passthrough(b: GraphBuilder, node, a: dict):
    if len(node.output) > 1 and node.output[1]:
        raise ModelError(f"The {node.op_type} node '{node.name}' returns a mask; unsupported.")
    return [b.input(0)]  # Identity; Dropout at inference
