"""An ONNX graph rebuilt as a PyTorch module, so every tool that works on our networks
(Captum, Grad-CAM, feature maps, ``network_receptive_fields``) works on a user's file.

The graph becomes a ``torch.fx.GraphModule``: convolutions, poolings, normalisations,
fully connected layers and activations are real ``torch.nn`` submodules named after the
ONNX node's scope (``/layer1/layer1.0/conv1/Conv`` becomes ``layer1.0.conv1``, the name
the original PyTorch model used), and the arithmetic between them is ``torch`` calls.
Everything stays differentiable. Operator semantics follow the ONNX operator reference
(https://onnx.ai/onnx/operators/), opsets 7 to 22.

Values that depend only on the file's tensors (initializers, ``Constant`` nodes, and
whatever is computed from them alone) are folded while building; the rest runs at call
time, so the batch size stays free even where the exporter computes shapes with
``Shape``/``Gather``/``Concat``. Building runs every node once on a zero image of the
declared input size: a node that cannot run fails here, with its name, not later.

>>> import io, onnx, torch
>>> buffer = io.BytesIO()
>>> torch.onnx.export(torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU()),
...                   torch.zeros(1, 3, 8, 8), buffer, dynamo=False)
>>> module = onnx_to_torch(onnx.load_from_string(buffer.getvalue()), (1, 3, 8, 8))
>>> [name for name, _ in module.named_children()]
['0', '1']
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper
from torch import fx, nn

from .. import limits
from .saved_models import ModelError

_DOMAINS = ("", "ai.onnx")  # the standard operator set; anything else is someone's extension


def onnx_to_torch(model: onnx.ModelProto, input_shape: tuple[int, ...]) -> fx.GraphModule:
    """The graph of ``model`` as a module in eval mode taking one tensor of
    ``input_shape`` (any batch size) and returning the graph's first output.

    Raises ``ModelError`` naming the first node that uses an unsupported operator or
    attribute, or that cannot run on a zero input of ``input_shape``."""
    unsupported = unsupported_operators(model)
    if unsupported:
        raise ModelError(
            f"The model uses operators ConvScope cannot convert: {', '.join(unsupported)}. "
            f"Supported: {', '.join(sorted(BUILDERS))}."
        )
    opset = next((o.version for o in model.opset_import if o.domain in _DOMAINS), 1)
    builder = _Builder(opset)
    initializers = {tensor.name for tensor in model.graph.initializer}
    for tensor in model.graph.initializer:
        builder.values[tensor.name] = _tensor(tensor)
    inputs = [value for value in model.graph.input if value.name not in initializers]
    if len(inputs) != 1:
        raise ModelError(
            f"The model takes {len(inputs)} inputs; ConvScope opens models taking one image batch."
        )
    placeholder = builder.graph.placeholder("x")
    builder.values[inputs[0].name] = placeholder
    builder.examples[placeholder] = torch.zeros(input_shape)
    for node in model.graph.node:
        builder.convert(node)
    output = builder.value(model.graph.output[0].name)
    if not isinstance(output, fx.Node):
        raise ModelError("The model's output does not depend on its input.")
    builder.graph.output(output)
    module = fx.GraphModule(builder.root, builder.graph, class_name="OnnxModel")
    return module.eval()


def unsupported_operators(model: onnx.ModelProto) -> list[str]:
    """The operators in ``model`` that have no builder, each once, sorted."""
    return sorted({_op_label(node) for node in model.graph.node if _builder_of(node) is None})


def _op_label(node: onnx.NodeProto) -> str:
    return node.op_type if node.domain in _DOMAINS else f"{node.op_type} (domain {node.domain})"


def _builder_of(node: onnx.NodeProto) -> Callable | None:
    return BUILDERS.get(node.op_type) if node.domain in _DOMAINS else None


def _tensor(proto: onnx.TensorProto) -> torch.Tensor:
    try:
        array = numpy_helper.to_array(proto)
    except Exception as error:
        raise ModelError(f"The tensor '{proto.name}' in the file is damaged ({error}).") from None
    return torch.from_numpy(np.array(array, copy=True))


def _attributes(node: onnx.NodeProto) -> dict:
    values = {}
    for attribute in node.attribute:
        value = onnx.helper.get_attribute_value(attribute)
        if isinstance(value, bytes):
            value = value.decode()
        elif isinstance(value, onnx.TensorProto):
            value = _tensor(value)
        elif isinstance(value, list):
            value = [v.decode() if isinstance(v, bytes) else v for v in value]
        values[attribute.name] = value
    return values


def _flat(value):
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _flat(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _flat(item)
    elif isinstance(value, slice):
        yield from (value.start, value.stop, value.step)
    else:
        yield value


def _map(value, fn):
    if isinstance(value, (list, tuple)):
        return type(value)(_map(item, fn) for item in value)
    if isinstance(value, dict):
        return {key: _map(item, fn) for key, item in value.items()}
    if isinstance(value, slice):
        return slice(fn(value.start), fn(value.stop), fn(value.step))
    return fn(value)


class _Builder:
    """The graph under construction: ONNX value name -> constant tensor or fx node."""

    def __init__(self, opset: int):
        self.opset = opset
        self.root = nn.Module()
        self.graph = fx.Graph()
        self.values: dict[str, torch.Tensor | fx.Node] = {}
        self.examples: dict[fx.Node, object] = {}  # each node's value on the zero input
        self.constants: dict[int, fx.Node] = {}  # id(tensor) -> its get_attr node
        self.leaves: set[str] = set()
        self.containers: set[str] = set()
        self.node: onnx.NodeProto | None = None

    def convert(self, node: onnx.NodeProto) -> None:
        self.node = node
        try:
            results = _builder_of(node)(self, node, _attributes(node))
        except ModelError:
            raise
        except Exception as error:
            raise ModelError(
                f"The {node.op_type} node '{node.name}' cannot run on the model's declared "
                f"input ({type(error).__name__}: {error})."
            ) from None
        for name, result in zip(node.output, results):
            if name:
                self.values[name] = result

    # Inputs -----------------------------------------------------------------------------

    def value(self, name: str):
        if not name:
            return None
        if name not in self.values:
            raise ModelError(
                f"The value '{name}' used by node '{self.node.name if self.node else ''}' is "
                "produced by no node ConvScope converted (an unused output of another "
                "operator, or a value missing from the file)."
            )
        return self.values[name]

    def input(self, index: int):
        inputs = self.node.input
        return self.value(inputs[index]) if index < len(inputs) else None

    def constant(self, index: int, what: str) -> torch.Tensor | None:
        value = self.input(index)
        if isinstance(value, fx.Node):
            raise ModelError(
                f"The {self.node.op_type} node '{self.node.name}' computes its {what} while "
                f"running; ConvScope converts {what} stored in the file only."
            )
        return value

    def ints(self, index: int, attributes: dict, key: str, opset_moved: int) -> list | None:
        """An integer list given as an attribute before ``opset_moved``, an input since."""
        if self.opset < opset_moved or key in attributes:
            return attributes.get(key)
        value = self.constant(index, key)
        return None if value is None else [int(v) for v in value.reshape(-1).tolist()]

    def example(self, value):
        return self.examples[value] if isinstance(value, fx.Node) else value

    # Outputs ----------------------------------------------------------------------------

    def call(self, target, *args, kind: str = "call_function", **kwargs):
        """``target(*args, **kwargs)`` as a graph node, or its value when every argument is
        a constant (folded: exporters compute shapes and fold weights this way)."""
        dynamic = any(isinstance(v, fx.Node) for v in _flat((args, kwargs)))
        run_args, run_kwargs = _map(args, self.example), _map(kwargs, self.example)
        with torch.no_grad():
            if kind == "call_method":
                result = getattr(run_args[0], target)(*run_args[1:], **run_kwargs)
            elif kind == "call_module":
                result = self.root.get_submodule(target)(*run_args, **run_kwargs)
            else:
                result = target(*run_args, **run_kwargs)
        if isinstance(result, torch.Tensor):
            self.guard(result.shape)
        if not dynamic:
            return result
        node = self.graph.create_node(
            kind, target, _map(args, self._argument), _map(kwargs, self._argument)
        )
        self.examples[node] = result
        return node

    def _argument(self, value):
        if not isinstance(value, torch.Tensor):
            return value
        if id(value) not in self.constants:
            name, number = f"constant_{len(self.constants)}", len(self.constants)
            while hasattr(self.root, name):  # a module may already bear the name
                number += 1
                name = f"constant_{number}"
            self.root.register_buffer(name, value)
            self.constants[id(value)] = self.graph.get_attr(name)
        return self.constants[id(value)]

    def module(self, module: nn.Module, *args, suffix: str = ""):
        """``module`` added under the node's scope name and called on ``args``."""
        name = self._free_name(suffix)
        parent = self.root
        parts = name.split(".")
        for depth, part in enumerate(parts[:-1], 1):
            if part not in parent._modules:
                parent.add_module(part, nn.Module())
                self.containers.add(".".join(parts[:depth]))
            parent = parent._modules[part]
        parent.add_module(parts[-1], module.eval())
        self.leaves.add(name)
        return self.call(name, *args, kind="call_module")

    def _free_name(self, suffix: str) -> str:
        """The node's scope as a module path, made unique and free of clashes (torch's
        exporter writes each scope relative to its grandparent: ``/layer1/layer1.0/conv1``)."""
        parts = [p for p in self.node.name.split("/") if p][:-1]
        path: list[str] = []
        for part in parts:
            if path and part.startswith(path[-1] + "."):
                path = path[:-1] + part.split(".")
            else:
                path.extend(part.split("."))
        reserved = set(dir(nn.Module))
        path = [re.sub(r"\W", "_", p) for p in path if p]
        path = [p + "_" if p in reserved else p for p in path] or [self.node.op_type.lower()]
        if path[0] in self.root._buffers:  # a constant took the name first
            path[0] += "_layer"
        path[-1] += suffix
        prefixes = {".".join(path[:i]) for i in range(1, len(path))}
        if prefixes & self.leaves:
            path = ["_".join(path)]
        base, number = ".".join(path), 0
        name = base
        while name in self.leaves or name in self.containers:
            number += 1
            name = f"{base}_{number}"
        return name

    def guard(self, shape) -> None:
        """Refuse a value of ``shape`` before computing it, when it would be absurdly large."""
        count = math.prod(int(d) for d in shape)
        if count > limits.MAX_MODEL_VALUES:
            raise ModelError(
                f"The {self.node.op_type} node '{self.node.name}' would make "
                f"{' x '.join(map(str, shape))} values from one image; ConvScope allows "
                f"{limits.MAX_MODEL_VALUES:,} (MAX_MODEL_VALUES in cnn_core/limits.py)."
            )

    def rank(self, value) -> int:
        return self.example(value).dim()


