"""Real networks: ImageNet classifiers on your own photo, their stages, first filters,
receptive fields, explanations and what their channels want."""

from __future__ import annotations

import streamlit as st

from app.app_pages import registry
from app.page_parts.real_networks.fields_table import fields_table
from app.page_parts.real_networks.insight import explain_view, features_view
from app.page_parts.real_networks.loading import get_network, retry_button
from app.shell.page_frame import look_closer, view_setting
from app.shell.settings.image_choice import IMAGE_SCRATCH, image_settings, open_image_page
from app.shell.url_state import PageState, choice, flag, int_choice, integer, position
from app.widgets.controls import keyed
from app.widgets.controls.reset_button import reset_button
from app.widgets.networks.network_views import (
    NETWORK_VIEWS,
    answer_view,
    field_view,
    filters_view,
    stages_view,
)
from cnn_core.limits import MAX_POSITION
from cnn_core.nn.network_inference import (
    effective_field,
    first_layer_filters,
    predict,
    stage_channels,
)
from cnn_core.nn.networks import NETWORKS, class_names, preprocess, shown_input
from cnn_core.nn.stage_fields import every_network_field, stage_fields

VIEW_LABELS = {**NETWORK_VIEWS, "table": "Every network's fields"}
ALL_STAGES = sorted({node for spec in NETWORKS.values() for node in spec.stages})
PAGE = registry.BY_NAME["real_networks"]
STATE = PageState(
    PAGE.prefix,
    [
        *image_settings("cat", 512),
        choice("net", tuple(NETWORKS), "resnet18"),
        flag("trained", True),
        view_setting(VIEW_LABELS, "stages"),
        choice("stage", ALL_STAGES, "layer2"),
        position("row"),
        position("col"),
        integer("channel", 0, MAX_POSITION, 0),
        int_choice("steps", (32, 64, 128, 256), 64),
    ],
    scratch=(*IMAGE_SCRATCH, "explained", "visual", "failures"),
)


def page() -> None:
    image = open_image_page(
        STATE,
        PAGE.title,
        "ImageNet classifiers from torchvision on your own photo: what they answer, what "
        "each stage sees, and why.",
    )
    with st.sidebar:
        st.subheader("Network")
        keyed.selectbox(
            "Classifier",
            tuple(NETWORKS),
            key=STATE.key("net"),
            format_func=lambda n: NETWORKS[n].label,
        )
        keyed.toggle("Trained weights (downloaded on first use)", key=STATE.key("trained"))
        reset_button(STATE.reset)
    name = STATE["net"]
    model, problem = get_network(name, STATE["trained"], failures_key=STATE.scratch("failures"))
    if problem:
        st.warning(f"{problem} Showing the untrained network (random weights) meanwhile.")
        retry_button(name, failures_key=STATE.scratch("failures"))
    stages = NETWORKS[name].stages
    if STATE["stage"] not in stages:
        STATE.set("stage", list(stages)[1])
    batch = preprocess(name, image.pixels)
    seen = shown_input(name, batch)
    view = look_closer(STATE.key("view"), VIEW_LABELS)
    if view in ("stages", "why"):
        prediction = predict(name, model, batch)
        untrained = not STATE["trained"] or problem
        answer_view(
            seen,
            prediction.classes,
            "Random weights: every class gets about 0.1%." if untrained else None,
            seen_caption="What the network sees: resized and cropped to 224 x 224",
            out_of="of the 1,000 ImageNet classes",
        )
        if view == "stages":
            stages_view(prediction.stages, stages, stage_fields(name, model))
        else:
            label = prediction.classes[0][0]
            explain_view(
                name,
                model,
                batch,
                seen,
                class_names(name).index(label),
                label,
                _stage_picker(stages),
                key=STATE.scratch("explained"),
            )
    elif view == "filters":
        filters_view(first_layer_filters(name, model))
    elif view == "field":
        _field(name, model, batch, seen, stages)
    elif view == "wants":
        _wants(name, model, stages)
    else:
        fields_table(_every_field())
    STATE.publish()


def _stage_picker(stages) -> str:
    return keyed.selectbox(
        "Stage", tuple(stages), key=STATE.key("stage"), format_func=lambda n: f"{stages[n]} ({n})"
    )


def _field(name, model, batch, seen, stages) -> None:
    left, middle, right = st.columns(3)
    with left:
        node = _stage_picker(stages)
    maps = predict(name, model, batch).stages[node]
    height, width = maps.shape[1:]
    row, col = STATE.clamp_position("row", height), STATE.clamp_position("col", width)
    keyed.number_input("Unit row", 0, height - 1, key=STATE.key("row"), where=middle)
    keyed.number_input("Unit column", 0, width - 1, key=STATE.key("col"), where=right)
    channel = int(maps[:, row, col].argmax())
    gradient = effective_field(model, batch, node, (channel, row, col))
    field_view(seen, gradient, stage_fields(name, model)[node], (row, col), node)
    st.caption(f"The unit is channel {channel}, the most active one at ({row}, {col}).")


def _wants(name, model, stages) -> None:
    left, middle, right = st.columns(3)
    with left:
        node = _stage_picker(stages)
    channels = _channels(name, model)[node]
    if STATE["channel"] >= channels:
        STATE.set("channel", 0)
    keyed.number_input(
        f"Channel (0 to {channels - 1})", 0, channels - 1, key=STATE.key("channel"), where=middle
    )
    keyed.select_slider("Steps", (32, 64, 128, 256), key=STATE.key("steps"), where=right)
    features_view(name, model, node, STATE["channel"], STATE["steps"], key=STATE.scratch("visual"))


@st.cache_data(max_entries=16, show_spinner=False)
def _channels(name: str, _model) -> dict[str, int]:
    return stage_channels(name, _model)


@st.cache_resource(show_spinner="Tracing five networks...")
def _every_field():
    return every_network_field()


if __name__ == "__main__":
    page()
