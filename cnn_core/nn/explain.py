"""Why a network gave its answer: attributions through Captum, PyTorch's own
interpretability library (Kokhlikyan et al., 2020), for any classifier here.

Every method answers "which input pixels mattered for class ``target``?":

- saliency: ``|d score / d pixel|`` (Simonyan, Vedaldi & Zisserman, 2014);
- SmoothGrad: saliency averaged over noisy copies of the input, which removes the
  gradient's speckle (Smilkov et al., 2017);
- integrated gradients: the gradient averaged along a straight path from a baseline
  (black) to the input, times the input's difference from it (Sundararajan, Taly & Yan,
  2017); the attributions add up to the score difference, and the convergence delta says
  how far the numerical integral is from that;
- Grad-CAM: a convolution layer's maps weighted by their mean gradient, summed and
  rectified, enlarged to the input (Selvaraju et al., 2017);
- occlusion: how much the score drops when a patch is greyed out (Zeiler & Fergus, 2014).

Inputs are ``(1, C, H, W)`` batches the model takes as they are; maps come back as
``(H, W)`` numpy arrays (summed over colour channels).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from captum.attr import (
    IntegratedGradients,
    LayerAttribution,
    LayerGradCam,
    NoiseTunnel,
    Occlusion,
    Saliency,
)
from torch import nn

METHOD_LABELS = {
    "saliency": "Saliency",
    "smoothgrad": "SmoothGrad",
    "integrated_gradients": "Integrated gradients",
    "grad_cam": "Grad-CAM",
    "occlusion": "Occlusion",
}
METHODS = tuple(METHOD_LABELS)


@dataclass(frozen=True)
class Attribution:
    method: str
    heat: np.ndarray  # (H, W): how much each pixel mattered (signed for IG and occlusion)
    delta: float | None = None  # integrated gradients: sum(attributions) - score difference
    score_difference: float | None = None  # integrated gradients: F(input) - F(baseline)


def _channels_summed(attributions: torch.Tensor) -> np.ndarray:
    return attributions[0].detach().sum(dim=0).numpy()


def saliency(model: nn.Module, batch: torch.Tensor, target: int) -> Attribution:
    gradients = Saliency(model).attribute(batch, target=target, abs=True)
    return Attribution("saliency", _channels_summed(gradients))


def smoothgrad(
    model: nn.Module, batch: torch.Tensor, target: int, *, samples: int = 16, noise: float = 0.15
) -> Attribution:
    """Saliency averaged over ``samples`` copies with Gaussian noise of ``noise`` times
    the input's value range, drawn from a fixed seed."""
    torch.manual_seed(0)
    spread = float(batch.max() - batch.min()) or 1.0
    tunnel = NoiseTunnel(Saliency(model))
    gradients = tunnel.attribute(
        batch,
        target=target,
        nt_type="smoothgrad",
        nt_samples=samples,
        stdevs=noise * spread,
        abs=True,
    )
    return Attribution("smoothgrad", _channels_summed(gradients))


def integrated_gradients(
    model: nn.Module, batch: torch.Tensor, target: int, *, steps: int = 32, baseline=None
) -> Attribution:
    """Attributions along the path from ``baseline`` (zeros) to the input, with the
    completeness check: they should add up to ``F(input) - F(baseline)``."""
    baseline = torch.zeros_like(batch) if baseline is None else baseline
    method = IntegratedGradients(model)
    attributions, delta = method.attribute(
        batch, baselines=baseline, target=target, n_steps=steps, return_convergence_delta=True
    )
    with torch.no_grad():
        difference = float(model(batch)[0, target] - model(baseline)[0, target])
    return Attribution(
        "integrated_gradients", _channels_summed(attributions), float(delta[0]), difference
    )


def grad_cam(model: nn.Module, batch: torch.Tensor, target: int, layer: nn.Module) -> Attribution:
    """Grad-CAM of ``target`` at ``layer`` (a module of ``model``), enlarged bilinearly to
    the input and scaled to [0, 1]."""
    cam = LayerGradCam(model, layer).attribute(batch, target=target, relu_attributions=True)
    heat = LayerAttribution.interpolate(cam, tuple(batch.shape[-2:]), interpolate_mode="bilinear")
    heat = heat[0, 0].detach()
    peak = float(heat.max())
    return Attribution("grad_cam", (heat / peak if peak > 0 else heat).numpy())


def occlusion(
    model: nn.Module, batch: torch.Tensor, target: int, *, window: int, stride: int, fill=0.0
) -> Attribution:
    """The score's drop when a ``window`` x ``window`` patch is set to ``fill``, moved
    ``stride`` pixels at a time (positive: the patch held evidence for ``target``)."""
    channels = batch.shape[1]
    drops = Occlusion(model).attribute(
        batch,
        target=target,
        sliding_window_shapes=(channels, window, window),
        strides=(channels, stride, stride),
        baselines=fill,
    )
    return Attribution("occlusion", _channels_summed(drops) / channels)


def explain(
    method: str, model: nn.Module, batch: torch.Tensor, target: int, *, layer=None, **options
):
    """Run ``method`` (one of ``METHODS``); Grad-CAM needs ``layer``."""
    if method == "saliency":
        return saliency(model, batch, target)
    if method == "smoothgrad":
        return smoothgrad(model, batch, target, **options)
    if method == "integrated_gradients":
        return integrated_gradients(model, batch, target, **options)
    if method == "grad_cam":
        if layer is None:
            raise ValueError("grad_cam needs the layer whose maps it weighs")
        return grad_cam(model, batch, target, layer)
    if method == "occlusion":
        return occlusion(model, batch, target, **options)
    raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