# Builders: (builder, node, attributes) -> the node's outputs -----------------------------


def _spatial_pads(b: _Builder, a: dict, kernel, stride, dilation) -> list[int]:
    """``[top, left, bottom, right]`` from ``pads`` or ``auto_pad`` (ONNX's SAME rule:
    output = ceil(input / stride), the odd pixel at the end for SAME_UPPER)."""
    mode = a.get("auto_pad", "NOTSET")
    if mode in ("NOTSET", ""):
        pads = list(a.get("pads", [0] * 2 * len(kernel)))
        return pads
    if mode == "VALID":
        return [0] * 2 * len(kernel)
    size = b.example(b.input(0)).shape[2:]
    begins, ends = [], []
    for extent, k, s, d in zip(size, kernel, stride, dilation):
        total = max((math.ceil(extent / s) - 1) * s + (k - 1) * d + 1 - extent, 0)
        small, large = total // 2, total - total // 2
        begins.append(small if mode == "SAME_UPPER" else large)
        ends.append(large if mode == "SAME_UPPER" else small)
    return begins + ends


def _window(b: _Builder, a: dict, kernel):
    dims = len(kernel)
    if dims != 2:
        raise ModelError(
            f"The {b.node.op_type} node '{b.node.name}' works in {dims} dimensions; "
            "ConvScope converts 2-D (image) layers only."
        )
    stride = list(a.get("strides", [1, 1]))
    dilation = list(a.get("dilations", [1, 1]))
    return list(kernel), stride, dilation, _spatial_pads(b, a, kernel, stride, dilation)


