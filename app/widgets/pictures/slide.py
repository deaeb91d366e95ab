"""A slide for the projector: title, a few lines of text and pictures, at 1920 x 1080,
as a PNG to download (the lesson's steps, a comparison of images)."""

from __future__ import annotations

import textwrap

import cv2
import numpy as np

from .browser_image import encode_png

WIDTH, HEIGHT = 1920, 1080
MARGIN = 60
_FONT = cv2.FONT_HERSHEY_DUPLEX
# Hershey fonts know ASCII only: the few other characters the product writes, in ASCII.
_ASCII = {
    "−": "-",
    "×": "x",
    "·": "*",
    "√": "sqrt",
    "²": "^2",
    "⌊": "floor(",
    "⌋": ")",
    "–": "-",
    "—": "-",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "°": " deg",
}


def _ascii(text: str) -> str:
    for old, new in _ASCII.items():
        text = text.replace(old, new)
    return text.encode("ascii", "replace").decode("ascii")


def _write(canvas, text: str, x: int, y: int, scale: float, thickness: int = 1) -> None:
    cv2.putText(canvas, _ascii(text), (x, y), _FONT, scale, (20, 20, 20), thickness, cv2.LINE_AA)


def _fit(picture: np.ndarray, width: int, height: int) -> np.ndarray:
    picture = np.asarray(picture, np.uint8)
    if picture.ndim == 2:
        picture = np.repeat(picture[..., None], 3, axis=2)
    scale = min(width / picture.shape[1], height / picture.shape[0])
    size = (max(1, int(picture.shape[1] * scale)), max(1, int(picture.shape[0] * scale)))
    smooth = cv2.INTER_AREA if scale < 1 else cv2.INTER_NEAREST  # small maps stay crisp
    return cv2.resize(picture, size, interpolation=smooth)


def compose_slide(
    title: str,
    lines: list[str],
    panels: list[tuple[np.ndarray, str]],
    *,
    columns: int | None = None,
):
    """The slide as an ``(1080, 1920, 3)`` uint8 RGB picture: the title, the lines, then
    the panels in rows of ``columns`` (default: all in one row), each with its caption."""
    canvas = np.full((HEIGHT, WIDTH, 3), 255, np.uint8)
    _write(canvas, title, MARGIN, MARGIN + 30, 1.6, 2)
    y = MARGIN + 90
    for line in lines:
        for piece in textwrap.wrap(_ascii(line), 105) or [""]:
            _write(canvas, piece, MARGIN, y, 0.9)
            y += 40
    if not panels:
        return canvas
    columns = columns or len(panels)
    rows = -(-len(panels) // columns)
    gap, caption = 30, 45
    width = (WIDTH - 2 * MARGIN - gap * (columns - 1)) // columns
    height = (HEIGHT - y - 40 - rows * caption) // rows
    for index, (picture, text) in enumerate(panels):
        row, column = divmod(index, columns)
        x = MARGIN + column * (width + gap)
        top = y + 10 + row * (height + caption)
        fitted = _fit(picture, width, max(height, 10))
        canvas[top : top + fitted.shape[0], x : x + fitted.shape[1]] = fitted
        if text:
            _write(canvas, text[:60], x, top + fitted.shape[0] + 32, 0.75)
    return canvas


def slide_png(
    title: str,
    lines: list[str],
    panels: list[tuple[np.ndarray, str]],
    *,
    columns: int | None = None,
) -> bytes:
    return encode_png(compose_slide(title, lines, panels, columns=columns), compression=6)
