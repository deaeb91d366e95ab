"""Training the small CNN on a folder of pictures, one subfolder per class (torchvision's
ImageFolder layout), for ``python -m cnn_core.nn.train --images PATH`` and the Your classes
page. Pictures are resized and cropped to a square, in colour or gray; a share of each
class is held out and measured."""

from __future__ import annotations

import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from ..image_io import FORMATS, ImageError, load_image
from ..pictures import prepare_picture
from .augment import PICTURE_AUGMENTATION, augment_pictures
from .digit_net import DigitNet, DigitNetConfig
from .model_card import describe_model
from .saved_models import write_model
from .training_loop import TrainSettings, evaluate, split_per_class, train_epochs

PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"}
# Fewer pictures than this per class and the held-out accuracy says little: the card
# and the command line say so.
FEW_PER_CLASS = 10


@dataclass(frozen=True)
class PictureConfig:
    side: int = 32  # pictures are resized and cropped to side x side (a multiple of 4)
    colour: str = "rgb"  # "rgb" or "gray"
    epochs: int = 40
    batch_size: int = 16  # small: a few dozen pictures make only a few batches per epoch
    learning_rate: float = 1e-2  # Adam, decayed along a cosine to zero
    held_out: float = 0.2  # share of each class kept aside for the held-out accuracy
    seed: int = 0


def load_folder(folder: Path, side: int, colour: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Every readable picture of ``folder/<class>/`` prepared as ``(N, C, side, side)``,
    its class index, and the class names (the subfolders, sorted). A picture that cannot
    be read is skipped with a line on stderr, never silently."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SystemExit(f"--images: {folder} is not a folder.")
    classes = sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    if len(classes) < 2:
        raise SystemExit(
            f"--images: {folder} needs at least two subfolders, one per class "
            f"(found {len(classes)}); put each class's pictures in its own subfolder."
        )
    pictures, labels = [], []
    for index, name in enumerate(classes):
        for path in sorted((folder / name).iterdir()):
            if path.suffix.lower() not in PICTURE_SUFFIXES:
                continue
            try:
                pictures.append(prepare_picture(load_image(path), side, colour))
            except ImageError as error:
                sys.stderr.write(f"skipped {path}: {error}\n")
                continue
            labels.append(index)
    counts = np.bincount(labels, minlength=len(classes))
    empty = [name for name, count in zip(classes, counts) if count == 0]
    if empty:
        raise SystemExit(
            f"--images: no readable pictures ({', '.join(FORMATS)}) in {', '.join(empty)}."
        )
    return np.stack(pictures), np.array(labels, np.int64), classes


def train_pictures(folder: Path, out_dir: Path, name: str, config: PictureConfig) -> dict:
    """Train the small CNN on a folder of pictures; write ``<name>.safetensors`` and
    ``<name>.json`` to ``out_dir``; return the card."""
    torch.manual_seed(config.seed)
    torch.set_num_threads(1)
    started = time.perf_counter()
    images, labels, classes = load_folder(folder, config.side, config.colour)
    train_index, held_index = split_per_class(labels, config.held_out, config.seed)
    model, card = train_on_pictures(
        images[train_index],
        labels[train_index],
        images[held_index],
        labels[held_index],
        classes,
        config,
        progress=True,
    )
    card["data"] = (
        f"{len(images)} pictures in {Path(folder).name}/ ({len(classes)} classes); "
        f"{config.held_out:.0%} of each class held out by seed {config.seed}"
    )
    card["training_seconds"] = round(time.perf_counter() - started, 1)
    write_model(out_dir, name, model, card)
    return card


def train_on_pictures(
    train_images,
    train_labels,
    held_images,
    held_labels,
    classes,
    config: PictureConfig,
    *,
    progress: bool = False,
) -> tuple[DigitNet, dict]:
    """The small CNN trained on prepared pictures, and its card (shared by the command
    line and the app's own-classes page)."""
    started = time.perf_counter()
    model = DigitNet(
        DigitNetConfig(classes=len(classes), in_channels=train_images.shape[1], side=config.side)
    )
    settings = TrainSettings(
        learning_rate=config.learning_rate, batch_size=config.batch_size, seed=config.seed
    )
    data = (train_images, train_labels, held_images, held_labels)
    train_epochs(model, data, settings, augment_pictures, epochs=config.epochs, progress=progress)
    accuracy, confusion = (
        evaluate(model, held_images, held_labels) if len(held_images) else (float("nan"), None)
    )
    per_class = np.bincount(train_labels, minlength=len(classes)) + np.bincount(
        held_labels, minlength=len(classes)
    )
    warnings = []
    if per_class.min() < FEW_PER_CLASS:
        warnings.append(
            f"Only {int(per_class.min())} pictures in the smallest class: the held-out "
            f"accuracy rests on {len(held_images)} pictures and may be far from what the "
            f"model does on new ones. Aim for {FEW_PER_CLASS} or more per class."
        )
    card = {
        **describe_model(model, accuracy, confusion, time.perf_counter() - started),
        "name": "Small CNN on your own classes",
        "kind": "pictures",
        "class_names": list(classes),
        "input": {"side": config.side, "colour": config.colour, "preparation": "resize-crop"},
        "train_pictures": int(len(train_images)),
        "heldout_pictures": int(len(held_images)),
        "pictures_per_class": per_class.astype(int).tolist(),
        "preprocessing": f"cnn_core.pictures.prepare_picture: shorter side to {config.side}, "
        f"centre crop, {config.colour}",
        "training": asdict(config),
        "augmentation": PICTURE_AUGMENTATION,
        "warnings": warnings,
    }
    return model, card