def _guard_window(b: _Builder, x, channels, kernel, stride, dilation, pads, ceil=False):
    """The output size of a convolution or pooling, checked before it is computed."""
    shape = b.example(x).shape
    rounding = math.ceil if ceil else math.floor
    sides = [
        max(rounding((n + pads[i] + pads[i + 2] - d * (k - 1) - 1) / s) + 1, 0)
        for i, (n, k, s, d) in enumerate(zip(shape[2:], kernel, stride, dilation))
    ]
    b.guard((shape[0], channels, *sides))


def _pad_first(b: _Builder, x, pads, value: float):
    """Asymmetric padding as a module of its own before the layer (torch pads evenly)."""
    top, left, bottom, right = pads
    return b.module(nn.ConstantPad2d((left, right, top, bottom), value), x, suffix="_pad")


def _conv(b: _Builder, node, a: dict):
    x, weight, bias = b.input(0), b.constant(1, "weights"), b.constant(2, "bias")
    kernel, stride, dilation, pads = _window(b, a, a.get("kernel_shape", weight.shape[2:]))
    groups = a.get("group", 1)
    _guard_window(b, x, weight.shape[0], kernel, stride, dilation, pads)
    if pads[:2] != pads[2:]:
        x, pads = _pad_first(b, x, pads, 0.0), [0, 0, 0, 0]
    conv = nn.utils.skip_init(
        nn.Conv2d,
        weight.shape[1] * groups,
        weight.shape[0],
        kernel,
        stride=stride,
        padding=pads[:2],
        dilation=dilation,
        groups=groups,
        bias=bias is not None,
    )
    conv.weight = nn.Parameter(weight.float())
    if bias is not None:
        conv.bias = nn.Parameter(bias.float())
    return [b.module(conv, x)]


