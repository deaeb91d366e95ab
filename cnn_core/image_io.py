"""Reading any image a person might upload into a float RGB array.

``load_image`` accepts what phones, cameras, scanners and drawing programs write: EXIF
rotation, transparency, 16-bit and palette images, CMYK JPEGs, animations (first frame).
Everything else raises ``ImageError`` with a message a person can act on. Nothing here
writes the image anywhere or logs it.
"""

from __future__ import annotations

import io
import os
import threading
import warnings
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .limits import MAX_IMAGE_PIXELS, MAX_UPLOAD_MB, MAX_WORKING_SIZE

FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")
# Pillow's name for the multi-picture JPEGs that many cameras write, where it has one.
Image.init()
_OPEN_FORMATS = tuple(f for f in (*FORMATS, "MPO") if f in Image.OPEN)
_NOT_AN_IMAGE = "This file is not an image we can read (PNG, JPEG, WebP, GIF, BMP, TIFF)."


class ImageError(ValueError):
    """An input that cannot become an image; the message says what to do instead."""


def load_image(data, *, max_side: int = MAX_WORKING_SIZE) -> np.ndarray:
    """Decode ``data`` into an ``(H, W, 3)`` float32 RGB array in [0, 1].

    Parameters
    ----------
    data : bytes, str, os.PathLike or binary file object
    max_side : int
        The longest side is downscaled (antialiased, aspect kept) to at most this.

    Raises
    ------
    ImageError
        For anything that is not a readable image in one of ``FORMATS``, is damaged, or
        has more than 50 megapixels, or is a file over the upload limit (``MAX_UPLOAD_MB``).
    """
    if isinstance(max_side, bool) or not isinstance(max_side, int) or max_side < 1:
        raise ValueError(f"max_side must be a positive integer; got {max_side!r}")
    raw = _read_bytes(data)
    if not raw:
        raise ImageError("The file is empty.")
    if len(raw) > MAX_UPLOAD_MB * 1024 * 1024:
        # The browser refuses larger pictures; this holds for any other way in.
        raise ImageError(
            f"The file is {len(raw) / 1e6:.1f} MB; pictures of up to {MAX_UPLOAD_MB} MB "
            "are taken. Save it smaller (a JPEG of the same picture is a few MB)."
        )
    with warnings.catch_warnings():
        # Pillow warns from 89 MP; our own, lower limit below says it with the numbers.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(raw), formats=_OPEN_FORMATS)
        except UnidentifiedImageError:
            raise ImageError(_describe_unreadable(raw)) from None
        except Image.DecompressionBombError:
            raise ImageError(_too_big(*_header_size(raw))) from None
        except (OSError, ValueError, SyntaxError):
            raise ImageError(_DAMAGED) from None
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise ImageError(_too_big(width, height))
        if width < 1 or height < 1:
            raise ImageError(_DAMAGED)
        try:
            return _decode(image, max_side)
        except (OSError, ValueError, SyntaxError, EOFError):
            raise ImageError(_DAMAGED) from None


def fitted_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """(width, height) ``load_image`` gives a ``width`` x ``height`` picture at ``max_side``.

    >>> fitted_size(20000, 2, 512)
    (512, 1)
    """
    longest = max(width, height)
    if longest <= max_side:
        return width, height
    scale = max_side / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def read_size(data) -> tuple[int, int] | None:
    """(width, height) from an image's header after EXIF rotation, without decoding
    pixels; None when it cannot be read (``load_image`` then says why)."""
    try:
        raw = _read_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=_OPEN_FORMATS) as image:
                width, height = image.size
                orientation = image.getexif().get(0x0112, 1)
    except (ImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


_DAMAGED = (
    "The file looks damaged or incomplete and could not be decoded. "
    "Try saving it again, or use another image."
)


def _megapixels() -> str:
    return f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels"


def _too_big(width: int | None, height: int | None) -> str:
    if width is None:
        return f"The image has far too many pixels; the limit is {_megapixels()}."
    return f"The image is {width} x {height} pixels; the limit is {_megapixels()}."


_header_lock = threading.Lock()


def _header_size(raw: bytes) -> tuple[int | None, int | None]:
    """Width and height from the header of an image Pillow refused as a bomb.

    Pillow refuses to even open images over ~179 megapixels; its limit is lifted for the
    moment it takes to read the header (no pixels are decoded), so the message can say
    how big the image is.
    """
    with _header_lock:
        limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
        try:
            with Image.open(io.BytesIO(raw), formats=_OPEN_FORMATS) as image:
                return image.size
        except Exception:  # noqa: BLE001 - only for the wording of a message
            return None, None
        finally:
            Image.MAX_IMAGE_PIXELS = limit


def _read_bytes(data) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, (str, os.PathLike)):
        try:
            return Path(data).read_bytes()
        except OSError as error:
            raise ImageError(
                f"Could not read the file {os.fspath(data)!r}: {error.strerror}."
            ) from None
    if hasattr(data, "read"):
        if hasattr(data, "seek"):
            data.seek(0)
        raw = data.read()
        if isinstance(raw, (bytes, bytearray, memoryview)):
            return bytes(raw)
    raise ImageError("Give the image as bytes, a file path, or a binary file object.")


