"""Channels and groups: a layer takes a volume and gives a volume; 1 x 1 convolutions
mix channels; grouped and depthwise-separable layers do the same with fewer weights."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.app_pages import registry
from app.page_parts.channels.views import MIX_LABELS, cost_view, mixing_view, output_maps
from app.page_parts.channels.volume_view import layer_figure, volume_summary
from app.shell.page_frame import look_closer, view_setting
from app.shell.settings.image_choice import IMAGE_SCRATCH, image_settings, open_image_page
from app.shell.settings.setting_controls import setting_slider
from app.shell.url_state import PageState, choice, int_choice, integer
from app.widgets.controls import keyed
from app.widgets.controls.labelled import labelled_radio
from app.widgets.controls.reset_button import reset_button
from cnn_core.conv_layer import CHANNEL_MIXES, conv_layer, output_size_of, random_filters
from cnn_core.limits import MAX_SEED

PAGE = registry.BY_NAME["channels"]
STATE = PageState(
    PAGE.prefix,
    [
        *image_settings("astronaut", 128),
        view_setting(PAGE.views),
        integer("filters", 1, 8, 4),
        int_choice("k", (1, 3, 5), 3),
        integer("seed", 0, MAX_SEED, 0),
        choice("mix", tuple(CHANNEL_MIXES), "opponent"),
        int_choice("cin", (8, 16, 32, 64, 128), 32),
        int_choice("cout", (8, 16, 32, 64, 128), 64),
        int_choice("ck", (1, 3, 5, 7), 3),
    ],
    scratch=(*IMAGE_SCRATCH, "timings"),
)


def page() -> None:
    image = open_image_page(STATE, PAGE.title, PAGE.summary)
    reset_button(STATE.reset, where=st.sidebar)
    planes = np.ascontiguousarray(np.moveaxis(image.pixels, 2, 0))  # (3, H, W)
    view = look_closer(STATE.key("view"), PAGE.views)
    if view == "layer":
        _layer(planes)
    elif view == "mix":
        labelled_radio("Mix", MIX_LABELS, key=STATE.key("mix"), horizontal=True)
        mixing_view(planes, STATE["mix"])
    else:
        left, middle, right = st.columns(3)
        keyed.select_slider(
            "Input channels", (8, 16, 32, 64, 128), key=STATE.key("cin"), where=left
        )
        keyed.select_slider(
            "Output channels", (8, 16, 32, 64, 128), key=STATE.key("cout"), where=middle
        )
        keyed.select_slider("Kernel", (1, 3, 5, 7), key=STATE.key("ck"), where=right)
        shape = output_size_of(planes.shape[1:], STATE["ck"], padding="same")
        cost_view(
            STATE["cin"], STATE["cout"], STATE["ck"], shape, result_key=STATE.scratch("timings")
        )
    STATE.publish()


def _layer(planes: np.ndarray) -> None:
    left, middle, right = st.columns(3)
    setting_slider(STATE, "filters", "Filters (output channels)", where=left)
    keyed.select_slider("Kernel size", (1, 3, 5), key=STATE.key("k"), where=middle)
    keyed.number_input(
        "Seed of the random filters", 0, MAX_SEED, key=STATE.key("seed"), where=right
    )
    filters = random_filters(STATE["filters"], 3, STATE["k"], seed=STATE["seed"])
    outputs = conv_layer(planes, filters, padding="same")
    st.plotly_chart(layer_figure(planes, filters, outputs), width="stretch")
    c_out, c_in, k, _ = filters.shape
    st.caption(
        f"Drag to turn it. Each of the {c_out} filters holds one {k} x {k} slice per input "
        f"channel ({c_in} slices, {c_in * k * k} weights); it slides over the whole volume and "
        f"sums over R, G and B, so it makes one map. {c_out} filters make a volume of "
        f"{c_out} maps: {c_out} x {c_in} x {k} x {k} = {c_out * c_in * k * k} weights."
    )
    st.caption(volume_summary(planes, filters, outputs))
    output_maps(outputs)


if __name__ == "__main__":
    page()