def _conv_transpose(b: _Builder, node, a: dict):
    x, weight, bias = b.input(0), b.constant(1, "weights"), b.constant(2, "bias")
    if "output_shape" in a or a.get("auto_pad", "NOTSET") not in ("NOTSET", "", "VALID"):
        raise ModelError(
            f"The ConvTranspose node '{node.name}' sets its output size (output_shape or "
            "auto_pad); ConvScope converts explicit pads only."
        )
    kernel, stride, dilation, pads = _window(b, a, a.get("kernel_shape", weight.shape[2:]))
    if pads[:2] != pads[2:]:
        raise ModelError(f"The ConvTranspose node '{node.name}' pads unevenly ({pads}).")
    groups = a.get("group", 1)
    extra = a.get("output_padding", [0, 0])
    shape = b.example(x).shape
    sides = [
        (n - 1) * s - 2 * p + d * (k - 1) + e + 1
        for n, s, p, d, k, e in zip(shape[2:], stride, pads, dilation, kernel, extra)
    ]
    b.guard((shape[0], weight.shape[1] * groups, *sides))
    layer = nn.utils.skip_init(
        nn.ConvTranspose2d,
        weight.shape[0],
        weight.shape[1] * groups,
        kernel,
        stride=stride,
        padding=pads[:2],
        output_padding=a.get("output_padding", [0, 0]),
        groups=groups,
        bias=bias is not None,
        dilation=dilation,
    )
    layer.weight = nn.Parameter(weight.float())
    if bias is not None:
        layer.bias = nn.Parameter(bias.float())
    return [b.module(layer, x)]


def _pool(kind: str):
    def build(b: _Builder, node, a: dict):
        x = b.input(0)
        if len(node.output) > 1 and node.output[1]:
            raise ModelError(f"The MaxPool node '{node.name}' returns indices; unsupported.")
        kernel, stride, dilation, pads = _window(b, a, a["kernel_shape"])
        ceil = bool(a.get("ceil_mode", 0))
        _guard_window(b, x, b.example(x).shape[1], kernel, stride, dilation, pads, ceil)
        even = pads[:2] == pads[2:] and all(2 * p <= k for p, k in zip(pads[:2], kernel))
        if kind == "max":
            if not even:
                x, pads = _pad_first(b, x, pads, float("-inf")), [0, 0, 0, 0]
            layer = nn.MaxPool2d(kernel, stride, pads[:2], dilation, ceil_mode=ceil)
            return [b.module(layer, x)]
        include = bool(a.get("count_include_pad", 0))
        if dilation != [1, 1]:
            raise ModelError(f"The AveragePool node '{node.name}' is dilated; unsupported.")
        if not even:
            if not include:
                raise ModelError(
                    f"The AveragePool node '{node.name}' pads unevenly ({pads}) without "
                    "counting the padding; ConvScope converts even padding only there."
                )
            x, pads = _pad_first(b, x, pads, 0.0), [0, 0, 0, 0]
        layer = nn.AvgPool2d(kernel, stride, pads[:2], ceil_mode=ceil, count_include_pad=include)
        return [b.module(layer, x)]

    return build


