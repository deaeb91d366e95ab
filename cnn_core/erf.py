"""The effective receptive field: how much each input pixel actually moves one unit.

Luo, Li, Urtasun & Zemel, "Understanding the Effective Receptive Field in Deep
Convolutional Neural Networks", NeurIPS 2016: the gradient of one unit with respect to the
input, here through the real stack with torch autograd. Every input pixel in the
theoretical field can reach the unit, but through very different numbers of paths: the
centre is reached by many, the rim by few, so the gradient concentrates in the middle and,
as layers stack up, takes a roughly Gaussian shape that fills only part of the field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import torch
from torch import nn

from .receptive_field import receptive_field


def geometry_model(
    layers: Sequence[Mapping], *, weights: str = "uniform", seed: int = 0, relu: bool = False
) -> nn.Sequential:
    """A one-channel network with the given layer geometries, for receptive-field study.

    Layers with ``"pool": "max"`` or ``"pool": "avg"`` become pooling layers, the others
    convolutions. ``weights="uniform"`` gives every tap the same positive weight (each
    layer an average); ``"random"`` draws them from a normal distribution (seeded).
    """
    receptive_field([{k: v for k, v in layer.items() if k != "pool"} for layer in layers])
    generator = torch.Generator().manual_seed(seed)
    modules: list[nn.Module] = []
    for layer in layers:
        kernel = layer.get("kernel", 3)
        stride = layer.get("stride", 1)
        padding = layer.get("padding", 0)
        dilation = layer.get("dilation", 1)
        pool = layer.get("pool")
        if pool == "max":
            modules.append(nn.MaxPool2d(kernel, stride, padding, dilation))
        elif pool == "avg":
            modules.append(nn.AvgPool2d(kernel, stride, padding))
        else:
            conv = nn.Conv2d(1, 1, kernel, stride, padding, dilation, bias=False)
            if weights == "uniform":
                conv.weight.data.fill_(1.0 / kernel**2)
            else:
                conv.weight.data = torch.randn(conv.weight.shape, generator=generator) / kernel
            modules.append(conv)
            if relu:
                modules.append(nn.ReLU())
    return nn.Sequential(*modules)


def effective_receptive_field(
    model: nn.Module, image: np.ndarray, unit: tuple[int, int, int]
) -> np.ndarray:
    """``|d unit / d input|`` summed over input channels: an ``(H, W)`` float32 map.

    ``image`` is ``(C, H, W)`` or ``(H, W)``; ``unit`` is ``(channel, row, col)`` of the
    model's output.
    """
    planes = np.asarray(image, np.float32)
    planes = planes if planes.ndim == 3 else planes[None]
    x = torch.from_numpy(np.ascontiguousarray(planes))[None].requires_grad_(True)  # (1,C,H,W)
    out = model(x)  # (1, F, H', W')
    channel, row, col = unit
    if not (0 <= channel < out.shape[1] and 0 <= row < out.shape[2] and 0 <= col < out.shape[3]):
        raise ValueError(
            f"unit {unit} is outside the layer's {out.shape[1]} x {out.shape[2]} x "
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
