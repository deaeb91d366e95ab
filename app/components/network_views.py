"""Pictures of the digit network at work: every layer's maps, one map up close, and the
class probabilities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from cnn_core.model import GEOMETRY
from cnn_core.receptive_field import receptive_field
from cnn_core.render import (
    image_to_rgb,
    outline_box,
    signed_to_rgb,
    symmetric_limit,
    tile,
    unsigned_to_rgb,
    upscale_nearest,
)

from .number_grid import grid_html, show_html

SPATIAL = ("conv1", "relu1", "pool1", "conv2", "relu2", "pool2")
LAYER_NOTES = {
    "conv1": "8 learned 5x5 kernels",
    "relu1": "max(z, 0)",
    "pool1": "max 2x2",
    "conv2": "16 kernels, each 8 x 5 x 5",
    "relu2": "max(z, 0)",
    "pool2": "max 2x2",
    "fc1": "32 units",
    "fc2": "10 class scores",
}


def colour_maps(maps: np.ndarray, *, side: int) -> list[np.ndarray]:
    """Each map in colour, sharing the layer's range, enlarged to about ``side`` pixels."""
    signed = bool(maps.min() < 0)
    limit = symmetric_limit(maps) if signed else float(maps.max()) or 1.0
    colour = (
        (lambda m: signed_to_rgb(m, limit=limit))
        if signed
        else (lambda m: unsigned_to_rgb(m, low=0.0, high=limit))
    )
    return [upscale_nearest(colour(m), side) for m in maps]


def vector_picture(values: np.ndarray, columns: int) -> np.ndarray:
    """A vector of unit activations as a grid of coloured cells."""
    rows = -(-values.size // columns)
    grid = np.zeros(rows * columns, np.float32)
    grid[: values.size] = values
    signed = bool(values.min() < 0)
    grid = grid.reshape(rows, columns)
    picture = (
        signed_to_rgb(grid)
        if signed
        else unsigned_to_rgb(grid, low=0.0, high=float(values.max()) or 1.0)
    )
    return upscale_nearest(picture, 48)


def show_network(acts: dict[str, np.ndarray]) -> None:
    """The layers left to right, every map of every layer in one picture per layer."""
    layout = [*SPATIAL, "fc1", "fc2"]
    columns = st.columns([1, 1, 1, 1.3, 1.3, 1.3, 0.8, 0.8])
    for column, name in zip(columns, layout):
        values = acts[name]
        caption = f"{name} {' x '.join(map(str, values.shape))}: {LAYER_NOTES[name]}"
        if values.ndim == 3:
            per_column = 1 if values.shape[0] <= 8 else 2
            sheet = tile(colour_maps(values, side=56), per_column)
            column.image(sheet, width="stretch", caption=caption)
        elif name == "fc1":
            column.image(vector_picture(values, 4), width="stretch", caption=caption)
        else:
            with column:
                show_html(grid_html(values[:, None], digits=1, font_size="0.7rem", caption=caption))


def show_probabilities(probs: np.ndarray, label: int | None, *, compare: np.ndarray | None):
    """The prediction, its confidence and every class's probability."""
    winner = int(probs.argmax())
    truth = (
        ""
        if label is None
        else (" (right)" if label == winner else f" (the true digit is {label})")
    )
    st.markdown(f"## {winner}")
    st.markdown(f"**{probs[winner]:.1%}** confident{truth}")
    frame = pd.DataFrame({"probability": probs}, index=pd.Index(range(10), name="digit"))
    if compare is not None:
        frame = pd.DataFrame(
            {"trained weights": compare, "after surgery": probs},
            index=pd.Index(range(10), name="digit"),
        )
    st.bar_chart(frame, height=230, stack=False, y_label="probability", x_label="digit")


def show_map_detail(state, acts, model, digit: np.ndarray) -> None:
    """One map enlarged, the kernels that made it, and one unit's receptive field."""
    left, middle, right = st.columns([1, 1, 1.4])
    layer = left.selectbox("Layer", SPATIAL, key=state.key("layer"))
    maps = acts[layer]
    if state["map"] >= maps.shape[0]:
        state.set("map", 0)
    index = left.number_input("Map", 0, maps.shape[0] - 1, key=state.key("map"))
    size = maps.shape[1]
    for name in ("row", "col"):
        if state[name] >= size:
            state.set(name, size // 2)
    row = left.number_input("Unit row", 0, size - 1, key=state.key("row"))
    col = left.number_input("Unit column", 0, size - 1, key=state.key("col"))
    picture = colour_maps(maps[index : index + 1], side=280)[0]
    scale = picture.shape[0] // size
    picture = outline_box(
        picture,
        row * scale,
        col * scale,
        (row + 1) * scale - 1,
        (col + 1) * scale - 1,
        colour=(20, 20, 20),
        thickness=2,
    )
    middle.image(picture, width="stretch", caption=f"{layer}, map {index}: unit ({row}, {col})")
    field = receptive_field(GEOMETRY[layer])[-1]
    (top, bottom), (lft, rgt) = field.box(row), field.box(col)
    seen = upscale_nearest(image_to_rgb(digit), 280)
    factor = seen.shape[0] // 28
    seen = outline_box(
        seen,
        top * factor,
        lft * factor,
        (bottom + 1) * factor - 1,
        (rgt + 1) * factor - 1,
        thickness=2,
    )
    middle.image(
        seen,
        width="stretch",
        caption=f"its receptive field on the input: rows {top} to {bottom}, columns "
        f"{lft} to {rgt} ({field.size} x {field.size}, clipped to the 28 x 28 frame)",
    )
    with right:
        _producing_kernels(layer, index, model)


def _producing_kernels(layer: str, index: int, model) -> None:
    if layer in ("conv1", "relu1", "pool1"):
        kernel = model.conv1.weight.detach().numpy()[index, 0]
        bias = float(model.conv1.bias.detach()[index])
        st.markdown(f"**Made by first-layer kernel {index}** (bias {bias:+.3f})")
        show_html(grid_html(kernel, digits=2, caption="5 x 5 weights, applied to the input"))
        return
    bank = model.conv2.weight.detach().numpy()[index]  # (8, 5, 5)
    bias = float(model.conv2.bias.detach()[index])
    st.markdown(
        f"**Made by second-layer filter {index}** (bias {bias:+.3f}): one 5 x 5 slice "
        "per first-layer map, all summed"
    )
    limit = float(np.abs(bank).max())
    show_html(
        '<div style="display:flex; flex-wrap:wrap; gap:0.4rem">'
        + "".join(
            grid_html(s, limit=limit, digits=1, font_size="0.6rem", caption=f"on map {i}")
            for i, s in enumerate(bank)
        )
        + "</div>"
    )
