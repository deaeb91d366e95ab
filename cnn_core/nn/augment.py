"""Random changes to training pictures, so a small network learns what stays the same.

Digits (``augment_digits``) imitate how people write and photograph them: small shifts,
scaling, rotation and shear, bolder or thinner strokes, blur, weaker contrast and noise.
Pictures of objects (``augment_pictures``) get the usual photo changes: shifts, scale,
rotation, a mirror image half the time, brightness and contrast. Both work on
``(N, C, H, W)`` batches in [0, 1] with a seeded generator, so training repeats exactly.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

DIGIT_AUGMENTATION = {
    "rotation_degrees": 12,
    "scale": [0.85, 1.15],
    "shift_pixels": 2.5,
    "shear": 0.15,
    "bolder_or_thinner_probability": 0.4,
    "blur_probability": 0.3,
    "contrast": [0.55, 1.0],
    "noise_std": 0.04,
}


def augment_digits(batch: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Random shifts, scale, rotation, shear, stroke width, blur, contrast and noise."""
    n = batch.shape[0]

    def uniform(low: float, high: float) -> torch.Tensor:
        return torch.rand(n, generator=generator) * (high - low) + low

    angle = uniform(-1, 1) * math.radians(DIGIT_AUGMENTATION["rotation_degrees"])
    scale = uniform(*DIGIT_AUGMENTATION["scale"])
    shear = uniform(-1, 1) * DIGIT_AUGMENTATION["shear"]
    shift = DIGIT_AUGMENTATION["shift_pixels"] / 14.0  # affine_grid works in [-1, 1]
    tx, ty = uniform(-shift, shift), uniform(-shift, shift)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack(
        [torch.stack([cos, -sin + shear, tx], 1), torch.stack([sin, cos, ty], 1)], 1
    )  # (N, 2, 3)
    grid = F.affine_grid(theta, batch.shape, align_corners=False)
    out = F.grid_sample(batch, grid, align_corners=False, padding_mode="zeros")
    width = torch.rand(n, generator=generator)
    p = DIGIT_AUGMENTATION["bolder_or_thinner_probability"]
    bolder = (width < p / 2)[:, None, None, None]
    thinner = ((width >= p / 2) & (width < p))[:, None, None, None]
    out = torch.where(bolder, F.max_pool2d(out, 3, 1, 1), out)
    eroded = -F.max_pool2d(-out, 3, 1, 1)  # a full erosion would erase thin strokes: blend it
    out = torch.where(thinner, 0.5 * (out + eroded), out)
    blur = torch.rand(n, generator=generator) < DIGIT_AUGMENTATION["blur_probability"]
    blur = blur[:, None, None, None]
    kernel = torch.tensor([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16
    out = torch.where(blur, F.conv2d(out, kernel[None, None], padding=1), out)
    contrast = uniform(*DIGIT_AUGMENTATION["contrast"])[:, None, None, None]
    noise = torch.randn(out.shape, generator=generator) * DIGIT_AUGMENTATION["noise_std"]
    return (out * contrast + noise).clamp(0, 1)


PICTURE_AUGMENTATION = {
    "rotation_degrees": 15,
    "scale": [0.85, 1.2],
    "shift": 0.12,  # of the picture's side
    "mirror_probability": 0.5,
    "brightness": [-0.15, 0.15],
    "contrast": [0.75, 1.25],
}


def augment_pictures(batch: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Random shifts, scale, rotation, mirroring, brightness and contrast."""
    n = batch.shape[0]
    settings = PICTURE_AUGMENTATION

    def uniform(low: float, high: float) -> torch.Tensor:
        return torch.rand(n, generator=generator) * (high - low) + low

    angle = uniform(-1, 1) * math.radians(settings["rotation_degrees"])
    scale = uniform(*settings["scale"])
    mirror = torch.where(
        torch.rand(n, generator=generator) < settings["mirror_probability"], -1.0, 1.0
    )
    shift = 2 * settings["shift"]  # affine_grid works in [-1, 1]
    tx, ty = uniform(-shift, shift), uniform(-shift, shift)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack(
        [torch.stack([cos * mirror, -sin, tx], 1), torch.stack([sin * mirror, cos, ty], 1)], 1
    )  # (N, 2, 3)
    grid = F.affine_grid(theta, batch.shape, align_corners=False)
    out = F.grid_sample(batch, grid, align_corners=False, padding_mode="reflection")
    brightness = uniform(*settings["brightness"])[:, None, None, None]
    contrast = uniform(*settings["contrast"])[:, None, None, None]
    mean = out.mean(dim=(1, 2, 3), keepdim=True)
    return ((out - mean) * contrast + mean + brightness).clamp(0, 1)
