"""The lesson's figures for one layer: why convolution, the sum itself, kernels, padding,
stride and dilation, each computed on the lesson's picture."""

from __future__ import annotations

import numpy as np

from cnn_core import KERNELS, conv2d
from cnn_core.colour import to_gray
from cnn_core.describe import describe_kernel, describe_map
from cnn_core.drawing import outline_box, upscale_nearest, zoom_window
from cnn_core.geometry import Padding, effective_kernel_size, output_size_arithmetic, pad_plane
from cnn_core.image_io import fit_within
from cnn_core.kernels import box_kernel, kernel_sum
from cnn_core.render import image_to_rgb, signed_to_rgb
from cnn_core.stack import conv_weight_count, dense_weight_count
from cnn_core.window import window_arithmetic

from .figure import (
    MINUS,
    PANEL_SIDE,
    Figure,
    numbers_picture,
    output_size_text,
    signed_picture,
    signed_term,
    size_caption,
    sum_text,
)

DENSE_UNITS = 1000  # a modest hidden layer; even so, one weight per pixel per unit
FILTERS, FILTER_SIDE = 16, 5
SMALL_SIDE = 48  # the padding step works on a small copy, so single pixels show
BLUR_SIDE = 7
STRIDES = (1, 2, 4)
DILATIONS = (1, 2, 4)


def fully_connected(rgb: np.ndarray) -> Figure:
    """Weights of a fully connected layer on this picture against a convolution layer."""
    height, width = rgb.shape[:2]
    dense = dense_weight_count(height * width, DENSE_UNITS)
    conv = conv_weight_count(1, FILTERS, FILTER_SIDE)
    return Figure(
        panels=((image_to_rgb(to_gray(rgb)), f"{height} x {width} gray pixels"),),
        formulas=(
            f"fully connected weights = {height}·{width} × {DENSE_UNITS} = {dense:,}",
            f"convolution weights = {FILTERS} × {FILTER_SIDE} × {FILTER_SIDE} = {conv:,}",
            f"ratio = {dense:,} / {conv:,} = {_quotient(dense, conv)}",
        ),
        notes=(
            f"{DENSE_UNITS} units that each see every pixel need one weight per pixel per "
            f"unit. {FILTERS} filters of {FILTER_SIDE} x {FILTER_SIDE} pixels need {conv} "
            "weights, whatever the size of the picture.",
        ),
    )


def _quotient(top: int, bottom: int) -> str:
    return f"{top // bottom:,}" if top % bottom == 0 else f"{top / bottom:,.1f}"


def window_formula(window, row: int, col: int) -> str:
    """``y[r, c] = x·w + ...`` for the nonzero weights of a window, from window_arithmetic."""
    terms = [
        f"{signed_term(value)}·{_weight(weight)}"
        for value, weight in zip(window.values.ravel(), window.kernel.ravel())
        if weight != 0
    ]
    return f"y[{row}, {col}] = {sum_text(terms)} = {signed_term(window.total, 3)}"


def _weight(weight: float) -> str:
    text = signed_term(weight, 0)
    return f"({text})" if text.startswith(MINUS) else text


