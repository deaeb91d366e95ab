"""The Convolution page's closer looks: the pixel inspector, the sliding window, and the
PyTorch code with downloads."""

from __future__ import annotations

import streamlit as st

from app.shell.page_frame import fixed_slot, look_closer, view_setting
from app.shell.settings.conv_settings import padding_pixels
from app.widgets.pictures.map_view import colour_map, downloads
from cnn_core.colour import to_gray
from cnn_core.conv_run import ConvRun
from cnn_core.torch_code import conv2d_torch_code

from .inspector import show_inspector
from .sliding_window import choose_input, show_sliding_window

VIEW_LABELS = {
    "none": "Hide",
    "inspector": "Pixel inspector",
    "sliding": "Sliding window",
    "code": "PyTorch code & downloads",
}


DETAILS_SCRATCH = ("download",)


def details_setting():
    return view_setting(VIEW_LABELS, "none")


def show_details(state, run: ConvRun, image, kernel, settings, shape) -> None:
    """The chosen closer look: pixel inspector, sliding window, or code and downloads."""
    view = look_closer(state.key("view"), VIEW_LABELS)
    if view == "none":
        st.caption(
            "Click a pixel of the feature map to see the sum that made it, or open the "
            "sliding window or the PyTorch code."
        )
    elif view == "inspector":
        show_inspector(state, run)
    elif view == "sliding":
        gray = run.planes[0] if run.colour == "gray" else to_gray(image.pixels)
        # What stands above the stepper differs with the grid and the kernel; in one slot,
        # the stepper keeps its place (and its name) when they change.
        with fixed_slot():
            source = choose_input(state, gray)
            if source is not None and kernel.kernel.ndim == 3:
                st.caption("Sliding the red slice of your per-channel kernel.")
        if source is not None:
            slice_ = kernel.kernel[0] if kernel.kernel.ndim == 3 else kernel.kernel
            show_sliding_window(state, source, slice_, kernel.flip, settings.conv_options())
    else:
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
        st.caption("Set x to the image array and run it: out equals the feature map above.")
        first = colour_map(run.maps[0], signed=run.signed)
        downloads(run.maps[0], first, stem="feature_map", key=state.scratch("download"))
