"""What a user's model is fed: the photo resized to cover the model's input and cropped
at the centre, in grey or colour as the model takes it, and the per-channel
normalisation ``(x - mean) / std`` it was trained with (ImageNet's unless the model's
file says otherwise).

>>> parse_values("0.5, 0.25 ,0.125", 3, "Mean")
(0.5, 0.25, 0.125)
>>> default_normalisation(3, {})
((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
>>> model_picture(np.ones((4, 8, 3), np.float32), (2, 2), 1).shape
(1, 2, 2)
"""

from __future__ import annotations

import math

import cv2
import numpy as np

# torchvision's ImageNet statistics (the weights' transforms); a grey model gets their
# luminance-weighted average (0.299 R + 0.587 G + 0.114 B).
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
GREY_MEAN = (0.449,)
GREY_STD = (0.226,)
# Where a model file's metadata may say its normalisation.
MEAN_KEYS = ("mean", "image_mean", "normalization_mean")
STD_KEYS = ("std", "image_std", "normalization_std")


def parse_values(text: str, channels: int, what: str) -> tuple[float, ...]:
    """One number per input channel from ``"0.485, 0.456, 0.406"`` (a single number is
    used for every channel); a ``ValueError`` naming ``what`` otherwise."""
    parts = [p for p in str(text).replace(";", ",").replace(" ", ",").split(",") if p]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise ValueError(
            f"{what} must be {channels} number(s) separated by commas, like "
            f"{format_values(IMAGENET_MEAN[:channels] if channels <= 3 else (0.5,) * channels)}; "
            f"got {text!r}."
        ) from None
    if len(values) == 1:
        values = values * channels
    if len(values) != channels or not all(math.isfinite(v) for v in values):
        raise ValueError(
            f"{what} needs {channels} finite number(s), one per input channel; got {text!r}."
        )
    if what.lower().startswith("std") and any(v <= 0 for v in values):
        raise ValueError(f"{what} must be above 0 (the picture is divided by it); got {text!r}.")
    return values


def format_values(values) -> str:
    return ", ".join(f"{v:g}" for v in values)


def default_normalisation(channels: int, metadata: dict) -> tuple[tuple, tuple]:
    """The mean and std to start from: the model file's metadata when it has them (as a
    JSON list or comma-separated numbers), else ImageNet's (grey: their average)."""
    if channels == 1:
        mean, std = GREY_MEAN, GREY_STD
    elif channels == 3:
        mean, std = IMAGENET_MEAN, IMAGENET_STD
    else:
        mean, std = (0.5,) * channels, (0.5,) * channels
    return _from_metadata(metadata, MEAN_KEYS, channels, mean), _from_metadata(
        metadata, STD_KEYS, channels, std
    )


def _from_metadata(metadata: dict, keys, channels: int, default: tuple) -> tuple:
    for key in keys:
        if key in (metadata or {}):
            text = str(metadata[key]).strip()
            if text.startswith("["):  # a JSON list
                text = text.strip("[]")
            try:
                return parse_values(text, channels, "Std" if key in STD_KEYS else "Mean")
            except ValueError:
                continue  # unreadable metadata: the default stands
    return default


def model_picture(rgb: np.ndarray, size: tuple[int, int], channels: int) -> np.ndarray:
    """``(channels, H, W)`` float32 in [0, 1]: ``rgb`` ``(h, w, 3)`` resized (area
    averaging) so it covers ``size`` = (H, W) with its aspect kept, cropped at the centre;
    grey by luminance for one channel, an opaque alpha plane added for four."""
    if channels not in (1, 3, 4):
        raise ValueError(
            f"The model takes {channels} input channels; ConvScope feeds grey (1), colour (3) "
            "or colour with alpha (4) pictures."
        )
    rgb = np.asarray(rgb, np.float32)
    height, width = (int(s) for s in size)
    scale = max(height / rgb.shape[0], width / rgb.shape[1])
    new_h = max(height, round(rgb.shape[0] * scale))
    new_w = max(width, round(rgb.shape[1] * scale))
    shrinking = new_h < rgb.shape[0]
    resized = cv2.resize(
        rgb, (new_w, new_h), interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR
    )
    top, left = (new_h - height) // 2, (new_w - width) // 2
    crop = np.clip(resized[top : top + height, left : left + width], 0.0, 1.0)
    if channels == 1:
        planes = (crop @ np.array([0.299, 0.587, 0.114], np.float32))[None]
    else:
        planes = np.moveaxis(crop, 2, 0)
        if channels == 4:
            planes = np.concatenate([planes, np.ones_like(planes[:1])])
    return np.ascontiguousarray(planes, np.float32)
