"""Feature maps on the page: coloured image, colour bar with the value range, clicks.

Large maps go to the browser as JPEG (PNG of a 1-megapixel map costs ~120 ms to encode);
small ones as PNG, enlarged with nearest-neighbour so every value stays a crisp square.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import streamlit as st

from cnn_core.drawing import upscale_nearest
from cnn_core.render import (
    current_palette,
    signed_to_rgb,
    symmetric_limit,
    unsigned_to_rgb,
    value_range,
)

from ..numbers.number_grid import format_value
from .browser_image import Markup, css_gradient, encode_for_browser, encode_png
from .clickable_image import clickable_image
from .described import fallback_alt, figure_html

DISPLAY_MIN_SIDE = 256


def colour_map(values: np.ndarray, *, signed: bool, limit: float | None = None) -> np.ndarray:
    """The coloured ``(H, W, 3)`` uint8 picture of a 2-D map."""
    if signed:
        return signed_to_rgb(values, limit=limit)
    return unsigned_to_rgb(values, low=0.0 if limit is not None else None, high=limit)


# Pictures beside the feature map fill a third of the page (under 450 px even on a wide
# screen): sending them larger only costs encoding and decoding time on every change.
# The default working size (512) goes as it is: shrinking it by a few percent cost more
# (a fractional area resize, ~1 ms a picture in every run) than the pixels it saved;
# 1024 is halved (an exact factor, fast).
SIDE_PICTURE_MAX = 512


@dataclass(frozen=True)
class EncodedPicture:
    """A picture as the browser gets it, and what it shows: the encoded bytes, their
    format, the text alternative and the pixel grid a click is mapped to. Made without
    drawing anything, so a page may share it between sessions (``shared_results``)."""

    data: bytes
    fmt: str
    alt: str
    grid: tuple[int, int]  # rows, columns of the picture before enlarging


def encode_picture(pixels: np.ndarray, *, alt: str | None = None, max_side: int = 0):
    """An RGB uint8 picture ready for the page: shrunk (antialiased) to ``max_side`` when
    given, enlarged if small (crisp squares), encoded. ``alt``: what it shows, in numbers
    (``cnn_core.describe``); without it, its size and brightness."""
    alt = alt or fallback_alt(pixels)
    if max_side and max(pixels.shape[:2]) > max_side:
        scale = max_side / max(pixels.shape[:2])
        size = (max(1, round(pixels.shape[1] * scale)), max(1, round(pixels.shape[0] * scale)))
        pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    data, fmt = encode_for_browser(upscale_nearest(pixels, DISPLAY_MIN_SIDE))
    return EncodedPicture(data, fmt, alt, pixels.shape[:2])


def show_picture(
    pixels: np.ndarray, *, caption: str | None = None, max_side: int = 0, alt: str | None = None
) -> None:
    """An RGB uint8 picture at the column's width (see ``encode_picture``)."""
    show_encoded_picture(encode_picture(pixels, alt=alt, max_side=max_side), caption=caption)


def show_encoded_picture(picture: EncodedPicture, *, caption: str | None = None) -> None:
    st.html(Markup(figure_html(picture.data, picture.fmt, alt=picture.alt, caption=caption)))


def clickable_picture(
    pixels: np.ndarray,
    *,
    key: str,
    alt: str,
    on_pick: Callable[[int, int], None],
    cursor: tuple[int, int] | None = None,
) -> None:
    """A picture the user can click, or pick from by keyboard (arrow keys from ``cursor``,
    default its centre, then Enter); ``on_pick(row, col)`` gets the pixel of ``pixels``."""
    clickable_encoded(encode_picture(pixels, alt=alt), key=key, on_pick=on_pick, cursor=cursor)


