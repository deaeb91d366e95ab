"""Image files made in memory for the load_image tests: odd-but-valid and plainly bad."""

from __future__ import annotations

import io
import struct
import zlib

import cv2
import numpy as np
from PIL import Image


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def gradient(width: int, height: int) -> np.ndarray:
    """uint8 RGB with red rising left to right and green rising top to bottom."""
    xs = np.linspace(0, 255, width)[None, :].repeat(height, 0)
    ys = np.linspace(0, 255, height)[:, None].repeat(width, 1)
    return np.stack([xs, ys, np.full_like(xs, 128)], axis=2).round().astype(np.uint8)


def png_16bit_gray() -> bytes:
    ramp = np.linspace(0, 65535, 64).round().astype(np.uint16)[None, :].repeat(8, 0)
    return encode(Image.fromarray(ramp), "PNG")


def png_16bit_rgb() -> bytes:
    pixels = (gradient(32, 16).astype(np.uint16) * 257)[..., ::-1]  # BGR for OpenCV
    return cv2.imencode(".png", np.ascontiguousarray(pixels))[1].tobytes()


def png_palette_with_transparency() -> bytes:
    image = Image.new("P", (10, 10), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.paste(0, (0, 0, 5, 10))  # left half uses the transparent index 0
    return encode(image, "PNG", transparency=0)


def png_rgba_half_transparent() -> bytes:
    pixels = np.zeros((6, 6, 4), np.uint8)
    pixels[..., 2] = 255  # blue
    pixels[..., 3] = 128  # about half opaque
    return encode(Image.fromarray(pixels, "RGBA"), "PNG")


def png_la() -> bytes:
    pixels = np.zeros((4, 4, 2), np.uint8)
    pixels[..., 1] = 0  # fully transparent black
    pixels[0, 0] = (0, 255)  # one opaque black pixel
    return encode(Image.fromarray(pixels, "LA"), "PNG")


def jpeg_cmyk() -> bytes:
    return encode(Image.new("CMYK", (16, 16), (0, 255, 255, 0)), "JPEG", quality=95)  # red


def jpeg_exif_rotated(orientation: int) -> bytes:
    pixels = np.zeros((20, 40, 3), np.uint8)
    pixels[:10, :10] = 255  # white marker in the stored top-left corner
    image = Image.fromarray(pixels)
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(image, "JPEG", exif=exif.tobytes(), quality=95)


def gif_animated() -> bytes:
    frames = [Image.new("RGB", (8, 8), (255, 0, 0)), Image.new("RGB", (8, 8), (0, 0, 255))]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)


def gif_transparent() -> bytes:
    image = Image.new("P", (8, 8), 0)
    image.putpalette([0, 255, 0, 0, 0, 0] + [0] * 762)
    image.paste(1, (0, 0, 8, 4))
    return encode(image, "GIF", transparency=1)


