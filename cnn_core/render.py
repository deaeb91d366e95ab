"""Arrays to coloured pictures: colour maps, enlargements, boxes and marks.

Feature maps are signed: an edge detector answers "brighter to the right" with positive
numbers and "darker to the right" with negative ones. Clipping the negatives to black (as
many demos do) hides half the answer, so signed maps use a diverging colour map centred at
zero with a symmetric range (blue below zero, white at zero, red above; ColorBrewer's RdBu,
Harrower & Brewer 2003), and maps that cannot be negative use viridis (van der Walt &
Smith, 2015), which stays readable in grey and for colour-blind viewers.
"""

from __future__ import annotations

import math

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


def _hex_to_rgb(code: str) -> tuple[int, int, int]:
    return tuple(int(code[i : i + 2], 16) for i in (1, 3, 5))


def _diverging_lut() -> np.ndarray:
    anchors = np.array([_hex_to_rgb(c) for c in _RDBU], dtype=np.float64)  # (11, 3)
    positions = np.linspace(0, 2 * _SIGNED_CENTRE, len(anchors))
    steps = np.arange(256, dtype=np.float64).clip(0, 2 * _SIGNED_CENTRE)
    lut = np.stack([np.interp(steps, positions, anchors[:, k]) for k in range(3)], axis=1)
    return np.rint(lut).astype(np.uint8)  # (256, 3)


def _viridis_lut() -> np.ndarray:
    ramp = np.arange(256, dtype=np.uint8).reshape(1, 256)
    bgr = cv2.applyColorMap(ramp, cv2.COLORMAP_VIRIDIS)  # (1, 256, 3)
    return np.ascontiguousarray(bgr[0, :, ::-1])  # (256, 3) RGB


DIVERGING_LUT = _diverging_lut()
SEQUENTIAL_LUT = _viridis_lut()


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


def signed_to_rgb(values: np.ndarray, limit: float | None = None) -> np.ndarray:
    """Colour a signed 2-D map: -limit blue, 0 white, +limit red; ``(H, W, 3)`` uint8.

    ``limit`` defaults to the map's largest absolute value, so the range is symmetric and
    zero is always white. Values beyond ``limit`` take the end colours.
    """
    values = _plane(values)
    limit = symmetric_limit(values) if limit is None else float(limit)
    if not limit > 0:
        return _apply_lut(np.full(values.shape, _SIGNED_CENTRE, np.uint8), DIVERGING_LUT)
    scaled = np.clip(np.nan_to_num(values, nan=0.0), -limit, limit)
    index = cv2.convertScaleAbs(scaled, alpha=_SIGNED_CENTRE / limit, beta=_SIGNED_CENTRE)
    return _apply_lut(index, DIVERGING_LUT)


def unsigned_to_rgb(values: np.ndarray, low: float | None = None, high: float | None = None):
    """Colour a map with viridis from ``low`` (dark purple) to ``high`` (yellow)."""
    values = np.nan_to_num(_plane(values), nan=0.0)
    low = float(values.min()) if low is None else float(low)
    high = float(values.max()) if high is None else float(high)
    if not high > low:
        return _apply_lut(np.zeros(values.shape, np.uint8), SEQUENTIAL_LUT)
    scaled = np.clip(values, low, high)
    index = cv2.convertScaleAbs(
        scaled, alpha=255.0 / (high - low), beta=-255.0 * low / (high - low)
    )
    return _apply_lut(index, SEQUENTIAL_LUT)


def image_to_rgb(image: np.ndarray) -> np.ndarray:
    """A [0, 1] gray ``(H, W)`` or colour ``(H, W, 3)`` image as ``(H, W, 3)`` uint8."""
    image = np.asarray(image, dtype=np.float32)
    pixels = cv2.convertScaleAbs(np.clip(np.nan_to_num(image), 0.0, 1.0), alpha=255.0)
    if pixels.ndim == 2:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_GRAY2RGB)
    return pixels


def _apply_lut(index: np.ndarray, lut: np.ndarray) -> np.ndarray:
    return np.take(lut, index, axis=0)  # (H, W, 3); 4x faster than lut[index]


