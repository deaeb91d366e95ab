"""A user's model and weights files read safely for ``open_model``: the bytes of a path,
bytes or file object within the size limit, the model's size and input checked against
``cnn_core.limits``, a ``.safetensors`` file's header, and weights matched to a network
(the first mismatch named). Every refusal is a ``ModelError`` saying what to change."""

from __future__ import annotations

import json
import os
from pathlib import Path

import torch
from torch import nn

from .. import limits
from .saved_models import ModelError

_MB = 1 << 20


def read_source(source, what: str) -> tuple[bytes, str]:
    """The bytes of a path, bytes or binary file object, never more than the limit, and a
    label for messages ("the uploaded file" or the file's own name)."""
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
        raise ModelError(f"{capital(label)} is empty.")
    return data, label


def capital(label: str) -> str:
    """A label opening a sentence: "The uploaded file", a file's own name unchanged."""
    return "T" + label[1:] if label.startswith("the ") else label


def _too_big(what: str, size: int) -> str:
    return (
        f"The {what} is {size / _MB:.0f} MB or more; ConvScope opens files up to "
        f"{limits.MAX_MODEL_FILE_MB} MB (MAX_MODEL_FILE_MB in cnn_core/limits.py): "
        "ResNet-50 (98 MB) fits, VGG-16 does not."
    )


def check_parameters(count: int, what: str) -> None:
    if count > limits.MAX_MODEL_PARAMETERS:
        raise ModelError(
            f"{what} has {count / 1e6:.1f} million parameters; ConvScope opens models of up "
            f"to {limits.MAX_MODEL_PARAMETERS / 1e6:.0f} million (MAX_MODEL_PARAMETERS in "
            "cnn_core/limits.py)."
        )


def check_input(channels: int, height: int, width: int) -> None:
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


# .safetensors files ---------------------------------------------------------------------


def safetensors_header(data: bytes) -> dict | None:
    """The JSON header of a ``.safetensors`` file (8 bytes of little-endian length, then
    the JSON), or ``None`` when ``data`` does not start like one. Its ``__metadata__`` is
    a dict of strings (https://huggingface.co/docs/safetensors, "Format")."""
    if len(data) < 10 or data[8:9] != b"{":
        return None
    size = int.from_bytes(data[:8], "little")
    if size > len(data) - 8:
        return None
    try:
        header = json.loads(data[8 : 8 + size])
    except ValueError:
        return None
    return header if isinstance(header, dict) else None


def read_weights(data: bytes, label: str) -> dict[str, torch.Tensor]:
    """The tensors of a ``.safetensors`` file, within the parameter limit."""
    from safetensors.torch import load

    try:
        state = load(data)
    except Exception as error:
        raise ModelError(
            f"{capital(label)} is not a readable .safetensors file ({error}). Save "
            "weights with safetensors.torch.save_file(model.state_dict(), path)."
        ) from None
    check_parameters(sum(t.numel() for t in state.values()), capital(label))
    return state


def mismatch(model: nn.Module, state: dict[str, torch.Tensor], name: str) -> str | None:
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
