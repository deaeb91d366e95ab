"""A user's own network, opened safely: a torchvision architecture with their
``.safetensors`` weights, a timm model, or an ONNX file.

What is accepted, and what each refusal tells the user (always a ``ModelError`` whose
message names the thing to change):

- ``"resnet18"`` or any name in ``torchvision.models.list_models(module=torchvision.models)``,
  with ``weights`` a ``.safetensors`` state dict (path or bytes) whose names and shapes
  match the architecture (the first mismatch is named; a classifier with another number
  of classes is accepted and the layer resized); without ``weights``, the ImageNet
  weights when torch's cache already holds them, else random weights, said in ``.note``
  (in plain words: the note never shows a server path). Random weights are drawn from a
  fixed seed (``cnn_core.nn.fixed_init``), so every session and every server builds the same
  ones: a class, its teacher and the projector see the same maps for the same settings.
  Nothing is ever downloaded here.
- ``"timm:<name>"`` when the optional ``timm`` package is installed (random weights, or
  ``weights`` as above).
- An ONNX file (path, bytes or binary file object), read with ``onnx``, checked with
  ``onnx.checker`` and rebuilt as a PyTorch module by ``cnn_core.nn.onnx``; class names
  from its metadata entry ``classes`` (a JSON list), as ConvScope's export writes it.
- A ConvScope ``.safetensors`` model file (path, bytes or file object): the Your classes
  page's download, or a trained model on disk with its ``.json`` card beside it; the small
  CNN is rebuilt from the configuration in its metadata (``cnn_core.nn.open_small_cnn``).

Nothing is unpickled: weights come from safetensors or ONNX tensors only (no
``torch.load`` of a user's file, no TorchScript), and a user's bytes stay in memory.
The limits (file size, parameters, input size, graph nodes) are in ``cnn_core.limits``.
"""

from __future__ import annotations

import difflib
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from .. import limits
from .architectures import TIMM_INSTALL, torchvision_architectures
from .fixed_init import seeded
from .model_files import (
    capital,
    check_input,
    check_parameters,
    mismatch,
    read_source,
    read_weights,
    safetensors_header,
)
from .open_small_cnn import open_small_cnn
from .saved_models import ModelError

__all__ = ["LoadedModel", "ModelError", "open_model", "torchvision_architectures"]


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
    data, label = read_source(source, "model file")
    if weights is not None:
        raise ModelError("A model file carries its own weights; open it without a weights file.")
    header = safetensors_header(data)
    if header is not None:
        beside = Path(source) if isinstance(source, (str, os.PathLike)) else None
        small = open_small_cnn(data, header, label, beside)
        config = small.module.config
        return _finish(
            small.module,
            (config.side, config.side),
            small.classes,
            small.note,
            config.in_channels,
            small.metadata,
        )
    return _open_onnx(data, label)


# Weights --------------------------------------------------------------------------------


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


def _read_weights(weights) -> tuple[dict[str, torch.Tensor], str]:
    data, label = read_source(weights, "weights file")
    return read_weights(data, label), label


def _load_state(build, state: dict[str, torch.Tensor], name: str) -> nn.Module:
    model = seeded(build)
    classes = _classes_in_file(model, state)
    if classes is not None:
        model = seeded(build, num_classes=classes)
    problem = mismatch(model, state, name)
    if problem is not None:
        raise ModelError(
            f"The weights do not fit {name}: {problem}. Are they from another architecture?"
        )
    model.load_state_dict(state, strict=False)
    return model


# The three kinds of source --------------------------------------------------------------


_FIXED = (
    "They are fixed (drawn from the same seed everywhere), so every session shows the same "
    "maps for the same settings."
)


def _open_torchvision(name: str, weights) -> LoadedModel:
    from torchvision import models

    trained = models.get_model_weights(name).DEFAULT
    side = trained.transforms.keywords.get("crop_size", 224)
    check_parameters(trained.meta["num_params"], name)
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
            except Exception:  # the server's file is damaged: say so, never where it is
                raise ModelError(
                    f"The pretrained weights of {name} on this server are damaged; upload "
                    "your own .safetensors weights, or ask whoever runs the server to "
                    "download them again."
                ) from None
            classes = list(trained.meta["categories"])
            note = f"{name} with its pretrained ImageNet weights ({trained.name})."
        else:
            module = seeded(models.get_model, name=name)
            note = (
                f"{name} with random weights: its pretrained weights are not on this server, "
                f"so its answers mean nothing yet. {_FIXED} Upload your own .safetensors "
                "weights to see a trained model."
            )
    return _finish(module, (side, side), classes, note, _first_channels(module))


