"""The Network page's look at one map up close: the map, the kernels that made it, and a
unit's receptive field on the input."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.widgets.controls import keyed
from app.widgets.networks.small_cnn import SPATIAL, colour_maps
from app.widgets.numbers.number_grid import grid_html, row_html, show_html
from app.widgets.pictures.described import show_image
from cnn_core.describe import describe_box, describe_map
from cnn_core.drawing import outline_box, upscale_nearest
from cnn_core.nn.digit_net import layer_geometry
from cnn_core.receptive_field import receptive_field
from cnn_core.render import image_to_rgb, symmetric_limit


def show_map_detail(state, acts, model, seen: np.ndarray) -> None:
    """One map enlarged, the kernels that made it, and one unit's receptive field."""
    left, middle, right = st.columns([1, 1, 1.4])
    layer = keyed.selectbox("Layer", SPATIAL, key=state.key("layer"), where=left)
    maps = acts[layer]
    if state["map"] >= maps.shape[0]:
        state.set("map", 0)
    index = keyed.number_input("Map", 0, maps.shape[0] - 1, key=state.key("map"), where=left)
    size = maps.shape[1]
    state.clamp_position("row", size)
    state.clamp_position("col", size)
    row = keyed.number_input("Unit row", 0, size - 1, key=state.key("row"), where=left)
    col = keyed.number_input("Unit column", 0, size - 1, key=state.key("col"), where=left)
    picture = colour_maps(maps[index : index + 1], side=280)[0]
    picture = _cells_boxed(picture, size, (row, col), (row, col), colour=(20, 20, 20))
    with middle:
        show_image(
            picture,
            alt=describe_map(maps[index], f"{layer}, map {index}") + f"; unit ({row}, {col}) boxed",
            caption=f"{layer}, map {index}: unit ({row}, {col})",
        )
    field = receptive_field(layer_geometry(model.config)[layer])[-1]
    (top, bottom), (lft, rgt) = field.box(row), field.box(col)
    side = seen.shape[0]
    boxed = _cells_boxed(upscale_nearest(image_to_rgb(seen), 280), side, (top, lft), (bottom, rgt))
    with middle:
        show_image(
            boxed,
            alt=describe_box(top, lft, bottom, rgt, f"Receptive field of unit ({row}, {col})"),
            caption=f"its receptive field on the input: rows {top} to {bottom}, columns "
            f"{lft} to {rgt} ({field.size} x {field.size}, clipped to the {side} x {side} frame)",
        )
    with right:
        _producing_kernels(layer, index, model)


def _cells_boxed(picture, cells: int, first, last, **style) -> np.ndarray:
    """``picture`` (a ``cells`` x ``cells`` map enlarged) with a box around the map cells
    ``first`` to ``last`` (row, col), both included."""
    scale = picture.shape[0] // cells
    (top, left), (bottom, right) = first, last
    return outline_box(
        picture,
        top * scale,
        left * scale,
        (bottom + 1) * scale - 1,
        (right + 1) * scale - 1,
        thickness=2,
        **style,
    )


def _producing_kernels(layer: str, index: int, model) -> None:
    k = model.config.kernel
    if layer in ("conv1", "relu1", "pool1"):
        bank = model.conv1.weight.detach().numpy()[index]  # (C, k, k)
        bias = float(model.conv1.bias.detach()[index])
        st.markdown(f"**Made by first-layer kernel {index}** (bias {bias:+.3f})")
        names = ("red", "green", "blue") if len(bank) == 3 else ("the input",)
        show_html(
            row_html(
                *(
                    grid_html(piece, digits=2, caption=f"{k} x {k} weights on {name}")
                    for piece, name in zip(bank, names)
                ),
                gap="0.4rem",
                align=None,
            )
        )
        return
    bank = model.conv2.weight.detach().numpy()[index]  # (conv1 maps, k, k)
    bias = float(model.conv2.bias.detach()[index])
    st.markdown(
        f"**Made by second-layer filter {index}** (bias {bias:+.3f}): one {k} x {k} slice "
        "per first-layer map, all summed"
    )
    limit = symmetric_limit(bank)
    show_html(
        row_html(
            *(
                grid_html(s, limit=limit, digits=1, font_size="0.6rem", caption=f"on map {i}")
                for i, s in enumerate(bank)
            ),
            gap="0.4rem",
            align=None,
        )
    )
