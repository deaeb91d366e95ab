"""Network: a small CNN trained on handwritten digits, opened up layer by layer."""

from __future__ import annotations

import streamlit as st

from app.network.digit_input import DIGIT_SCRATCH, choose_digit, digit_settings, heldout_digits
from app.network.features import CHANNEL_LAYERS, channels_view
from app.network.lab import (
    CAM_LAYERS,
    LAB_SCRATCH,
    kernel_surgery,
    learned_versus_classic,
    model_card,
    surgery,
    why_this_answer,
)
from app.network.views import SPATIAL, show_map_detail, show_network, show_probabilities
from app.shell.page_frame import look_closer, page_header, view_setting
from app.shell.url_state import PageState, choice, integer, position
from cnn_core.digits import DigitError, preprocess_digit
from cnn_core.model import (
    ModelError,
    activations,
    load_card,
    load_model,
    probabilities,
    scores_to_probabilities,
    with_first_layer_kernels,
)
from cnn_core.render import image_to_rgb, upscale_nearest

VIEW_LABELS = {
    "none": "Hide",
    "map": "One map up close",
    "kernels": "Learned vs classic kernels",
    "surgery": "Kernel surgery",
    "why": "Why this answer",
    "wants": "What each channel wants",
    "card": "Model card",
}
STATE = PageState(
    "net",
    [
        *digit_settings(),
        view_setting(VIEW_LABELS, "none"),
        choice("layer", SPATIAL, "conv1"),
        choice("cam", CAM_LAYERS, "relu2"),
        choice("wlayer", tuple(CHANNEL_LAYERS), "conv2"),
        integer("wch", 0, 15, 0),
        integer("map", 0, 15, 0),
        position("row"),
        position("col"),
    ],
    scratch=(*DIGIT_SCRATCH, *LAB_SCRATCH),
)


def page() -> None:
    STATE.restore()
    page_header(
        STATE,
        "Network",
        "A LeNet-style CNN trained on handwritten digits: give it a digit and watch "
        "every layer respond.",
    )
    try:
        model = load_model()
    except ModelError as error:
        st.error(str(error))
        STATE.publish()
        return
    source, seen, answer = st.columns([1.3, 0.9, 1.2])
    with source:
        picture = choose_digit(STATE)
    digit = None
    if picture.pixels is None:
        source.info(picture.message)
    else:
        try:
            digit = preprocess_digit(picture.pixels)
        except DigitError as error:
            source.info(str(error))
    if digit is None:
        STATE.publish()
        return
    active = _active_model(model)
    acts = activations(active, digit)
    probs = scores_to_probabilities(acts["fc2"])  # the same pass, no second one
    seen.image(
        upscale_nearest(image_to_rgb(digit), 280),
        width="stretch",
        caption="What the network sees: 28 x 28, ink white, centred like MNIST",
    )
    with answer:
        show_probabilities(
            probs,
            picture.label,
            compare=probabilities(model, digit) if active is not model else None,
        )
    st.subheader("Layer by layer")
    show_network(acts)
    view = look_closer(STATE.key("view"), VIEW_LABELS)
    if view == "none":
        st.caption(
            "Open a closer look: one feature map and a unit's receptive field, the "
            "learned kernels, kernel surgery, why this answer, or the model card."
        )
    elif view == "map":
        show_map_detail(STATE, acts, active, digit)
    elif view == "kernels":
        learned_versus_classic(model)
    elif view == "surgery":
        kernel_surgery(STATE, model)
    elif view == "why":
        st.selectbox("Grad-CAM at layer", CAM_LAYERS, key=STATE.key("cam"))
        why_this_answer(active, digit, int(probs.argmax()), STATE["cam"])
    elif view == "wants":
        _wants(model)
    else:
        try:
            model_card(load_card())
        except ModelError as error:
            st.error(str(error))
    STATE.publish()


def _wants(model) -> None:
    left, right = st.columns(2)
    layer = left.selectbox("Layer", tuple(CHANNEL_LAYERS), key=STATE.key("wlayer"))
    if STATE["wch"] >= CHANNEL_LAYERS[layer]:
        STATE.set("wch", 0)
    right.number_input("Channel", 0, CHANNEL_LAYERS[layer] - 1, key=STATE.key("wch"))
    channels_view(model, layer, STATE["wch"], heldout_digits()[0])


def _active_model(model):
    """The trained model, or this session's copy with replaced first-layer kernels."""
    replacements = surgery(STATE)
    if not replacements:
        return model
    fingerprint = tuple((i, k.tobytes()) for i, k in sorted(replacements.items()))
    cached = st.session_state.get(STATE.scratch("surgery_model"))
    if cached is None or cached[0] != fingerprint:
        cached = (fingerprint, with_first_layer_kernels(model, replacements))
        st.session_state[STATE.scratch("surgery_model")] = cached
    return cached[1]


if __name__ == "__main__":
    page()
