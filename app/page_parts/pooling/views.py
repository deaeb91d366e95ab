"""The Pooling page's closer looks: one window's arithmetic, the max-pool switches, and the
shift lab (how much each map changes when the image moves)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app.widgets.numbers.formula import pool_formula
from app.widgets.numbers.number_grid import grid_html, show_html
from app.widgets.pictures.described import show_image
from cnn_core.describe import describe_box
from cnn_core.drawing import enlarge_region, grid_lines, mark_cells
from cnn_core.pool import max_pool_switches
from cnn_core.render import image_to_rgb
from cnn_core.shift import shift_changes
from cnn_core.window import PoolWindow


def window_arithmetic(window: PoolWindow) -> None:
    """The window's cells, the winner (max) and the arithmetic that made the value."""
    highlight = np.zeros(window.values.shape, bool)
    if window.winner is not None:
        highlight[window.winner] = True
    note = "hatched: padding; outlined: the maximum" if window.mode == "max" else "hatched: padding"
    show_html(
        grid_html(
            np.nan_to_num(window.values, nan=0.0),
            padded=window.padded,
            highlight=highlight,
            gray=True,
            caption=f"the window ({note})",
        )
        + f'<p class="cs-pool-sum">{pool_formula(window)}</p>'
        + "".join(f"<p>{sentence}</p>" for sentence in pool_conventions(window))
    )


def pool_conventions(window: PoolWindow) -> list[str]:
    """One sentence, with the numbers, for each PyTorch convention this window meets."""
    sentences = []
    if window.mode != "max" and window.padded[window.counted].any():
        count = int(window.padded[window.counted].sum())
        sentences.append(
            f"{count} of the cells are padding: they count as zeros in the sum and in the "
            "divisor, as PyTorch's pooling does by default."
        )
    if window.cut_short and window.mode == "avg":
        sentences.append(
            f"Ceil mode lets this window hang past the padded input, so PyTorch divides by "
            f"the {window.divisor} cells inside it, not by all {window.window_cells} of the "
            "window."
        )
    if window.cut_short and window.mode == "l2":
        sentences.append(
            f"Ceil mode cuts this window to {window.divisor} cells; PyTorch's lp_pool2d "
            f"takes their mean square and multiplies it by the {window.window_cells} cells "
            "of a full window before the root, so the value is larger than the root of the "
            "squares shown."
        )
    return sentences


def switches_view(plane: np.ndarray, settings, row: int, col: int) -> None:
    """An enlarged patch of the input with the position of every maximum marked."""
    size, stride, padding = settings.size, settings.stride, settings.padding
    switches = max_pool_switches(
        plane, size, stride=stride, padding=padding, ceil_mode=settings.ceil_mode
    )  # (H', W', 2)
    span = 5  # pooled cells shown on each axis
    top_cell = max(0, min(row - span // 2, switches.shape[0] - span))
    left_cell = max(0, min(col - span // 2, switches.shape[1] - span))
    chosen = switches[top_cell : top_cell + span, left_cell : left_cell + span].reshape(-1, 2)
    top = top_cell * stride - padding
    left = left_cell * stride - padding
    rows = (min(span, switches.shape[0]) - 1) * stride + size
    cols = (min(span, switches.shape[1]) - 1) * stride + size
    picture, cell = enlarge_region(image_to_rgb(plane), top, left, rows, cols)
    if stride >= size:  # windows do not overlap: draw their borders
        picture = grid_lines(picture, stride, cell, (0, 0), (40, 110, 220))
    picture = mark_cells(picture, chosen - (top, left), cell)
    region = describe_box(top, left, top + rows - 1, left + cols - 1, "Input enlarged")
    show_image(picture, alt=f"{region}; dots where each window's maximum came from")
    st.caption(
        "Orange dots: where each window's maximum came from (the 'switches'); blue lines: "
        "the pooling windows, when they do not overlap. In training, "
        "the gradient of a max-pooled value flows back to that one pixel only; the other "
        f"pixels of its window get none. Showing {min(span, switches.shape[0])} x "
        f"{min(span, switches.shape[1])} pooled cells around the picked one."
    )


def shift_lab(gray: np.ndarray, kernel: np.ndarray, settings) -> None:
    """Relative change of the feature map, the pooled map and a strided convolution."""
    curves = shift_changes(
        gray,
        kernel,
        pool_size=settings.size,
        pool_stride=settings.stride,
        pool_mode=settings.mode,
        max_shift=8,
    )
    frame = pd.DataFrame(curves)
    frame.index.name = "shift (pixels)"
    st.line_chart(frame, x_label="shift of the image (pixels)", y_label="relative change")
    feature, pooled, strided = (curves[name][1] for name in curves)
    st.caption(
        "Each line compares a map of the shifted image with the map of the original, "
        "position by position (mean absolute difference / mean absolute value). After a "
        f"1-pixel shift the feature map changes by {feature:.0%}, the pooled map by "
        f"{pooled:.0%} and a strided convolution of the same output size by {strided:.0%}: "
        "a feature that moves inside its pooling window leaves the pooled value alone."
    )
