"""An ONNX graph rebuilt as a PyTorch module, so every tool that works on our networks
(Captum, Grad-CAM, feature maps, ``network_receptive_fields``) works on a user's file.

The graph becomes a ``torch.fx.GraphModule``: convolutions, poolings, normalisations,
fully connected layers and activations are real ``torch.nn`` submodules named after the
ONNX node's scope (``/layer1/layer1.0/conv1/Conv`` becomes ``layer1.0.conv1``, the name
the original PyTorch model used), and the arithmetic between them is ``torch`` calls.
Everything stays differentiable. Operator semantics follow the ONNX operator reference
(https://onnx.ai/onnx/operators/); the tests cover opsets 9 to 20.

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
import re
from collections.abc import Callable

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import fx, nn

from ... import limits
from ..saved_models import ModelError
from .operators import BUILDERS

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
    builder = GraphBuilder(opset)
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


class GraphBuilder:
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
