"""Pictures with a text alternative: ``st.image`` has no ``alt``, so a screen reader met
an unnamed picture (axe's ``image-alt``, critical). These draw the same encoded bytes as
an ``<img>`` with ``alt`` text (what the picture shows, in numbers, from ``cnn_core.describe``)
and the caption under it."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

import numpy as np
import streamlit as st

from cnn_core.describe import describe_image
from cnn_core.render import image_to_rgb

from .browser_image import encode_for_browser

_CAPTION = "font-size: 0.875rem; text-align: center; margin: 0.25rem 0 0 0; overflow-wrap: anywhere"


def data_url(data: bytes, image_format: str) -> str:
    mime = "image/png" if image_format == "PNG" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def figure_html(
    data: bytes, image_format: str, *, alt: str, caption: str | None = None, width: int = 0
) -> str:
    """One picture as a ``<figure>``: the column's width, or ``width`` pixels at most."""
    size = f"width: {width}px; max-width: 100%" if width else "width: 100%"
    figure = f"margin: 0; {'flex: 0 1 auto; ' if width else ''}{size}"
    text = f'<figcaption style="{_CAPTION}">{html.escape(caption)}</figcaption>' if caption else ""
    return (
        f'<figure class="cs-picture" style="{figure}">'
        f'<img src="{data_url(data, image_format)}" alt="{html.escape(alt)}" '
        'style="display: block; width: 100%; height: auto; border-radius: 0.25rem">'
        f"{text}</figure>"
    )


def as_uint8(pixels: np.ndarray) -> np.ndarray:
    """uint8 pixels as they are; a float picture in [0, 1] (as ``st.image`` took it) scaled."""
    pixels = np.asarray(pixels)
    return image_to_rgb(pixels) if np.issubdtype(pixels.dtype, np.floating) else pixels


def fallback_alt(pixels: np.ndarray) -> str:
    """For a picture whose caller had no values to describe: its size and brightness
    (its caption, read with it, says what it is)."""
    return describe_image(as_uint8(pixels) / 255.0)


def show_encoded(
    data: bytes, image_format: str, *, alt: str, caption: str | None = None, width: int = 0
) -> None:
    st.html(figure_html(data, image_format, alt=alt, caption=caption, width=width))


def show_image(
    pixels: np.ndarray, *, alt: str | None = None, caption: str | None = None, width: int = 0
) -> None:
    """An RGB (or gray) uint8 picture at the column's width (or ``width`` pixels)."""
    data, fmt = encode_for_browser(as_uint8(pixels))
    show_encoded(data, fmt, alt=alt or fallback_alt(pixels), caption=caption, width=width)


def show_image_row(
    pictures: Sequence[np.ndarray],
    *,
    width: int,
    alts: Sequence[str],
    captions: Sequence[str] | None = None,
) -> None:
    """Pictures side by side, ``width`` pixels each, wrapping onto new lines: each with
    its own text alternative (``alts``) and caption."""
    captions = list(captions) if captions is not None else [None] * len(pictures)
    figures = []
    for pixels, alt, caption in zip(pictures, alts, captions):
        data, fmt = encode_for_browser(as_uint8(pixels))
        figures.append(figure_html(data, fmt, alt=alt, caption=caption, width=width))
    st.html(
        '<div style="display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-start">'
        + "".join(figures)
        + "</div>"
    )
