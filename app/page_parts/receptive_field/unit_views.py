"""The Receptive field page's views: the per-layer table and growth chart, the update rules
of the chosen layer, and one unit's theoretical and effective field on the image."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app.widgets.numbers.formula import MINUS, formula_block, symbol
from app.widgets.pictures.map_view import clickable_picture, show_picture
from cnn_core.describe import describe_box
from cnn_core.drawing import heat_overlay, outline_box
from cnn_core.nn.erf import central_share
from cnn_core.receptive_field import FieldStep, ReceptiveField
from cnn_core.render import image_to_rgb


def table_and_growth(layers, fields, sizes) -> None:
    """Size, jump and start of every layer, and how the size grows (zoomable)."""
    table, chart = st.columns([3, 2])
    rows = [
        {
            "layer": f"{n}. {layer.geometry_label}",
            "field size": f.size,
            "jump": f.jump,
            "start": f.start,
            "output on this image": f"{h} x {w}",
        }
        for n, (layer, f, (h, w)) in enumerate(zip(layers, fields, sizes), start=1)
    ]
    height = min(36 * (len(rows) + 1) + 3, 470)  # every row of a short stack, no scrolling
    table.dataframe(
        pd.DataFrame(rows), hide_index=True, width="stretch", height=height, row_height=36
    )
    figure = go.Figure(
        go.Scatter(
            x=list(range(1, len(fields) + 1)),
            y=[f.size for f in fields],
            mode="lines+markers",
            customdata=[[f.jump, f.start] for f in fields],
            hovertemplate="layer %{x}: field %{y} px, jump %{customdata[0]}, "
            "start %{customdata[1]}<extra></extra>",
        )
    )
    figure.update_layout(
        height=260,
        margin=dict(l=10, r=10, t=10, b=10),
        xaxis_title="layer",
        yaxis_title="field size (pixels)",
    )
    chart.plotly_chart(figure, width="stretch", config={"displaylogo": False})
    chart.caption(
        "size grows by (k - 1) x jump per layer; jump multiplies by each stride; start moves "
        "left by padding x jump (Araujo, Norris & Sim, Distill 2019). Hover for the numbers."
    )


def recurrence_html(step: FieldStep) -> str:
    """The three update rules of ``step``'s layer with its numbers (from the math)."""
    n, m = str(step.number), str(step.number - 1)
    before, after = step.before, step.after
    return formula_block(
        [
            f"{symbol('r', n)} = {symbol('r', m)} + (k {MINUS} 1)·{symbol('j', m)} = "
            f"{before.size} + ({step.span} {MINUS} 1)·{before.jump} = <b>{after.size}</b>",
            f"{symbol('j', n)} = {symbol('j', m)}·s = {before.jump}·{step.stride} = "
            f"<b>{after.jump}</b>",
            f"{symbol('start', n)} = {symbol('start', m)} {MINUS} p·{symbol('j', m)} = "
            f"{before.start} {MINUS} {step.padding}·{before.jump} = <b>{after.start}</b>",
        ],
        f"r: field size, j: jump, start: first input pixel of unit 0; k = {step.span} is the "
        f"kernel's span ({step.kernel} taps, dilation {step.dilation}), s its stride, p its "
        "padding.",
    )


def theoretical_field(
    gray, field: ReceptiveField, unit, layer_number: int, *, key: str, on_pick
) -> None:
    """The box of input pixels unit (row, col) can see; a click picks another unit."""
    row, col = unit
    (top, bottom), (left, right) = field.box(row), field.box(col)
    thickness = max(2, max(gray.shape) // 150)
    picture = outline_box(image_to_rgb(gray), top, left, bottom, right, thickness=thickness)
    alt = describe_box(
        top, left, bottom, right, f"Input with the field of unit ({row}, {col}) boxed"
    )
    clickable_picture(picture, key=key, alt=alt, on_pick=on_pick)
    in_padding = min(top, left) < 0 or bottom >= gray.shape[0] or right >= gray.shape[1]
    st.caption(
        f"Theoretical field of unit ({row}, {col}) of layer {layer_number}: rows {top} to "
        f"{bottom}, columns {left} to {right} ({field.size} x {field.size} pixels"
        + (", partly in the padding" if in_padding else "")
        + "). Click the image to pick the unit whose field is centred there."
    )


def effective_field(gray, gradient: np.ndarray, field: ReceptiveField, unit) -> None:
    """Where the unit's gradient really lands, with the theoretical box for scale."""
    row, col = unit
    (top, bottom), (left, right) = field.box(row), field.box(col)
    show_picture(
        outline_box(
            heat_overlay(gray, gradient),
            top,
            left,
            bottom,
            right,
            colour=(255, 255, 255),
            thickness=1,
        )
    )
    share = central_share(gradient, (top, bottom), (left, right))
    st.caption(
        "Effective field: how strongly each input pixel moves this unit (the gradient, "
        "through the real layers, by autograd; Luo et al. 2016). "
        f"The middle half of the box (a quarter of its area) holds {share:.0%} of it. "
        "Every pixel in the box can reach the unit, but the centre does so along far "
        "more paths than the rim, so the effect piles up in the middle in a roughly "
        "Gaussian bump, smaller than the theoretical field."
    )
