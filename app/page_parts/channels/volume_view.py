"""A layer as volumes in 3-D: the input's channels, the filters (each as deep as the
input), and the output's maps, in one figure the user can rotate."""

from __future__ import annotations

import cv2
import numpy as np
import plotly.graph_objects as go

from app.widgets.numbers.charts import colour_scale
from cnn_core.describe import describe_filters, describe_volume
from cnn_core.render import symmetric_limit

SIDE = 40  # each map is drawn at most SIDE x SIDE cells, to keep the figure light
CHANNEL_SCALES = ("Reds", "Greens", "Blues")


def _small(plane: np.ndarray) -> np.ndarray:
    height, width = plane.shape
    scale = min(1.0, SIDE / max(height, width))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(np.asarray(plane, np.float32), size, interpolation=cv2.INTER_AREA)


def _plane(values, x0: float, depth: float, scale, *, name: str, limit: float, size: float = 10):
    """One map as a flat square of side ``size`` standing at depth ``depth``."""
    rows, cols = values.shape
    # Cell edges, so every value fills its own square (no smoothing between cells).
    xs, zs = np.meshgrid(
        x0 + np.repeat(np.arange(cols + 1), 2)[1:-1] / cols * size,
        size / 2 - np.repeat(np.arange(rows + 1), 2)[1:-1] / rows * size,
    )
    colours = np.repeat(np.repeat(values, 2, axis=0), 2, axis=1)
    return go.Surface(
        x=xs,
        y=np.full_like(xs, depth),
        z=zs,
        surfacecolor=colours,
        colorscale=scale,
        cmin=0 if isinstance(scale, str) else -limit,  # a named scale: a channel's 0..1
        cmax=limit,
        showscale=False,
        name=name,
        hovertemplate=f"{name}<br>value %{{surfacecolor:.3f}}<extra></extra>",
    )


def layer_figure(planes: np.ndarray, filters: np.ndarray, outputs: np.ndarray) -> go.Figure:
    """``planes`` (C_in, H, W) in [0, 1], ``filters`` (C_out, C_in, k, k), ``outputs``
    (C_out, H', W'): input volume, filter bank and output volume from left to right."""
    traces = []
    for c, plane in enumerate(planes):
        scale = CHANNEL_SCALES[c] if len(planes) == 3 else "Greys"
        traces.append(_plane(_small(plane), 0, c * 2.0, scale, name=f"input channel {c}", limit=1))
    signed_scale = colour_scale(signed=True)
    limit = symmetric_limit(filters) or 1.0
    shown = filters[:8]
    for f, bank in enumerate(shown):
        for c, piece in enumerate(bank):
            traces.append(
                _plane(
                    piece,
                    14 + 3.5 * f,
                    c * 2.0,
                    signed_scale,
                    name=f"filter {f}, slice {c}",
                    limit=limit,
                    size=2.5,
                )
            )
    out_limit = symmetric_limit(outputs) or 1.0
    start = 14 + 3.5 * len(shown) + 3
    for m, plane in enumerate(outputs[:8]):
        traces.append(
            _plane(
                _small(plane), start, m * 2.0, signed_scale, name=f"output map {m}", limit=out_limit
            )
        )
    label = dict(showarrow=False, font=dict(size=14))
    figure = go.Figure(traces)
    figure.update_layout(
        height=420,
        margin=dict(l=0, r=0, t=0, b=0),
        scene=dict(
            xaxis=dict(visible=False),
            yaxis=dict(visible=False),
            zaxis=dict(visible=False),
            aspectmode="data",
            camera=dict(eye=dict(x=0.0, y=-1.6, z=0.7)),
            annotations=[
                dict(x=5, y=0, z=7, text=f"input {planes.shape[0]} x H x W", **label),
                dict(
                    x=14 + 1.75 * len(shown),
                    y=0,
                    z=4,
                    text=f"{filters.shape[0]} filters, "
                    f"each {filters.shape[1]} x {filters.shape[2]} x {filters.shape[3]}",
                    **label,
                ),
                dict(x=start + 5, y=0, z=7, text=f"output {outputs.shape[0]} x H' x W'", **label),
            ],
        ),
    )
    return figure


def volume_summary(planes: np.ndarray, filters: np.ndarray, outputs: np.ndarray) -> str:
    """The 3-D figure in numbers, for a reader who cannot turn it (or see it): the
    volumes' shapes and each slice's range, from the arrays it was drawn from."""
    return (
        f"The figure in numbers: {describe_volume(planes, 'input volume')}. "
        f"{describe_filters(filters)}. "
        f"{describe_volume(outputs, 'Output volume', 'map')}."
    )