def _plane(values) -> np.ndarray:
    values = np.asarray(values, dtype=np.float32)
    if values.ndim != 2:
        raise ValueError(f"expected a 2-D map; got shape {values.shape}")
    return values


def colour_stops(*, signed: bool, stops: int = 11) -> list[tuple[int, int, int]]:
    """``stops`` evenly spaced RGB colours of a colour map, from low to high (for bars)."""
    lut, last = (DIVERGING_LUT, 2 * _SIGNED_CENTRE) if signed else (SEQUENTIAL_LUT, 255)
    return [tuple(int(v) for v in lut[round(i)]) for i in np.linspace(0, last, stops)]


def upscale_nearest(pixels: np.ndarray, min_side: int) -> np.ndarray:
    """Enlarge by a whole factor (nearest neighbour) until the shorter side is ``min_side``.

    Small maps stay crisp squares in the browser instead of a blur.
    """
    height, width = pixels.shape[:2]
    factor = max(1, -(-min_side // max(1, min(height, width))))
    factor = min(factor, max(1, 2048 // max(height, width)))
    if factor == 1:
        return pixels
    return np.repeat(np.repeat(pixels, factor, axis=0), factor, axis=1)


def outline_box(
    pixels: np.ndarray,
    top: int,
    left: int,
    bottom: int,
    right: int,
    *,
    colour=(255, 210, 0),
    thickness: int = 2,
) -> np.ndarray:
    """A copy of ``pixels`` with a rectangle drawn around rows top..bottom, cols left..right.

    The box is drawn just outside the given pixels, in ``colour`` with a thin dark edge so
    it stays visible on light and dark images alike. Coordinates may lie outside the image.
    """
    out = np.ascontiguousarray(pixels).copy()
    outer = (
        (left - thickness - 1, top - thickness - 1),
        (right + thickness + 1, bottom + thickness + 1),
    )
    cv2.rectangle(out, *outer, (0, 0, 0), 1)
    for step in range(thickness):
        cv2.rectangle(
            out, (left - 1 - step, top - 1 - step), (right + 1 + step, bottom + 1 + step), colour, 1
        )
    return out


def shade(pixels: np.ndarray, mask: np.ndarray, *, colour=(230, 30, 30), strength: float = 0.45):
    """A copy of ``pixels`` with the ``mask`` pixels tinted towards ``colour``."""
    out = np.ascontiguousarray(pixels).copy()
    tint = np.asarray(colour, np.float32)
    out[mask] = np.rint(out[mask] * (1 - strength) + tint * strength).astype(np.uint8)
    return out


def zoom_window(
    pixels: np.ndarray, positions: np.ndarray, *, margin: int = 1, target: int = 360
) -> np.ndarray:
    """An enlarged crop around a kernel's taps, one big square per input pixel.

    ``positions`` are the ``(kh, kw, 2)`` image coordinates under the taps; cells outside the
    image (padding) are drawn light grey. Tap cells are outlined in yellow, so a dilated
    kernel's gaps are visible.
    """
    rows, cols = positions[..., 0], positions[..., 1]
    top, left = int(rows.min()) - margin, int(cols.min()) - margin
    height = int(rows.max()) + margin - top + 1
    width = int(cols.max()) + margin - left + 1
    big, cell = enlarge_region(pixels, top, left, height, width, target=target)
    taps = zip(rows.ravel() - top, cols.ravel() - left)
    return mark_cells(big, taps, cell, colour=(255, 210, 0), dot=False)


def enlarge_region(
    pixels: np.ndarray, top: int, left: int, rows: int, cols: int, *, target: int = 420
) -> tuple[np.ndarray, int]:
    """An enlarged crop, one square per pixel, grey outside the image; returns (picture, cell)."""
    canvas = np.full((rows, cols, 3), 215, np.uint8)
    src_top, src_left = max(top, 0), max(left, 0)
    src_bottom = min(top + rows, pixels.shape[0])
    src_right = min(left + cols, pixels.shape[1])
    if src_top < src_bottom and src_left < src_right:
        canvas[src_top - top : src_bottom - top, src_left - left : src_right - left] = pixels[
            src_top:src_bottom, src_left:src_right
        ]
    cell = int(np.clip(target // max(rows, cols), 3, 40))
    big = np.repeat(np.repeat(canvas, cell, axis=0), cell, axis=1)
    if cell >= 8:
        big[::cell, :] = (170, 170, 170)
        big[:, ::cell] = (170, 170, 170)
    return big, cell


def grid_lines(picture: np.ndarray, every: int, cell: int, offset: tuple[int, int], colour):
    """Thick lines every ``every`` cells (shifted by ``offset`` cells): window boundaries."""
    out = picture.copy()
    thickness = max(2, cell // 8)
    for axis, start in ((0, offset[0]), (1, offset[1])):
        for line in range(start % every, out.shape[axis] // cell + 1, every):
            position = min(line * cell, out.shape[axis] - thickness)
            if axis == 0:
                out[position : position + thickness, :] = colour
            else:
                out[:, position : position + thickness] = colour
    return out


def mark_cells(
    picture: np.ndarray, cells, cell: int, *, colour=(255, 140, 0), dot: bool = True
) -> np.ndarray:
    """Mark ``(row, col)`` cells of an enlarged picture with a dot (or an outline)."""
    out = picture.copy()
    for row, col in cells:
        y, x = int(row) * cell, int(col) * cell
        if dot:
            centre = (x + cell // 2, y + cell // 2)
            cv2.circle(out, centre, max(2, cell // 4), (0, 0, 0), -1)
            cv2.circle(out, centre, max(1, cell // 5), colour, -1)
        else:
            cv2.rectangle(out, (x, y), (x + cell - 1, y + cell - 1), colour, max(1, cell // 12))
    return out


def heat_overlay(gray: np.ndarray, heat: np.ndarray, *, strength: float = 0.75) -> np.ndarray:
    """``heat`` (any non-negative map) in viridis laid over a dimmed gray (or colour) image."""
    gray = np.asarray(gray, np.float32)
    gray = gray if gray.ndim == 2 else gray.mean(axis=2)
    heat = np.asarray(heat, np.float32)
    if gray.shape != heat.shape:
        raise ValueError(f"image and heat map differ in shape: {gray.shape} vs {heat.shape}")
    peak = float(heat.max(initial=0.0))
    weight = (heat / peak if peak > 0 else np.zeros_like(heat))[..., None]  # (H, W, 1)
    base = image_to_rgb(gray * 0.6).astype(np.float32)
    colour = unsigned_to_rgb(heat, low=0.0, high=peak if peak > 0 else 1.0).astype(np.float32)
    mix = np.clip(weight * 3, 0, 1) * strength
    return np.rint(base * (1 - mix) + colour * mix).astype(np.uint8)


def signed_overlay(image: np.ndarray, values: np.ndarray, *, strength: float = 0.8):
    """Signed evidence over a dimmed gray picture: red where ``values`` argue for, blue
    where against, faded to the picture where they are near zero."""
    image = np.asarray(image, np.float32)
    gray = image if image.ndim == 2 else image.mean(axis=2)
    values = np.asarray(values, np.float32)
    if gray.shape != values.shape:
        raise ValueError(f"image and values differ in shape: {gray.shape} vs {values.shape}")
    limit = symmetric_limit(values)
    weight = (np.abs(values) / limit if limit > 0 else np.zeros_like(values))[..., None]
    base = image_to_rgb(gray * 0.6).astype(np.float32)
    colour = signed_to_rgb(values, limit=limit or 1.0).astype(np.float32)
    mix = np.clip(weight * 2, 0, 1) * strength
    return np.rint(base * (1 - mix) + colour * mix).astype(np.uint8)


def tile(pictures: list[np.ndarray], columns: int, *, gap: int = 3) -> np.ndarray:
    """Same-sized RGB pictures laid out in a grid, row by row, on white."""
    if not pictures:
        raise ValueError("no pictures to tile")
    height, width = pictures[0].shape[:2]
    rows = -(-len(pictures) // columns)
    sheet = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap, 3), 255, np.uint8)
    for index, picture in enumerate(pictures):
        r, c = divmod(index, columns)
        top, left = r * (height + gap), c * (width + gap)
        sheet[top : top + height, left : left + width] = picture
    return sheet
