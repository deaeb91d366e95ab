"""Encoding pictures for the browser, and colour bars as CSS."""

import cv2
import numpy as np

from app.widgets.pictures.browser_image import (
    css_gradient,
    encode_for_browser,
    encode_jpeg,
    encode_png,
)


def test_encode_png_is_lossless_and_jpeg_is_close():
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (40, 30, 3), dtype=np.uint8)
    decoded = cv2.imdecode(np.frombuffer(encode_png(pixels), np.uint8), cv2.IMREAD_COLOR)
    np.testing.assert_array_equal(decoded[..., ::-1], pixels)
    smooth = np.full((64, 64, 3), (200, 30, 90), np.uint8)
    decoded = cv2.imdecode(np.frombuffer(encode_jpeg(smooth), np.uint8), cv2.IMREAD_COLOR)
    assert np.abs(decoded[..., ::-1].astype(int) - smooth).max() <= 3


def test_encode_for_browser_picks_png_for_small_and_jpeg_for_large():
    assert encode_for_browser(np.zeros((100, 100, 3), np.uint8))[1] == "PNG"
    data, fmt = encode_for_browser(np.zeros((1024, 1024, 3), np.uint8))
    assert fmt == "JPEG" and data[:2] == b"\xff\xd8"


def test_css_gradient_lists_the_colour_map_ends():
    assert css_gradient(signed=True).startswith("linear-gradient(to right, #053061")
    assert css_gradient(signed=True).endswith("#67001f)")
    assert "#" in css_gradient(signed=False)
