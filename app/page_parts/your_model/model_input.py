"""The input settings of the user's model, in the sidebar: the picture's size and the
normalisation the model was trained with, filled in from the model each time another
one opens (its input size, its file's metadata, else ImageNet's statistics)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from app.widgets.controls import keyed
from cnn_core.limits import MAX_MODEL_INPUT_SIDE, MIN_MODEL_INPUT_SIDE
from cnn_core.model_input import default_normalisation, format_values, parse_values

from .opening import Opened


@dataclass(frozen=True)
class InputSettings:
    size: tuple[int, int]  # (H, W)
    mean: tuple[float, ...]
    std: tuple[float, ...]


def input_settings(state, opened: Opened) -> InputSettings | None:
    """The sidebar's input controls; the settings, or None (with a message) when the
    normalisation cannot be read."""
    model = opened.model
    if st.session_state.get(state.scratch("filled")) != opened.key:
        st.session_state[state.scratch("filled")] = opened.key
        mean, std = default_normalisation(model.channels, model.metadata)
        state.set("height", model.input_size[0])
        state.set("width", model.input_size[1])
        state.set("mean", format_values(mean))
        state.set("std", format_values(std))
    st.subheader("Input")
    left, right = st.columns(2)
    low, high = MIN_MODEL_INPUT_SIDE, MAX_MODEL_INPUT_SIDE
    keyed.number_input("Height (px)", low, high, key=state.key("height"), where=left)
    keyed.number_input("Width (px)", low, high, key=state.key("width"), where=right)
    colour = "grey" if model.channels == 1 else f"{model.channels} channels"
    keyed.text_input(f"Mean ({colour})", key=state.key("mean"))
    keyed.text_input(
        f"Std ({colour})",
        key=state.key("std"),
        help="The picture in [0, 1] is fed as (picture - mean) / std, per channel.",
    )
    try:
        mean = parse_values(state["mean"], model.channels, "Mean")
        std = parse_values(state["std"], model.channels, "Std")
    except ValueError as error:
        st.error(str(error))
        return None
    return InputSettings((int(state["height"]), int(state["width"])), mean, std)


def fingerprint(planes: np.ndarray) -> int:
    """A cheap key for a prepared picture (kept with this session's results only)."""
    return hash(np.ascontiguousarray(planes).tobytes())
