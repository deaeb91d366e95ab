"""Arrays to coloured pictures: the colour maps.

Feature maps are signed: an edge detector answers "brighter to the right" with positive
numbers and "darker to the right" with negative ones. Clipping the negatives to black (as
many demos do) hides half the answer, so signed maps use a diverging colour map centred at
zero with a symmetric range (blue below zero, white at zero, red above; ColorBrewer's RdBu,
Harrower & Brewer 2003), and maps that cannot be negative use viridis (van der Walt &
Smith, 2015), which stays readable in grey and for colour-blind viewers. Drawing on the
coloured pictures (enlargements, boxes, marks, overlays) is ``cnn_core.drawing``.

A second pair, the ``safe`` palette, is chosen for colour-vision deficiency: Paul Tol's
"sunset" diverging map (blue through pale yellow to red; Tol, "Colour Schemes", SRON
technical note, 2021) and cividis (Nunez, Anderton & Renslow, PLOS ONE 2018). Simulated
with Machado, Oliveira & Fernandes (2009) at full severity, RdBu's light blue and light
red next to zero are 16.5 CIEDE2000 apart for a protanope, sunset's 30.2 (the ends: 22.7
against 37.4), and cividis looks the same to a red-green deficient viewer as to anyone
else (mean difference 0.6-1.2, viridis 16); tests/cnn_core/test_palettes.py measures it.

Which palette a picture takes: the ``palette`` argument, else ``current_palette()``, which
asks the source set by ``follow_palette`` (the app's shell: the reader's choice).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

# ColorBrewer RdBu, from most negative (dark blue) through white to most positive (dark red).
_RDBU = (
    "#053061",
    "#2166ac",
    "#4393c3",
    "#92c5de",
    "#d1e5f0",
    "#f7f7f7",
    "#fddbc7",
    "#f4a582",
    "#d6604d",
    "#b2182b",
    "#67001f",
)
# Index 127 is zero in a signed map, so 0..254 cover [-limit, +limit] symmetrically.
_SIGNED_CENTRE = 127


# Paul Tol's sunset, from most negative (dark blue) through pale yellow to most positive
# (dark red); its 11 colours as published.
_SUNSET = (
    "#364b9a",
    "#4a7bb7",
    "#6ea6cd",
    "#98cae1",
    "#c2e4ef",
    "#eaeccc",
    "#feda8b",
    "#fdb366",
    "#f67e4b",
    "#dd3d2d",
    "#a50026",
)


def _hex_to_rgb(code: str) -> tuple[int, int, int]:
    return tuple(int(code[i : i + 2], 16) for i in (1, 3, 5))


def _diverging_lut(codes: tuple[str, ...] = _RDBU) -> np.ndarray:
    anchors = np.array([_hex_to_rgb(c) for c in codes], dtype=np.float64)  # (11, 3)
    positions = np.linspace(0, 2 * _SIGNED_CENTRE, len(anchors))
    steps = np.arange(256, dtype=np.float64).clip(0, 2 * _SIGNED_CENTRE)
    lut = np.stack([np.interp(steps, positions, anchors[:, k]) for k in range(3)], axis=1)
    return np.rint(lut).astype(np.uint8)  # (256, 3)


def _opencv_lut(colour_map: int = cv2.COLORMAP_VIRIDIS) -> np.ndarray:
    ramp = np.arange(256, dtype=np.uint8).reshape(1, 256)
    bgr = cv2.applyColorMap(ramp, colour_map)  # (1, 256, 3)
    return np.ascontiguousarray(bgr[0, :, ::-1])  # (256, 3) RGB


DIVERGING_LUT = _diverging_lut()
SEQUENTIAL_LUT = _opencv_lut()


@dataclass(frozen=True, eq=False)
class Palette:
    """A pair of colour maps: ``diverging`` for signed maps (index 127 is zero) and
    ``sequential`` for maps that cannot be negative, each ``(256, 3)`` uint8 RGB, with
    the words that name their colours (for colour bars read aloud)."""

    name: str
    label: str
    diverging: np.ndarray
    sequential: np.ndarray
    signed_words: tuple[str, str, str]  # most negative, zero, most positive
    unsigned_words: tuple[str, str]  # low, high


STANDARD = "standard"
SAFE = "safe"
PALETTES = {
    STANDARD: Palette(
        STANDARD,
        "Blue-white-red and viridis",
        DIVERGING_LUT,
        SEQUENTIAL_LUT,
        ("dark blue", "white", "dark red"),
        ("dark purple", "yellow"),
    ),
    SAFE: Palette(
        SAFE,
        "Colour-vision safe: sunset and cividis",
        _diverging_lut(_SUNSET),
        _opencv_lut(cv2.COLORMAP_CIVIDIS),
        ("dark blue", "pale yellow", "dark red"),
        ("dark blue", "yellow"),
    ),
}
for _palette in PALETTES.values():
    _palette.diverging.flags.writeable = False
    _palette.sequential.flags.writeable = False

_source: Callable[[], str] = lambda: STANDARD  # noqa: E731


def follow_palette(source: Callable[[], str]) -> None:
    """Make ``source()`` (a palette's name) decide the palette of every picture coloured
    without a ``palette`` argument. One source for the whole process: in the app it reads
    the palette of the session whose run asks, so sessions never see each other's."""
    global _source
    _source = source


def current_palette() -> Palette:
    """The palette in force: the one the source names (the standard one if unknown)."""
    return PALETTES.get(_source(), PALETTES[STANDARD])


def _palette(palette: Palette | str | None) -> Palette:
    if palette is None:
        return current_palette()
    return palette if isinstance(palette, Palette) else PALETTES[palette]


def signed_legend(palette: Palette | str | None = None) -> str:
    """A signed map's colours in words, from the palette's own names, with the sign in
    words too (colour is never its only carrier).

    >>> signed_legend(SAFE)
    'dark blue below zero (-), pale yellow at zero, dark red above zero (+)'
    """
    low, zero, high = _palette(palette).signed_words
    return f"{low} below zero (-), {zero} at zero, {high} above zero (+)"


def unsigned_legend(palette: Palette | str | None = None) -> str:
    """A map that cannot be negative, its colours in words: ``'dark blue low to yellow high'``."""
    low, high = _palette(palette).unsigned_words
    return f"{low} low to {high} high"


def symmetric_limit(values: np.ndarray) -> float:
    """The largest absolute finite value (0 for an all-zero or empty map)."""
    values = np.asarray(values, dtype=np.float32)
    if values.size == 0:
        return 0.0
    limit = max(float(values.max()), -float(values.min()))
    if math.isfinite(limit):
        return limit
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size else 0.0


def value_range(values: np.ndarray) -> tuple[float, float]:
    """The smallest and largest value of a map, NaN counted as 0 (as it is coloured)."""
    finite = np.nan_to_num(np.asarray(values, np.float32))
    return float(finite.min()), float(finite.max())


def clipped_share(values: np.ndarray, low: float = 0.0, high: float = 1.0) -> float:
    """The share (0 to 1) of values outside ``low .. high``, which a brightness picture
    clips to black or white."""
    values = np.asarray(values, np.float32)
    return float(np.mean((values < low) | (values > high)))


def signed_to_rgb(
    values: np.ndarray, limit: float | None = None, *, palette: Palette | str | None = None
) -> np.ndarray:
    """Colour a signed 2-D map: -limit blue, 0 white (pale yellow in the safe palette),
    +limit red; ``(H, W, 3)`` uint8.

    ``limit`` defaults to the map's largest absolute value, so the range is symmetric and
    zero always takes the middle colour. Values beyond ``limit`` take the end colours.
    """
    lut = _palette(palette).diverging
    values = _plane(values)
    limit = symmetric_limit(values) if limit is None else float(limit)
    if not limit > 0:
        return _apply_lut(np.full(values.shape, _SIGNED_CENTRE, np.uint8), lut)
    scaled = np.clip(np.nan_to_num(values, nan=0.0), -limit, limit)
    index = cv2.convertScaleAbs(scaled, alpha=_SIGNED_CENTRE / limit, beta=_SIGNED_CENTRE)
    return _apply_lut(index, lut)


def unsigned_to_rgb(
    values: np.ndarray,
    low: float | None = None,
    high: float | None = None,
    *,
    palette: Palette | str | None = None,
):
    """Colour a map from ``low`` to ``high`` with the sequential map (viridis: dark purple
    to yellow; cividis in the safe palette: dark blue to yellow)."""
    lut = _palette(palette).sequential
    values = np.nan_to_num(_plane(values), nan=0.0)
    low = float(values.min()) if low is None else float(low)
    high = float(values.max()) if high is None else float(high)
    if not high > low:
        return _apply_lut(np.zeros(values.shape, np.uint8), lut)
    scaled = np.clip(values, low, high)
    index = cv2.convertScaleAbs(
        scaled, alpha=255.0 / (high - low), beta=-255.0 * low / (high - low)
    )
    return _apply_lut(index, lut)


def image_to_rgb(image: np.ndarray) -> np.ndarray:
    """A [0, 1] gray ``(H, W)`` or colour ``(H, W, 3)`` image as ``(H, W, 3)`` uint8."""
    image = np.asarray(image, dtype=np.float32)
    pixels = cv2.convertScaleAbs(np.clip(np.nan_to_num(image), 0.0, 1.0), alpha=255.0)
    if pixels.ndim == 2:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_GRAY2RGB)
    return pixels


def _apply_lut(index: np.ndarray, lut: np.ndarray) -> np.ndarray:
    """``lut[index]``, (H, W, 3) uint8. OpenCV's table look-up on the index repeated as three
    channels is 2.5x faster than numpy's at 512 x 512 (the same pixels, tested)."""
    if index.dtype == np.uint8 and index.ndim == 2 and index.size and lut.shape == (256, 3):
        return cv2.LUT(cv2.merge((index, index, index)), lut.reshape(256, 1, 3))
    return np.take(lut, index, axis=0)  # 4x faster than lut[index]


def _plane(values) -> np.ndarray:
    values = np.asarray(values, dtype=np.float32)
    if values.ndim != 2:
        raise ValueError(f"expected a 2-D map; got shape {values.shape}")
    return values


def colour_stops(
    *, signed: bool, stops: int = 11, palette: Palette | str | None = None
) -> list[tuple[int, int, int]]:
    """``stops`` evenly spaced RGB colours of a colour map, from low to high (for bars)."""
    chosen = _palette(palette)
    lut, last = (chosen.diverging, 2 * _SIGNED_CENTRE) if signed else (chosen.sequential, 255)
    return [tuple(int(v) for v in lut[round(i)]) for i in np.linspace(0, last, stops)]