def photo_3000x2000() -> bytes:
    rng = np.random.default_rng(0)
    noise = rng.integers(0, 40, (2000, 3000, 3), dtype=np.uint8)
    return encode(Image.fromarray(gradient(3000, 2000) // 2 + noise), "JPEG", quality=85)


def checkerboard_png(size: int) -> bytes:
    board = (np.indices((size, size)).sum(axis=0) % 2 * 255).astype(np.uint8)
    return encode(Image.fromarray(board), "PNG")


def tiff_float() -> bytes:
    ramp = np.linspace(-2.0, 6.0, 30, dtype=np.float32)[None, :].repeat(3, 0)
    return encode(Image.fromarray(ramp, "F"), "TIFF")


def tiff_multipage() -> bytes:
    pages = [Image.new("RGB", (5, 5), (0, 255, 0)), Image.new("RGB", (5, 5), (255, 0, 0))]
    return encode(pages[0], "TIFF", save_all=True, append_images=pages[1:])


VALID = {
    "png_16bit_gray": png_16bit_gray,
    "png_16bit_rgb": png_16bit_rgb,
    "png_palette_transparency": png_palette_with_transparency,
    "png_rgba": png_rgba_half_transparent,
    "png_la": png_la,
    "png_1bit": lambda: encode(Image.new("1", (9, 7), 1), "PNG"),
    "png_1x1": lambda: encode(Image.new("RGB", (1, 1), (10, 20, 30)), "PNG"),
    "png_strip_5000x2": lambda: encode(Image.fromarray(gradient(5000, 2)), "PNG"),
    "png_checkerboard_2000": lambda: checkerboard_png(2000),
    "jpeg_cmyk": jpeg_cmyk,
    "jpeg_exif_rotate_90": lambda: jpeg_exif_rotated(6),
    "jpeg_exif_rotate_180": lambda: jpeg_exif_rotated(3),
    "jpeg_gray": lambda: encode(Image.new("L", (12, 12), 200), "JPEG"),
    "jpeg_progressive": lambda: encode(Image.fromarray(gradient(64, 48)), "JPEG", progressive=True),
    "jpeg_photo_3000x2000": photo_3000x2000,
    "gif_animated": gif_animated,
    "gif_transparent": gif_transparent,
    "webp_lossless": lambda: encode(Image.fromarray(gradient(20, 10)), "WEBP", lossless=True),
    "webp_rgba": lambda: encode(Image.new("RGBA", (6, 6), (0, 0, 0, 0)), "WEBP", lossless=True),
    "bmp": lambda: encode(Image.fromarray(gradient(20, 10)), "BMP"),
    "tiff_rgb": lambda: encode(Image.fromarray(gradient(20, 10)), "TIFF"),
    "tiff_16bit_gray": lambda: encode(Image.fromarray(np.full((4, 4), 30000, np.uint16)), "TIFF"),
    "tiff_float": tiff_float,
    "tiff_multipage": tiff_multipage,
}


def png_claiming(width: int, height: int) -> bytes:
    """A PNG signature and a valid IHDR chunk for a huge image, with no pixel data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def gif_claiming(width: int, height: int) -> bytes:
    """A GIF whose logical screen and frame claim a huge size."""
    small = encode(Image.new("P", (2, 2), 0), "GIF")
    body = bytearray(small)
    body[6:10] = struct.pack("<HH", width, height)
    descriptor = body.index(b",")  # image descriptor: ',' then left, top, width, height
    body[descriptor + 5 : descriptor + 9] = struct.pack("<HH", width, height)
    return bytes(body)


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _corrupt_png_data() -> bytes:
    data = bytearray(encode(Image.fromarray(gradient(50, 50)), "PNG"))
    start = data.index(b"IDAT") + 8
    data[start : start + 40] = b"\xff" * 40
    return bytes(data)


BAD = {
    "empty": (lambda: b"", "empty"),
    "text": (lambda: b"just some words, not pixels\n" * 20, "not an image we can read"),
    "random_bytes": (
        lambda: np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8).tobytes(),
        "not an image we can read",
    ),
    "truncated_png": (
        lambda: _truncated(encode(Image.fromarray(gradient(200, 200)), "PNG")),
        "damaged or incomplete",
    ),
    "truncated_jpeg": (
        lambda: _truncated(encode(Image.fromarray(gradient(200, 200)), "JPEG")),
        "damaged or incomplete",
    ),
    "corrupt_png_data": (_corrupt_png_data, "damaged or incomplete"),
    "svg": (
        lambda: b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10"></svg>',
        "SVG drawing",
    ),
    "html": (lambda: b"<!DOCTYPE html><html><body><img src=x></body></html>", "web page"),
    "pdf": (lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "PDF document"),
    "png_claiming_100_megapixels": (
        lambda: png_claiming(10_000, 10_000),
        "The image is 10000 x 10000 pixels; the limit is 50 megapixels",
    ),
    "gif_claiming_huge_screen": (
        lambda: gif_claiming(60_000, 60_000),
        "The image is 60000 x 60000 pixels; the limit is 50 megapixels",
    ),
    "png_claiming_20000_square": (
        lambda: png_claiming(20_000, 20_000),
        "The image is 20000 x 20000 pixels; the limit is 50 megapixels",
    ),
    "ico_unsupported_format": (
        lambda: encode(Image.new("RGB", (16, 16)), "ICO"),
        "not an image we can read",
    ),
    "zip_archive": (lambda: b"PK\x03\x04" + b"\x00" * 100, "not an image we can read"),
    "jpeg_header_only": (lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "damaged or incomplete"),
}
