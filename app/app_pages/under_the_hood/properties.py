"""Properties lab: linearity, commutativity, associativity and translation equivariance,
each checked on your image with the largest difference shown."""

from __future__ import annotations

import streamlit as st

from app.app_pages import registry
from app.page_parts.properties.views import flip_note, rounding_note, show_pair, translation_note
from app.shell.page_frame import look_closer, view_setting
from app.shell.settings.image_choice import IMAGE_SCRATCH, image_settings, open_image_page
from app.shell.settings.setting_controls import setting_slider
from app.shell.url_state import PageState, choice, integer
from app.widgets.controls import keyed
from app.widgets.controls.reset_button import reset_button
from app.widgets.numbers.number_grid import grid_html, row_html, show_html, sign_html
from app.widgets.pictures.map_view import show_picture
from app.widgets.sources.image_source import sample_image, sample_keys
from cnn_core import KERNELS
from cnn_core.colour import to_gray
from cnn_core.geometry import PADDING_MODES
from cnn_core.image_io import resize_to
from cnn_core.kernels import kernel_label
from cnn_core.properties import (
    associativity,
    combine_kernels,
    commutativity,
    flip_versus_correlation,
    linearity,
    translation,
)
from cnn_core.render import image_to_rgb

PAGE = registry.BY_NAME["properties"]
STATE = PageState(
    PAGE.prefix,
    [
        *image_settings("camera", 256),
        view_setting(PAGE.views),
        choice("other", sample_keys(), "text"),
        integer("a", -3, 3, 2),
        integer("b", -3, 3, -1),
        choice("first", tuple(KERNELS), "gaussian_blur"),
        choice("second", tuple(KERNELS), "sobel_y"),
        integer("dy", -32, 32, 12),
        integer("dx", -32, 32, 20),
        choice("mode", PADDING_MODES, "zeros"),
    ],
    scratch=IMAGE_SCRATCH,
)


def page() -> None:
    image = open_image_page(STATE, PAGE.title, PAGE.summary)
    reset_button(STATE.reset, where=st.sidebar)
    x = to_gray(image.pixels)
    view = look_closer(STATE.key("view"), PAGE.views)
    if view == "linear":
        _linearity(x)
    elif view == "order":
        _order(x)
    elif view == "shift":
        _translation(x)
    else:
        _flip(x)
    STATE.publish()


def _kernel_picker(label: str, name: str) -> str:
    return keyed.selectbox(label, tuple(KERNELS), key=STATE.key(name), format_func=kernel_label)


def _linearity(x) -> None:
    left, middle, right = st.columns(3)
    other_key = keyed.selectbox("Second image y", sample_keys(), key=STATE.key("other"), where=left)
    a = setting_slider(STATE, "a", "a", where=middle)
    b = setting_slider(STATE, "b", "b", where=right)
    kernel = _kernel_picker("Kernel k", "second")
    y = resize_to(to_gray(sample_image(other_key, max(x.shape))), x.shape)
    show_picture(image_to_rgb(y), caption="y", max_side=240)
    check = linearity(x, y, KERNELS[kernel], a, b)
    show_pair(check, f"conv({a}·x + {b}·y)", f"{a}·conv(x) + {b}·conv(y)")
    st.caption(rounding_note(check))


def _order(x) -> None:
    left, right = st.columns(2)
    with left:
        first = _kernel_picker("First kernel", "first")
    with right:
        second = _kernel_picker("Second kernel", "second")
    a, b = KERNELS[first], KERNELS[second]
    combined = combine_kernels(a, b)
    show_html(
        row_html(
            grid_html(a, digits=2, caption=kernel_label(first)),
            sign_html("then"),
            grid_html(b, digits=2, caption=kernel_label(second)),
            sign_html("="),
            grid_html(
                combined,
                digits=3,
                font_size="0.7rem",
                caption=f"one combined kernel, {combined.shape[0]} x {combined.shape[1]}",
            ),
        )
    )
    st.markdown("**Commutative**: the order does not matter ('valid' padding, so no border).")
    check = commutativity(x, a, b)
    show_pair(
        check,
        f"{kernel_label(first)}, then {kernel_label(second)}",
        f"{kernel_label(second)}, then {kernel_label(first)}",
    )
    st.caption(rounding_note(check))
    st.markdown("**Associative**: two kernels in a row equal the one combined kernel.")
    check = associativity(x, a, b)
    show_pair(check, "the two kernels in a row", "the combined kernel once")
    st.caption(
        rounding_note(check) + " So a stack of convolutions without activations is "
        "still one convolution: the activations are what let a network do more."
    )


def _translation(x) -> None:
    left, middle, right = st.columns(3)
    dy = setting_slider(STATE, "dy", "Shift down (pixels)", where=left)
    dx = setting_slider(STATE, "dx", "Shift right (pixels)", where=middle)
    mode = keyed.selectbox("Padding mode", PADDING_MODES, key=STATE.key("mode"), where=right)
    kernel = _kernel_picker("Kernel", "second")
    check = translation(x, KERNELS[kernel], (dy, dx), mode)
    show_pair(check, "conv(shifted image)", "shifted conv(image)")
    st.caption(translation_note(check, KERNELS[kernel].shape, (dy, dx), mode))


def _flip(x) -> None:
    kernel = _kernel_picker("Kernel", "second")
    check = flip_versus_correlation(x, KERNELS[kernel])
    show_pair(check, "true convolution (kernel turned 180°)", "cross-correlation (what layers do)")
    st.caption(flip_note(check, kernel))


if __name__ == "__main__":
    page()
