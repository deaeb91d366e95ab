"""Stride, padding, padding mode, dilation and activation, and the output-size formula."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cnn_core.activations import ACTIVATIONS
from cnn_core.geometry import (
    PADDING_MODES,
    Padding,
    effective_kernel_size,
    resolve_padding,
    unreached_trailing,
)

from .formula_html import formula_block, rounded_fraction, symbol
from .url_state import Setting, choice, integer

PADDING_KINDS = ("same", "valid", "amount")
MAX_STRIDE = 8
MAX_PADDING = 15
MAX_DILATION = 8

_ACTIVATION_LABELS = {
    "none": "None (raw values)",
    "relu": "ReLU  max(z, 0)",
    "leaky_relu": "Leaky ReLU (slope 0.1)",
    "sigmoid": "Sigmoid",
    "tanh": "tanh",
    "abs": "Absolute value |z|",
}


def conv_settings_spec() -> list[Setting]:
    return [
        integer("stride", 1, MAX_STRIDE, 1),
        choice("padk", PADDING_KINDS, "same"),
        integer("pad", 0, MAX_PADDING, 1),
        choice("mode", PADDING_MODES, "zeros"),
        integer("dil", 1, MAX_DILATION, 1),
        choice("act", tuple(ACTIVATIONS), "none"),
    ]


@dataclass(frozen=True)
class ConvSettings:
    stride: int
    padding: int | str  # an amount, "same" or "valid", as conv2d takes it
    padding_mode: str
    dilation: int
    activation: str

    def conv_options(self) -> dict:
        return dict(
            stride=self.stride,
            padding=self.padding,
            padding_mode=self.padding_mode,
            dilation=self.dilation,
        )


def settings_from_state(state) -> ConvSettings:
    """The settings as conv2d takes them, read from the page state. Draws nothing."""
    kind = state["padk"]
    padding = state["pad"] if kind == "amount" else kind
    return ConvSettings(state["stride"], padding, state["mode"], state["dil"], state["act"])


def settings_panel(state) -> None:
    """The settings controls, in three narrow columns."""
    first, second, third = st.columns(3)
    with first:
        st.slider("Stride", 1, MAX_STRIDE, key=state.key("stride"))
        st.slider("Dilation", 1, MAX_DILATION, key=state.key("dil"))
    with second:
        st.radio(
            "Padding",
            PADDING_KINDS,
            key=state.key("padk"),
            horizontal=True,
            help='"same" keeps the size (at stride 1); "valid" adds none.',
        )
        st.slider(
            "Padding on each side",
            0,
            MAX_PADDING,
            key=state.key("pad"),
            disabled=state["padk"] != "amount",
        )
    with third:
        st.selectbox("Padding mode", PADDING_MODES, key=state.key("mode"))
        st.selectbox(
            "Activation",
            tuple(ACTIVATIONS),
            key=state.key("act"),
            format_func=_ACTIVATION_LABELS.get,
        )


MINUS = "\u2212"
GENERAL_FORMULA = (
    symbol("n", "out")
    + " = "
    + rounded_fraction(
        f"{symbol('n')} + {symbol('p', '1')} + {symbol('p', '2')} {MINUS} "
        f"{symbol('d')}·({symbol('k')} {MINUS} 1) {MINUS} 1",
        symbol("s"),
    )
    + " + 1"
)


def axis_formula(
    axis: str, size: int, kernel: int, stride: int, before: int, after: int, dilation: int
) -> str:
    """HTML of the output-size formula for one axis, with the numbers filled in."""
    span = effective_kernel_size(kernel, dilation)
    out = (size + before + after - span) // stride + 1
    symbol_name = {"rows": "H", "columns": "W"}[axis]
    numerator = f"{size} + {before} + {after} {MINUS} {dilation}·({kernel} {MINUS} 1) {MINUS} 1"
    return (
        f"{symbol(symbol_name, 'out')} = {rounded_fraction(numerator, str(stride))} + 1 = "
        f"<b>{out}</b>"
    )


def padding_pixels(settings: ConvSettings, input_shape, kernel_shape) -> Padding:
    stride = (settings.stride, settings.stride)
    dilation = (settings.dilation, settings.dilation)
    return resolve_padding(settings.padding, input_shape, kernel_shape, stride, dilation)


def show_formula(settings: ConvSettings, input_shape, kernel_shape) -> tuple[int, int]:
    """The formula, then rows and columns filled in; returns the rows/columns never reached."""
    pad = padding_pixels(settings, input_shape, kernel_shape)
    sides = ((pad.top, pad.bottom), (pad.left, pad.right))
    filled, unreached = [], []
    for axis, size, kernel, (before, after) in zip(
        ("rows", "columns"), input_shape, kernel_shape, sides
    ):
        filled.append(
            axis_formula(axis, size, kernel, settings.stride, before, after, settings.dilation)
        )
        unreached.append(
            unreached_trailing(
                size,
                kernel,
                stride=settings.stride,
                before=before,
                after=after,
                dilation=settings.dilation,
            )
        )
    notes = [
        f"n: input size; p1, p2: padding before/after ({pad.top} + {pad.bottom} rows, "
        f"{pad.left} + {pad.right} columns of {settings.padding_mode}); k: kernel size; "
        f"d: dilation; s: stride."
    ]
    if any(unreached):
        notes.append(
            f"The division rounds down, so the last {unreached[0]} row(s) and {unreached[1]} "
            "column(s) of the image are never under the kernel (shaded red on the input)."
        )
    st.html(formula_block([GENERAL_FORMULA, *filled], " ".join(notes)))
    return unreached[0], unreached[1]
