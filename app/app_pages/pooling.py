"""Pooling: summarise each window of a map by its maximum, mean or L2 norm."""

from __future__ import annotations

import streamlit as st

from app.components.image_source import image_settings, image_sidebar, resolve_image
from app.components.map_view import clickable_picture, colour_bar, colour_map, show_picture
from app.components.page_frame import look_closer, page_header, view_setting
from app.components.pool_settings import pool_settings_panel, pool_settings_spec, show_pool_formula
from app.components.pool_views import shift_lab, switches_view, window_arithmetic
from app.components.url_state import PageState, choice, flag, position
from cnn_core import KERNELS, conv2d
from cnn_core.activations import relu
from cnn_core.colour import to_gray
from cnn_core.pool import pool2d, pool_output_shape
from cnn_core.render import outline_box
from cnn_core.window import pool_window

SOURCES = ("image", *KERNELS)
VIEW_LABELS = {"window": "Window arithmetic", "switches": "Max-pool switches", "shift": "Shift lab"}

STATE = PageState(
    "pool",
    [
        *image_settings("cat", 256),
        choice("src", SOURCES, "sobel_x"),
        flag("relu", True),
        *pool_settings_spec(),
        view_setting(VIEW_LABELS, "window"),
        position("row"),
        position("col"),
    ],
)


def page() -> None:
    STATE.restore()
    image = resolve_image(STATE)
    page_header(
        STATE,
        "Pooling",
        "Shrink a map by summarising each window: a small shift inside a window changes little.",
    )
    image_sidebar(STATE, image)
    with st.sidebar:
        st.selectbox(
            "Pool the output of",
            SOURCES,
            key=STATE.key("src"),
            format_func=lambda s: "the image itself" if s == "image" else f"the {s} kernel",
            help="The kernel runs at stride 1 with replicated borders, so the map keeps the "
            "image's size and the picture's own edge adds no false response.",
        )
        st.toggle("ReLU before pooling", key=STATE.key("relu"), disabled=STATE["src"] == "image")
        st.button("Reset every setting", on_click=STATE.reset)
    gray = to_gray(image.pixels)
    source = (
        gray
        if STATE["src"] == "image"
        else conv2d(gray, KERNELS[STATE["src"]], padding="same", padding_mode="replicate")
    )
    if STATE["src"] != "image" and STATE["relu"]:
        source = relu(source)
    _workspace(source, gray)


@st.fragment
def _workspace(source, gray) -> None:
    settings = pool_settings_panel(STATE)
    try:
        shape = pool_output_shape(
            source.shape,
            settings.size,
            stride=settings.stride,
            padding=settings.padding,
            ceil_mode=settings.ceil_mode,
        )
    except ValueError as error:
        st.error(f"These settings give no pooled map. {error}")
        show_picture(colour_map(source, signed=bool(source.min() < 0)))
        STATE.publish()
        return
    show_pool_formula(source.shape, settings, shape)
    row, col = _picked(shape)
    window = pool_window(source, row, col, settings.size, **settings.options())
    pooled = pool2d(source, settings.size, **settings.options())
    signed = bool(source.min() < 0)
    left, right = st.columns(2)
    with left:
        top, lft = window.positions[0, 0]
        bottom, rgt = window.positions[-1, -1]
        picture = outline_box(
            colour_map(source, signed=signed),
            top,
            lft,
            bottom,
            rgt,
            thickness=max(2, max(source.shape) // 200),
        )
        show_picture(picture, caption=f"Before pooling: {source.shape[0]} x {source.shape[1]}")
    with right:
        clickable_picture(
            _pooled_picture(pooled, signed, row, col),
            key="pool_map",
            alt="pooled map",
            on_pick=_pick,
        )
        colour_bar(
            pooled,
            signed=signed,
            note=f"After pooling: {shape[0]} x {shape[1]}. Click a cell to look closer.",
        )
    view = look_closer(STATE, VIEW_LABELS)
    if view == "window":
        pickers, arithmetic = st.columns([1, 3])
        pickers.number_input("Pooled row", 0, shape[0] - 1, key=STATE.key("row"))
        pickers.number_input("Pooled column", 0, shape[1] - 1, key=STATE.key("col"))
        with arithmetic:
            window_arithmetic(window, settings.mode)
    elif view == "switches":
        if settings.mode == "max":
            switches_view(source, settings, row, col)
        else:
            st.info("Switches belong to max pooling: choose max above to see them.")
    else:
        kernel = KERNELS["sobel_x" if STATE["src"] == "image" else STATE["src"]]
        shift_lab(gray, kernel, settings)
    STATE.publish()


def _picked(shape) -> tuple[int, int]:
    row = shape[0] // 2 if STATE["row"] < 0 else min(STATE["row"], shape[0] - 1)
    col = shape[1] // 2 if STATE["col"] < 0 else min(STATE["col"], shape[1] - 1)
    if (STATE["row"], STATE["col"]) != (row, col):
        STATE.set("row", row)
        STATE.set("col", col)
    return row, col


def _pick(row: int, col: int) -> None:
    STATE.set("row", row)
    STATE.set("col", col)
    if STATE["view"] == "shift":
        STATE.set("view", "window")


def _pooled_picture(pooled, signed: bool, row: int, col: int):
    picture = colour_map(pooled, signed=signed)
    return outline_box(picture, row, col, row, col, colour=(20, 20, 20), thickness=1)


if __name__ == "__main__":
    page()
