"""Read a QR code the app drew as SVG: rasterise segno's run-length path, then decode the
picture with OpenCV's QR detector (an independent decoder). The page carries the SVG as
an image's data URL; ``read_qr`` takes that HTML, or the SVG itself."""

from __future__ import annotations

import base64
import re

import cv2
import numpy as np


def svg_modules(svg: str) -> np.ndarray:
    """The dark modules of segno's SVG as a boolean grid (rows, cols)."""
    width, height = (int(v) for v in re.search(r'width="(\d+)" height="(\d+)"', svg).groups())
    path = re.search(r'class="qrline"[^>]*d="([^"]+)"', svg)[1]
    scale = float(re.search(r'stroke-width="([\d.]+)"', svg)[1]) if "stroke-width" in svg else 1
    grid = np.zeros((round(height / scale), round(width / scale)), bool)
    x = y = 0.0
    for command, numbers in re.findall(r"([MmHh])([-\d.\s]+)", path):
        values = [float(v) for v in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            length = values[0]
            row = int(y / scale)
            grid[row, int(x / scale) : int((x + length) / scale)] = True
            x += length
    return grid


def read_qr(svg: str) -> str:
    if found := re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", svg):
        svg = base64.b64decode(found[1]).decode("ascii")
    modules = np.where(svg_modules(svg), 0, 255).astype(np.uint8)
    picture = cv2.resize(modules, None, fx=8, fy=8, interpolation=cv2.INTER_NEAREST)
    picture = cv2.copyMakeBorder(picture, 32, 32, 32, 32, cv2.BORDER_CONSTANT, value=255)
    return _decode(picture)


def _decode(picture: np.ndarray) -> str:
    """OpenCV's classic QR detector, then its ArUco-based one: the classic one misses about
    one valid code in 600 (its finder-pattern estimate), which the other reads."""
    for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        text, _, _ = detector.detectAndDecode(picture)
        if text:
            return text
    return ""


def read_qr_picture(png: bytes) -> str:
    """Decode a screenshot of a QR code as the browser painted it."""
    picture = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    picture = cv2.copyMakeBorder(picture, 32, 32, 32, 32, cv2.BORDER_CONSTANT, value=255)
    text = _decode(picture)
    return text
