"""What every trained small CNN gets written with: its held-out score and confusion
matrix, and a model card (architecture, size, versions) beside its weights."""

from __future__ import annotations

import json
import platform
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from .model import DigitNet


def evaluate(model: DigitNet, images: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Accuracy and the confusion matrix (rows: true class, columns: predicted)."""
    model.eval()
    batch = torch.from_numpy(np.asarray(images, np.float32))
    batch = batch[:, None] if batch.ndim == 3 else batch  # (N, H, W) digits: one channel
    with torch.no_grad():
        predicted = model(batch).argmax(1).numpy()
    classes = model.config.classes
    confusion = np.zeros((classes, classes), np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    return float((predicted == labels).mean()), confusion


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


def write_model(out_dir: Path, stem: str, model: DigitNet, card: dict) -> None:
    """``<stem>.safetensors`` and ``<stem>.json`` in ``out_dir``."""
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(out_dir / f"{stem}.safetensors"))
    (out_dir / f"{stem}.json").write_text(json.dumps(card, indent=2) + "\n")
