"""The Training page's views: the curves, the first layer's kernels and one digit's maps,
redrawn while the network trains."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from app.widgets.pictures.described import show_image, show_image_row
from app.widgets.pictures.map_view import colour_bar, colour_map
from cnn_core.describe import describe_curve, describe_image, describe_kernel, describe_map
from cnn_core.drawing import upscale_nearest
from cnn_core.nn.live_run import Snapshot
from cnn_core.render import image_to_rgb, signed_legend, symmetric_limit

SMOOTHING = 20  # training loss is noisy per batch: a running mean over this many steps


def _running_mean(values: list[float]) -> np.ndarray:
    values = np.asarray(values, np.float64)
    if values.size < SMOOTHING:
        return values
    kernel = np.ones(SMOOTHING) / SMOOTHING
    head = np.cumsum(values[: SMOOTHING - 1]) / np.arange(1, SMOOTHING)
    return np.concatenate([head, np.convolve(values, kernel, mode="valid")])


def curves(snapshot: Snapshot) -> None:
    history = snapshot.history
    left, right = st.columns(2)
    for column, (metric, title) in zip(
        (left, right), (("loss", "loss (cross-entropy)"), ("accuracy", "accuracy"))
    ):
        smoothed = _running_mean(history[f"train_{metric}"])
        figure = go.Figure()
        figure.add_trace(
            go.Scatter(
                x=history["steps"],
                y=smoothed,
                mode="lines",
                name=f"training (mean of {SMOOTHING} batches)",
            )
        )
        figure.add_trace(
            go.Scatter(
                x=history["held_steps"],
                y=history[f"held_{metric}"],
                mode="lines+markers",
                name="held-out digits",
            )
        )
        figure.update_layout(
            height=280,
            margin=dict(l=10, r=10, t=40, b=10),  # room for the tool bar (34 px presenting)
            xaxis_title="step",
            legend=dict(orientation="h", y=-0.3),
        )
        # The title above the chart, in the page: on a phone plotly's tool bar (drawn over
        # the chart's top right) covered a title drawn inside the chart.
        column.markdown(f"**{title.capitalize()}**")
        column.plotly_chart(figure, width="stretch", config={"displaylogo": False})
        # The chart in words, for a reader who cannot see it (and anyone after a number).
        training = f"{title}, training (mean of {SMOOTHING} batches)"
        held = (f"{title}, held-out digits", history["held_steps"], history[f"held_{metric}"])
        column.caption(
            f"{describe_curve(training, history['steps'], smoothed)}. {describe_curve(*held)}."
        )


def kernels_and_maps(snapshot: Snapshot, watched_picture: np.ndarray) -> None:
    """The first layer's kernels and what they make of one held-out digit, now."""
    kernels = snapshot.kernels  # (F, C, k, k)
    shown = kernels[:, 0] if kernels.shape[1] == 1 else kernels.sum(axis=1)
    limit = symmetric_limit(shown) or 1.0
    pictures = [upscale_nearest(colour_map(k, signed=True, limit=limit), 60) for k in shown[:16]]
    st.markdown(
        f"**First-layer kernels after {snapshot.steps} step{'' if snapshot.steps == 1 else 's'}** "
        f"({signed_legend()})"
    )
    show_image_row(
        pictures,
        width=64,
        alts=[describe_kernel(k, f"Kernel {i}") for i, k in enumerate(shown[:16])],
    )
    # The sign and size in numbers too: the scale all the kernels share.
    colour_bar(shown[:16], signed=True, limit=limit, note="All the kernels on one scale.")
    maps = snapshot.maps
    map_limit = symmetric_limit(maps) or 1.0
    left, right = st.columns([1, 6])
    with left:
        show_image(
            upscale_nearest(image_to_rgb(watched_picture), 84),
            alt=describe_image(watched_picture, "Watched digit"),
            caption="watched digit",
        )
    with right:
        show_image_row(
            [upscale_nearest(colour_map(m, signed=True, limit=map_limit), 84) for m in maps[:16]],
            width=84,
            alts=[describe_map(m, f"Watched digit, map {i}") for i, m in enumerate(maps[:16])],
        )
    st.caption(
        "From random noise, the kernels turn into stroke and edge detectors within a few "
        "hundred steps, and the digit's maps light up along its strokes."
    )
