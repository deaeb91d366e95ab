"""Layer stack: up to six layers on your image, every intermediate map, every weight counted."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app.components.image_source import image_settings, image_sidebar, resolve_image
from app.components.map_view import colour_map
from app.components.page_frame import page_header
from app.components.stack_editor import stack_editor, stack_settings
from app.components.url_state import PageState
from cnn_core.colour import to_gray
from cnn_core.render import symmetric_limit, upscale_nearest
from cnn_core.stack import StackError, lecture_examples, run_stack

MAPS_SHOWN = 8
STATE = PageState("stack", [*image_settings("coffee", 256), *stack_settings()])


def page() -> None:
    STATE.restore()
    image = resolve_image(STATE)
    page_header(
        STATE,
        "Layer stack",
        "Convolution, activation and pooling in turn: each layer's maps are the next one's "
        "input. Weights are counted against a fully connected layer of the same size.",
    )
    image_sidebar(STATE, image)
    with st.sidebar:
        st.button("Reset every setting", on_click=STATE.reset)
    stack = stack_editor(STATE)
    gray = to_gray(image.pixels)
    if stack is not None:
        try:
            stages = run_stack(gray, stack)
        except StackError as error:
            st.error(str(error))
            stages = None
        if stages:
            _show_stages(gray, stages)
    STATE.publish()


def _show_stages(gray: np.ndarray, stages) -> None:
    st.subheader("Input")
    left, _ = st.columns([1, 3])
    left.image(
        gray,
        width="stretch",
        clamp=True,
        caption=f"gray image, 1 x {gray.shape[0]} x {gray.shape[1]}",
    )
    channels_in = 1
    for number, stage in enumerate(stages, start=1):
        st.subheader(f"Layer {number}: {stage.layer.label}")
        channels, height, width = stage.shape
        signed = bool(stage.maps.min() < 0)
        shown = min(channels, MAPS_SHOWN)
        # Each map gets its own range: one strong map would otherwise hide all the others.
        limits = [symmetric_limit(m) if signed else float(m.max()) for m in stage.maps[:shown]]
        pictures = [
            upscale_nearest(colour_map(stage.maps[c], signed=signed, limit=limits[c] or None), 160)
            for c in range(shown)
        ]
        limit = max(limits)
        width = 320 if shown <= 2 else 220 if shown <= 4 else 150
        st.image(pictures, width=width, caption=[f"map {c + 1}" for c in range(shown)])
        st.caption(_describe(stage, signed, limit, channels - shown, channels_in))
        channels_in = channels
    _summary(gray, stages)


def _describe(stage, signed: bool, limit: float, hidden: int, channels_in: int) -> str:
    channels, height, width = stage.shape
    text = f"Output {channels} x {height} x {width}. "
    if stage.weights:
        ratio = stage.dense_weights / stage.weights
        text += (
            f"{_weights_formula(stage.layer, channels_in)} = {stage.weights:,} weights; a "
            f"fully connected layer from the same inputs to the same outputs would need "
            f"{stage.dense_weights:,} ({ratio:,.0f} times as many). "
        )
    else:
        text += "No weights. "
    colours = "blue below zero, white at zero, red above" if signed else "dark 0 to yellow high"
    text += f"Colours: {colours}, each map scaled to its own largest value (up to {limit:.3g})."
    if hidden:
        text += f" {hidden} more maps are not shown."
    return text


def _weights_formula(layer, channels_in: int) -> str:
    if layer.kind == "rand":
        return f"{layer.filters} filters x {channels_in} maps x {layer.size} x {layer.size}"
    if layer.kind == "kirsch":
        return f"8 kernels x {channels_in} maps x 3 x 3"
    rows, cols = layer.geometry()["kernel"], layer.geometry()["kernel"]
    return f"1 kernel x {channels_in} maps x {rows} x {cols}"


def _summary(gray: np.ndarray, stages) -> None:
    st.subheader("Weights, layer by layer")
    rows = [
        {
            "layer": f"{number}. {stage.layer.label}",
            "output (C x H x W)": " x ".join(map(str, stage.shape)),
            "weights": f"{stage.weights:,}",
            "fully connected equivalent": f"{stage.dense_weights:,}",
        }
        for number, stage in enumerate(stages, start=1)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    total = sum(stage.weights for stage in stages)
    dense = sum(stage.dense_weights for stage in stages)
    st.caption(
        f"In all: {total:,} weights, against {dense:,} for fully connected layers between "
        "the same maps. Sharing one small kernel across every position is what makes the "
        "difference."
    )
    with st.expander("The lecture notes' two examples"):
        rows = [
            {**row, "ratio": f"{row['fully connected'] / row['convolution']:,.0f} x"}
            for row in lecture_examples()
        ]
        frame = pd.DataFrame(rows)
        for column in ("fully connected", "convolution"):
            frame[column] = frame[column].map("{:,}".format)
        st.dataframe(frame, hide_index=True, width="stretch")


if __name__ == "__main__":
    page()
