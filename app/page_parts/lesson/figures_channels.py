"""The lesson's figures for channels: one filter spans every input channel, and a 1 x 1
filter mixes channels at each pixel."""

from __future__ import annotations

import numpy as np

from cnn_core import KERNELS, conv2d
from cnn_core.colour import CHANNEL_NAMES, LUMA
from cnn_core.render import image_to_rgb, signed_to_rgb
from cnn_core.stack import conv_weight_count

from .figure import Figure, signed_term, sum_text

LAYER_FILTERS = 16
WIDE, NARROW = 256, 64  # a 1 x 1 layer squeezing 256 channels into 64


def _planes(rgb: np.ndarray) -> np.ndarray:
    return np.moveaxis(np.asarray(rgb, np.float32), 2, 0)  # (3, H, W)


def filter_over_channels(rgb: np.ndarray) -> Figure:
    """One 3 x 3 x 3 filter: Sobel x on red, nothing on green, minus Sobel x on blue."""
    planes = _planes(rgb)
    sobel = KERNELS["sobel_x"]
    kernel = np.stack([sobel, np.zeros_like(sobel), -sobel])  # (3, 3, 3): one filter
    feature = conv2d(planes, kernel, padding=1)  # summed over the channels: one map
    panels = [
        (image_to_rgb(plane), f"{name.capitalize()} channel")
        for plane, name in zip(planes, CHANNEL_NAMES)
    ]
    panels.append((signed_to_rgb(feature), "One filter over R, G, B: one map"))
    one = conv_weight_count(3, 1, 3)
    layer = conv_weight_count(3, LAYER_FILTERS, 3)
    return Figure(
        panels=tuple(panels),
        formulas=(
            f"weights of one filter = 3 × 3 × 3 = {one}",
            f"weights of {LAYER_FILTERS} filters = {LAYER_FILTERS} × 3 × 3 × 3 = {layer}",
        ),
        notes=(
            "A filter is as deep as its input: one 3 x 3 slice per channel, all summed into "
            "a single map. This one finds edges between red and blue (Sobel x on red, minus "
            f"Sobel x on blue). A layer of {LAYER_FILTERS} filters makes {LAYER_FILTERS} "
            "maps, the next layer's channels.",
        ),
    )


def one_by_one(rgb: np.ndarray) -> Figure:
    """1 x 1 filters: a weighted sum across the channels of each pixel, nothing around it."""
    planes = _planes(rgb)
    gray_filter = LUMA.reshape(3, 1, 1)
    opponent = np.array([1.0, -1.0, 0.0], np.float32).reshape(3, 1, 1)
    gray = conv2d(planes, gray_filter)
    red_green = conv2d(planes, opponent)
    row, col = gray.shape[0] // 2, gray.shape[1] // 2
    pixel = planes[:, row, col]
    terms = [f"{signed_term(w, 3)}·{signed_term(v)}" for w, v in zip(LUMA, pixel)]
    squeeze = conv_weight_count(WIDE, NARROW, 1)
    return Figure(
        panels=(
            (image_to_rgb(rgb), "Input, 3 channels"),
            (image_to_rgb(gray), "1 x 1 filter (0.299, 0.587, 0.114): gray"),
            (signed_to_rgb(red_green), "1 x 1 filter (1, -1, 0): red minus green"),
        ),
        formulas=(
            f"y[{row}, {col}] = {sum_text(terms)} = {signed_term(float(gray[row, col]), 3)}",
            f"weights, {WIDE} channels to {NARROW} = {NARROW} × {WIDE} × 1 × 1 = {squeeze:,}",
        ),
        notes=(
            "A 1 x 1 filter sees one pixel but all its channels: a fully connected layer "
            "across the channels, repeated at every pixel. Networks use it to squeeze many "
            "channels into few before an expensive 3 x 3 layer.",
        ),
    )
