"""The comparison grid: each picture above what the kernel makes of it, all maps on one
colour scale so their strengths can be compared, and the grid as a projector slide."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from app.widgets.numbers.number_grid import format_value
from app.widgets.pictures.map_view import colour_map, show_picture
from app.widgets.pictures.slide import slide_png
from cnn_core.describe import describe_image, describe_map
from cnn_core.render import image_to_rgb, symmetric_limit

COLUMNS = 4


@dataclass(frozen=True)
class Compared:
    label: str
    picture: np.ndarray  # (H, W, 3) the input
    values: np.ndarray  # (H', W') the feature map


def coloured_maps(
    results: list[Compared], *, signed: bool, shared: bool, brightness: bool = False
) -> list[np.ndarray]:
    """Each map in colour; with ``shared``, one scale for all (the largest value among
    them), so a weak answer looks weak. ``brightness``: maps that keep the input's scale
    (blurs, sharpening) as gray pictures, 0 black to 1 white."""
    if brightness:
        return [image_to_rgb(r.values) for r in results]
    if not shared:
        return [colour_map(r.values, signed=signed) for r in results]
    if signed:
        limit = max(symmetric_limit(r.values) for r in results) or 1.0
    else:
        limit = max(float(r.values.max()) for r in results) or 1.0
    return [colour_map(r.values, signed=signed, limit=limit) for r in results]


def show_grid(results: list[Compared], maps: list[np.ndarray]) -> None:
    for start in range(0, len(results), COLUMNS):
        row = list(zip(results, maps))[start : start + COLUMNS]
        for column, (result, picture) in zip(st.columns(COLUMNS), row):
            with column:
                show_picture(
                    image_to_rgb(result.picture),
                    caption=result.label,
                    max_side=480,
                    alt=describe_image(result.picture, result.label),
                )
                low, high = float(result.values.min()), float(result.values.max())
                rows, cols = result.values.shape
                show_picture(
                    picture,
                    caption=f"{rows} x {cols}, from {format_value(low)} to {format_value(high)}",
                    max_side=480,
                    alt=describe_map(result.values, f"{result.label}, feature map"),
                )


def slide_button(title: str, lines: list[str], results: list[Compared], maps) -> None:
    """The comparison as a 1920 x 1080 PNG: pictures in the top row, maps under them."""
    shown = min(len(results), COLUMNS)
    panels = [(image_to_rgb(r.picture), r.label) for r in results[:shown]]
    panels += [(m, "") for m in maps[:shown]]
    st.download_button(
        "Slide (PNG, 1920 x 1080)",
        data=lambda: slide_png(title, lines, panels, columns=shown),
        file_name="convscope-compare.png",
        mime="image/png",
        on_click="ignore",
        icon=":material/download:",
    )
