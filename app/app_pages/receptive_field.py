"""Receptive field: how much of the image one unit of a layer sees, in theory and in effect."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.components.geometry_editor import geometry_editor, geometry_settings
from app.components.image_source import image_settings, image_sidebar, resolve_image
from app.components.map_view import clickable_picture, show_picture
from app.components.page_frame import page_header
from app.components.url_state import PageState, choice, integer, position
from cnn_core.colour import to_gray
from cnn_core.erf import central_share, effective_receptive_field, geometry_model
from cnn_core.receptive_field import layer_output_sizes, receptive_field
from cnn_core.render import heat_overlay, image_to_rgb, outline_box

WEIGHTS = ("uniform", "random")
WEIGHT_LABELS = {
    "uniform": "Equal weights (each layer averages)",
    "random": "Random weights + ReLU",
}

STATE = PageState(
    "rf",
    [
        *image_settings("cat", 256),
        *geometry_settings(),
        integer("layer", 0, 24, 0),  # 0 means the last layer
        position("row"),
        position("col"),
        choice("weights", WEIGHTS, "uniform"),
        integer("seed", 0, 99_999, 0),
    ],
)


def page() -> None:
    STATE.restore()
    image = resolve_image(STATE)
    page_header(
        STATE,
        "Receptive field",
        "Which input pixels can change one unit of a layer, and which really do.",
    )
    image_sidebar(STATE, image)
    with st.sidebar:
        st.radio(
            "Weights for the effective field",
            WEIGHTS,
            key=STATE.key("weights"),
            format_func=WEIGHT_LABELS.get,
        )
        st.number_input(
            "Seed", 0, 99_999, key=STATE.key("seed"), disabled=STATE["weights"] != "random"
        )
        st.button("Reset every setting", on_click=STATE.reset)
    layers = geometry_editor(STATE)
    if layers is None:
        STATE.publish()
        return
    gray = to_gray(image.pixels)
    fields = receptive_field([{k: v for k, v in layer.items() if k != "pool"} for layer in layers])
    sizes = list(
        zip(layer_output_sizes(gray.shape[0], layers), layer_output_sizes(gray.shape[1], layers))
    )
    _table_and_growth(layers, fields, sizes)
    _unit_views(gray, layers, fields, sizes)
    STATE.publish()


def _table_and_growth(layers, fields, sizes) -> None:
    table, chart = st.columns([3, 2])
    rows = [
        {
            "layer": f"{n}. {_describe(layer)}",
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
    growth = pd.DataFrame(
        {"field size (pixels)": [f.size for f in fields]},
        index=pd.Index(range(1, len(fields) + 1), name="layer"),
    )
    chart.line_chart(growth, x_label="layer", y_label="field size (pixels)", height=260)
    chart.caption(
        "size grows by (k - 1) x jump per layer; jump multiplies by each stride; start moves "
        "left by padding x jump (Araujo, Norris & Sim, Distill 2019)."
    )


def _recurrence(layer, fields, number: int) -> str:
    """The three update rules for the chosen layer, with its numbers filled in."""
    before = fields[number - 2] if number > 1 else None
    size, jump, start = (before.size, before.jump, before.start) if before else (1, 1, 0)
    span = layer["dilation"] * (layer["kernel"] - 1) + 1
    now = fields[number - 1]
    return (
        r"\begin{array}{l}"
        rf"r_{{{number}}} = r_{{{number - 1}}} + (k - 1)\,j_{{{number - 1}}} = {size} + "
        rf"({span} - 1)\cdot {jump} = {now.size} \\ "
        rf"j_{{{number}}} = j_{{{number - 1}}}\,s = {jump}\cdot {layer['stride']} = {now.jump}"
        rf"\qquad start_{{{number}}} = start_{{{number - 1}}} - p\,j_{{{number - 1}}} = "
        rf"{start} - {layer['padding']}\cdot {jump} = {now.start}"
        r"\end{array}"
    )


def _describe(layer) -> str:
    kind = {"max": "max pool", "avg": "avg pool"}.get(layer.get("pool"), "conv")
    text = f"{kind} {layer['kernel']}x{layer['kernel']}"
    text += f", stride {layer['stride']}" if layer["stride"] != 1 else ""
    text += f", padding {layer['padding']}" if layer["padding"] else ""
    text += f", dilation {layer['dilation']}" if layer["dilation"] != 1 else ""
    return text


def _unit_views(gray, layers, fields, sizes) -> None:
    usable = [n for n, (h, w) in enumerate(sizes, start=1) if h > 0 and w > 0]
    if not usable:
        st.error(
            "No layer has any output on this image: the windows do not fit. Use a "
            "larger working size or fewer, smaller layers."
        )
        return
    if STATE["layer"] not in usable:
        STATE.set("layer", usable[-1])
    pick_layer, pick_row, pick_col = st.columns(3)
    pick_layer.selectbox("Unit of layer", usable, key=STATE.key("layer"))
    number = STATE["layer"]
    field, (height, width) = fields[number - 1], sizes[number - 1]
    row = height // 2 if STATE["row"] < 0 else min(STATE["row"], height - 1)
    col = width // 2 if STATE["col"] < 0 else min(STATE["col"], width - 1)
    if (row, col) != (STATE["row"], STATE["col"]):
        STATE.set("row", row)
        STATE.set("col", col)
    pick_row.number_input("Row", 0, height - 1, key=STATE.key("row"))
    pick_col.number_input("Column", 0, width - 1, key=STATE.key("col"))
    st.latex(_recurrence(layers[number - 1], fields, number))
    (top, bottom), (left, right) = field.box(row), field.box(col)
    model = geometry_model(
        layers[:number],
        weights=STATE["weights"],
        seed=STATE["seed"],
        relu=STATE["weights"] == "random",
    )
    gradient = effective_receptive_field(model, gray, (0, row, col))
    theory, effect = st.columns(2)
    with theory:
        picture = outline_box(
            image_to_rgb(gray), top, left, bottom, right, thickness=max(2, max(gray.shape) // 150)
        )

        def pick(r: int, c: int) -> None:
            STATE.set("row", field.unit_at(r, height))
            STATE.set("col", field.unit_at(c, width))

        clickable_picture(picture, key="rf_image", alt="receptive field", on_pick=pick)
        st.caption(
            f"Theoretical field of unit ({row}, {col}) of layer {number}: rows {top} to "
            f"{bottom}, columns {left} to {right} ({field.size} x {field.size} pixels"
            + (
                ", partly in the padding"
                if min(top, left) < 0 or bottom >= gray.shape[0] or right >= gray.shape[1]
                else ""
            )
            + "). Click the image to pick the unit whose field is centred there."
        )
    with effect:
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


if __name__ == "__main__":
    page()
