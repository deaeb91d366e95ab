"""Interactive figures (plotly) for small arrays and curves, where hover values help.

Plotly ships every value to the browser as JSON, so these are for small arrays (kernels,
matrices of a small example, crops); large maps stay images (``map_view``). Colours follow
the same maps as the images (the palette in force, ``cnn_core.render.current_palette``): a
diverging map centred at zero for signed values.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cnn_core.render import colour_stops, symmetric_limit


def colour_scale(*, signed: bool) -> list:
    """A plotly colour scale from the same lookup table the images use (this run's palette)."""
    return [
        [i / 10, "#{:02x}{:02x}{:02x}".format(*rgb)]
        for i, rgb in enumerate(colour_stops(signed=signed))
    ]


MAX_HEATMAP_CELLS = 65_536  # a 256 x 256 array: about 0.5 MB of JSON
MAX_INDEX_TICKS = 20  # more labels than this overlap on a column-wide chart


def index_ticks(count: int) -> list[int]:
    """The tick labels of an axis of ``count`` cells: valid indices only (0 to
    ``count - 1``), every one, or every 2nd, 5th, 10th, ... when there are too many."""
    steps = (factor * 10**power for power in range(9) for factor in (1, 2, 5))
    step = next(s for s in steps if count <= MAX_INDEX_TICKS * s)
    return list(range(0, count, step))


def _index_axis(count: int, title: str, *, reversed_: bool = False) -> dict:
    """An axis over ``count`` cells: exactly their extent (no tick past the last cell,
    which plotly's automatic ticks and the click markers' padding gave) and their indices."""
    extent = [-0.5, count - 0.5]
    return dict(
        title=title,
        range=extent[::-1] if reversed_ else extent,
        tickmode="array",
        tickvals=index_ticks(count),
    )


def heatmap(
    values: np.ndarray,
    *,
    hover: list[list[str]] | None = None,
    x_title: str = "",
    y_title: str = "",
    signed: bool = True,
    height: int = 360,
    text: bool = False,
    clickable: bool = False,
) -> go.Figure:
    """A heat map of a small 2-D array, rows top to bottom; ``hover`` gives each cell's
    text (HTML allowed), ``text`` prints the values in the cells. ``clickable`` lays a
    see-through marker on every cell, because Streamlit reports clicks on markers but not
    on heat-map cells: a click then selects the point (x = column, y = row)."""
    values = np.asarray(values, np.float64)
    if values.size > MAX_HEATMAP_CELLS:
        raise ValueError(f"{values.shape} is too large for an interactive heat map")
    limit = symmetric_limit(values) or 1.0
    trace = go.Heatmap(
        z=values,
        colorscale=colour_scale(signed=signed),
        zmin=-limit if signed else float(values.min()),
        zmax=limit if signed else float(values.max()),
        zmid=0 if signed else None,
        text=hover,
        hovertemplate="%{text}<extra></extra>"
        if hover
        else "row %{y}, col %{x}: %{z}<extra></extra>",
        texttemplate="%{z:.3~g}" if text else None,
        xgap=1,
        ygap=1,
    )
    figure = go.Figure(trace)
    if clickable:
        rows, cols = np.indices(values.shape)
        trace.hoverinfo, trace.hovertemplate = "skip", None
        figure.add_trace(
            go.Scatter(
                x=cols.ravel(),
                y=rows.ravel(),
                mode="markers",
                marker=dict(size=18, symbol="square", color="rgba(0,0,0,0.01)"),
                text=[cell for row in hover for cell in row] if hover else None,
                hovertemplate="%{text}<extra></extra>" if hover else None,
                showlegend=False,
            )
        )
    figure.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=10, b=10),
        xaxis=dict(_index_axis(values.shape[1], x_title), side="top", constrain="domain"),
        yaxis=dict(_index_axis(values.shape[0], y_title, reversed_=True), scaleanchor="x"),
    )
    return figure


def line_chart(
    series: dict[str, np.ndarray],
    *,
    x=None,
    x_title: str = "",
    y_title: str = "",
    log_y: bool = False,
    height: int = 300,
) -> go.Figure:
    """Lines with hover values, one per named series."""
    figure = go.Figure()
    for name, values in series.items():
        values = np.asarray(values)
        figure.add_trace(
            go.Scatter(
                x=np.arange(values.size) if x is None else x, y=values, mode="lines", name=name
            )
        )
    figure.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=10, b=10),
        xaxis_title=x_title,
        yaxis_title=y_title,
        yaxis_type="log" if log_y else "linear",
        legend=dict(orientation="h", y=-0.25),
    )
    return figure
