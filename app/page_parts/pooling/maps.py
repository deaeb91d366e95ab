"""The Pooling page's maps: the map to pool (the gray image, or its convolution with a
kernel) and the pictures of it and of the pooled map, made without drawing, so sessions on
the same picture and settings can share them (``app/widgets/shared_results.py``)."""

from __future__ import annotations

import numpy as np

from app.widgets.pictures.map_view import (
    EncodedPicture,
    colour_bar_html,
    colour_map,
    encode_picture,
)
from cnn_core import KERNELS, conv2d
from cnn_core.activations import relu
from cnn_core.colour import to_gray
from cnn_core.describe import describe_box, describe_map
from cnn_core.drawing import outline_box


def pooling_source(
    pixels: np.ndarray, kernel: str | None, relu_first: bool
) -> tuple[np.ndarray, np.ndarray, bool]:
    """The gray image, the map to pool (it, or its convolution with ``kernel``), and
    whether that map has negative values."""
    gray = to_gray(pixels)
    source = (
        gray
        if kernel is None
        else conv2d(gray, KERNELS[kernel], padding="same", padding_mode="replicate")
    )
    if relu_first:
        source = relu(source)
    return gray, source, bool(source.min() < 0)


def pooled_picture(pooled: np.ndarray, signed: bool, row: int, col: int):
    """The pooled map's picture (the picked cell boxed) and its colour bar."""
    pixels = outline_box(
        colour_map(pooled, signed=signed), row, col, row, col, colour=(20, 20, 20), thickness=1
    )
    note = f"After pooling: {pooled.shape[0]} x {pooled.shape[1]}. Click a cell to look closer."
    return encode_picture(pixels, alt=describe_map(pooled, "Pooled map")), colour_bar_html(
        pooled, signed=signed, note=note
    )


def source_picture(
    source: np.ndarray, signed: bool, row: int, col: int, box: tuple[int, int, int, int]
) -> EncodedPicture:
    """The map before pooling with the window of pooled cell (``row``, ``col``) boxed:
    ``box`` is its (top, left, bottom, right) in the map, rows and columns outside it
    being padding."""
    top, left, bottom, right = box
    thickness = max(2, max(source.shape) // 200)
    pixels = outline_box(
        colour_map(source, signed=signed), top, left, bottom, right, thickness=thickness
    )
    window = describe_box(top, left, bottom, right, f"window of pooled cell ({row}, {col}) boxed")
    return encode_picture(pixels, alt=f"{source_alt(source)}; {window}")


def source_alt(source: np.ndarray) -> str:
    """The map before pooling in words: its size, range and strongest cell."""
    return describe_map(source, "Map before pooling")
