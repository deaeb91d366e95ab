"""The lesson's figures for a whole network: activation, pooling and its tolerance to
shifts, receptive fields growing with depth, and a trained network's layers."""

from __future__ import annotations

import numpy as np

from cnn_core import KERNELS, conv2d, pool2d
from cnn_core.activations import relu
from cnn_core.colour import to_gray
from cnn_core.drawing import outline_box, tile, upscale_nearest
from cnn_core.layers import parse_layers
from cnn_core.receptive_field import GEOMETRY_PRESETS, receptive_field_steps
from cnn_core.render import image_to_rgb, signed_to_rgb
from cnn_core.shift import shift_changes
from cnn_core.window import pool_window

from .figure import MINUS, Figure, signed_term, size_caption, unsigned_picture

POOL = 4  # window and stride of the pooling step: big enough for a visible effect
SHIFT = 2  # pixels the picture moves in the shift test
FIELD_STACK = GEOMETRY_PRESETS["conv5_pool2"]
FIELD_COLOURS = (
    (255, 210, 0),
    (255, 120, 0),
    (230, 30, 30),
    (200, 0, 160),
    (90, 60, 220),
    (0, 150, 220),
)


def _edges(gray: np.ndarray) -> np.ndarray:
    return conv2d(gray, KERNELS["sobel_x"], padding=1)


def activation(rgb: np.ndarray) -> Figure:
    """ReLU keeps the positive responses and sets the rest to zero."""
    feature = _edges(to_gray(rgb))
    rectified = relu(feature)
    zeroed, total = int(np.count_nonzero(feature < 0)), feature.size
    return Figure(
        panels=(
            (signed_to_rgb(feature), "Sobel x map (blue below zero)"),
            (unsigned_picture(rectified), "After ReLU: max(z, 0)"),
        ),
        formulas=(f"share set to zero = {zeroed:,} / {total:,} = {zeroed / total:.2f}",),
        notes=(
            "Without a nonlinearity between them, two convolutions would collapse into one "
            "bigger convolution. ReLU keeps dark-to-light edges here and silences the "
            "opposite ones, which another filter can look for.",
        ),
    )


def pooling(rgb: np.ndarray) -> Figure:
    """Max pooling summarises each window; a small shift barely changes the summary."""
    gray = to_gray(rgb)
    rectified = relu(_edges(gray))
    pooled = pool2d(rectified, POOL, mode="max")
    row, col = (int(i) for i in np.unravel_index(np.argmax(pooled), pooled.shape))
    window = pool_window(rectified, row, col, POOL, mode="max")
    terms = ", ".join(signed_term(float(v)) for v in window.terms)
    changes = shift_changes(
        gray, KERNELS["sobel_x"], pool_size=POOL, pool_stride=POOL, max_shift=SHIFT
    )
    moved = {name: float(curve[SHIFT]) for name, curve in changes.items()}
    peak = float(rectified.max()) or 1.0
    top, left = row * POOL, col * POOL
    boxed = outline_box(
        unsigned_picture(rectified, peak), top, left, top + POOL - 1, left + POOL - 1, thickness=2
    )
    return Figure(
        panels=(
            (boxed, f"ReLU(Sobel x), {size_caption(rectified)}"),
            (
                upscale_nearest(unsigned_picture(pooled, peak), rectified.shape[0]),
                f"Max-pooled {POOL} x {POOL}, {size_caption(pooled)}",
            ),
        ),
        formulas=(f"pooled[{row}, {col}] = max({terms}) = {signed_term(window.result)}",),
        notes=(
            f"Shift the picture {SHIFT} pixels: the feature map changes by "
            f"{moved['feature map']:.0%} of its typical value, the max-pooled map by "
            f"{moved['max pooled']:.0%}, and a stride-{POOL} convolution of the same size "
            f"by {moved[f'strided conv (stride {POOL})']:.0%}. A feature that moves inside "
            "its window leaves the maximum where it was.",
        ),
    )


def fields(rgb: np.ndarray) -> Figure:
    """How much of the picture one unit in the middle sees, layer after layer."""
    gray = to_gray(rgb)
    layers = parse_layers(FIELD_STACK)
    steps = receptive_field_steps([layer.geometry() for layer in layers])
    picture = image_to_rgb(gray)
    centre_row, centre_col = gray.shape[0] // 2, gray.shape[1] // 2
    for step, colour in zip(steps, FIELD_COLOURS):
        half = step.after.size // 2
        picture = outline_box(
            picture,
            centre_row - half,
            centre_col - half,
            centre_row + half,
            centre_col + half,
            colour=colour,
        )
    formulas = tuple(
        f"layer {step.number} ({layer.geometry_label}): r = {step.before.size} + "
        f"({step.span} {MINUS} 1)·{step.before.jump} = {step.after.size}"
        for step, layer in zip(steps, layers)
    )
    last = steps[-1].after
    return Figure(
        panels=((picture, "One unit's field after each layer (yellow first, blue last)"),),
        formulas=formulas,
        notes=(
            f"After {len(steps)} layers one unit sees {last.size} x {last.size} pixels. Each "
            "layer adds (kernel - 1) times the spacing of the units below it, and every "
            f"pooling doubles that spacing (now {last.jump} pixels).",
        ),
    )


def trained_network(digit: np.ndarray, label: int, maps: dict, probabilities) -> Figure:
    """The digit network's layers on one held-out digit (the caller runs the network)."""
    best = int(np.argmax(probabilities))
    panels = [(upscale_nearest(image_to_rgb(digit), 224), f"Held-out digit (a {label})")]
    for name in ("relu1", "relu2"):
        layer = maps[name]
        peak = float(layer.max()) or 1.0
        cells = [
            upscale_nearest(signed_to_rgb(m) if m.min() < 0 else unsigned_picture(m, peak), 56)
            for m in layer
        ]
        columns = 3 if len(cells) <= 6 else 4
        panels.append(
            (tile(cells, columns, gap=4), f"{name}: {len(cells)} maps of {size_caption(layer)}")
        )
    return Figure(
        panels=tuple(panels),
        formulas=(),
        notes=(
            f"The network reads {best} with probability {float(probabilities[best]):.1%}. "
            "Its first layer finds strokes and edges; the second combines them into parts "
            "of digits at a quarter of the resolution; two fully connected layers turn "
            "those into the ten scores.",
        ),
    )
