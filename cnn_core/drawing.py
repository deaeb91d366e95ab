"""Drawing on coloured pictures: enlargements, boxes, marks, overlays and contact sheets.

The pictures are ``(H, W, 3)`` uint8 RGB, as ``cnn_core.render`` colours them; every
function returns a new picture and leaves its input unchanged.
"""

from __future__ import annotations

import cv2
import numpy as np

from .render import image_to_rgb, signed_to_rgb, symmetric_limit, unsigned_to_rgb

# What cv2.resize enlarges (a one-channel picture would come back without its channel axis).
_RESIZABLE = frozenset(map(np.dtype, (np.uint8, np.uint16, np.int16, np.float32, np.float64)))
# OpenCV 4.x's INTER_NEAREST_EXACT misplaces a few pixels at some sizes (28 of 80 size,
# type and factor cases differ from np.repeat on 4.10, 4.11 and 4.12; none on 5.1, the
# lock's), so before 5 every picture takes numpy's path.
_EXACT_RESIZE = int(cv2.__version__.split(".")[0]) >= 5


def upscale_nearest(pixels: np.ndarray, min_side: int) -> np.ndarray:
    """Enlarge by a whole factor (nearest neighbour) until the shorter side is ``min_side``.

    Small maps stay crisp squares in the browser instead of a blur.
    """
    height, width = pixels.shape[:2]
    factor = max(1, -(-min_side // max(1, min(height, width))))
    factor = min(factor, max(1, 2048 // max(height, width)))
    if factor == 1:
        return pixels
    if (
        _EXACT_RESIZE
        and pixels.dtype in _RESIZABLE
        and (pixels.ndim == 2 or (pixels.ndim == 3 and 1 < pixels.shape[2] <= 4))
    ):
        # OpenCV's exact nearest neighbour: the same pixels as repeating each one factor x
        # factor times (tested), in a quarter of the time for a 256 x 256 map at factor 2.
        size = (width * factor, height * factor)
        return cv2.resize(np.ascontiguousarray(pixels), size, interpolation=cv2.INTER_NEAREST_EXACT)
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
