"""Pooling: summarise each window of a map by its maximum, mean or L2 norm.

Like the Convolution page, it draws its pooled map before the controls above it, which
keep their height while they are on their way."""

from __future__ import annotations

import streamlit as st

from app.app_pages import registry
from app.page_parts.pooling.maps import pooled_picture, pooling_source, source_alt, source_picture
from app.page_parts.pooling.settings import (
    PANEL_HEIGHT_REM,
    pool_output_sizes,
    pool_settings_from_state,
    pool_settings_panel,
    pool_settings_spec,
    show_pool_formula,
)
from app.page_parts.pooling.views import shift_lab, switches_view, window_arithmetic
from app.shell.page_frame import look_closer, view_setting
from app.shell.page_style import min_height_css
from app.shell.paint_first import kept_place, pause_for_paint
from app.shell.settings.image_choice import IMAGE_SCRATCH, image_settings, open_image_page
from app.shell.url_state import PageState, choice, flag, position
from app.widgets.controls import keyed
from app.widgets.controls.reset_button import reset_button
from app.widgets.pictures.map_view import (
    clickable_encoded,
    colour_map,
    show_encoded_picture,
    show_picture,
)
from app.widgets.shared_results import shared, shared_key
from cnn_core import KERNELS
from cnn_core.kernels import kernel_label
from cnn_core.pool import pool2d
from cnn_core.render import current_palette
from cnn_core.window import pool_window

SOURCES = ("image", *KERNELS)
CONTROLS_KEY = "pool-controls"

PAGE = registry.BY_NAME["pooling"]
STATE = PageState(
    PAGE.prefix,
    [
        *image_settings("cat", 256),
        choice("src", SOURCES, "sobel_x"),
        flag("relu", True),
        *pool_settings_spec(),
        view_setting(PAGE.views),
        position("row"),
        position("col"),
    ],
    scratch=(*IMAGE_SCRATCH, "map"),
)


def page() -> None:
    # A new session's pooled map is drawn before the controls above it: keep their place.
    image = open_image_page(
        STATE, PAGE.title, PAGE.summary, page_css=min_height_css(CONTROLS_KEY, PANEL_HEIGHT_REM)
    )
    with st.sidebar:
        keyed.selectbox(
            "Pool the output of",
            SOURCES,
            key=STATE.key("src"),
            format_func=lambda s: "the image itself" if s == "image" else kernel_label(s),
            help="The kernel runs at stride 1 with replicated borders, so the map keeps the "
            "image's size and the picture's own edge adds no false response.",
        )
        keyed.toggle("ReLU before pooling", key=STATE.key("relu"), disabled=STATE["src"] == "image")
        reset_button(STATE.reset)
    kernel = None if STATE["src"] == "image" else STATE["src"]
    relu_first = kernel is not None and STATE["relu"]
    # The same for every session on this sample (or the teacher's shared picture).
    source_key = shared_key(image.shared_as, "pool source", kernel, relu_first)
    gray, source, signed = shared(
        source_key, lambda: pooling_source(image.pixels, kernel, relu_first)
    )
    _workspace(source, gray, signed, source_key)


@st.fragment
def _workspace(source, gray, signed: bool, source_key) -> None:
    """Settings, the map before and after pooling, and the closer looks: a settings change
    reruns only this. The pooled map is drawn before the controls above it, then the run
    pauses so the browser paints it first (``app/shell/paint_first.py``). ``source_key``:
    the source map's key among the results sessions share (None: made here).
    """
    settings = pool_settings_from_state(STATE)
    controls = kept_place(CONTROLS_KEY)
    pooled_key = shared_key(source_key, "pooled", settings)
    palette = current_palette().name
    try:
        pooled = shared(pooled_key, lambda: pool2d(source, settings.size, **settings.options()))
    except ValueError as error:
        with controls:
            pool_settings_panel(STATE)
        st.error(f"These settings give no pooled map. {error}")
        show_picture(colour_map(source, signed=signed), alt=source_alt(source))
        STATE.publish()
        return
    # HTML, whose code the title has already brought: it costs the map's paint little.
    show_pool_formula(pool_output_sizes(source.shape, settings), settings)
    row = STATE.clamp_position("row", pooled.shape[0])
    col = STATE.clamp_position("col", pooled.shape[1])
    left, right = st.columns(2)
    with right:
        picture, bar = shared(
            shared_key(pooled_key, "picture", row, col, palette),
            lambda: pooled_picture(pooled, signed, row, col),
        )
        clickable_encoded(picture, key=STATE.scratch("map"), on_pick=_pick)
        st.html(bar)
    pause_for_paint()
    with controls:
        pool_settings_panel(STATE)
    window = shared(
        shared_key(pooled_key, "window", row, col),
        lambda: pool_window(source, row, col, settings.size, **settings.options()),
    )
    with left:
        box = (*window.positions[0, 0], *window.positions[-1, -1])
        box = tuple(int(edge) for edge in box)
        show_encoded_picture(
            shared(
                shared_key(source_key, "before", row, col, box, palette),
                lambda: source_picture(source, signed, row, col, box),
            ),
            caption=f"Before pooling: {source.shape[0]} x {source.shape[1]}",
        )
    view = look_closer(STATE.key("view"), PAGE.views)
    if view == "window":
        pickers, arithmetic = st.columns([1, 3])
        keyed.number_input(
            "Pooled row", 0, pooled.shape[0] - 1, key=STATE.key("row"), where=pickers
        )
        keyed.number_input(
            "Pooled column", 0, pooled.shape[1] - 1, key=STATE.key("col"), where=pickers
        )
        with arithmetic:
            window_arithmetic(window)
    elif view == "switches":
        if settings.mode == "max":
            switches_view(source, settings, row, col)
        else:
            st.info("Switches belong to max pooling: choose max above to see them.")
    else:
        kernel = KERNELS["sobel_x" if STATE["src"] == "image" else STATE["src"]]
        shift_lab(gray, kernel, settings)
    STATE.publish()


def _pick(row: int, col: int) -> None:
    STATE.set("row", row)
    STATE.set("col", col)
    if STATE["view"] == "shift":
        STATE.set("view", "window")


if __name__ == "__main__":
    page()
