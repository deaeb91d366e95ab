"""The Layer stack page's views: every layer's maps, its weights against a fully connected
layer, and two published weight counts (Grosse, CSC321 notes on convolutional networks)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app.widgets.pictures.described import show_image, show_image_row
from app.widgets.pictures.map_view import colour_map
from cnn_core.describe import describe_image, describe_map
from cnn_core.drawing import upscale_nearest
from cnn_core.render import current_palette, symmetric_limit
from cnn_core.stack import StageOutput, WeightCount, lecture_examples

MAPS_SHOWN = 8


def show_stages(gray: np.ndarray, stages: list[StageOutput]) -> None:
    """The input, then each layer's maps with what they cost."""
    st.header("Input", anchor=False)
    left, _ = st.columns([1, 3])
    with left:
        show_image(
            gray,
            alt=describe_image(np.clip(gray, 0, 1), "Input"),
            caption=f"gray image, 1 x {gray.shape[0]} x {gray.shape[1]}",
        )
    for number, stage in enumerate(stages, start=1):
        st.header(f"Layer {number}: {stage.layer.label}", anchor=False)
        channels = stage.shape[0]
        signed = bool(stage.maps.min() < 0)
        shown = min(channels, MAPS_SHOWN)
        # Each map gets its own range: one strong map would otherwise hide all the others.
        limits = [symmetric_limit(m) if signed else float(m.max()) for m in stage.maps[:shown]]
        pictures = [
            upscale_nearest(colour_map(stage.maps[c], signed=signed, limit=limits[c] or None), 160)
            for c in range(shown)
        ]
        width = 320 if shown <= 2 else 220 if shown <= 4 else 150
        show_image_row(
            pictures,
            width=width,
            alts=[describe_map(stage.maps[c], f"Map {c + 1}") for c in range(shown)],
            captions=[f"map {c + 1}" for c in range(shown)],
        )
        st.caption(describe(stage, signed, max(limits), channels - shown))


def weights_formula(count: WeightCount) -> str:
    """ "8 kernels x 1 map x 3 x 3 = 72" from the count the stack returned."""
    kernels = f"{count.kernels} kernel" + ("" if count.kernels == 1 else "s")
    maps = f"{count.maps} map" + ("" if count.maps == 1 else "s")
    return f"{kernels} x {maps} x {count.rows} x {count.cols} = {count.total:,}"


def describe(stage: StageOutput, signed: bool, limit: float, hidden: int) -> str:
    channels, height, width = stage.shape
    text = f"Output {channels} x {height} x {width}. "
    if stage.weights:
        text += (
            f"{weights_formula(stage.weights)} weights; a fully connected layer from the "
            f"same inputs to the same outputs would need {stage.dense_weights:,} "
            f"({stage.dense_ratio:,.0f} times as many). "
        )
    else:
        text += "No weights. "
    words = current_palette()
    colours = (
        "{} below zero, {} at zero, {} above".format(*words.signed_words)
        if signed
        else "{} 0 to {} high".format(*words.unsigned_words)
    )
    text += f"Colours: {colours}, each map scaled to its own largest value (up to {limit:.3g})."
    if hidden:
        text += f" {hidden} more maps are not shown."
    return text


def weights_summary(stages: list[StageOutput], total: int, dense: int) -> None:
    """A table of every layer's weights, the totals, and the two published examples."""
    st.header("Weights, layer by layer", anchor=False)
    rows = [
        {
            "layer": f"{number}. {stage.layer.label}",
            "output (C x H x W)": " x ".join(map(str, stage.shape)),
            "weights": f"{stage.weights.total:,}" if stage.weights else "0",
            "fully connected equivalent": f"{stage.dense_weights:,}",
        }
        for number, stage in enumerate(stages, start=1)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(
        f"In all: {total:,} weights, against {dense:,} for fully connected layers between "
        "the same maps. Sharing one small kernel across every position is what makes the "
        "difference."
    )
    with st.expander("The lecture notes' two examples"):
        examples = lecture_examples()
        frame = pd.DataFrame(
            {
                "example": [e.example for e in examples],
                "conv layer": [e.conv_layer for e in examples],
                "fully connected": [f"{e.dense:,}" for e in examples],
                "convolution": [f"{e.conv:,}" for e in examples],
                "ratio": [f"{e.ratio:,.0f} x" for e in examples],
            }
        )
        st.dataframe(frame, hide_index=True, width="stretch")
