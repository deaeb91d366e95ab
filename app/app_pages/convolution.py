"""Convolution: one kernel on your image, every setting, and the arithmetic of any pixel."""

from __future__ import annotations

import streamlit as st

from app.components.conv_outputs import (
    ConvRun,
    input_picture,
    show_gradient_magnitude,
    show_kirsch,
    show_maps,
)
from app.components.conv_settings import (
    choose_settings,
    conv_settings_spec,
    padding_pixels,
    show_formula,
)
from app.components.image_source import choose_image, image_settings
from app.components.kernel_picker import kernel_settings, pick_kernel
from app.components.map_view import show_picture
from app.components.pixel_inspector import (
    inspector_settings,
    picked_pixel,
    show_inspector,
    windows,
)
from app.components.sliding_window import choose_input, show_sliding_window, sliding_settings
from app.components.url_state import PageState, choice
from cnn_core.colour import COLOUR_MODES, input_planes, to_gray
from cnn_core.kernels import GRADIENT_PAIRS
from cnn_core.torch_code import conv2d_torch_code

COLOUR_LABELS = {
    "gray": "Grayscale",
    "channels": "Each channel (R, G, B) alone",
    "summed": "One filter summed over R, G, B",
}

STATE = PageState(
    "conv",
    [
        *image_settings("coffee"),
        choice("colour", COLOUR_MODES, "gray"),
        *kernel_settings(),
        *conv_settings_spec(),
        *inspector_settings(),
        *sliding_settings(),
    ],
)


def page() -> None:
    STATE.restore()
    st.title("Convolution")
    st.caption("Slide a small kernel over the image: each output pixel is a weighted sum.")
    if notice := STATE.notice():
        st.warning(notice)
    image = choose_image(STATE)
    with st.sidebar:
        colour = st.radio(
            "Colour", COLOUR_MODES, key=STATE.key("colour"), format_func=COLOUR_LABELS.get
        )
        st.button("Reset every setting", on_click=STATE.reset)
    kernel_column, settings_column = st.columns([1, 2], gap="large")
    with kernel_column:
        kernel = pick_kernel(STATE, per_channel_allowed=colour == "summed")
    with settings_column:
        settings = choose_settings(STATE)
    if kernel.kernel is None:
        show_picture(input_picture(image.pixels, colour, (0, 0), None), caption=image.label)
        STATE.publish()
        return
    outputs, formula = st.container(), st.container()
    with formula:
        shape = input_planes(image.pixels, colour).shape[1:]
        unreached = show_formula(settings, shape, kernel.kernel.shape[-2:])
    with outputs:
        try:
            run = ConvRun.compute(
                image.pixels,
                kernel.kernel,
                flip=kernel.flip,
                colour=colour,
                conv_options=settings.conv_options(),
                activation=settings.activation,
            )
        except ValueError as error:
            st.error(f"These settings give no feature map. {error}")
            show_picture(input_picture(image.pixels, colour, unreached, None))
            STATE.publish()
            return
        _show_outputs(run, image, unreached, kernel.name)
    inspector_tab, sliding_tab, code_tab = st.tabs(
        ["Pixel inspector", "Sliding window", "As PyTorch code"]
    )
    with inspector_tab:
        show_inspector(STATE, run)
    with sliding_tab:
        source = choose_input(STATE, to_gray(image.pixels))
        if source is not None:
            slice_ = kernel.kernel[0] if kernel.kernel.ndim == 3 else kernel.kernel
            if kernel.kernel.ndim == 3:
                st.caption("Sliding the red slice of your per-channel kernel.")
            show_sliding_window(STATE, source, slice_, kernel.flip, settings.conv_options())
    with code_tab:
        _show_code(run, settings, shape)
    if kernel.name.startswith("kirsch_"):
        show_kirsch(run)
    STATE.publish()


def _show_outputs(run: ConvRun, image, unreached, kernel_name: str) -> None:
    row, col, index = picked_pixel(STATE, run.maps.shape[1:], len(run.names))
    window = windows(run, row, col)[0]

    def pick(r: int, c: int, i: int) -> None:
        STATE.set("row", r)
        STATE.set("col", c)
        STATE.set("ch", i)

    magnitude = kernel_name in GRADIENT_PAIRS
    widths = [1, 3] if len(run.names) > 1 else [1, 1, 1] if magnitude else [1, 1]
    columns = st.columns(widths)
    with columns[0]:
        st.markdown("**Input**")
        box = (window.top_left, window.bottom_right)
        show_picture(input_picture(image.pixels, run.colour, unreached, box))
        st.caption(f"{image.label}, {run.planes.shape[1]} x {run.planes.shape[2]}")
    with columns[1]:
        rows, cols = run.maps.shape[1:]
        st.markdown(f"**Feature map** {rows} x {cols} · click a pixel to inspect it")
        show_maps(run, marker=(row, col, index), on_pick=pick, key="conv_map")
    if magnitude and len(run.names) == 1:
        with columns[2]:
            st.markdown("**Gradient magnitude**")
            show_gradient_magnitude(run, kernel_name)


def _show_code(run: ConvRun, settings, shape) -> None:
    pad = padding_pixels(settings, shape, run.kernel.shape[-2:])
    code = conv2d_torch_code(
        run.kernel,
        channels=len(run.planes),
        grouped=run.colour == "channels",
        pad=pad,
        padding_mode=settings.padding_mode,
        stride=(settings.stride, settings.stride),
        dilation=(settings.dilation, settings.dilation),
        flip=run.flip,
        activation=settings.activation,
    )
    st.code(code, language="python")
    st.caption("Run with x set to the image array; out then equals the feature map shown here.")
