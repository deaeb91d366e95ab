"""Pool mode, window, stride, padding and ceil mode, and the output-size formula."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cnn_core.pool import POOL_MODES

from .formula_html import formula_block, rounded_fraction, symbol
from .url_state import Setting, choice, flag, integer

MAX_WINDOW = 8
MODE_LABELS = {"max": "max", "avg": "average", "l2": "L2 (root of sum of squares)"}


def pool_settings_spec() -> list[Setting]:
    return [
        choice("mode", POOL_MODES, "max"),
        integer("size", 1, MAX_WINDOW, 2),
        integer("stride", 1, MAX_WINDOW, 2),
        integer("pad", 0, MAX_WINDOW // 2, 0),
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


def pool_settings_panel(state) -> PoolSettings:
    """The controls in three columns; returns the settings as pool2d takes them."""
    first, second, third = st.columns(3)
    with first:
        st.radio(
            "Pooling",
            POOL_MODES,
            key=state.key("mode"),
            horizontal=True,
            format_func=MODE_LABELS.get,
        )
        st.toggle("Ceil mode (keep a last, partial window)", key=state.key("ceil"))
    with second:
        st.slider("Window size", 1, MAX_WINDOW, key=state.key("size"))
        st.slider("Stride", 1, MAX_WINDOW, key=state.key("stride"))
    with third:
        if state["pad"] > state["size"] // 2:
            state.set("pad", state["size"] // 2)
        st.slider(
            "Padding",
            0,
            max(state["size"] // 2, 1),
            key=state.key("pad"),
            disabled=state["size"] < 2,
            help="At most half the window, so no window is all padding.",
        )
    return PoolSettings(
        state["mode"],
        state["size"],
        state["stride"],
        min(state["pad"], state["size"] // 2),
        state["ceil"],
    )


def show_pool_formula(input_shape, settings: PoolSettings, shape) -> None:
    """The output-size formula, then the same with the numbers for both axes."""
    ceil = settings.ceil_mode
    minus = "\u2212"
    lines = [
        symbol("n", "out")
        + " = "
        + rounded_fraction(
            f"{symbol('n')} + 2{symbol('p')} {minus} {symbol('k')}", symbol("s"), ceil=ceil
        )
        + " + 1"
    ]
    for name, size, out in (("H", input_shape[0], shape[0]), ("W", input_shape[1], shape[1])):
        numerator = f"{size} + 2·{settings.padding} {minus} {settings.size}"
        lines.append(
            f"{symbol(name, 'out')} = "
            + rounded_fraction(numerator, str(settings.stride), ceil=ceil)
            + f" + 1 = <b>{out}</b>"
        )
    note = "n: input size; p: padding on each side; k: window size; s: stride."
    if ceil:
        note += (
            " Ceil mode rounds up, but a last window that would start in the padding is "
            "dropped (as PyTorch does), so every window covers some of the image."
        )
    st.html(formula_block(lines, note))