def _describe_unreadable(raw: bytes) -> str:
    head = raw[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return "This is a PDF document, not an image. Export the page as PNG or JPEG first."
    if b"<svg" in head or (head.startswith(b"<?xml") and b"svg" in raw[:4096].lower()):
        return "This is an SVG drawing; export it as PNG first (SVG is not a pixel image)."
    if head.startswith((b"<!doctype html", b"<html")):
        return "This is a web page (HTML), not an image. Save the image itself and upload that."
    return _NOT_AN_IMAGE


def _decode(image: Image.Image, max_side: int) -> np.ndarray:
    image.seek(0)  # first frame of an animation
    if image.format in ("JPEG", "MPO") and image.mode in ("RGB", "L", "CMYK"):
        # Let the JPEG decoder skip detail we would throw away (it decodes at 1/2, 1/4, 1/8).
        image.draft(image.mode, (max_side, max_side))
    image = ImageOps.exif_transpose(image)
    if image.mode.startswith("I;16"):
        return _fit(_gray_to_rgb(np.asarray(image, dtype=np.float32) / 65535.0), max_side)
    if image.mode in ("I", "F"):
        return _fit(_gray_to_rgb(_stretch_wide_gray(image)), max_side)
    return _fit(_eight_bit_rgb(image, max_side), max_side)


def _eight_bit_rgb(image: Image.Image, max_side: int) -> np.ndarray:
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    factor = max(image.size) // max_side
    if factor >= 2:
        # A box reduction by a whole factor first keeps big photos cheap; _fit finishes.
        image = image.reduce(factor)
    pixels = np.asarray(image, dtype=np.float32) / 255.0
    if not has_alpha:
        return pixels
    alpha = pixels[..., 3:4]
    return pixels[..., :3] * alpha + (1.0 - alpha)  # composited on white


def _stretch_wide_gray(image: Image.Image) -> np.ndarray:
    """32-bit integer or float gray levels mapped onto [0, 1] without clipping any."""
    gray = np.asarray(image, dtype=np.float64)
    finite = gray[np.isfinite(gray)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if image.mode == "I":
        low, high = min(low, 0.0), 255.0 if high <= 255 else 65535.0 if high <= 65535 else high
    elif low >= 0.0 and high <= 1.0:
        low, high = 0.0, 1.0
    gray = (np.nan_to_num(gray, nan=low, posinf=high, neginf=low) - low) / max(high - low, 1e-12)
    return gray.astype(np.float32)


def _gray_to_rgb(gray: np.ndarray) -> np.ndarray:
    return np.repeat(np.clip(gray, 0.0, 1.0)[..., None], 3, axis=2)


def _fit(rgb: np.ndarray, max_side: int) -> np.ndarray:
    height, width = rgb.shape[:2]
    size = fitted_size(width, height, max_side)
    if size != (width, height):
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
        if rgb.ndim == 2:
            rgb = rgb[..., None]
    return np.ascontiguousarray(np.clip(rgb, 0.0, 1.0), dtype=np.float32)


def resize_to(pixels: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """``pixels`` resampled (area-averaged) to ``(height, width)``, e.g. a second image
    brought to the first one's size."""
    height, width = shape
    return cv2.resize(np.asarray(pixels, np.float32), (width, height), interpolation=cv2.INTER_AREA)


def fit_within(pixels: np.ndarray, max_side: int) -> np.ndarray:
    """``pixels`` scaled down (area-averaged) so its longest side is at most ``max_side``."""
    height, width = pixels.shape[:2]
    size = fitted_size(width, height, max_side)
    if size == (width, height):
        return pixels
    return cv2.resize(np.asarray(pixels, np.float32), size, interpolation=cv2.INTER_AREA)
