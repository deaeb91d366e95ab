"""The pixel inspector: the window, kernel, products and sum behind one output value."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnn_core.activations import apply_activation
from cnn_core.colour import CHANNEL_NAMES
from cnn_core.render import image_to_rgb, zoom_window
from cnn_core.window import WindowArithmetic, window_arithmetic

from .number_grid import format_value, grid_html, show_html
from .url_state import Setting, integer, position

MAX_TERMS_WRITTEN = 9


def inspector_settings() -> list[Setting]:
    # Until the user picks a pixel, the inspector shows the centre of the feature map.
    return [
        position("row"),
        position("col"),
        integer("ch", 0, 2, 0),
    ]


def picked_pixel(state, map_shape: tuple[int, int], maps: int) -> tuple[int, int, int]:
    """The inspected (row, col, map), moved inside the current maps before widgets draw."""
    rows, cols = map_shape
    row = rows // 2 if state["row"] < 0 else min(state["row"], rows - 1)
    col = cols // 2 if state["col"] < 0 else min(state["col"], cols - 1)
    index = min(state["ch"], maps - 1)
    for name, value in (("row", row), ("col", col), ("ch", index)):
        if state[name] != value:
            state.set(name, value)
    return row, col, index


def windows(run, row: int, col: int) -> list[WindowArithmetic]:
    """The window arithmetic of every input channel that feeds output (row, col)."""
    channels = range(len(run.planes))
    slices = [run.kernel[c] if run.kernel.ndim == 3 else run.kernel for c in channels]
    return [
        window_arithmetic(run.planes[c], slices[c], row, col, flip=run.flip, **run.conv_options)
        for c in channels
    ]


def show_inspector(state, run) -> None:
    """Row/column pickers and the zoomed window on the left, the arithmetic on the right."""
    rows, cols = run.maps.shape[1:]
    names = run.names
    left, right = st.columns([1, 2.6])
    with left:
        st.number_input("Output row", 0, rows - 1, step=1, key=state.key("row"))
        st.number_input("Output column", 0, cols - 1, step=1, key=state.key("col"))
        if len(names) > 1:
            st.radio(
                "Feature map",
                range(len(names)),
                key=state.key("ch"),
                horizontal=True,
                format_func=lambda i: names[i],
            )
        elif run.colour == "summed":
            st.segmented_control(
                "Show the window of",
                CHANNEL_NAMES,
                key=f"{state.page}_slice",
                required=True,
                default="red",
            )
    row, col = state["row"], state["col"]
    every = windows(run, row, col)
    if run.colour == "summed":
        shown = st.session_state.get(f"{state.page}_slice") or "red"
        index = CHANNEL_NAMES.index(shown)
        terms = " + ".join(
            f"{format_value(w.total, 4)} ({n})" for w, n in zip(every, CHANNEL_NAMES)
        )
        total = sum(w.total for w in every)
        summary = (
            f"<p><b>Summed over the channels:</b> {terms} = <b>{format_value(total, 4)}</b></p>"
            + _result_html(total, run.raw_maps[0, row, col], run.activation)
        )
        label = f"{shown} channel"
    else:
        index = state["ch"] if len(names) > 1 else 0
        summary = _result_html(every[index].total, run.raw_maps[index, row, col], run.activation)
        label = names[index]
    window = every[index]
    left.image(
        zoom_window(image_to_rgb(run.planes[index]), window.positions),
        width="stretch",
        caption=f"The {label} input under the kernel's taps (yellow); grey = padding.",
    )
    applied = "kernel, rotated 180°" if run.flip else "kernel"
    with right:
        show_html(
            '<div style="display:flex; gap:0.8rem; align-items:center; flex-wrap:wrap">'
            + grid_html(window.values, padded=window.padded, caption="input window", gray=True)
            + '<span style="font-size:1.6rem">&times;</span>'
            + grid_html(window.kernel, caption=applied)
            + '<span style="font-size:1.6rem">=</span>'
            + grid_html(window.products, caption="products")
            + "</div>"
            + _terms_html(window)
            + summary
        )


def _terms_html(window: WindowArithmetic) -> str:
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
    return f"<p>{text}</p>"


def _result_html(total: float, raw_value: float, activation: str) -> str:
    """The feature map's own value next to the hand-made sum, and the activation."""
    line = (
        f"The feature map holds <b>{format_value(float(raw_value), 4)}</b> here "
        f"(the sum of products: {format_value(total, 4)})"
    )
    if activation != "none":
        activated = float(apply_activation(activation, np.float32([raw_value]))[0])
        line += f"; after {activation} it becomes <b>{format_value(activated, 4)}</b>"
    return f"<p>{line}.</p>"