def _batch_norm(b: _Builder, node, a: dict):
    if a.get("training_mode", 0):
        raise ModelError(f"The BatchNormalization node '{node.name}' is in training mode.")
    x = b.input(0)
    scale, shift, mean, var = (b.constant(i, "statistics") for i in range(1, 5))
    kind = nn.BatchNorm2d if b.rank(x) == 4 else nn.BatchNorm1d
    layer = kind(scale.numel(), eps=a.get("epsilon", 1e-5))
    layer.weight, layer.bias = nn.Parameter(scale.float()), nn.Parameter(shift.float())
    layer.running_mean, layer.running_var = mean.float(), var.float()
    return [b.module(layer, x)]


def _gemm(b: _Builder, node, a: dict):
    x, w, c = b.input(0), b.input(1), b.input(2)
    alpha, beta = a.get("alpha", 1.0), a.get("beta", 1.0)
    trans_a, trans_b = a.get("transA", 0), a.get("transB", 0)
    fixed = isinstance(w, torch.Tensor) and not isinstance(c, fx.Node) and not trans_a
    if fixed and (c is None or c.numel() in (1, w.shape[0 if trans_b else 1])):
        weight = (w if trans_b else w.T) * alpha  # (out, in)
        layer = nn.utils.skip_init(nn.Linear, weight.shape[1], weight.shape[0], bias=c is not None)
        layer.weight = nn.Parameter(weight.float().contiguous())
        if c is not None:
            bias = (beta * c).float().reshape(-1).expand(weight.shape[0])
            layer.bias = nn.Parameter(bias.clone())
        return [b.module(layer, x)]
    rows = b.example(x).shape[1 if trans_a else 0]
    columns = b.example(w).shape[0 if trans_b else 1]
    b.guard((rows, columns))
    return [b.call(_gemm_function, x, w, c, alpha, beta, trans_a, trans_b)]


def _guard_product(b: _Builder, x, w) -> None:
    left, right = b.example(x).shape, b.example(w).shape
    if len(left) >= 2 and len(right) >= 2:
        batch = torch.broadcast_shapes(left[:-2], right[:-2])
        b.guard((*batch, left[-2], right[-1]))


def _gemm_function(a, w, c, alpha: float, beta: float, trans_a: int, trans_b: int):
    product = alpha * torch.matmul(a.T if trans_a else a, w.T if trans_b else w)
    return product if c is None else product + beta * c


def _matmul(b: _Builder, node, a: dict):
    x, w = b.input(0), b.input(1)
    if isinstance(x, fx.Node) and isinstance(w, torch.Tensor) and w.dim() == 2:
        layer = nn.utils.skip_init(nn.Linear, w.shape[0], w.shape[1], bias=False)
        layer.weight = nn.Parameter(w.T.float().contiguous())
        return [b.module(layer, x)]
    _guard_product(b, x, w)
    return [b.call(torch.matmul, x, w)]


def _activation(make: Callable[[dict], nn.Module]):
    return lambda b, node, a: [b.module(make(a), b.input(0))]


def _clip(b: _Builder, node, a: dict):
    if b.opset < 11:
        low, high = a.get("min", -math.inf), a.get("max", math.inf)
    else:
        low_t, high_t = b.constant(1, "minimum"), b.constant(2, "maximum")
        low = -math.inf if low_t is None else float(low_t)
        high = math.inf if high_t is None else float(high_t)
    if (low, high) == (0.0, 6.0):
        return [b.module(nn.ReLU6(), b.input(0))]
    if (low, high) == (0.0, math.inf):
        return [b.module(nn.ReLU(), b.input(0))]
    return [b.call(torch.clamp, b.input(0), low, high)]


def _hard_sigmoid(b: _Builder, node, a: dict):
    alpha, beta = a.get("alpha", 0.2), a.get("beta", 0.5)
    if math.isclose(alpha, 1 / 6, rel_tol=1e-6) and math.isclose(beta, 0.5):
        return [b.module(nn.Hardsigmoid(), b.input(0))]
    return [b.call(_hard_sigmoid_function, b.input(0), alpha, beta)]


def _hard_sigmoid_function(x, alpha: float, beta: float):
    return torch.clamp(alpha * x + beta, 0.0, 1.0)


