"""The effective receptive field: how much each input pixel actually moves one unit.

Luo, Li, Urtasun & Zemel, "Understanding the Effective Receptive Field in Deep
Convolutional Neural Networks", NeurIPS 2016: the gradient of one unit with respect to the
input, here through the real stack with torch autograd. Every input pixel in the
theoretical field can reach the unit, but through very different numbers of paths: the
centre is reached by many, the rim by few, so the gradient concentrates in the middle and,
as layers stack up, takes a roughly Gaussian shape that fills only part of the field.
The model is built from the page's layers by ``cnn_core.nn.stack_torch.layers_to_torch``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn


def effective_receptive_field(
    model: nn.Module, image: np.ndarray, unit: tuple[int, int, int]
) -> np.ndarray:
    """``|d unit / d input|`` summed over input channels: an ``(H, W)`` float32 map.

    ``image`` is ``(C, H, W)`` or ``(H, W)``; ``unit`` is ``(channel, row, col)`` of the
    model's output.
    """
    planes = np.asarray(image, np.float32)
    planes = planes if planes.ndim == 3 else planes[None]
    return input_gradient(model, torch.from_numpy(np.ascontiguousarray(planes))[None], unit)


def input_gradient(
    model: Callable[[torch.Tensor], torch.Tensor], batch: torch.Tensor, unit
) -> np.ndarray:
    """``|d unit / d input|`` summed over input channels, ``(H, W)``, for a batch of one
    ``(1, C, H, W)`` and ``unit`` = (channel, row, col) of ``model``'s ``(1, F, H', W')``
    output; a ``ValueError`` when the unit lies outside that output."""
    x = batch.detach().clone().requires_grad_(True)
    out = model(x)  # (1, F, H', W')
    channel, row, col = (int(i) for i in unit)
    if not (0 <= channel < out.shape[1] and 0 <= row < out.shape[2] and 0 <= col < out.shape[3]):
        raise ValueError(
            f"unit {tuple(unit)} is outside the layer's {out.shape[1]} x {out.shape[2]} x "
            f"{out.shape[3]} output"
        )
    out[0, channel, row, col].backward()
    return x.grad[0].abs().sum(dim=0).numpy()


def central_share(gradient: np.ndarray, rows: tuple[int, int], cols: tuple[int, int]) -> float:
    """Share of the total gradient inside the middle half (each way) of a field's box.

    The middle half covers a quarter of the box's area; a flat field would hold a quarter
    of the gradient there, a centred bump much more.
    """
    gradient = np.asarray(gradient, np.float64)
    total = float(gradient.sum())
    if total <= 0:
        return 0.0
    (top, bottom), (left, right) = rows, cols
    quarter_rows, quarter_cols = (bottom - top + 1) // 4, (right - left + 1) // 4
    r0, r1 = max(top + quarter_rows, 0), max(bottom - quarter_rows + 1, 0)
    c0, c1 = max(left + quarter_cols, 0), max(right - quarter_cols + 1, 0)
    return float(gradient[r0:r1, c0:c1].sum()) / total


def effective_extent(gradient: np.ndarray, centre: tuple[float, float], share: float = 0.95):
    """The side of the smallest square around ``centre`` (row, col) that holds ``share``
    of the gradient's total: the effective field's size, comparable to the theoretical
    field's side (Luo et al. 2016 measure it the same way, by the mass it holds).

    >>> g = np.zeros((9, 9)); g[3:6, 3:6] = 1
    >>> effective_extent(g, (4, 4), share=1.0)
    3
    """
    gradient = np.abs(np.asarray(gradient, np.float64))
    total = gradient.sum()
    if total <= 0:
        return 0
    height, width = gradient.shape
    row, col = int(round(centre[0])), int(round(centre[1]))
    for half in range(max(height, width) + 1):
        top, left = max(row - half, 0), max(col - half, 0)
        inside = gradient[top : row + half + 1, left : col + half + 1].sum()
        if inside >= share * total - 1e-12:
            return 2 * half + 1
    return max(height, width)
