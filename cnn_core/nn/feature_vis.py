"""What does a channel want? Activation maximisation with the usual regularisers.

Start from faint noise and change the *input* by gradient ascent until one channel of one
layer responds as strongly as it can (Erhan et al. 2009; Olah, Mordvintsev & Schubert,
"Feature Visualization", Distill 2017). Left alone this finds high-frequency patterns
that no photo contains, so three regularisers keep the picture natural:

- jitter: the image is shifted by a few random pixels before every step, so the pattern
  must work wherever it lands;
- total variation: a penalty on differences between neighbouring pixels;
- a decorrelated parameterisation: the picture is optimised as its Fourier coefficients,
  scaled down at high frequencies, so every step changes broad shapes before fine detail.

Beside the picture, the inputs from a data set that excite the channel most show what the
channel answers to in real images.

The layer is read from a graph torch.fx traces (the model cut after the layer) or, for a
model whose ``forward`` fx cannot follow (Python branching on tensor values), with a
forward hook on a whole pass: every ``nn.Module`` works. Only fx's refusals lead to the
hook; any other error the ``forward`` raises while traced is the model's own and is raised.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.fx
from torch import nn
from torch.fx.proxy import TraceError
from torchvision.models.feature_extraction import create_feature_extractor

from .model_run import up_to_layer

# What tracing raises for a forward fx cannot follow, as found by tracing such models
# (tests/cnn_core/test_layer_reader.py): TraceError for Python control flow on a traced
# value or iterating it (``if x.mean() > 0``, ``a, b = x.shape``); TypeError where Python,
# numpy or torch want a number or an array and get fx's stand-in (``range(x.shape[0])``,
# ``int(x.max())``, ``x.numpy()``, ``torch.tensor(x.shape)``); ValueError from numpy's
# conversion of the stand-in, and for a layer that is no node of the traced graph. A
# genuine TypeError or ValueError of the model is raised again by the hook's real pass.
_UNTRACEABLE = (TraceError, TypeError, ValueError)
# fx's own refusals of these types (``len(x)``, a numpy value as an argument it cannot
# record) are raised inside torch.fx; the model's own are raised in its code.
_FX_REFUSALS = (RuntimeError, NotImplementedError)
_FX_FOLDER = Path(torch.fx.__file__).parent


def _raised_by_fx(error: BaseException) -> bool:
    """Whether ``error`` was raised in torch.fx's own code (its innermost Python frame)."""
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and Path(frames[-1].filename).is_relative_to(_FX_FOLDER)


def layer_reader(model: nn.Module, layer: str) -> Callable[[torch.Tensor], torch.Tensor]:
    """``x -> output of module layer``, gradients flowing to ``x``: the model cut after the
    layer by torch.fx when it can trace it, else a forward hook on the whole model. A
    layer the model lacks is a ValueError naming it; an error of the model's ``forward``
    that is not fx's refusal to trace it (a missing attribute, a failed assertion) is
    raised as it is."""
    hooked = up_to_layer(model, layer)  # a ValueError naming a layer the model lacks
    try:
        extractor = create_feature_extractor(model, return_nodes={layer: "out"})
    except _UNTRACEABLE:
        return hooked
    except _FX_REFUSALS as error:
        if not _raised_by_fx(error):
            raise
        return hooked
    return lambda x: extractor(x)["out"]


@dataclass(frozen=True)
class Visualisation:
    image: np.ndarray  # (H, W) or (H, W, 3) in [0, 1]
    activations: np.ndarray  # the centre unit's activation after each step
    finished: bool  # False when stopped early (cancelled)


def _spectrum_scale(height: int, width: int) -> torch.Tensor:
    """1 / frequency, so a unit step in every coefficient changes low frequencies most."""
    fy = np.fft.fftfreq(height)[:, None]
    fx = np.fft.rfftfreq(width)[None, :]
    frequency = np.sqrt(fx * fx + fy * fy)
    scale = 1.0 / np.maximum(frequency, 1.0 / max(height, width))
    return torch.from_numpy((scale / scale.max()).astype(np.float32))


def visualise_channel(
    model: nn.Module,
    layer: str,
    channel: int,
    *,
    shape: tuple[int, int, int],
    steps: int = 128,
    learning_rate: float = 0.05,
    jitter: int = 2,
    total_variation: float = 0.05,
    mean=None,
    std=None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Visualisation:
    """The input of ``shape`` (C, H, W) that maximises the centre unit of channel
    ``channel`` of module ``layer``; ``mean``/``std`` normalise it as the model expects
    (ImageNet models)."""
    if steps < 1 or steps > 2048:
        raise ValueError(f"steps must be from 1 to 2048; got {steps}")
    channels, height, width = shape
    read = layer_reader(model, layer)
    generator = torch.Generator().manual_seed(seed)
    spectrum = (
        torch.randn((1, channels, height, width // 2 + 1, 2), generator=generator) * 0.2
    ).requires_grad_(True)
    scale = _spectrum_scale(height, width)[None, None, :, :, None]
    optimiser = torch.optim.Adam([spectrum], lr=learning_rate)
    mean_t = torch.tensor(mean if mean is not None else [0.0] * channels)[None, :, None, None]
    std_t = torch.tensor(std if std is not None else [1.0] * channels)[None, :, None, None]

    def picture() -> torch.Tensor:
        coefficients = torch.view_as_complex(spectrum * scale)
        pixels = torch.fft.irfft2(coefficients, s=(height, width), norm="ortho")
        return torch.sigmoid(pixels * 4)  # (1, C, H, W) in (0, 1)

    history, finished = [], True
    for step in range(steps):
        if should_stop and should_stop():
            finished = False
            break
        image = picture()
        dy, dx = (int(v) for v in torch.randint(-jitter, jitter + 1, (2,), generator=generator))
        shifted = torch.roll(image, shifts=(dy, dx), dims=(2, 3))
        maps = read((shifted - mean_t) / std_t)[0, channel]
        # The unit at the centre: a channel's mean is often maximised by a flat picture
        # (its kernel's sum), one unit by the pattern it detects (Olah et al.'s "neuron").
        response = maps[maps.shape[0] // 2, maps.shape[1] // 2]
        variation = (image[..., 1:, :] - image[..., :-1, :]).abs().mean() + (
            image[..., :, 1:] - image[..., :, :-1]
        ).abs().mean()
        loss = -response + total_variation * variation
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        history.append(float(response.detach()))
        if progress:
            progress(step + 1, steps)
    final = picture().detach()[0]  # (C, H, W)
    image = final[0].numpy() if channels == 1 else final.permute(1, 2, 0).numpy()
    return Visualisation(np.ascontiguousarray(image), np.asarray(history), finished)


def top_examples(model: nn.Module, layer: str, channel: int, batch: torch.Tensor, count: int = 8):
    """Indices of the ``count`` inputs in ``batch`` (N, C, H, W) that excite the channel
    most (by its mean activation), strongest first, and those activations."""
    read = layer_reader(model, layer)
    with torch.no_grad():
        means = read(batch)[:, channel].mean(dim=(1, 2)).numpy()
    order = np.argsort(-means)[:count]
    return [int(i) for i in order], means[order]
