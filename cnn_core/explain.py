"""Why the network gave its answer: saliency and Grad-CAM for the digit network.

Saliency (Simonyan, Vedaldi & Zisserman, 2014): the gradient of the winning class's score
with respect to each input pixel, the pixels whose change would move the answer most.
Grad-CAM (Selvaraju et al., 2017): the last convolution layer's maps, each weighted by the
average gradient of the class score over it, summed and rectified, then enlarged to the
input: the regions whose features argued for the class.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .model import as_batch, feature_extractor


def saliency(model: nn.Module, digit: np.ndarray, target: int) -> np.ndarray:
    """``|d score_target / d pixel|`` for a prepared 28 x 28 digit, as float32 (28, 28)."""
    x = as_batch(digit).requires_grad_(True)
    score = feature_extractor(model)(x)["fc2"][0, target]
    (gradient,) = torch.autograd.grad(score, x)
    return gradient[0, 0].abs().numpy()


def grad_cam(model: nn.Module, digit: np.ndarray, target: int, layer: str = "relu2"):
    """Grad-CAM heat map of ``target`` on ``layer``'s maps, enlarged to 28 x 28 in [0, 1]."""
    # The weights are frozen, so the input must ask for gradients for a graph to be built.
    x = as_batch(digit).requires_grad_(True)
    outputs = feature_extractor(model)(x)
    maps = outputs[layer]  # (1, C, h, w)
    (gradient,) = torch.autograd.grad(outputs["fc2"][0, target], maps)
    weights = gradient.mean(dim=(2, 3), keepdim=True)  # (1, C, 1, 1)
    heat = F.relu((weights * maps).sum(dim=1, keepdim=True))  # (1, 1, h, w)
    heat = F.interpolate(heat, size=x.shape[-2:], mode="bilinear", align_corners=False)[0, 0]
    heat = heat.detach()
    peak = float(heat.max())
    return (heat / peak if peak > 0 else heat).numpy()
