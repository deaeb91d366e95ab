"""The pixel inspector: the window, kernel, products and sum behind one output value."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnn_core.activations import apply_activation
from cnn_core.colour import CHANNEL_NAMES
from cnn_core.render import image_to_rgb, zoom_window
from cnn_core.window import WindowArithmetic, window_arithmetic

from .number_grid import format_value, grid_html, show_html
from .url_state import Setting, integer

MAX_INDEX = 4095
MAX_TERMS_WRITTEN = 9


def inspector_settings() -> list[Setting]:
    # -1 means "the centre of the feature map", which depends on the image.
    return [
        integer("row", -1, MAX_INDEX, -1),
        integer("col", -1, MAX_INDEX, -1),
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
    """Row/column pickers, then the arithmetic of the picked output pixel."""
    rows, cols = run.maps.shape[1:]
    pick_row, pick_col, pick_map = st.columns([1, 1, 2])
    pick_row.number_input("Output row", 0, rows - 1, step=1, key=state.key("row"))
    pick_col.number_input("Output column", 0, cols - 1, step=1, key=state.key("col"))
    names = run.names
    if len(names) > 1:
        pick_map.radio(
            "Feature map",
            range(len(names)),
            key=state.key("ch"),
            horizontal=True,
            format_func=lambda i: names[i],
        )
    row, col = state["row"], state["col"]
    every = windows(run, row, col)
    if run.colour == "summed":
        shown = (
            st.segmented_control(
                "Show the window of",
                CHANNEL_NAMES,
                default="red",
                key=f"{state.page}_slice",
            )
            or "red"
        )
        index = CHANNEL_NAMES.index(shown)
        _show_window(run.planes[index], every[index], label=f"{shown} channel", flip=run.flip)
        terms = " + ".join(
            f"{format_value(w.total, 4)} ({n})" for w, n in zip(every, CHANNEL_NAMES)
        )
        total = sum(w.total for w in every)
        st.markdown(f"**Summed over the channels:** {terms} = **{format_value(total, 4)}**")
        _show_result(total, run.raw_maps[0, row, col], run.activation)
        return
    index = state["ch"] if len(names) > 1 else 0
    window = every[index]
    _show_window(run.planes[index], window, label=names[index], flip=run.flip)
    _show_result(window.total, run.raw_maps[index, row, col], run.activation)


def _show_window(plane: np.ndarray, window: WindowArithmetic, *, label: str, flip: bool) -> None:
    picture, tables = st.columns([1, 2])
    with picture:
        st.image(zoom_window(image_to_rgb(plane), window.positions), width="stretch")
        st.caption(f"The {label} input under the kernel's taps (yellow); grey = padding.")
    with tables:
        applied = "kernel, rotated 180°" if flip else "kernel"
        show_html(
            '<div style="display:flex; gap:0.8rem; align-items:center; flex-wrap:wrap">'
            + grid_html(window.values, padded=window.padded, caption="input window", gray=True)
            + '<span style="font-size:1.6rem">&times;</span>'
            + grid_html(window.kernel, caption=applied)
            + '<span style="font-size:1.6rem">=</span>'
            + grid_html(window.products, caption="products")
            + "</div>"
        )
        _write_terms(window)


def _write_terms(window: WindowArithmetic) -> None:
    terms = [
        f"({format_value(k)} × {format_value(v)})"
        for k, v in zip(window.kernel.ravel(), window.values.ravel())
    ]
    total = format_value(window.total, 4)
    if len(terms) <= MAX_TERMS_WRITTEN:
        st.markdown(" + ".join(terms) + f" = **{total}**")
    else:
        st.markdown(f"Sum of the {len(terms)} products = **{total}**")
    if window.padded.any():
        st.caption(f"{int(window.padded.sum())} of the taps read padding (hatched cells).")


def _show_result(total: float, raw_value: float, activation: str) -> None:
    """The feature map's own value next to the hand-made sum, and the activation."""
    line = (
        f"The feature map holds **{format_value(float(raw_value), 4)}** here "
        f"(the sum of products: {format_value(total, 4)})"
    )
    if activation != "none":
        activated = float(apply_activation(activation, np.float32([raw_value]))[0])
        line += f"; after {activation} it becomes **{format_value(activated, 4)}**"
    st.markdown(line + ".")
