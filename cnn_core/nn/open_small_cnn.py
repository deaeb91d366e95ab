"""A small CNN trained in ConvScope, opened from its ``.safetensors`` file: the Your classes
page's download (configuration and model card in the file's metadata, written by
``cnn_core.nn.saved_models.weights_bytes``) or a model on disk with its ``.json`` card
beside it. The network is rebuilt from the configuration and its weights checked name by
name and shape by shape; nothing is unpickled. Anything else is a ``ModelError`` naming
what is missing or wrong."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

import torch

from .. import limits
from .digit_net import DigitNet, DigitNetConfig
from .model_card import model_metadata
from .model_files import capital, check_input, check_parameters, mismatch, read_weights
from .saved_models import CARD_KEY, CONFIG_KEY, ModelError

# Bounds on a configuration read from a file, checked before anything is built: far above
# what ConvScope trains (8 and 16 maps, 5 x 5 kernels, 32 hidden units, 2 to 10 classes).
_MAX_MAPS, _MAX_KERNEL, _MAX_HIDDEN, _MAX_CLASSES = 1024, 31, 65_536, 100_000


@dataclass(frozen=True)
class SmallCnn:
    module: DigitNet
    card: dict | None
    classes: list[str] | None
    note: str
    metadata: dict[str, str]


def open_small_cnn(data: bytes, header: dict, label: str, beside: Path | None) -> SmallCnn:
    """The network in a ``.safetensors`` file whose JSON ``header`` is already read;
    ``beside`` is the file's path when it came from disk (its ``.json`` card may sit next
    to it)."""
    name = capital(label)
    entries = header.get("__metadata__") or {}
    if not isinstance(entries, dict):
        raise ModelError(f"{name} has a damaged metadata block (not a table of texts).")
    card = _card(entries, name, beside)
    if CONFIG_KEY in entries:
        config_entry = _json(entries[CONFIG_KEY], CONFIG_KEY, name)
    elif card is not None and "config" in card:
        config_entry = card["config"]
    else:
        raise ModelError(
            f"{name} is a .safetensors weights file, not a model: it has no ConvScope "
            f"configuration ('{CONFIG_KEY}' in its metadata). Choose its architecture and "
            "give this file as its weights, or download the model again from the Your "
            "classes page."
        )
    config = _config(config_entry, name)
    with torch.device("meta"):  # counted without allocating: an absurd size is refused here
        check_parameters(sum(p.numel() for p in DigitNet(config).parameters()), name)
    state = read_weights(data, label)
    module = DigitNet(config)
    problem = mismatch(module, state, "the small CNN its configuration describes")
    if problem is not None:
        raise ModelError(f"The weights in {label} do not fit its configuration: {problem}.")
    module.load_state_dict(state)
    classes = _classes(card, config, name)
    return SmallCnn(module, card, classes, _note(name, card, config), model_metadata(config, card))


def _json(text, key: str, name: str):
    try:
        return json.loads(text)
    except (TypeError, ValueError) as error:
        raise ModelError(f"{name}: the metadata entry '{key}' is not JSON ({error}).") from None


def _card(entries: dict, name: str, beside: Path | None) -> dict | None:
    if CARD_KEY in entries:
        card = _json(entries[CARD_KEY], CARD_KEY, name)
        where = f"the metadata entry '{CARD_KEY}'"
    elif beside is not None and beside.with_suffix(".json").is_file():
        path = beside.with_suffix(".json")
        try:
            card = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            raise ModelError(f"The model card {path.name} cannot be read ({error}).") from None
        where = f"the model card {path.name}"
    else:
        return None
    if not isinstance(card, dict):
        raise ModelError(f"{name}: {where} is not a model card (a JSON object).")
    return card


def _config(entry, name: str) -> DigitNetConfig:
    known = {f.name: f.default for f in fields(DigitNetConfig)}
    if not isinstance(entry, dict):
        raise ModelError(f"{name}: its configuration is not a JSON object.")
    unknown = sorted(set(entry) - set(known))
    if unknown:
        raise ModelError(f"{name}: its configuration has an unknown setting '{unknown[0]}'.")
    values = {**known, **entry}
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ModelError(
                f"{name}: the setting '{key}' is {value!r}, not a positive whole number."
            )
    bounds = {
        "conv1_maps": _MAX_MAPS,
        "conv2_maps": _MAX_MAPS,
        "kernel": _MAX_KERNEL,
        "hidden": _MAX_HIDDEN,
        "classes": _MAX_CLASSES,
        "in_channels": limits.MAX_MODEL_INPUT_CHANNELS,
        "side": limits.MAX_MODEL_INPUT_SIDE,
    }
    for key, bound in bounds.items():
        if values[key] > bound:
            raise ModelError(
                f"{name}: the setting '{key}' is {values[key]}; a small CNN ConvScope opens has "
                f"at most {bound}."
            )
    if values["side"] % 4:
        raise ModelError(f"{name}: the input side {values['side']} is not a multiple of 4.")
    check_input(values["in_channels"], values["side"], values["side"])
    return DigitNetConfig(**values)


def _classes(card: dict | None, config: DigitNetConfig, name: str) -> list[str] | None:
    names = (card or {}).get("class_names")
    if names is None:
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ModelError(f"{name}: the card's class_names is not a list of names.")
    if len(names) != config.classes:
        raise ModelError(
            f"{name}: the card names {len(names)} classes but the network has "
            f"{config.classes} outputs."
        )
    return list(names)


def _note(name: str, card: dict | None, config: DigitNetConfig) -> str:
    shape = f"{config.in_channels} x {config.side} x {config.side}"
    if card is None:
        return (
            f"{name}: a small CNN trained in ConvScope, taking {shape} pictures, with "
            "no model card: its class names are not known."
        )
    classes = ", ".join(card.get("class_names", []))
    if card.get("kind") == "pictures":
        what = f"a small CNN trained on Your classes ({classes})"
    else:
        what = f"{card.get('name', 'a small CNN')} ({classes})"
    accuracy = card.get("heldout_accuracy")
    score = f"; held-out accuracy {accuracy:.0%}" if isinstance(accuracy, (int, float)) else ""
    return f"{name}: {what}, taking {shape} pictures{score}."
