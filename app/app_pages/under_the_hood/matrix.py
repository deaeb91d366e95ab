"""Convolution as matrix multiplication: im2col, the convolution matrix, the backward
pass, and a speed table of five ways to compute the same map."""

from __future__ import annotations

import streamlit as st

from app.app_pages import registry
from app.page_parts.matrix.example import example_controls, example_settings, read_example
from app.page_parts.matrix.speed import speed_view
from app.page_parts.matrix.views import backward_view, forward_view, matrix_view, picked_column
from app.shell.page_frame import look_closer, view_setting
from app.shell.settings.image_choice import IMAGE_SCRATCH, image_settings, open_image_page
from app.shell.url_state import PageState, position
from app.widgets.controls import keyed
from app.widgets.controls.reset_button import reset_button
from cnn_core.colour import to_gray

PAGE = registry.BY_NAME["matrix"]
STATE = PageState(
    PAGE.prefix,
    [
        *image_settings("cat", 128),
        *example_settings(),
        view_setting(PAGE.views),
        position("gr"),
        position("gc"),
    ],
    scratch=(*IMAGE_SCRATCH, "im2col_chart", "timings"),
)


def page() -> None:
    image = open_image_page(
        STATE, PAGE.title, PAGE.summary, image_title="Image for the speed table"
    )
    with st.sidebar:
        st.subheader("Worked example")
        example_controls(STATE)
        reset_button(STATE.reset)
    try:
        example = read_example(STATE)
    except ValueError as error:
        st.error(f"This example has no output. {error}")
        STATE.publish()
        return
    view = look_closer(STATE.key("view"), PAGE.views)
    if view == "forward":
        left, _ = st.columns([1, 4])
        keyed.number_input(  # the keyboard's way to what a click on the heat map picks
            "Column of im2col", 0, example.columns.shape[1] - 1, key=STATE.key("column"), where=left
        )
        forward_view(example, chart_key=STATE.scratch("im2col_chart"), on_pick_column=_pick)
    elif view == "matrix":
        matrix_view(example)
    elif view == "backward":
        left, right, _ = st.columns([1, 1, 3])
        row = STATE.clamp_position("gr", example.x.shape[0])
        col = STATE.clamp_position("gc", example.x.shape[1])
        keyed.number_input("Input row", 0, example.x.shape[0] - 1, key=STATE.key("gr"), where=left)
        keyed.number_input(
            "Input column", 0, example.x.shape[1] - 1, key=STATE.key("gc"), where=right
        )
        backward_view(example, (row, col))
    else:
        speed_view(to_gray(image.pixels), result_key=STATE.scratch("timings"))
    STATE.publish()


def _pick() -> None:
    column = picked_column(STATE.scratch("im2col_chart"))
    if column is not None:
        STATE.set("column", column)


if __name__ == "__main__":
    page()
