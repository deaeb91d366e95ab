"""The pixel inspector: the window, kernel, products and sum behind one output value."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.shell.url_state import Setting, integer, position
from app.widgets.controls import keyed
from app.widgets.numbers.number_grid import format_value, grid_html, row_html, show_html, sign_html
from app.widgets.pictures.described import show_image
from cnn_core.activations import ACTIVATIONS, apply_activation
from cnn_core.colour import CHANNEL_NAMES
from cnn_core.describe import describe_kernel
from cnn_core.drawing import zoom_window
from cnn_core.render import image_to_rgb
from cnn_core.window import FilterWindow, WindowArithmetic, filter_window

MAX_TERMS_WRITTEN = 9
INSPECTOR_SCRATCH = ("slice",)


def inspector_settings() -> list[Setting]:
    # Until the user picks a pixel, the inspector shows the centre of the feature map.
    return [position("row"), position("col"), integer("ch", 0, 2, 0)]


def picked_pixel(state, map_shape: tuple[int, int], maps: int) -> tuple[int, int, int]:
    """The inspected (row, col, map), moved inside the current maps before widgets draw."""
    row = state.clamp_position("row", map_shape[0])
    col = state.clamp_position("col", map_shape[1])
    index = min(state["ch"], maps - 1)
    if state["ch"] != index:
        state.set("ch", index)
    return row, col, index


def inspected_window(run, row: int, col: int, index: int) -> FilterWindow:
    """The arithmetic of output (row, col): every input channel that feeds it."""
    if run.colour == "summed":
        return filter_window(run.planes, run.kernel, row, col, flip=run.flip, **run.conv_options)
    return filter_window(
        run.planes[index : index + 1], run.kernel, row, col, flip=run.flip, **run.conv_options
    )


def show_inspector(state, run) -> None:
    """Row/column pickers and the zoomed window on the left, the arithmetic on the right."""
    rows, cols = run.maps.shape[1:]
    names = run.names
    left, right = st.columns([1, 2.6])
    with left:
        keyed.number_input("Output row", 0, rows - 1, step=1, key=state.key("row"))
        keyed.number_input("Output column", 0, cols - 1, step=1, key=state.key("col"))
        if len(names) > 1:
            keyed.radio(
                "Feature map",
                range(len(names)),
                key=state.key("ch"),
                horizontal=True,
                format_func=lambda i: names[i],
            )
        elif run.colour == "summed":
            keyed.segmented_control(
                "Show the window of",
                CHANNEL_NAMES,
                key=state.scratch("slice"),
                required=True,
                default="red",
            )
    row, col = state["row"], state["col"]
    index = state["ch"] if len(names) > 1 else 0
    arithmetic = inspected_window(run, row, col, index)
    if run.colour == "summed":
        shown = st.session_state.get(state.scratch("slice")) or "red"
        channel = CHANNEL_NAMES.index(shown)
        window = arithmetic.windows[channel]
        label = f"{shown} channel"
        summary = _channel_sum_html(arithmetic) + _result_html(
            arithmetic.total, run.raw_maps[0, row, col], run.activation
        )
        plane = run.planes[channel]
    else:
        window = arithmetic.windows[0]
        label = names[index]
        summary = _result_html(arithmetic.total, run.raw_maps[index, row, col], run.activation)
        plane = run.planes[index if len(run.planes) > 1 else 0]
    with left:
        show_image(
            zoom_window(image_to_rgb(plane), window.positions),
            alt=f"The {label} input window, enlarged: " + describe_kernel(window.values, "values"),
            caption=f"The {label} input under the kernel's taps (yellow); grey = padding.",
        )
    applied = "kernel, rotated 180°" if run.flip else "kernel"
    with right:
        show_html(
            row_html(
                grid_html(window.values, padded=window.padded, caption="input window", gray=True),
                sign_html("&times;"),
                grid_html(window.kernel, caption=applied),
                sign_html("="),
                grid_html(window.products, caption="products"),
            )
            + terms_html(window)
            + summary
        )


def terms_html(window: WindowArithmetic) -> str:
    """The sum of products written out (or counted, for large kernels), with its total."""
    terms = [
        f"({format_value(k)} × {format_value(v)})"
        for k, v in zip(window.kernel.ravel(), window.values.ravel())
    ]
    total = format_value(window.total, 4)
    if len(terms) <= MAX_TERMS_WRITTEN:
        text = " + ".join(terms) + f" = <b>{total}</b>"
    else:
        text = f"Sum of the {len(terms)} products = <b>{total}</b>"
    if window.padded.any():
        text += f" ({int(window.padded.sum())} of the taps read padding: hatched cells)"
    return f'<p class="cs-sum">{text}</p>'


def _channel_sum_html(arithmetic: FilterWindow) -> str:
    terms = " + ".join(
        f"{format_value(w.total, 4)} ({name})" for w, name in zip(arithmetic.windows, CHANNEL_NAMES)
    )
    return (
        f"<p><b>Summed over the channels:</b> {terms} = "
        f"<b>{format_value(arithmetic.total, 4)}</b></p>"
    )


def _result_html(total: float, raw_value: float, activation: str) -> str:
    """The feature map's own value next to the hand-made sum, and the activation."""
    line = (
        f"The feature map holds <b>{format_value(float(raw_value), 4)}</b> here "
        f"(the sum of products: {format_value(total, 4)})"
    )
    if activation != "none":
        activated = float(apply_activation(activation, np.float32([raw_value]))[0])
        line += (
            f"; after {ACTIVATIONS[activation].label} it becomes "
            f"<b>{format_value(activated, 4)}</b>"
        )
    return f"<p>{line}.</p>"
