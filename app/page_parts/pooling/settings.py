"""Pool mode, window, stride, padding and ceil mode, and the output-size formula."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app.shell.settings.setting_controls import setting_slider
from app.shell.url_state import Setting, choice, flag, integer
from app.widgets.controls import keyed
from app.widgets.controls.labelled import labelled_radio
from app.widgets.numbers.formula import output_size_block
from cnn_core.geometry import OutputSize, output_size_arithmetic
from cnn_core.limits import MAX_POOL_WINDOW
from cnn_core.pool import POOL_MODES

MODE_LABELS = {"max": "max", "avg": "average", "l2": "L2 (root of sum of squares)"}


def pool_settings_spec() -> list[Setting]:
    return [
        choice("mode", POOL_MODES, "max"),
        integer("size", 1, MAX_POOL_WINDOW, 2),
        integer("stride", 1, MAX_POOL_WINDOW, 2),
        integer("pad", 0, MAX_POOL_WINDOW // 2, 0),
        flag("ceil", False),
    ]


@dataclass(frozen=True)
class PoolSettings:
    mode: str
    size: int
    stride: int
    padding: int
    ceil_mode: bool

    def options(self) -> dict:
        return dict(
            stride=self.stride, padding=self.padding, mode=self.mode, ceil_mode=self.ceil_mode
        )


def pool_settings_from_state(state) -> PoolSettings:
    """The settings as pool2d takes them, from the page state (the padding first limited
    to half the window, as its control allows)."""
    if state["pad"] > state["size"] // 2:
        state.set("pad", state["size"] // 2)
    return PoolSettings(state["mode"], state["size"], state["stride"], state["pad"], state["ceil"])


# The panel's height where its three columns stand side by side (a main area wider than
# ~1000 px): measured in chromium, the same in rem at 17 px and in presenter mode.
PANEL_HEIGHT_REM = 9.5


def pool_settings_panel(state) -> None:
    """The controls in three columns (call ``pool_settings_from_state`` first)."""
    first, second, third = st.columns(3)
    with first:
        labelled_radio("Pooling", MODE_LABELS, key=state.key("mode"), horizontal=True)
        keyed.toggle("Ceil mode (keep a last, partial window)", key=state.key("ceil"))
    with second:
        setting_slider(state, "size", "Window size")
        setting_slider(state, "stride", "Stride")
    with third:
        keyed.slider(
            "Padding",
            0,
            max(state["size"] // 2, 1),
            key=state.key("pad"),
            disabled=state["size"] < 2,
            help="At most half the window, so no window is all padding.",
        )


def pool_output_sizes(input_shape, settings: PoolSettings) -> tuple[OutputSize, OutputSize]:
    """The output-size arithmetic of rows and columns, as ``pool2d`` sizes its output."""
    rows, cols = (
        output_size_arithmetic(
            size,
            settings.size,
            stride=settings.stride,
            before=settings.padding,
            ceil_mode=settings.ceil_mode,
        )
        for size in input_shape
    )
    return rows, cols


def show_pool_formula(sizes: tuple[OutputSize, OutputSize], settings: PoolSettings) -> None:
    """The output-size formula, then the same with the numbers for both axes."""
    note = "n: input size; p: padding on each side; k: window size; s: stride."
    if settings.ceil_mode:
        note += " Ceil mode rounds up, keeping a last window that runs past the input."
    if any(size.dropped_last for size in sizes):
        note += (
            " A last window that would start in the padding is dropped, as PyTorch does "
            "(the − 1), so every window covers some of the image."
        )
    st.html(output_size_block(*sizes, note, pooling=True))
