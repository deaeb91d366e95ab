"""The heat maps' axes name valid cell indices only: the im2col matrix of the worked
example (4 taps x 6 windows) once showed a column tick "6" past its last column."""

import json

import pytest

from .conftest import assert_clean, run_app


def _heatmap_axes(at) -> list[tuple[tuple[int, int], dict, dict]]:
    """Every heat map on the page: its (rows, columns) and its x and y axes."""
    found = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for trace in spec["data"]:
            if trace["type"] == "heatmap":
                z = trace["z"]
                # plotly 6 sends the values as a typed array ("shape": "rows, columns"),
                # plotly 5 as nested lists
                shape = (
                    tuple(int(n) for n in z["shape"].split(","))
                    if isinstance(z, dict)
                    else (len(z), len(z[0]))
                )
                found.append((shape, spec["layout"]["xaxis"], spec["layout"]["yaxis"]))
    return found


def _shown_ticks(axis: dict) -> list[int]:
    """The ticks plotly draws: the listed ones that fall inside the axis's range."""
    assert axis["tickmode"] == "array"
    low, high = sorted(axis["range"])
    return [t for t in axis["tickvals"] if low <= t <= high]


@pytest.mark.parametrize(
    ("view", "shape"), [("forward", (4, 6)), ("matrix", (6, 12))]
)  # by hand: 2 x 2 taps over 6 windows of the 3 x 4 input; M is 6 outputs x 12 inputs
def test_matrix_page_heat_map_ticks_are_exactly_its_indices(view, shape):
    at = run_app("matrix", view=view)
    assert_clean(at)
    (found_shape, xaxis, yaxis), *_ = _heatmap_axes(at)
    assert found_shape == shape
    rows, columns = shape
    assert xaxis["range"] == [-0.5, columns - 0.5]
    assert yaxis["range"] == [rows - 0.5, -0.5]  # row 0 on top
    assert _shown_ticks(xaxis) == list(range(columns))
    assert _shown_ticks(yaxis) == list(range(rows))
