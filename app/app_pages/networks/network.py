"""Network: a small trained CNN opened up layer by layer (the digit reader, or a model of
your own classes)."""

from __future__ import annotations

import streamlit as st

from app.app_pages import registry
from app.page_parts.network.digit_input import DIGIT_SCRATCH, choose_digit, digit_settings
from app.page_parts.network.features import CHANNEL_LAYERS, channels_view
from app.page_parts.network.lab import (
    CAM_LAYERS,
    LAB_SCRATCH,
    kernel_surgery,
    learned_versus_classic,
    model_card,
    surgery,
    why_this_answer,
)
from app.page_parts.network.live_digit import live_digit
from app.page_parts.network.model_choice import model_picker, model_setting
from app.page_parts.network.views import show_map_detail
from app.shell.page_frame import look_closer, open_page, view_setting
from app.shell.url_state import PageState, choice, integer, position
from app.widgets.controls import keyed
from app.widgets.networks.small_cnn import SPATIAL, show_network, show_probabilities
from app.widgets.pictures.described import show_image
from app.widgets.session_memo import remembered
from cnn_core.describe import describe_image
from cnn_core.digits import DigitError
from cnn_core.drawing import upscale_nearest
from cnn_core.nn.digit_net import (
    activations,
    probabilities,
    scores_to_probabilities,
    with_first_layer_kernels,
)
from cnn_core.nn.saved_models import ModelError, heldout_digits, prepare_input
from cnn_core.render import image_to_rgb

PAGE = registry.BY_NAME["network"]
STATE = PageState(
    PAGE.prefix,
    [
        model_setting(),
        *digit_settings(),
        view_setting(PAGE.views),
        choice("layer", SPATIAL, "conv1"),
        choice("cam", CAM_LAYERS, "relu2"),
        choice("wlayer", tuple(CHANNEL_LAYERS), "conv2"),
        integer("wch", 0, 15, 0),
        integer("map", 0, 15, 0),
        position("row"),
        position("col"),
    ],
    scratch=(*DIGIT_SCRATCH, *LAB_SCRATCH, "picked"),
)


def page() -> None:
    open_page(STATE, PAGE.title, PAGE.summary)
    with st.sidebar:
        try:
            opened = model_picker(STATE, picked_key=STATE.scratch("picked"))
        except ModelError as error:
            st.error(str(error))
            STATE.publish()
            return
    entry, model = opened.entry, opened.model
    source, seen_column, answer = st.columns([1.3, 0.9, 1.2])
    with source:
        picture = choose_digit(
            STATE, digits=entry.is_digits, live=lambda: live_digit(STATE, entry, model)
        )
    prepared = None
    if picture.pixels is None:
        source.info(picture.message)
    else:
        try:
            prepared = prepare_input(entry, picture.pixels)  # (C, side, side)
        except DigitError as error:
            source.info(str(error))
    if prepared is None:
        STATE.publish()
        return
    active = _active_model(model)
    acts = activations(active, prepared)
    probs = scores_to_probabilities(acts["fc2"])  # the same pass, no second one
    seen = prepared[0] if prepared.shape[0] == 1 else prepared.transpose(1, 2, 0)
    side = entry.side
    with seen_column:
        show_image(
            upscale_nearest(image_to_rgb(seen), 280),
            alt=describe_image(seen, "What the network sees"),
            caption=f"What the network sees: {side} x {side}"
            + (", ink white, centred like MNIST" if entry.is_digits else f", {entry.colour}"),
        )
    with answer:
        show_probabilities(
            probs,
            picture.label,
            entry.class_names,
            compare=probabilities(model, prepared) if active is not model else None,
        )
    st.subheader("Layer by layer")
    show_network(acts, model.config, entry.class_names)
    _closer_look(opened, active, acts, prepared, seen, int(probs.argmax()))
    STATE.publish()


def _closer_look(opened, active, acts, prepared, seen, winner: int) -> None:
    entry, model = opened.entry, opened.model
    view = look_closer(STATE.key("view"), PAGE.views)
    if view == "none":
        st.caption(
            "Open a closer look: one feature map and a unit's receptive field, the "
            "learned kernels, kernel surgery, why this answer, what each channel wants, "
            "or the model card."
        )
    elif view == "map":
        show_map_detail(STATE, acts, active, seen)
    elif view == "kernels":
        learned_versus_classic(model)
    elif view == "surgery":
        if model.config.in_channels == 1:
            kernel_surgery(STATE, model)
        else:
            st.info("Kernel surgery swaps one gray kernel: it works on gray models.")
    elif view == "why":
        keyed.selectbox("Grad-CAM at layer", CAM_LAYERS, key=STATE.key("cam"))
        why_this_answer(active, prepared, winner, entry.class_names[winner], STATE["cam"])
    elif view == "wants":
        left, right = st.columns(2)
        layer = keyed.selectbox("Layer", tuple(CHANNEL_LAYERS), key=STATE.key("wlayer"), where=left)
        channels = getattr(model, layer).out_channels
        if STATE["wch"] >= channels:
            STATE.set("wch", 0)
        keyed.number_input("Channel", 0, channels - 1, key=STATE.key("wch"), where=right)
        digits = heldout_digits()[0] if entry.is_digits else None
        channels_view(model, opened.label, layer, STATE["wch"], digits)
    else:
        model_card(opened.card)


def _active_model(model):
    """The model, or this session's copy with replaced first-layer kernels."""
    replacements = surgery(STATE)
    if not replacements or model.config.in_channels != 1:
        return model
    fingerprint = (id(model), tuple((i, k.tobytes()) for i, k in sorted(replacements.items())))
    return remembered(
        STATE.scratch("surgery_model"),
        fingerprint,
        lambda: with_first_layer_kernels(model, replacements),
    )


if __name__ == "__main__":
    page()
