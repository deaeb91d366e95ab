"""What one lesson step shows: pictures with captions, the arithmetic behind its numbers,
and a few sentences; drawn on the page and composed into a projector slide alike.

Every number here comes from a ``cnn_core`` function; this module only formats.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from app.widgets.numbers.formula import MINUS
from cnn_core.drawing import upscale_nearest
from cnn_core.geometry import OutputSize
from cnn_core.render import image_to_rgb, signed_to_rgb, unsigned_to_rgb

PANEL_SIDE = 256  # small maps are enlarged (nearest neighbour) to about this size


@dataclass(frozen=True)
class Figure:
    panels: tuple[tuple[np.ndarray, str], ...]  # (uint8 RGB picture, caption)
    formulas: tuple[str, ...] = ()  # "what = arithmetic = result", each checkable
    notes: tuple[str, ...] = ()  # sentences with the step's measured numbers
    # what each panel shows, in numbers, for a screen reader (``cnn_core.describe``), in
    # the panels' order; a panel without one is described by its size and brightness
    alts: tuple[str, ...] = ()


def signed_picture(values: np.ndarray) -> np.ndarray:
    """A signed map: blue below zero, white at zero, red above, enlarged if small."""
    return upscale_nearest(signed_to_rgb(values), PANEL_SIDE)


def unsigned_picture(values: np.ndarray, high: float | None = None) -> np.ndarray:
    """A map of values >= 0 (ReLU outputs, pooled maps), dark to bright."""
    peak = float(np.max(values)) if high is None else high
    return upscale_nearest(unsigned_to_rgb(values, low=0.0, high=peak or 1.0), PANEL_SIDE)


def numbers_picture(
    values: np.ndarray, *, digits: int = 0, cell: int = 72, signed: bool = True
) -> np.ndarray:
    """A small grid as cells with each number written in: a kernel in signed colours, or
    pixels (``signed=False``) in their own gray."""
    values = np.asarray(values, np.float32)
    colours = signed_to_rgb(values) if signed else image_to_rgb(values)
    picture = np.repeat(np.repeat(colours, cell, axis=0), cell, axis=1)
    picture[::cell, :] = picture[:, ::cell] = 150
    for (row, col), value in np.ndenumerate(values):
        text = signed_term(float(value), digits).replace(MINUS, "-")
        scale = 0.8 if len(text) <= 3 else 0.55
        (width, height), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, 2)
        origin = (col * cell + (cell - width) // 2, row * cell + (cell + height) // 2)
        ink = (0, 0, 0) if colours[row, col].mean() > 120 else (255, 255, 255)
        cv2.putText(picture, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, ink, 2, cv2.LINE_AA)
    return picture


def signed_term(value: float, digits: int = 2) -> str:
    """A number as a formula prints it: the minus sign typeset, no "-0"."""
    text = f"{value:.{digits}f}" if digits else f"{value:g}"
    if text.lstrip("-").strip("0.") == "":
        return text.lstrip("-")
    return text.replace("-", MINUS)


def sum_text(terms: list[str]) -> str:
    """``a + b − c``: terms given as printed numbers, negatives written as subtraction."""
    out = terms[0]
    for term in terms[1:]:
        out += f" {MINUS} {term[1:]}" if term.startswith(MINUS) else f" + {term}"
    return out


def output_size_text(size: OutputSize) -> str:
    """The output-size formula of one axis with its numbers, as plain text."""
    numerator = (
        f"{size.size} + {size.before} + {size.after} {MINUS} "
        f"{size.dilation}·({size.kernel} {MINUS} 1) {MINUS} 1"
    )
    return f"⌊({numerator}) / {size.stride}⌋ + 1 = {size.result}"


def size_caption(values: np.ndarray) -> str:
    return " x ".join(str(n) for n in values.shape[-2:])
