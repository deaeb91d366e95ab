"""A user's own network, opened safely: a torchvision architecture with their
``.safetensors`` weights, a timm model, or an ONNX file.

What is accepted, and what each refusal tells the user (always a ``ModelError`` whose
message names the thing to change):

- ``"resnet18"`` or any name in ``torchvision.models.list_models(module=torchvision.models)``,
  with ``weights`` a ``.safetensors`` state dict (path or bytes) whose names and shapes
  match the architecture (the first mismatch is named; a classifier with another number
  of classes is accepted and the layer resized); without ``weights``, the ImageNet
  weights when torch's cache already holds them, else random weights, said in ``.note``.
  Nothing is ever downloaded here.
- ``"timm:<name>"`` when the optional ``timm`` package is installed (random weights, or
  ``weights`` as above).
- An ONNX file (path, bytes or binary file object), read with ``onnx``, checked with
  ``onnx.checker`` and rebuilt as a PyTorch module by ``cnn_core.nn.onnx``.

Nothing is unpickled: weights come from safetensors or ONNX tensors only (no
``torch.load`` of a user's file, no TorchScript), and a user's bytes stay in memory.
The limits (file size, parameters, input size, graph nodes) are in ``cnn_core.limits``.
"""

from __future__ import annotations

import difflib
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from .. import limits
from .saved_models import ModelError

__all__ = ["LoadedModel", "ModelError", "open_model", "torchvision_architectures"]

_MB = 1 << 20


@dataclass(eq=False)
class LoadedModel:
    """A network ready for every page: call ``.module`` on ``(N, channels, H, W)``."""

    module: nn.Module  # eval mode; parameters frozen, input gradients flow
    input_size: tuple[int, int]  # (H, W) the model was made for
    classes: list[str] | None  # a name per output, when the weights come with them
    layers: list[str]  # leaf module names, in the order a forward pass runs them
    note: str  # where the weights came from, in a sentence for the page
    channels: int = 3  # colour channels of the input: 1 grey, 3 RGB
    metadata: dict[str, str] = field(default_factory=dict)  # an ONNX file's metadata_props


def torchvision_architectures() -> list[str]:
    """Every torchvision classification architecture ``open_model`` takes by name."""
    from torchvision import models

    return sorted(models.list_models(module=models))


