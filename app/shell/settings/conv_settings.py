"""Stride, padding, padding mode, dilation and activation, and the output-size formula:
the convolution settings the Convolution and Compare pages share (URL settings and
controls)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app.widgets.controls import keyed
from app.widgets.numbers.formula import output_size_block
from cnn_core.activations import ACTIVATIONS
from cnn_core.geometry import (
    PADDING_MODES,
    OutputSize,
    Padding,
    output_size_arithmetic,
    resolve_padding,
)
from cnn_core.limits import MAX_DILATION, MAX_PADDING, MAX_STRIDE

from ..url_state import Setting, choice, integer
from .setting_controls import setting_radio, setting_slider

PADDING_KINDS = ("same", "valid", "amount")


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

    def describe(self) -> str:
        """The settings in words, for a caption or a slide."""
        padding = self.padding if isinstance(self.padding, str) else f"{self.padding} px"
        words = [
            f"stride {self.stride}",
            f"padding {padding} ({self.padding_mode})",
            f"dilation {self.dilation}",
        ]
        if self.activation != "none":
            words.append(f"then {ACTIVATIONS[self.activation].label}")
        return ", ".join(words)

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


# The panel's height where its columns stand side by side in one row of three (a main
# area wider than ~1000 px): 161.5 px at 17 px to the rem, 202 px in presenter mode.
PANEL_HEIGHT_REM = 9.5


def settings_panel(state) -> None:
    """The settings controls, in three narrow columns."""
    first, second, third = st.columns(3)
    with first:
        setting_slider(state, "stride", "Stride")
        setting_slider(state, "dil", "Dilation")
    with second:
        setting_radio(
            state,
            "padk",
            "Padding",
            horizontal=True,
            help='"same" keeps the size (at stride 1); "valid" adds none.',
        )
        setting_slider(state, "pad", "Padding on each side", disabled=state["padk"] != "amount")
    with third:
        keyed.selectbox("Padding mode", PADDING_MODES, key=state.key("mode"))
        keyed.selectbox(
            "Activation",
            tuple(ACTIVATIONS),
            key=state.key("act"),
            format_func=lambda name: ACTIVATIONS[name].label,
        )


def padding_pixels(settings: ConvSettings, input_shape, kernel_shape) -> Padding:
    stride = (settings.stride, settings.stride)
    dilation = (settings.dilation, settings.dilation)
    return resolve_padding(settings.padding, input_shape, kernel_shape, stride, dilation)


def output_sizes(settings: ConvSettings, input_shape, kernel_shape) -> tuple[OutputSize, ...]:
    """The output-size arithmetic of rows and columns for these settings."""
    pad = padding_pixels(settings, input_shape, kernel_shape)
    sides = ((pad.top, pad.bottom), (pad.left, pad.right))
    return tuple(
        output_size_arithmetic(
            size,
            kernel,
            stride=settings.stride,
            before=before,
            after=after,
            dilation=settings.dilation,
        )
        for size, kernel, (before, after) in zip(input_shape, kernel_shape, sides)
    )


def show_formula(settings: ConvSettings, sizes: tuple[OutputSize, OutputSize]) -> None:
    """The formula in symbols, then rows and columns with the numbers filled in."""
    rows, cols = sizes
    notes = [
        f"n: input size; p1, p2: padding before/after ({rows.before} + {rows.after} rows, "
        f"{cols.before} + {cols.after} columns of {settings.padding_mode}); k: kernel size; "
        "d: dilation; s: stride."
    ]
    if left_out := unreached_phrase(rows.unreached, cols.unreached):
        notes.append(
            f"The division rounds down, so the kernel never reaches {left_out} of the "
            "image (shaded red on the input)."
        )
    st.html(output_size_block(rows, cols, " ".join(notes)))


def unreached_phrase(rows: int, cols: int) -> str:
    """ "the last row and the last 2 columns", naming only what is left out."""
    parts = [
        f"the last {noun}" if count == 1 else f"the last {count} {noun}s"
        for count, noun in ((rows, "row"), (cols, "column"))
        if count
    ]
    return " and ".join(parts)