def clickable_encoded(
    picture: EncodedPicture,
    *,
    key: str,
    on_pick: Callable[[int, int], None],
    cursor: tuple[int, int] | None = None,
) -> None:
    """``clickable_picture`` of a picture already encoded (its grid is the pixels')."""
    height, width = picture.grid

    def picked(x: float, y: float) -> None:
        on_pick(int(y * height), int(x * width))

    start = cursor if cursor is not None else (height // 2, width // 2)
    clickable_image(
        picture.data,
        picture.fmt,
        key=key,
        alt=picture.alt,
        grid=(height, width),
        cursor=start,
        on_click=picked,
    )


def colour_bar(
    values: np.ndarray, *, signed: bool, limit: float | None = None, note: str = ""
) -> None:
    """One block: the colour map's bar with its end values, the map's range, and a note."""
    st.html(colour_bar_html(values, signed=signed, limit=limit, note=note))


def colour_bar_html(
    values: np.ndarray, *, signed: bool, limit: float | None = None, note: str = ""
) -> Markup:
    """``colour_bar``'s HTML, made without drawing (in the palette now in force)."""
    low, high = value_range(values)
    if signed:
        end = symmetric_limit(np.nan_to_num(values)) if limit is None else limit
        labels = (f"-{format_value(end)}", "0", f"+{format_value(end)}")
    else:
        top = high if limit is None else limit
        labels = (format_value(0.0 if limit is not None else low), "", format_value(top))
    bar = f"height: 0.9rem; border: 1px solid #999; background: {css_gradient(signed=signed)}"
    line = f"values from {format_value(low)} to {format_value(high)}. {note}".strip()
    palette = current_palette()
    if signed:
        low_word, zero_word, high_word = palette.signed_words
        scale = f"Colour scale: {low_word} {labels[0]}, {zero_word} 0, {high_word} {labels[2]}"
    else:
        low_word, high_word = palette.unsigned_words
        scale = f"Colour scale: {low_word} {labels[0]} to {high_word} {labels[2]}"
    # The bar and its end values are one picture to a screen reader, named in words
    # (colour is never the only carrier of the sign: the numbers say it too).
    return Markup(
        f'<div role="img" aria-label="{html.escape(scale)}"><div style="{bar}"></div>'
        '<div style="display: flex; justify-content: space-between; font-size: 0.85rem">'
        + "".join(f"<span>{label}</span>" for label in labels)
        + "</div></div>"
        + '<div style="font-size: 0.85rem; color: inherit; opacity: 0.8; margin-top: 0.3rem">'
        + f"{html.escape(line)}</div>"
    )


def brightness_bar(values: np.ndarray, *, note: str = "") -> None:
    """A black-to-white bar for maps shown as brightness, with the map's range and a note."""
    low, high = value_range(values)
    line = f"values from {format_value(low)} to {format_value(high)}."
    st.html(
        '<div role="img" aria-label="Brightness scale: black 0 to white 1">'
        '<div style="height: 0.9rem; border: 1px solid #999; '
        'background: linear-gradient(to right, #000, #fff)"></div>'
        '<div style="display: flex; justify-content: space-between; font-size: 0.85rem">'
        "<span>0</span><span>1</span></div></div>"
        '<div style="font-size: 0.85rem; color: inherit; opacity: 0.8; margin-top: 0.3rem">'
        f"{html.escape(line + ' ' + note)}</div>"
    )


def downloads(values: np.ndarray, pixels: np.ndarray, *, stem: str, key: str) -> None:
    """Download buttons: the coloured map as lossless PNG, the raw values as ``.npy``."""

    def as_npy() -> bytes:
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(values, np.float32))
        return buffer.getvalue()

    left, right = st.columns(2)
    left.download_button(
        "PNG",
        icon=":material/download:",
        help="The coloured feature map, lossless",
        data=lambda: encode_png(pixels, compression=6),
        file_name=f"{stem}.png",
        mime="image/png",
        key=f"{key}_png",
    )
    right.download_button(
        ".npy",
        icon=":material/download:",
        help="The raw values, for numpy.load",
        data=as_npy,
        file_name=f"{stem}.npy",
        mime="application/octet-stream",
        key=f"{key}_npy",
    )
