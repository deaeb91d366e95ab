"""A small CNN at work, for any page that runs one (the digit reader, a model of the
user's own classes): every layer's maps side by side, and the class probabilities."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnn_core.describe import describe_maps, number
from cnn_core.drawing import tile, upscale_nearest
from cnn_core.render import (
    signed_legend,
    signed_to_rgb,
    symmetric_limit,
    unsigned_legend,
    unsigned_to_rgb,
)

from ..numbers.number_grid import row_html, show_html
from ..pictures.browser_image import encode_for_browser
from ..pictures.described import show_encoded
from .class_bars import class_bars_html

SPATIAL = ("conv1", "relu1", "pool1", "conv2", "relu2", "pool2")


def layer_notes(config) -> dict[str, str]:
    """What each layer is, from the model's own configuration."""
    k = config.kernel
    first = f"{config.conv1_maps} learned {k}x{k} kernels"
    if config.in_channels > 1:
        first = f"{config.conv1_maps} kernels, each {config.in_channels} x {k} x {k}"
    return {
        "conv1": first,
        "relu1": "max(z, 0)",
        "pool1": "max 2x2",
        "conv2": f"{config.conv2_maps} kernels, each {config.conv1_maps} x {k} x {k}",
        "relu2": "max(z, 0)",
        "pool2": "max 2x2",
        "fc1": f"{config.hidden} units",
        "fc2": f"{config.classes} class scores",
    }


def colour_maps(maps: np.ndarray, *, side: int) -> list[np.ndarray]:
    """Each map in colour, sharing the layer's range, enlarged to about ``side`` pixels."""
    signed = bool(maps.min() < 0)
    limit = symmetric_limit(maps) if signed else float(maps.max()) or 1.0
    colour = (
        (lambda m: signed_to_rgb(m, limit=limit))
        if signed
        else (lambda m: unsigned_to_rgb(m, low=0.0, high=limit))
    )
    return [upscale_nearest(colour(m), side) for m in maps]


def vector_picture(values: np.ndarray, columns: int, cell: int = 14) -> np.ndarray:
    """A vector of unit activations as a grid of coloured cells, ``cell`` pixels each."""
    rows = -(-values.size // columns)
    grid = np.zeros(rows * columns, np.float32)
    grid[: values.size] = values
    grid = grid.reshape(rows, columns)
    signed = bool(values.min() < 0)
    peak = float(values.max()) or 1.0
    picture = signed_to_rgb(grid) if signed else unsigned_to_rgb(grid, low=0.0, high=peak)
    return np.repeat(np.repeat(picture, cell, axis=0), cell, axis=1)


LAYOUT = (*SPATIAL, "fc1", "fc2")
GAP = 14  # white pixels between layers


def network_picture(acts: dict[str, np.ndarray]) -> tuple[np.ndarray, list[int]]:
    """Every layer side by side in one picture (one image for the browser to fetch), and
    each layer's width in pixels, so labels can line up with it."""
    columns = []
    for name in LAYOUT:
        values = acts[name]
        if values.ndim == 3:
            per_row = 1 if values.shape[0] <= 8 else 2
            columns.append(tile(colour_maps(values, side=56), per_row))
        else:
            columns.append(vector_picture(values, 4 if name == "fc1" else 1, cell=28))
    height = max(c.shape[0] for c in columns)
    padded = [
        np.pad(c, ((0, height - c.shape[0]), (0, 0), (0, 0)), constant_values=255) for c in columns
    ]
    gap = np.full((height, GAP, 3), 255, np.uint8)
    pieces = [piece for column in padded for piece in (column, gap)][:-1]
    return np.hstack(pieces), [c.shape[1] for c in columns]


def network_text(acts: dict[str, np.ndarray]) -> str:
    """The network picture in words: each layer's maps or values and their range."""
    parts = []
    for name in LAYOUT:
        values = np.asarray(acts[name])
        if values.ndim == 3:
            parts.append(describe_maps(values, name))
        else:
            flat = values.ravel()
            parts.append(
                f"{name}: {flat.size} values from {number(flat.min())} to {number(flat.max())}"
            )
    return "The network's layers, left to right. " + ". ".join(parts)


# Labels wrap inside their layer's width, so a narrow phone screen never scrolls sideways.
LABEL_STYLE = "font-size:0.72rem; line-height:1.2; min-width:0; overflow-wrap:anywhere"


def show_network(acts: dict[str, np.ndarray], config, class_names: list[str]) -> None:
    """The layers left to right, every map of every layer, in one picture with labels."""
    picture, widths = network_picture(acts)
    total = picture.shape[1]
    notes = layer_notes(config)
    labels = []
    for name, width in zip(LAYOUT, widths):
        values = acts[name]
        shape = " x ".join(map(str, values.shape))
        labels.append(
            f'<div style="width:{100 * width / total:.3f}%; {LABEL_STYLE}">'
            f"<b>{name}</b><br>{shape}<br>{notes[name]}</div>"
        )
    gap = f'<div style="width:{100 * GAP / total:.3f}%"></div>'
    show_html(row_html(gap.join(labels), gap=None, align="flex-start", wrap=False))
    data, fmt = encode_for_browser(picture)
    show_encoded(
        data,
        fmt,
        alt=network_text(acts),
        caption=f"Colours: {signed_legend()} (conv layers); {unsigned_legend()} for values "
        "that cannot be negative. fc2 lists the scores of "
        f"the classes from top to bottom: {', '.join(class_names)}.",
    )


def show_probabilities(
    probs: np.ndarray, label: int | None, class_names: list[str], *, compare
) -> None:
    """The prediction, its confidence and every class's probability as bars."""
    winner = int(probs.argmax())
    truth = (
        ""
        if label is None
        else (" (right)" if label == winner else f" (the true class is {class_names[label]})")
    )
    st.markdown(f"## {class_names[winner]}")
    st.markdown(f"**{probs[winner]:.1%}** confident{truth}")
    show_html(probability_bars(probs, class_names, compare))


def probability_bars(probs: np.ndarray, class_names: list[str], compare=None) -> str:
    """One bar per class; with ``compare``, the trained network's bar in grey under the
    changed network's bar in blue."""
    legend = "grey: trained weights, blue: after surgery" if compare is not None else ""
    width = "1.2em" if max(len(n) for n in class_names) <= 2 else "7em"
    return class_bars_html(
        class_names,
        probs,
        compare=compare,
        compare_name="trained weights",
        legend=legend,
        label_width=width,
    )