def open_model(source, *, weights=None) -> LoadedModel:
    """The model ``source`` names or holds; see the module docstring for what is accepted.

    >>> model = open_model("resnet18")  # doctest: +SKIP
    >>> model.input_size, model.layers[0]  # doctest: +SKIP
    ((224, 224), 'conv1')
    """
    if isinstance(source, str) and source.startswith("timm:"):
        return _open_timm(source.removeprefix("timm:"), weights)
    if isinstance(source, str) and source in torchvision_architectures():
        return _open_torchvision(source, weights)
    if isinstance(source, str) and not os.path.splitext(source)[1] and not Path(source).exists():
        close = difflib.get_close_matches(source, torchvision_architectures(), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise ModelError(
            f"{source!r} is neither a torchvision architecture nor a model file.{hint} "
            "Give an architecture name (like resnet18), 'timm:<name>', or an .onnx file."
        )
    data, label = _read(source, "model file")
    if weights is not None:
        raise ModelError("An ONNX file carries its own weights; open it without a weights file.")
    return _open_onnx(data, label)


# Reading files --------------------------------------------------------------------------


def _read(source, what: str) -> tuple[bytes, str]:
    """The bytes of a path, bytes or binary file object, never more than the limit."""
    limit = limits.MAX_MODEL_FILE_MB * _MB
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, label = bytes(source), "the uploaded file"
    elif hasattr(source, "read"):
        data = source.read(limit + 1)
        label = Path(getattr(source, "name", "") or "the uploaded file").name
        if not isinstance(data, bytes):
            raise ModelError(f"The {what} was opened as text; open it in binary mode ('rb').")
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        label = path.name
        if not path.is_file():
            raise ModelError(f"The {what} {str(path)!r} does not exist.")
        if path.stat().st_size > limit:
            raise ModelError(_too_big(what, path.stat().st_size))
        data = path.read_bytes()
    else:
        raise ModelError(
            f"A {what} is a path, bytes or a binary file object; got {type(source).__name__}."
        )
    if len(data) > limit:
        raise ModelError(_too_big(what, len(data)))
    if not data:
        raise ModelError(f"{_capital(label)} is empty.")
    return data, label


def _capital(label: str) -> str:
    """A label opening a sentence: "The uploaded file", a file's own name unchanged."""
    return "T" + label[1:] if label.startswith("the ") else label


def _too_big(what: str, size: int) -> str:
    return (
        f"The {what} is {size / _MB:.0f} MB or more; ConvScope opens files up to "
        f"{limits.MAX_MODEL_FILE_MB} MB (MAX_MODEL_FILE_MB in cnn_core/limits.py): "
        "ResNet-50 (98 MB) fits, VGG-16 does not."
    )


def _check_parameters(count: int, what: str) -> None:
    if count > limits.MAX_MODEL_PARAMETERS:
        raise ModelError(
            f"{what} has {count / 1e6:.1f} million parameters; ConvScope opens models of up "
            f"to {limits.MAX_MODEL_PARAMETERS / 1e6:.0f} million (MAX_MODEL_PARAMETERS in "
            "cnn_core/limits.py)."
        )


def _check_input(channels: int, height: int, width: int) -> None:
    low, high = limits.MIN_MODEL_INPUT_SIDE, limits.MAX_MODEL_INPUT_SIDE
    if not 1 <= channels <= limits.MAX_MODEL_INPUT_CHANNELS:
        raise ModelError(
            f"The model takes {channels} input channels; ConvScope feeds it pictures with 1 "
            f"to {limits.MAX_MODEL_INPUT_CHANNELS} (MAX_MODEL_INPUT_CHANNELS in "
            "cnn_core/limits.py)."
        )
    if not (low <= height <= high and low <= width <= high):
        raise ModelError(
            f"The model takes {height} x {width} pixel images; ConvScope works with sides "
            f"from {low} to {high} pixels (MIN_/MAX_MODEL_INPUT_SIDE in cnn_core/limits.py)."
        )


# Weights --------------------------------------------------------------------------------


def _read_weights(weights) -> tuple[dict[str, torch.Tensor], str]:
    from safetensors.torch import load

    data, label = _read(weights, "weights file")
    try:
        state = load(data)
    except Exception as error:
        raise ModelError(
            f"{_capital(label)} is not a readable .safetensors file ({error}). Save "
            "weights with safetensors.torch.save_file(model.state_dict(), path)."
        ) from None
    _check_parameters(sum(t.numel() for t in state.values()), _capital(label))
    return state, label


def _mismatch(model: nn.Module, state: dict[str, torch.Tensor], name: str) -> str | None:
    """The first weight that does not fit, in the model's own order, as a sentence."""
    expected = model.state_dict()
    for key, tensor in expected.items():
        if key not in state:
            if key.endswith("num_batches_tracked"):
                continue  # a counter used in training only; older files leave it out
            return f"{name} needs a weight '{key}' the file does not have"
        if tuple(state[key].shape) != tuple(tensor.shape):
            return (
                f"'{key}' has shape {tuple(state[key].shape)} in the file but "
                f"{tuple(tensor.shape)} in {name}"
            )
    extra = sorted(key for key in state if key not in expected)
    return f"the file has a weight '{extra[0]}' that {name} does not" if extra else None


def _classes_in_file(model: nn.Module, state: dict[str, torch.Tensor]) -> int | None:
    """The number of classes a file was trained for, when its only difference from the
    architecture is the size of the last fully connected layer (a fine-tuned model)."""
    last = [name for name, module in model.named_modules() if isinstance(module, nn.Linear)]
    if not last:
        return None
    expected = model.state_dict()
    differ = {k for k in expected if k in state and state[k].shape != expected[k].shape}
    weight = f"{last[-1]}.weight"
    if not differ or not differ <= {weight, f"{last[-1]}.bias"} or weight not in state:
        return None
    if state[weight].shape[1:] != expected[weight].shape[1:]:
        return None
    return int(state[weight].shape[0])


def _load_state(build, state: dict[str, torch.Tensor], name: str) -> nn.Module:
    model = build()
    classes = _classes_in_file(model, state)
    if classes is not None:
        model = build(num_classes=classes)
    problem = _mismatch(model, state, name)
    if problem is not None:
        raise ModelError(
            f"The weights do not fit {name}: {problem}. Are they from another architecture?"
        )
    model.load_state_dict(state, strict=False)
    return model


# The three kinds of source --------------------------------------------------------------


def _open_torchvision(name: str, weights) -> LoadedModel:
    from torchvision import models

    trained = models.get_model_weights(name).DEFAULT
    side = trained.transforms.keywords.get("crop_size", 224)
    _check_parameters(trained.meta["num_params"], name)
    classes = None
    if weights is not None:
        state, label = _read_weights(weights)
        module = _load_state(lambda **kw: models.get_model(name, **kw), state, name)
        note = f"{name} with the weights from {label}."
    else:
        cached = Path(torch.hub.get_dir()) / "checkpoints" / os.path.basename(trained.url)
        if cached.is_file():
            # torchvision's own checkpoint, read from the server's cache with
            # torch.load(weights_only=True); a user's file never takes this path.
            try:
                module = models.get_model(name, weights=trained)
            except Exception as error:
                raise ModelError(
                    f"The cached weights {cached} of {name} are damaged ({error}); delete "
                    "the file, then fetch it again or upload your own weights."
                ) from None
            classes = list(trained.meta["categories"])
            note = f"{name} with its ImageNet weights ({trained.name}) from torch's cache."
        else:
            module = models.get_model(name)
            note = (
                f"{name} with random weights: its ImageNet weights are not in torch's cache "
                f"({cached}). Upload your own .safetensors weights, or put that file there."
            )
    return _finish(module, (side, side), classes, note, _first_channels(module))


def _open_timm(name: str, weights) -> LoadedModel:
    try:
        import timm
    except ImportError:
        raise ModelError(
            "timm is not installed on this server; install the optional extra with "
            "`pip install 'convscope[timm]'`, or use a torchvision name or an ONNX file."
        ) from None
    if not timm.is_model(name):
        close = difflib.get_close_matches(name, timm.list_models(), n=3)
        hint = f" Did you mean {', '.join('timm:' + c for c in close)}?" if close else ""
        raise ModelError(f"timm has no model named {name!r}.{hint}")
    try:  # counted without allocating the weights: an absurdly large model is refused here
        with torch.device("meta"):
            count = sum(p.numel() for p in timm.create_model(name).parameters())
    except Exception:  # a model that cannot be built on the meta device is counted below
        count = 0
    _check_parameters(count, name)
    if weights is not None:
        state, label = _read_weights(weights)
        module = _load_state(lambda **kw: timm.create_model(name, **kw), state, f"timm:{name}")
        note = f"timm:{name} with the weights from {label}."
    else:
        module = timm.create_model(name, pretrained=False)
        _check_parameters(sum(p.numel() for p in module.parameters()), name)
        note = f"timm:{name} with random weights: upload .safetensors weights to use trained ones."
    config = getattr(module, "pretrained_cfg", {}) or {}
    channels, height, width = config.get("input_size", (3, 224, 224))
    return _finish(module, (height, width), None, note, channels)


def _open_onnx(data: bytes, label: str) -> LoadedModel:
    import onnx

    from .onnx import onnx_to_torch, unsupported_operators

    if len(data) >= 9 and data[8:9] == b"{" and int.from_bytes(data[:8], "little") < len(data):
        raise ModelError(
            f"{_capital(label)} is a .safetensors weights file, not a model: choose its "
            "architecture and give this file as its weights."
        )
    try:
        proto = onnx.load_model_from_string(data)
    except Exception as error:
        raise ModelError(
            f"{_capital(label)} is not an ONNX model, or the file is cut short "
            f"({type(error).__name__})."
        ) from None
    graph = proto.graph
    if not graph.node:
        raise ModelError(f"{_capital(label)} holds no ONNX graph (is it an ONNX file?).")
    if len(graph.node) > limits.MAX_MODEL_NODES:
        raise ModelError(
            f"{_capital(label)} has {len(graph.node)} graph nodes; ConvScope converts up to "
            f"{limits.MAX_MODEL_NODES} (MAX_MODEL_NODES in cnn_core/limits.py)."
        )
    stored = [t for t in graph.initializer]
    stored += [a.t for n in graph.node for a in n.attribute if a.HasField("t")]
    if any(t.data_location == onnx.TensorProto.EXTERNAL for t in stored):
        raise ModelError(
            f"{_capital(label)} keeps its weights in separate files; export it with every weight "
            "inside the .onnx file (save_as_external_data=False)."
        )
    _check_parameters(sum(math.prod(t.dims) for t in stored), _capital(label))
    unsupported = unsupported_operators(proto)
    if unsupported:
        raise ModelError(
            f"{_capital(label)} uses operators ConvScope cannot convert: {', '.join(unsupported)}."
        )
    try:
        onnx.checker.check_model(proto)
    except Exception as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ModelError(f"{_capital(label)} is not a valid ONNX model: {reason}") from None
    channels, height, width, guessed = _declared_input(proto, label)
    _check_input(channels, height, width)
    module = onnx_to_torch(proto, (1, channels, height, width))
    producer = " ".join(p for p in (proto.producer_name, proto.producer_version) if p)
    opset = next((o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")), 0)
    note = (
        f"{_capital(label)}: ONNX model{f' from {producer}' if producer else ''} (opset {opset}, "
        f"{len(graph.node)} nodes) taking {channels} x {height} x {width} images"
        + (
            ", a size the file leaves open: change it if the model wants another."
            if guessed
            else "."
        )
    )
    if len(graph.output) > 1:
        note += (
            f" Of its {len(graph.output)} outputs, the first ('{graph.output[0].name}') is shown."
        )
    metadata = {p.key: p.value for p in proto.metadata_props}
    return _finish(module, (height, width), None, note, channels, metadata)


def _declared_input(proto, label: str) -> tuple[int, int, int, bool]:
    """Channels, height and width of the graph's image input; sizes the file leaves open
    are taken as 224 (``guessed``)."""
    initializers = {t.name for t in proto.graph.initializer}
    inputs = [v for v in proto.graph.input if v.name not in initializers]
    if len(inputs) != 1:
        raise ModelError(
            f"{_capital(label)} takes {len(inputs)} inputs; ConvScope opens models taking "
            "one image batch."
        )
    tensor = inputs[0].type.tensor_type
    if tensor.elem_type != 1:  # TensorProto.FLOAT
        raise ModelError(
            f"{_capital(label)} takes {_type_name(tensor.elem_type)} input; ConvScope feeds "
            "float32 images."
        )
    dims = [d.dim_value if d.HasField("dim_value") else None for d in tensor.shape.dim]
    if len(dims) != 4:
        raise ModelError(
            f"{_capital(label)} takes a {len(dims)}-D input; ConvScope feeds image batches "
            "(batch, channels, height, width)."
        )
    channels = dims[1] if dims[1] is not None else 3
    height, width = (d if d is not None else 224 for d in dims[2:])
    return channels, height, width, None in dims[1:]


def _type_name(elem_type: int) -> str:
    import onnx

    try:
        return onnx.TensorProto.DataType.Name(elem_type).lower()
    except ValueError:
        return f"type {elem_type}"


def _first_channels(module: nn.Module) -> int:
    return next((m.in_channels for m in module.modules() if isinstance(m, nn.Conv2d)), 3)


def _finish(module, input_size, classes, note, channels, metadata=None) -> LoadedModel:
    """Eval mode, frozen weights, no in-place activations (they overwrite the maps that
    Grad-CAM and feature extraction read), and the leaves in the order they run."""
    module.eval()
    for parameter in module.parameters():
        parameter.requires_grad_(False)
    leaves = {}
    for name, child in module.named_modules():
        if getattr(child, "inplace", False):
            child.inplace = False
        if name and not any(True for _ in child.children()):
            leaves[child] = name
    order: list[str] = []
    hooks = [m.register_forward_pre_hook(lambda m, _: order.append(leaves[m])) for m in leaves]
    try:
        with torch.no_grad():
            module(torch.zeros(1, channels, *input_size))
    except Exception as error:
        raise ModelError(
            f"The model fails on a {channels} x {input_size[0]} x {input_size[1]} image "
            f"({type(error).__name__}: {error})."
        ) from None
    finally:
        for hook in hooks:
            hook.remove()
    layers = list(dict.fromkeys(order))
    return LoadedModel(module, tuple(input_size), classes, layers, note, channels, metadata or {})
