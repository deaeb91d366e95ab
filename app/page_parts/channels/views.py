"""The Channels page's views: output maps, 1 x 1 channel mixing, and what grouped and
depthwise-separable layers save."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app.widgets.numbers.number_grid import grid_html, show_html
from app.widgets.pictures.described import show_image_row
from app.widgets.pictures.map_view import colour_map, show_picture
from cnn_core.conv_layer import (
    CHANNEL_MIXES,
    layer_costs,
    mix_channels,
    separable_share,
    time_layers,
)
from cnn_core.describe import describe_image, describe_map
from cnn_core.drawing import upscale_nearest
from cnn_core.render import image_to_rgb, symmetric_limit

MIX_LABELS = {
    "luminance": "RGB to luminance (1 output)",
    "opponent": "RGB to opponent colours (3 outputs)",
    "swap_red_blue": "Swap red and blue (3 outputs)",
}
MIX_NAMES = {
    "luminance": ("luminance",),
    "opponent": ("intensity", "red - green", "yellow - blue"),
    "swap_red_blue": ("blue as red", "green", "red as blue"),
}


def output_maps(outputs: np.ndarray) -> None:
    """Every output map, sharing one colour range, so the filters compare honestly."""
    limit = symmetric_limit(outputs) or 1.0
    pictures = [upscale_nearest(colour_map(m, signed=True, limit=limit), 160) for m in outputs]
    show_image_row(
        pictures,
        width=150,
        alts=[describe_map(m, f"Output map {i}") for i, m in enumerate(outputs)],
        captions=[f"map {i}" for i in range(len(pictures))],
    )


def mixing_view(planes: np.ndarray, mix_name: str) -> None:
    """A 1 x 1 convolution: each output pixel a weighted sum of R, G, B at that pixel."""
    mix = CHANNEL_MIXES[mix_name]
    outputs = mix_channels(planes, mix)
    left, right = st.columns([1, 3])
    with left:
        show_html(
            grid_html(
                mix,
                digits=3,
                row_labels=list(MIX_NAMES[mix_name]),
                caption="1 x 1 weights: rows = outputs, columns = R, G, B",
            )
        )
    with right:
        if mix_name == "swap_red_blue":
            show_picture(
                image_to_rgb(np.moveaxis(outputs, 0, 2)),
                caption="recombined as colour",
                max_side=360,
                alt=describe_image(np.moveaxis(outputs, 0, 2), "Channels recombined as colour"),
            )
            return
        columns = st.columns(len(outputs))
        for column, values, name in zip(columns, outputs, MIX_NAMES[mix_name]):
            with column:
                signed = bool(values.min() < 0)
                picture = colour_map(values, signed=signed) if signed else image_to_rgb(values)
                show_picture(
                    picture, caption=name, max_side=360, alt=describe_map(values, name.capitalize())
                )
    st.caption(
        "A 1 x 1 kernel sees one pixel, so it does nothing spatial: it mixes the channels, "
        "like a fully connected layer applied at every pixel with shared weights."
    )


def cost_view(c_in: int, c_out: int, kernel: int, shape, *, result_key: str) -> None:
    """Weights and multiply-adds of the three layer kinds, with the arithmetic, and their
    time measured on request."""
    costs = layer_costs(c_in, c_out, kernel, shape)
    measured = st.session_state.get(result_key)
    if measured and measured[0] != (c_in, c_out, kernel, tuple(shape)):
        measured = None
    rows = []
    for cost in costs:
        factors = " × ".join(map(str, cost.weight_factors))
        if cost.name == "depthwise + pointwise":
            d, p = cost.weight_factors[:4], cost.weight_factors[4:]
            factors = f"{' × '.join(map(str, d))} + {' × '.join(map(str, p))}"
        rows.append(
            {
                "layer": cost.name,
                "weights": f"{factors} = {cost.weights:,}",
                "multiply-adds": f"{cost.output_positions:,} × {cost.weights:,} = "
                f"{cost.multiply_adds:,}",
                "time (ms)": f"{measured[1][cost.name]:.1f}" if measured else "",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    standard, separable = costs[0], costs[-1]
    st.caption(
        f"Multiply-adds = output positions ({shape[0]} x {shape[1]} = "
        f"{standard.output_positions:,}) × weights. Depthwise-separable takes "
        f"{separable.weights / standard.weights:.1%} of the standard layer's weights "
        f"(1/{c_out} + 1/{kernel}² = {separable_share(c_out, kernel):.1%}; Howard et al. 2017)."
    )
    if st.button("Measure the time", icon=":material/timer:", key=f"{result_key}_button"):
        with st.spinner("Running the three layers..."):
            st.session_state[result_key] = (
                (c_in, c_out, kernel, tuple(shape)),
                time_layers(c_in, c_out, kernel, tuple(shape)),
            )
        st.rerun()
