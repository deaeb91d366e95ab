"""A page's image: its two URL settings (sample and working size), its scratch values,
and the bridge from the page's ``PageState`` to the image-source widget."""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from app.widgets.pictures.browser_image import encode_jpeg
from app.widgets.session_memo import remembered
from app.widgets.sources.image_source import (
    ChosenImage,
    ImageKeys,
    image_controls,
    image_messages,
    resolve_image,
    sample_keys,
)
from cnn_core import ImageError, load_image
from cnn_core.image_io import fit_within
from cnn_core.limits import WORKING_SIZES
from cnn_core.render import image_to_rgb

from ..class_session import classroom
from ..class_session.class_store import SHARED_IMAGE_SIDE
from ..page_frame import fixed_slot, page_header
from ..url_state import PageState, Setting, choice, int_choice

# Scratch names every page with an image declares (see PageState).
IMAGE_SCRATCH = ("source", "upload", "camera", "decoded", "refused", "lost")


def image_settings(default_sample: str, default_resolution: int = 512) -> list[Setting]:
    """The URL settings an image source needs: which sample, at what size."""
    return [
        choice("sample", sample_keys(), default_sample),
        int_choice("res", WORKING_SIZES, default_resolution),
    ]


def image_keys(state: PageState) -> ImageKeys:
    return ImageKeys(
        source=state.scratch("source"),
        upload=state.scratch("upload"),
        camera=state.scratch("camera"),
        sample=state.key("sample"),
        resolution=state.key("res"),
        decoded=state.scratch("decoded"),
        refused=state.scratch("refused"),
        lost=state.scratch("lost"),
    )


def page_image(state: PageState) -> ChosenImage:
    """The image the page works on. Draws nothing.

    A student following a class sees the teacher's picture when the teacher shares it;
    a teacher who shares sends the picture in use (an upload or camera frame)."""
    max_side = state["res"]
    shared = classroom.shared_picture_bytes()
    if shared is not None:
        version, data = shared
        picture = remembered(
            "_class_picture", (version, max_side), lambda: _decoded(data, max_side)
        )
        if picture is not None:
            # The same for every student of the class: known by its bytes' digest.
            return ChosenImage(picture[0], "the teacher's picture", False, shared_as=picture[1])
    chosen = resolve_image(image_keys(state))
    if not chosen.is_sample and classroom.teaching():
        classroom.share_picture(
            encode_jpeg(image_to_rgb(fit_within(chosen.pixels, SHARED_IMAGE_SIDE)))
        )
    return chosen


def _decoded(data: bytes, max_side: int) -> tuple[np.ndarray, tuple] | None:
    """The shared picture and what every session knows it as (the digest of its bytes,
    its size), or None when it cannot be read (the page's own image is used)."""
    try:
        pixels = load_image(data, max_side=max_side)
    except ImageError:
        return None
    return pixels, ("class picture", hashlib.sha256(data).hexdigest(), max_side)


def open_image_page(
    state: PageState, title: str, summary: str, *, image_title: str = "Image", page_css: str = ""
) -> ChosenImage:
    """Everything a page with an image does first: restore its settings, draw the image
    controls (so the image is chosen from what the browser holds), find the image, draw
    the title (with any notice about the link) and any message about the image."""
    state.restore()
    with st.sidebar:
        image_controls(image_keys(state), title=image_title)
    image = page_image(state)
    page_header(state, title, summary, page_css)
    with fixed_slot():  # a message comes and goes (e.g. with Upload chosen, until a file is in)
        image_messages(image)
    return image