def _softmax(log: bool):
    def build(b: _Builder, node, a: dict):
        x = b.input(0)
        rank = b.rank(x)
        axis = a.get("axis", -1 if b.opset >= 13 else 1) % rank
        if b.opset >= 13 or axis == rank - 1:
            return [b.module(nn.LogSoftmax(axis) if log else nn.Softmax(axis), x)]
        # Before opset 13 the softmax ran over all axes from ``axis`` on, flattened.
        return [b.call(_softmax_from, x, axis, log)]

    return build


def _softmax_from(x, axis: int, log: bool):
    flat = x.flatten(axis)
    out = torch.log_softmax(flat, axis) if log else torch.softmax(flat, axis)
    return out.reshape(x.shape)


def _binary(function):
    return lambda b, node, a: [b.call(function, b.input(0), b.input(1))]


def _div(b: _Builder, node, a: dict):
    x, y = b.input(0), b.input(1)
    if not b.example(x).is_floating_point() and not b.example(y).is_floating_point():
        return [b.call(torch.div, x, y, rounding_mode="trunc")]  # ONNX integer division
    return [b.call(torch.div, x, y)]


def _flatten(b: _Builder, node, a: dict):
    x = b.input(0)
    axis = a.get("axis", 1) % (b.rank(x) + 1) if b.rank(x) else 0
    if axis == 1:
        return [b.module(nn.Flatten(), x)]
    return [b.call(_flatten_at, x, axis)]


def _flatten_at(x, axis: int):
    return x.reshape(1, -1) if axis == 0 else x.flatten(axis).flatten(0, axis - 1)


def _reshape(b: _Builder, node, a: dict):
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


def _axes(b: _Builder, a: dict, rank: int) -> list[int] | None:
    axes = b.ints(1, a, "axes", 13)
    return None if axes is None else sorted(axis % rank for axis in axes)


def _squeeze(b: _Builder, node, a: dict):
    x = b.input(0)
    axes = _axes(b, a, b.rank(x))
    if axes is None:
        return [b.call(torch.squeeze, x)]
    return [b.call(torch.squeeze, x, tuple(axes))]


def _unsqueeze(b: _Builder, node, a: dict):
    x = b.input(0)
    axes = _axes(b, a, b.rank(x) + len(b.ints(1, a, "axes", 13)))
    for axis in axes:
        x = b.call(torch.unsqueeze, x, axis)
    return [x]


def _concat(b: _Builder, node, a: dict):
    parts = [b.value(name) for name in node.input if name]
    return [b.call(torch.cat, parts, a["axis"] % b.rank(parts[0]))]


def _pad(b: _Builder, node, a: dict):
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


def _constant(b: _Builder, node, a: dict):
    for key, value in a.items():
        if key == "value":
            return [value]
        if key in ("value_float", "value_floats"):
            return [torch.tensor(value, dtype=torch.float32)]
        if key in ("value_int", "value_ints"):
            return [torch.tensor(value, dtype=torch.int64)]
    raise ModelError(f"The Constant node '{node.name}' holds a kind of value ConvScope cannot read")


def _shape(b: _Builder, node, a: dict):
    shape = b.call(torch._shape_as_tensor, b.input(0))
    start, end = a.get("start", 0), a.get("end")
    if start or end is not None:
        shape = b.call(operator.getitem, shape, slice(start, end))
    return [shape]


def _gather(b: _Builder, node, a: dict):
    data, indices = b.input(0), b.input(1)
    axis = a.get("axis", 0) % b.rank(data)
    count = b.example(indices).dim()
    return [b.call(_gather_function, data, indices, axis, count)]


def _gather_function(data, indices, axis: int, count: int):
    """ONNX Gather: the indexed entries along ``axis``; the index dims take its place."""
    picked = data.movedim(axis, 0)[indices]
    return picked.movedim(tuple(range(count)), tuple(range(axis, axis + count)))


def _cast(b: _Builder, node, a: dict):
    dtype = torch.from_numpy(np.zeros(0, onnx.helper.tensor_dtype_to_np_dtype(a["to"]))).dtype
    return [b.call("to", b.input(0), dtype, kind="call_method")]


def _slice(b: _Builder, node, a: dict):
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


def _bounds(b: _Builder, value) -> list:
    """Slice bounds as Python ints, or graph nodes giving them when computed (ShuffleNet
    splits its channels in half at a point read from the input's shape)."""
    if isinstance(value, torch.Tensor):
        return value.tolist()
    listed = b.call("tolist", value, kind="call_method")
    return [b.call(operator.getitem, listed, i) for i in range(b.example(value).numel())]


