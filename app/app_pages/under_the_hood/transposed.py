"""Transposed convolution and upsampling: stamps of the kernel, the output size, the same
thing as a convolution, and the checkerboard it can leave."""

from __future__ import annotations

import streamlit as st

from app.app_pages import registry
from app.page_parts.transposed.views import (
    as_convolution_view,
    checkerboard_view,
    size_view,
    stamps_view,
)
from app.shell.page_frame import look_closer, open_page, view_setting
from app.shell.settings.setting_controls import setting_slider
from app.shell.url_state import PageState, grid_setting, int_choice, integer
from app.widgets.controls import keyed
from app.widgets.controls.reset_button import reset_button
from cnn_core.kernel_text import parse_kernel
from cnn_core.limits import MAX_SMALL_INPUT, MAX_SMALL_KERNEL

PAGE = registry.BY_NAME["transposed"]
STATE = PageState(
    PAGE.prefix,
    [
        grid_setting("x", "1 2; 3 4", "input", MAX_SMALL_INPUT),
        grid_setting("k", "1 1 1; 1 1 1; 1 1 1", "kernel", MAX_SMALL_KERNEL),
        integer("stride", 1, 3, 2),
        integer("pad", 0, 2, 0),
        integer("outpad", 0, 2, 0),
        integer("dil", 1, 2, 1),
        view_setting(PAGE.views),
        int_choice("ck", (2, 3, 4, 5), 3),
        int_choice("cs", (1, 2, 3), 2),
    ],
    scratch=("step", "playing"),
)


def page() -> None:
    open_page(STATE, PAGE.title, PAGE.summary)
    with st.sidebar:
        keyed.text_input("Input (rows separated by ;)", key=STATE.key("x"))
        keyed.text_input("Kernel", key=STATE.key("k"))
        setting_slider(STATE, "stride", "Stride")
        setting_slider(STATE, "pad", "Padding (cut from each side)")
        setting_slider(STATE, "outpad", "Output padding (kept at the bottom and right)")
        setting_slider(STATE, "dil", "Dilation")
        reset_button(STATE.reset)
    geometry = dict(
        stride=STATE["stride"],
        padding=STATE["pad"],
        output_padding=STATE["outpad"],
        dilation=STATE["dil"],
    )
    view = look_closer(STATE.key("view"), PAGE.views)
    try:
        x = parse_kernel(STATE["x"], max_size=MAX_SMALL_INPUT, what="input")
        kernel = parse_kernel(STATE["k"], max_size=MAX_SMALL_KERNEL, what="kernel")
        if view == "stamps":
            stamps_view(
                x,
                kernel,
                geometry,
                step_key=STATE.scratch("step"),
                play_key=STATE.scratch("playing"),
            )
        elif view == "size":
            size_view(x, kernel, geometry)
        elif view == "conv":
            as_convolution_view(x, kernel, geometry)
        else:
            left, right = st.columns(2)
            keyed.select_slider("Kernel size", (2, 3, 4, 5), key=STATE.key("ck"), where=left)
            keyed.select_slider("Stride", (1, 2, 3), key=STATE.key("cs"), where=right)
            checkerboard_view(STATE["ck"], STATE["cs"])
    except ValueError as error:
        st.error(f"These settings give no output. {error}")
    STATE.publish()


if __name__ == "__main__":
    page()
