"""Turning any picture of a handwritten digit into the 28 x 28 input MNIST networks expect.

MNIST's own recipe (LeCun, Bottou, Bengio & Haffner, 1998, and the data set's notes):
white ink on black, the digit scaled so its longer side is 20 pixels (aspect kept), placed
in a 28 x 28 frame so that its centre of mass is the frame's centre. People hand in dark
ink on white paper, photos with uneven light, thin or fat strokes, at any size; each step
below removes one of those differences.
"""

from __future__ import annotations

import cv2
import numpy as np

SIDE = 28
DIGIT_BOX = 20


class DigitError(ValueError):
    """The picture holds no digit we can find; the message says what to try."""


def to_ink(image: np.ndarray) -> np.ndarray:
    """Ink strength in [0, 1] (1 = ink, 0 = paper), whichever way round the picture is."""
    gray = np.asarray(image, np.float32)
    if gray.ndim == 3 and gray.shape[2] in (3, 4):
        gray = cv2.cvtColor(np.ascontiguousarray(gray[..., :3]), cv2.COLOR_RGB2GRAY)
    if gray.ndim != 2 or min(gray.shape) < 1:
        raise DigitError("Expected a gray (H, W) or colour (H, W, 3) picture.")
    if not np.isfinite(gray).all():
        raise DigitError("The picture holds values that are not numbers.")
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    # The border is paper: on light paper the ink is dark, so turn it round; then the
    # paper's own level is taken away, so only what differs from it counts as ink.
    ink = 1.0 - gray if np.median(border) > 0.5 else gray.copy()
    ink = ink - np.median(np.concatenate([ink[0], ink[-1], ink[:, 0], ink[:, -1]]))
    if min(ink.shape) > 64:
        ink = ink - _paper_shading(ink)
    ink = np.clip(ink, 0, None)
    peak = float(np.percentile(ink, 99.5)) if ink.size > 400 else float(ink.max())
    if peak < 0.08:
        raise DigitError(
            "No ink found: the picture looks blank or too faint. Draw or photograph a "
            "digit with clear contrast against the paper."
        )
    ink = np.clip(ink / peak, 0, 1)
    ink[ink < 0.25] = 0  # paper grain and shadows
    return ink


def _paper_shading(ink: np.ndarray) -> np.ndarray:
    """The slowly varying light on a photographed page, without the strokes.

    An opening (erosion then dilation) with a disc wider than any stroke keeps only the
    paper. It is done on a 64-pixel copy, where the disc is small, and enlarged back:
    the shading varies slowly, and a full-size opening costs ~25 ms on a 280-pixel page.
    """
    height, width = ink.shape
    scale = 64 / max(height, width)
    small = cv2.resize(
        ink,
        (max(1, round(width * scale)), max(1, round(height * scale))),
        interpolation=cv2.INTER_AREA,
    )
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (17, 17))
    shading = cv2.morphologyEx(small, cv2.MORPH_OPEN, disc)
    return cv2.resize(shading, (width, height), interpolation=cv2.INTER_LINEAR)


def preprocess_digit(image: np.ndarray) -> np.ndarray:
    """The 28 x 28 float32 array (white digit on black, in [0, 1]) the network sees."""
    ink = to_ink(image)
    rows, cols = np.nonzero(ink)
    if rows.size < 4:
        raise DigitError("Only a few faint pixels were found; draw a larger, bolder digit.")
    top, bottom, left, right = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
    digit = ink[top:bottom, left:right]
    height, width = digit.shape
    scale = DIGIT_BOX / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    digit = cv2.resize(digit, size, interpolation=interpolation)
    frame = np.zeros((SIDE, SIDE), np.float32)
    top = (SIDE - digit.shape[0]) // 2
    left = (SIDE - digit.shape[1]) // 2
    frame[top : top + digit.shape[0], left : left + digit.shape[1]] = digit
    return _centre_mass(frame)


def _centre_mass(frame: np.ndarray) -> np.ndarray:
    total = float(frame.sum())
    if total <= 0:
        return frame
    rows, cols = np.indices(frame.shape)
    shift_r = (SIDE - 1) / 2 - float((rows * frame).sum()) / total
    shift_c = (SIDE - 1) / 2 - float((cols * frame).sum()) / total
    matrix = np.float32([[1, 0, shift_c], [0, 1, shift_r]])
    moved = cv2.warpAffine(
        frame,
        matrix,
        (SIDE, SIDE),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=0,
    )
    return np.clip(moved, 0, 1).astype(np.float32)