def _constant_of_shape(b: _Builder, node, a: dict):
    value = a.get("value", torch.zeros(1))
    b.guard(b.example(b.input(0)).tolist())
    return [b.call(_filled, b.input(0), value)]


def _filled(shape, value):
    return value.reshape(()).expand(shape.tolist()).clone()


def _transpose(b: _Builder, node, a: dict):
    x = b.input(0)
    order = a.get("perm", list(reversed(range(b.rank(x)))))
    return [b.call(torch.permute, x, tuple(order))]


def _same(b: _Builder, node, a: dict):
    if len(node.output) > 1 and node.output[1]:
        raise ModelError(f"The {node.op_type} node '{node.name}' returns a mask; unsupported.")
    return [b.input(0)]  # Identity; Dropout at inference


def _reduce_mean(b: _Builder, node, a: dict):
    x = b.input(0)
    rank = b.rank(x)
    axes = b.ints(1, a, "axes", 18)
    if not axes and a.get("noop_with_empty_axes", 0):
        return [x]
    axes = tuple(range(rank)) if not axes else tuple(axis % rank for axis in axes)
    return [b.call(torch.mean, x, dim=axes, keepdim=bool(a.get("keepdims", 1)))]


def _layer_norm(b: _Builder, node, a: dict):
    x, scale, shift = b.input(0), b.constant(1, "scale"), b.constant(2, "bias")
    if len(node.output) > 1 and any(node.output[1:]):
        raise ModelError(f"The LayerNormalization node '{node.name}' returns its statistics.")
    shape = tuple(b.example(x).shape[a.get("axis", -1) :])
    layer = nn.LayerNorm(shape, eps=a.get("epsilon", 1e-5), bias=shift is not None)
    layer.weight = nn.Parameter(scale.float().expand(shape).clone())
    if shift is not None:
        layer.bias = nn.Parameter(shift.float().expand(shape).clone())
    return [b.module(layer, x)]


def _unary(function):
    return lambda b, node, a: [b.call(function, b.input(0))]


def _global_pool(kind: type[nn.Module]):
    return lambda b, node, a: [b.module(kind(1), b.input(0))]


BUILDERS: dict[str, Callable] = {
    "Conv": _conv,
    "ConvTranspose": _conv_transpose,
    "BatchNormalization": _batch_norm,
    "Relu": _activation(lambda a: nn.ReLU()),
    "LeakyRelu": _activation(lambda a: nn.LeakyReLU(a.get("alpha", 0.01))),
    "Sigmoid": _activation(lambda a: nn.Sigmoid()),
    "Tanh": _activation(lambda a: nn.Tanh()),
    "HardSwish": _activation(lambda a: nn.Hardswish()),
    "HardSigmoid": _hard_sigmoid,
    "Gelu": _activation(lambda a: nn.GELU(approximate=a.get("approximate", "none"))),
    "Erf": _unary(torch.erf),
    "Sqrt": _unary(torch.sqrt),
    "Pow": _binary(torch.pow),
    "ReduceMean": _reduce_mean,
    "LayerNormalization": _layer_norm,
    "Clip": _clip,
    "Add": _binary(torch.add),
    "Sub": _binary(torch.sub),
    "Mul": _binary(torch.mul),
    "Div": _div,
    "MaxPool": _pool("max"),
    "AveragePool": _pool("average"),
    "GlobalAveragePool": _global_pool(nn.AdaptiveAvgPool2d),
    "GlobalMaxPool": _global_pool(nn.AdaptiveMaxPool2d),
    "Gemm": _gemm,
    "MatMul": _matmul,
    "Flatten": _flatten,
    "Reshape": _reshape,
    "Squeeze": _squeeze,
    "Unsqueeze": _unsqueeze,
    "Concat": _concat,
    "Softmax": _softmax(log=False),
    "LogSoftmax": _softmax(log=True),
    "Pad": _pad,
    "Identity": _same,
    "Dropout": _same,
    "Constant": _constant,
    "ConstantOfShape": _constant_of_shape,
    "Shape": _shape,
    "Gather": _gather,
    "Cast": _cast,
    "Slice": _slice,
    "Transpose": _transpose,
}