def _open_timm(name: str, weights) -> LoadedModel:
    try:
        import timm
    except ImportError:
        raise ModelError(
            "timm is not installed on this server; install the optional extra with "
            f"`{TIMM_INSTALL}`, or use a torchvision name or an ONNX file."
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
    check_parameters(count, name)
    if weights is not None:
        state, label = _read_weights(weights)
        module = _load_state(lambda **kw: timm.create_model(name, **kw), state, f"timm:{name}")
        note = f"timm:{name} with the weights from {label}."
    else:
        module = seeded(timm.create_model, model_name=name, pretrained=False)
        check_parameters(sum(p.numel() for p in module.parameters()), name)
        note = (
            f"timm:{name} with random weights. {_FIXED} Upload .safetensors weights to use "
            "trained ones."
        )
    config = getattr(module, "pretrained_cfg", {}) or {}
    channels, height, width = config.get("input_size", (3, 224, 224))
    return _finish(module, (height, width), None, note, channels)


def _open_onnx(data: bytes, label: str) -> LoadedModel:
    import onnx

    from .onnx import onnx_to_torch, unsupported_operators

    try:
        proto = onnx.load_model_from_string(data)
    except Exception as error:
        raise ModelError(
            f"{capital(label)} is not an ONNX model, or the file is cut short "
            f"({type(error).__name__})."
        ) from None
    graph = proto.graph
    if not graph.node:
        raise ModelError(f"{capital(label)} holds no ONNX graph (is it an ONNX file?).")
    if len(graph.node) > limits.MAX_MODEL_NODES:
        raise ModelError(
            f"{capital(label)} has {len(graph.node)} graph nodes; ConvScope converts up to "
            f"{limits.MAX_MODEL_NODES} (MAX_MODEL_NODES in cnn_core/limits.py)."
        )
    stored = [t for t in graph.initializer]
    stored += [a.t for n in graph.node for a in n.attribute if a.HasField("t")]
    if any(t.data_location == onnx.TensorProto.EXTERNAL for t in stored):
        raise ModelError(
            f"{capital(label)} keeps its weights in separate files; export it with every weight "
            "inside the .onnx file (save_as_external_data=False)."
        )
    check_parameters(sum(math.prod(t.dims) for t in stored), capital(label))
    unsupported = unsupported_operators(proto)
    if unsupported:
        raise ModelError(
            f"{capital(label)} uses operators ConvScope cannot convert: {', '.join(unsupported)}."
        )
    try:
        onnx.checker.check_model(proto)
    except Exception as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ModelError(f"{capital(label)} is not a valid ONNX model: {reason}") from None
    channels, height, width, guessed = _declared_input(proto, label)
    check_input(channels, height, width)
    module = onnx_to_torch(proto, (1, channels, height, width))
    producer = " ".join(p for p in (proto.producer_name, proto.producer_version) if p)
    opset = next((o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")), 0)
    note = (
        f"{capital(label)}: ONNX model{f' from {producer}' if producer else ''} (opset {opset}, "
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
    classes, remark = _named_classes(metadata)
    return _finish(module, (height, width), classes, note + remark, channels, metadata)


def _named_classes(metadata: dict[str, str]) -> tuple[list[str] | None, str]:
    """Class names an ONNX file's metadata gives (``classes``: a JSON list of names, as
    ConvScope writes them), and a remark for the note when they cannot be used."""
    if "classes" not in metadata:
        return None, ""
    try:
        names = json.loads(metadata["classes"])
    except ValueError:
        names = None
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        return None, " Its metadata entry 'classes' is not a JSON list of names: not used."
    return names, f" Class names from its metadata: {', '.join(names[:5])}" + (
        ", ..." if len(names) > 5 else "."
    )


def _declared_input(proto, label: str) -> tuple[int, int, int, bool]:
    """Channels, height and width of the graph's image input; sizes the file leaves open
    are taken as 224 (``guessed``)."""
    initializers = {t.name for t in proto.graph.initializer}
    inputs = [v for v in proto.graph.input if v.name not in initializers]
    if len(inputs) != 1:
        raise ModelError(
            f"{capital(label)} takes {len(inputs)} inputs; ConvScope opens models taking "
            "one image batch."
        )
    tensor = inputs[0].type.tensor_type
    if tensor.elem_type != 1:  # TensorProto.FLOAT
        raise ModelError(
            f"{capital(label)} takes {_type_name(tensor.elem_type)} input; ConvScope feeds "
            "float32 images."
        )
    dims = [d.dim_value if d.HasField("dim_value") else None for d in tensor.shape.dim]
    if len(dims) != 4:
        raise ModelError(
            f"{capital(label)} takes a {len(dims)}-D input; ConvScope feeds image batches "
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
            output = module(torch.zeros(1, channels, *input_size))
    except Exception as error:
        raise ModelError(
            f"The model fails on a {channels} x {input_size[0]} x {input_size[1]} image "
            f"({type(error).__name__}: {error})."
        ) from None
    finally:
        for hook in hooks:
            hook.remove()
    layers = list(dict.fromkeys(order))
    outputs = output.shape[-1] if isinstance(output, torch.Tensor) and output.dim() else None
    if classes is not None and len(classes) != outputs:
        note += f" Its {len(classes)} class names do not match its {outputs} outputs: not used."
        classes = None
    return LoadedModel(module, tuple(input_size), classes, layers, note, channels, metadata or {})
