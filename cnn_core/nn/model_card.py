"""What a model card says about a trained small CNN: its architecture, size, held-out
score and confusion matrix, the versions that built it, and for the digit reader what it
reads and what it trained on. Written beside the weights by ``cnn_core.nn.saved_models``."""

from __future__ import annotations

import json
import platform
from dataclasses import asdict

import numpy as np
import torch

from .digit_net import DigitNet

DIGIT_CLASSES = [str(d) for d in range(10)]
# The digit reader's input: 28 x 28 gray, prepared like MNIST (cnn_core.digits).
DIGIT_INPUT = {"side": 28, "colour": "gray", "preparation": "digit"}


def describe_model(model: DigitNet, accuracy: float, confusion, seconds: float) -> dict:
    """The parts of a model card every trained model shares: its architecture, size,
    held-out score and confusion matrix, and the versions that built it."""
    import torchvision

    c = model.config
    per_class = (
        (np.diag(confusion) / np.maximum(confusion.sum(1), 1)).round(4).tolist()
        if confusion is not None
        else []
    )
    return {
        "architecture": f"conv {c.kernel}x{c.kernel} ({c.conv1_maps}) > ReLU > max 2 > "
        f"conv {c.kernel}x{c.kernel} ({c.conv2_maps}) > ReLU > max 2 > "
        f"fc {c.conv2_maps * (c.side // 4) ** 2}-{c.hidden} > ReLU > fc {c.hidden}-{c.classes}",
        "parameters": int(sum(p.numel() for p in model.parameters())),
        "config": asdict(c),
        "heldout_accuracy": None if np.isnan(accuracy) else round(accuracy, 4),
        "per_class_accuracy": per_class,
        "confusion_matrix": confusion.tolist() if confusion is not None else [],
        "training_seconds": round(seconds, 1),
        "versions": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "torchvision": torchvision.__version__,
            "numpy": np.__version__,
        },
    }


def digit_card(
    model: DigitNet,
    accuracy: float,
    confusion,
    seconds: float,
    *,
    name: str,
    train_digits: int,
    heldout_digits: int,
    training: dict,
    **details,
) -> dict:
    """The card of a digit reader (the command line's and the Training page's):
    ``describe_model`` plus its classes, its input, how many digits it trained on and was
    measured on, its training settings, and any ``details`` (data, preparation, ...)."""
    return {
        **describe_model(model, accuracy, confusion, seconds),
        "name": name,
        "kind": "digits",
        "class_names": list(DIGIT_CLASSES),
        "input": dict(DIGIT_INPUT),
        "train_digits": int(train_digits),
        "heldout_digits": int(heldout_digits),
        "training": training,
        **details,
    }


def model_metadata(config, card: dict | None) -> dict[str, str]:
    """What a downloaded model says about its input and outputs, as text entries (an ONNX
    file's ``metadata_props``; ``LoadedModel.metadata`` when opened): ``classes`` (JSON
    list), ``input_size`` ("H,W"), ``channels``, ``colour`` ("rgb" or "gray"), ``mean``
    and ``std`` per channel (the network reads pictures in [0, 1] as they are, so 0 and 1),
    ``preparation`` (how a picture becomes the input), and ``model_card`` (JSON)."""
    card = card or {}
    channels = config.in_channels
    entries = {
        "input_size": f"{config.side},{config.side}",
        "channels": str(channels),
        "colour": card.get("input", {}).get("colour", "gray" if channels == 1 else "rgb"),
        "mean": ",".join(["0"] * channels),
        "std": ",".join(["1"] * channels),
        "preparation": card.get("input", {}).get("preparation", "resize-crop"),
    }
    if card.get("class_names"):
        entries["classes"] = json.dumps(list(card["class_names"]))
    if card:
        entries["model_card"] = json.dumps(card)
    return entries
