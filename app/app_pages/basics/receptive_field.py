"""Receptive field: how much of the image one unit of a layer sees, in theory and in effect."""

from __future__ import annotations

import streamlit as st

from app.app_pages import registry
from app.page_parts.receptive_field.editor import EDITOR_SCRATCH, geometry_editor, geometry_settings
from app.page_parts.receptive_field.unit_views import (
    effective_field,
    recurrence_html,
    table_and_growth,
    theoretical_field,
)
from app.shell.settings.image_choice import IMAGE_SCRATCH, image_settings, open_image_page
from app.shell.url_state import CENTRE, PageState, choice, integer, position
from app.widgets.controls import keyed
from app.widgets.controls.labelled import labelled_radio
from app.widgets.controls.reset_button import reset_button
from cnn_core.colour import to_gray
from cnn_core.layers import with_seeds
from cnn_core.limits import MAX_GEOMETRY_LAYERS, MAX_SEED
from cnn_core.nn.erf import effective_receptive_field
from cnn_core.nn.stack_torch import layers_to_torch
from cnn_core.receptive_field import layer_output_sizes, receptive_field_steps

WEIGHTS = ("uniform", "random")
WEIGHT_LABELS = {
    "uniform": "Equal weights (each layer averages)",
    "random": "Random weights + ReLU",
}

PAGE = registry.BY_NAME["receptive_field"]
STATE = PageState(
    PAGE.prefix,
    [
        *image_settings("cat", 256),
        *geometry_settings(),
        integer("layer", 0, MAX_GEOMETRY_LAYERS, 0),  # 0 means the last layer
        position("row"),
        position("col"),
        choice("weights", WEIGHTS, "uniform"),
        integer("seed", 0, MAX_SEED, 0),
    ],
    scratch=(*IMAGE_SCRATCH, *EDITOR_SCRATCH, "image"),
)


def page() -> None:
    image = open_image_page(STATE, PAGE.title, PAGE.summary)
    with st.sidebar:
        labelled_radio("Weights for the effective field", WEIGHT_LABELS, key=STATE.key("weights"))
        keyed.number_input(
            "Seed", 0, MAX_SEED, key=STATE.key("seed"), disabled=STATE["weights"] != "random"
        )
        reset_button(STATE.reset)
    layers = geometry_editor(STATE, on_new_stack=_pick_last_layer)
    if layers is None:
        STATE.publish()
        return
    gray = to_gray(image.pixels)
    geometry = [layer.geometry() for layer in layers]
    steps = receptive_field_steps(geometry)
    fields = [step.after for step in steps]
    sizes = list(
        zip(
            layer_output_sizes(gray.shape[0], geometry), layer_output_sizes(gray.shape[1], geometry)
        )
    )
    table_and_growth(layers, fields, sizes)
    _unit_views(gray, layers, steps, sizes)
    STATE.publish()


def _pick_last_layer() -> None:
    STATE.set("layer", 0)
    STATE.set("row", CENTRE)
    STATE.set("col", CENTRE)


def _unit_views(gray, layers, steps, sizes) -> None:
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
    keyed.selectbox("Unit of layer", usable, key=STATE.key("layer"), where=pick_layer)
    number = STATE["layer"]
    field, (height, width) = steps[number - 1].after, sizes[number - 1]
    row, col = STATE.clamp_position("row", height), STATE.clamp_position("col", width)
    keyed.number_input("Row", 0, height - 1, key=STATE.key("row"), where=pick_row)
    keyed.number_input("Column", 0, width - 1, key=STATE.key("col"), where=pick_col)
    st.html(recurrence_html(steps[number - 1]))
    random = STATE["weights"] == "random"
    model = layers_to_torch(
        with_seeds(layers[:number], STATE["seed"]), 1, uniform=not random, relu=random
    )
    gradient = effective_receptive_field(model, gray, (0, row, col))

    def pick(r: int, c: int) -> None:
        STATE.set("row", field.unit_at(r, height))
        STATE.set("col", field.unit_at(c, width))

    theory, effect = st.columns(2)
    with theory:
        theoretical_field(gray, field, (row, col), number, key=STATE.scratch("image"), on_pick=pick)
    with effect:
        effective_field(gray, gradient, field, (row, col))


if __name__ == "__main__":
    page()