def shared_weights(rgb: np.ndarray) -> Figure:
    """One 3 x 3 kernel read at two places: local windows, the same nine weights."""
    gray = to_gray(rgb)
    kernel = KERNELS["sobel_x"]
    height, width = gray.shape
    picture, panels, formulas = image_to_rgb(gray), [], []
    for row, col in ((height // 3, width // 3), (2 * height // 3, 2 * width // 3)):
        picture = outline_box(picture, row - 1, col - 1, row + 1, col + 1, thickness=3)
        window = window_arithmetic(gray, kernel, row, col, padding=1)
        zoom = zoom_window(image_to_rgb(gray), window.positions, target=PANEL_SIDE)
        panels.append((zoom, f"The 3 x 3 window at row {row}, column {col}"))
        formulas.append(window_formula(window, row, col))
    dense = dense_weight_count(height * width, height * width)
    return Figure(
        panels=((picture, "Two windows (yellow boxes)"), *panels),
        formulas=(
            *formulas,
            f"weights of the layer = 3 × 3 = {conv_weight_count(1, 1, 3)}",
            f"fully connected between the same maps = ({height}·{width}) × ({height}·{width})"
            f" = {dense:,}",
        ),
        notes=(
            "Each output looks at 9 neighbouring pixels only, and every position reuses the "
            "same 9 weights (Sobel x here).",
        ),
    )


def the_sum(rgb: np.ndarray) -> Figure:
    """The sum of products behind the strongest response of Sobel x on this picture."""
    gray = to_gray(rgb)
    kernel = KERNELS["sobel_x"]
    feature = conv2d(gray, kernel, padding=1)
    inner = np.abs(feature[1:-1, 1:-1])  # away from the zero frame, a real edge
    row, col = (int(i) + 1 for i in np.unravel_index(np.argmax(inner), inner.shape))
    window = window_arithmetic(gray, kernel, row, col, padding=1)
    boxed = outline_box(signed_to_rgb(feature), row - 1, col - 1, row + 1, col + 1, thickness=3)
    return Figure(
        panels=(
            (
                numbers_picture(window.values, digits=2, signed=False),
                f"Input under the kernel at ({row}, {col})",
            ),
            (numbers_picture(kernel), "Sobel x weights"),
            (boxed, f"Feature map: y[{row}, {col}] is its strongest value"),
        ),
        formulas=(window_formula(window, row, col),),
        alts=(
            describe_kernel(window.values, f"Input under the kernel at row {row}, column {col}"),
            describe_kernel(kernel, "Sobel x weights"),
            describe_map(feature, "Feature map")
            + f"; the box marks row {row}, column {col}, its strongest value",
        ),
        notes=(
            "Lay the kernel on the window, multiply each weight with the pixel under it and "
            "add the products (zero weights are left out). Move one pixel and repeat: that "
            "fills the whole feature map.",
        ),
    )


def detectors(rgb: np.ndarray) -> Figure:
    """Three kernels, three questions asked of every neighbourhood."""
    gray = to_gray(rgb)
    panels = [(image_to_rgb(gray), "Input")]
    for name, caption in (
        ("sobel_x", "Sobel x: left-right changes"),
        ("sobel_y", "Sobel y: up-down changes"),
        ("sharpen", "Sharpen: the centre against its neighbours"),
    ):
        feature = conv2d(gray, KERNELS[name], padding=1)
        picture = image_to_rgb(feature) if name == "sharpen" else signed_to_rgb(feature)
        panels.append((picture, caption))
    formulas = tuple(
        f"sum of {label} weights = "
        f"{sum_text([signed_term(w, 0) for w in KERNELS[name].ravel()])} = "
        f"{signed_term(kernel_sum(KERNELS[name]), 0)}"
        for name, label in (("sobel_x", "Sobel x"), ("sharpen", "sharpen"))
    )
    return Figure(
        panels=tuple(panels),
        formulas=formulas,
        notes=(
            "Weights that add up to 0 answer 0 on a flat area and respond only where "
            "brightness changes; weights that add up to 1 keep the picture's brightness.",
        ),
    )


def padding(rgb: np.ndarray) -> Figure:
    """A 7 x 7 blur on a small picture, without padding and with a zero frame."""
    small = to_gray(fit_within(rgb, SMALL_SIDE))
    kernel = box_kernel(BLUR_SIDE)
    pad = BLUR_SIDE // 2
    valid = conv2d(small, kernel, padding=0)
    same = conv2d(small, kernel, padding=pad)
    framed = pad_plane(small, Padding(pad, pad, pad, pad), "zeros")
    rows_valid = output_size_arithmetic(small.shape[0], BLUR_SIDE)
    rows_same = output_size_arithmetic(small.shape[0], BLUR_SIDE, before=pad)

    def on_frame(plane: np.ndarray) -> np.ndarray:
        """Centred on a white canvas the size of the padded input, all at one scale, so
        the shrinking shows."""
        canvas = np.full((*framed.shape, 3), 255, np.uint8)
        top = (framed.shape[0] - plane.shape[0]) // 2
        left = (framed.shape[1] - plane.shape[1]) // 2
        canvas[top : top + plane.shape[0], left : left + plane.shape[1]] = image_to_rgb(plane)
        return upscale_nearest(canvas, PANEL_SIDE)

    return Figure(
        panels=(
            (on_frame(small), f"Input, {size_caption(small)}"),
            (on_frame(framed), f"{pad} pixels of zeros around it, {size_caption(framed)}"),
            (on_frame(valid), f"No padding: {size_caption(valid)}"),
            (on_frame(same), f"Padding {pad}: {size_caption(same)}"),
        ),
        formulas=(
            f"rows without padding = {output_size_text(rows_valid)}",
            f"rows with padding {pad} = {output_size_text(rows_same)}",
        ),
        notes=(
            f"A {BLUR_SIDE} x {BLUR_SIDE} kernel fits {BLUR_SIDE - 1} fewer times than there "
            f"are pixels, so each layer without padding trims {pad} pixels from every side. "
            f"A frame of {pad} zeros keeps the size; the edges darken because the zeros "
            "enter the average.",
        ),
    )


def stride(rgb: np.ndarray) -> Figure:
    """Sobel x with stride 1, 2 and 4: the kernel skips positions, the map shrinks."""
    gray = to_gray(rgb)
    kernel = KERNELS["sobel_x"]
    panels, formulas = [], []
    for step in STRIDES:
        feature = conv2d(gray, kernel, padding=1, stride=step)
        shown = upscale_nearest(signed_to_rgb(feature), gray.shape[0])
        panels.append((shown, f"Stride {step}: {size_caption(feature)}"))
        rows = output_size_arithmetic(gray.shape[0], 3, stride=step, before=1)
        formulas.append(f"rows at stride {step} = {output_size_text(rows)}")
    return Figure(
        panels=tuple(panels),
        formulas=tuple(formulas),
        notes=(
            "With stride s the kernel moves s pixels at a time: the map keeps one position "
            "in s along each axis, so stride 2 keeps a quarter of the values and costs a "
            "quarter of the work.",
        ),
    )


def dilation(rgb: np.ndarray) -> Figure:
    """A 3 x 3 kernel with gaps: the same 9 weights spread over a wider window."""
    gray = to_gray(rgb)
    kernel = KERNELS["laplacian"]
    widest = DILATIONS[-1]
    span = effective_kernel_size(3, widest)
    taps = np.zeros((span, span), np.float32)
    taps[::widest, ::widest] = kernel
    panels = [(numbers_picture(taps, cell=24), f"Dilation {widest}: 9 taps over {span} x {span}")]
    alts = [describe_kernel(taps, f"Dilation {widest}: 9 taps over {span} x {span}, zeros between")]
    formulas = []
    for step in DILATIONS:
        feature = conv2d(gray, kernel, padding=step, dilation=step)
        panels.append((signed_picture(feature), f"Laplacian, dilation {step}"))
        alts.append(describe_map(feature, f"Laplacian, dilation {step}"))
        window = effective_kernel_size(3, step)
        formulas.append(f"window at dilation {step} = {step}·(3 {MINUS} 1) + 1 = {window}")
    return Figure(
        panels=tuple(panels),
        formulas=tuple(formulas),
        alts=tuple(alts),
        notes=(
            "Dilation d leaves d - 1 pixels between the taps: the window widens without "
            "more weights or more work, and the map answers coarser structure.",
        ),
    )
