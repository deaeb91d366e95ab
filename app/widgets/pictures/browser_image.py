"""Pictures to bytes a browser can show, and colour maps as CSS for colour bars.

Colouring arrays is ``cnn_core.render``'s job; this module only encodes what it made
(and hands HTML made of it to ``st.html`` without another pass over its text).
PNG-encoding a 1-megapixel RGB picture costs ~120 ms here and JPEG ~7 ms, so large
pictures travel as JPEG and small ones as PNG (exact colours, crisp cells).
"""

from __future__ import annotations

import cv2
import numpy as np

from cnn_core.render import colour_stops

# Up to this many pixels (a 256 x 256 map) PNG costs ~3 ms and keeps hard edges exact;
# beyond it JPEG is several times faster to encode.
PNG_PIXEL_LIMIT = 70_000


def encode_png(pixels: np.ndarray, *, compression: int = 1) -> bytes:
    """Lossless PNG of an RGB (or gray) uint8 image; level 1 is fast and nearly as small."""
    ok, buffer = cv2.imencode(".png", _to_bgr(pixels), [cv2.IMWRITE_PNG_COMPRESSION, compression])
    if not ok:
        raise ValueError("PNG encoding failed")
    return buffer.tobytes()


def encode_jpeg(pixels: np.ndarray, *, quality: int = 92) -> bytes:
    """JPEG of an RGB uint8 image: about 20x faster than PNG for a photo-sized map."""
    ok, buffer = cv2.imencode(".jpg", _to_bgr(pixels), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buffer.tobytes()


def encode_for_browser(pixels: np.ndarray) -> tuple[bytes, str]:
    """Encode for display: PNG for small images, JPEG for large ones. Returns (bytes, format)."""
    height, width = pixels.shape[:2]
    if height * width <= PNG_PIXEL_LIMIT:
        return encode_png(pixels), "PNG"
    return encode_jpeg(pixels), "JPEG"


def _to_bgr(pixels: np.ndarray) -> np.ndarray:
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    if pixels.ndim == 3 and pixels.shape[2] == 3:
        return cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR)
    return pixels


class Markup:
    """HTML this app wrote, for ``st.html`` to take exactly as it is. Given a plain
    string, Streamlit first dedents it (``textwrap.dedent``: regular expressions over
    every character, ~1.5 ms for a picture's 80 kB data URL, in every run that draws it);
    an object with ``_repr_html_`` is taken as it is. Only for HTML without indented
    lines to dedent, so both ways give the browser the same HTML."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text.strip()  # as Streamlit's own cleaning ends

    def _repr_html_(self) -> str:
        return self.text


def css_gradient(*, signed: bool) -> str:
    """A CSS ``linear-gradient`` (left to right) of a colour map, for colour bars."""
    colours = ["#{:02x}{:02x}{:02x}".format(*rgb) for rgb in colour_stops(signed=signed)]
    return f"linear-gradient(to right, {', '.join(colours)})"
