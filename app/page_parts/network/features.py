"""What each channel of the digit network wants: its activation-maximising input beside
the held-out digits that excite it most."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from app.widgets.pictures.described import show_image_row
from cnn_core.describe import describe_image, number
from cnn_core.digits import preprocess_digit
from cnn_core.drawing import upscale_nearest
from cnn_core.nn.digit_net import dead_filters
from cnn_core.nn.feature_vis import top_examples, visualise_channel
from cnn_core.render import image_to_rgb

# The convolutions, not their ReLUs: a ReLU that is off for the grey start has no
# gradient to climb, so a channel would stay grey.
CHANNEL_LAYERS = ("conv1", "conv2")


@st.cache_data(max_entries=32, show_spinner=False)
def channel_pictures(_model, model_label: str, layer: str) -> list[np.ndarray]:
    """Every channel's visualisation (about 0.2 s each on one core), cached per model
    label: a file's models never change, and a session's models have their own labels."""
    c = _model.config
    return [
        visualise_channel(
            _model, layer, channel, shape=(c.in_channels, c.side, c.side), steps=128, seed=channel
        ).image
        for channel in range(getattr(_model, layer).out_channels)
    ]


@st.cache_data(max_entries=2, show_spinner=False)
def prepared_heldout(images: np.ndarray) -> np.ndarray:
    return np.stack([preprocess_digit(d / 255.0) for d in images])


def channels_view(model, model_label: str, layer: str, channel: int, heldout) -> None:
    """Every channel's picture and, for the digit reader, the held-out digits that excite
    the chosen channel most (``heldout`` None for other models)."""
    with st.spinner("Finding what each channel wants (once per server)..."):
        pictures = channel_pictures(model, model_label, layer)
    dead = dead_filters(getattr(model, layer))
    show_image_row(
        [upscale_nearest(image_to_rgb(p), 84) for p in pictures],
        width=90,
        alts=[
            describe_image(p, f"The input channel {c} of {layer} wants most")
            for c, p in enumerate(pictures)
        ],
        captions=[
            f"{'*' if c == channel else ''}channel {c}{' (dead)' if c in dead else ''}"
            for c in range(len(pictures))
        ],
    )
    if dead:
        st.caption(
            f"Channels {', '.join(map(str, dead))} are dead: every weight is exactly zero, so "
            "nothing excites them and their picture stays grey. A filter whose ReLU never "
            "fired early in training got no gradient, and weight decay shrank it away."
        )
    st.caption(
        "Each picture is the input that excites the centre unit of one channel most: "
        "gradient ascent on "
        "the input from faint noise, with jitter, a total-variation penalty and a Fourier "
        "parameterisation (Olah et al., Distill 2017). First-layer channels want strokes in "
        "one direction; second-layer channels combine them into parts of digits."
    )
    if heldout is None:
        return
    digits = prepared_heldout(heldout)
    batch = torch.from_numpy(digits)[:, None]
    order, values = top_examples(model, layer, channel, batch, count=8)
    st.markdown(f"**The held-out digits that excite channel {channel} of {layer} most**")
    show_image_row(
        [upscale_nearest(image_to_rgb(digits[i]), 84) for i in order],
        width=90,
        alts=[
            f"Held-out digit {i}: channel {channel} of {layer} at {number(v)}"
            for i, v in zip(order, values)
        ],
        captions=[f"#{i}: {v:.2f}" for i, v in zip(order, values)],
    )
