"""``python -m cnn_core.nn summary MODEL [--weights FILE]``: the layer table of any model
``open_model`` takes (a torchvision or ``timm:<name>`` name, an ``.onnx`` file, or a
``.safetensors`` model file downloaded from ConvScope)."""

from __future__ import annotations

import argparse
import sys

from .open_model import ModelError, open_model
from .summary import ModelSummary, model_summary

_HEADINGS = ("Layer", "Type", "Output shape", "Parameters", "Field", "Jump")


def _pair(value: tuple[int, int] | None) -> str:
    if value is None:
        return "-"
    return str(value[0]) if value[0] == value[1] else f"{value[0]}x{value[1]}"


def format_summary(summary: ModelSummary) -> str:
    """The table as aligned text, the total parameter count under it."""
    lines = [
        (
            row.name,
            row.kind,
            " x ".join(map(str, row.output_shape)) if row.output_shape else "-",
            f"{row.parameters:,}",
            _pair(row.field_size),
            _pair(row.field_jump),
        )
        for row in summary.rows
    ]
    widths = [max(len(cells[i]) for cells in [_HEADINGS, *lines]) for i in range(6)]
    right = {3, 4, 5}  # numbers line up on the right

    def line(cells):
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))
        ).rstrip()

    text = [line(_HEADINGS), "  ".join("-" * w for w in widths)]
    text += [line(cells) for cells in lines]
    text.append(f"Total parameters: {summary.total_parameters:,}")
    if summary.note:
        text.append(summary.note)
    return "\n".join(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cnn_core.nn", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    summary = commands.add_parser(
        "summary",
        help="print a model's layer table",
        description="Print the layer table (output shapes, parameters, receptive fields) of "
        "MODEL, with its total parameter count.",
    )
    summary.add_argument(
        "model",
        metavar="MODEL",
        help="a .safetensors model file downloaded from ConvScope (Your classes or Training), "
        "an .onnx file, or a torchvision or timm architecture name (resnet18, timm:resnet10t)",
    )
    summary.add_argument(
        "--weights",
        metavar="FILE",
        help="a .safetensors state dict for an architecture given by name (without it: "
        "its pretrained weights when this machine has them, else random weights)",
    )
    args = parser.parse_args(argv)
    try:
        model = open_model(args.model, weights=args.weights)
    except ModelError as error:
        print(error, file=sys.stderr)
        return 2
    print(model.note)
    print(format_summary(model_summary(model)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
