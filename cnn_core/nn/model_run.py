"""Any model, run on one picture: its top classes, the maps of chosen layers, its first
convolution's filters, and the effective receptive field of a unit, for a module and its
layers' names (as ``named_modules()`` spells them) rather than one of our networks.

Layers are read with forward hooks, so this works on every ``torch.nn.Module``, traceable
by torch.fx or not (a user's torchvision model, a converted ONNX graph). A layer run more
than once in a pass (a shared ReLU) gives its last output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .erf import input_gradient


@dataclass(frozen=True)
class Answer:
    """The top classes of one picture."""

    indices: list[int]  # class indices, most likely first
    probabilities: list[float]  # their probabilities
    outputs: int  # how many scores the model gives
    softmax_applied: bool  # False when the model's output already was probabilities


def to_batch(planes: np.ndarray, mean, std) -> torch.Tensor:
    """``(C, H, W)`` pixels in [0, 1] as the model's input ``(1, C, H, W)``, normalised."""
    x = torch.from_numpy(np.ascontiguousarray(planes, np.float32))
    mean_t = torch.tensor(mean, dtype=torch.float32)[:, None, None]
    std_t = torch.tensor(std, dtype=torch.float32)[:, None, None]
    return ((x - mean_t) / std_t)[None]


def layer_outputs(
    module: nn.Module, layers, batch: torch.Tensor
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """The model's output and the output of every layer in ``layers``, one forward pass."""
    modules = dict(module.named_modules())
    missing = [name for name in layers if name not in modules]
    if missing:
        raise ValueError(f"the model has no layer named {missing[0]!r}")
    seen: dict[str, torch.Tensor] = {}

    def keep(name):
        def hook(_module, _inputs, output):
            if isinstance(output, torch.Tensor):
                seen[name] = output

        return hook

    hooks = [modules[name].register_forward_hook(keep(name)) for name in layers]
    try:
        output = module(batch)
    finally:
        for hook in hooks:
            hook.remove()
    if isinstance(output, (tuple, list)):
        output = output[0]
    return output, seen


def top_classes(output: torch.Tensor, top: int = 5) -> Answer:
    """The ``top`` classes of a classifier's output for one picture: ``(1, K)`` scores
    (or ``(1, K, 1, 1)``). Scores go through a softmax unless they already are
    probabilities (all in [0, 1], summing to 1), as a model ending in Softmax gives."""
    scores = output.detach().reshape(output.shape[0], -1)[0] if output.dim() >= 2 else None
    if scores is None or (output.dim() > 2 and any(s != 1 for s in output.shape[2:])):
        raise ValueError(
            f"The model's output has shape {tuple(output.shape)}; a top-classes answer needs "
            "one score per class, (1, classes)."
        )
    total = float(scores.sum())
    is_probability = bool((scores >= 0).all() and (scores <= 1).all()) and abs(total - 1) < 1e-3
    probabilities = scores if is_probability else torch.softmax(scores, dim=0)
    values, indices = probabilities.topk(min(top, scores.numel()))
    return Answer(
        [int(i) for i in indices],
        [float(v) for v in values],
        int(scores.numel()),
        not is_probability,
    )


def run_model(
    module: nn.Module, stages, batch: torch.Tensor, *, top: int = 5
) -> tuple[Answer | str, dict[str, np.ndarray]]:
    """Top classes (or, for a model whose output is not one score per class, the reason
    as a sentence) and each stage's ``(C, h, w)`` maps, from one forward pass."""
    with torch.no_grad():
        output, seen = layer_outputs(module, list(stages), batch)
    try:
        answer: Answer | str = top_classes(output, top)
    except ValueError as error:
        answer = str(error)
    maps = {name: seen[name][0].numpy() for name in stages if name in seen}
    return answer, maps


def up_to_layer(module: nn.Module, layer: str):
    """A function ``x -> output of layer`` (its last call in the pass, as
    ``layer_outputs`` reads it); gradients flow back to ``x``."""
    if layer not in dict(module.named_modules()):
        raise ValueError(f"the model has no layer named {layer!r}")

    def run(x: torch.Tensor) -> torch.Tensor:
        _, seen = layer_outputs(module, [layer], x)
        if layer not in seen:
            raise ValueError(f"layer {layer!r} did not run in the forward pass")
        return seen[layer]

    return run


def unit_field(module: nn.Module, layer: str, batch: torch.Tensor, unit) -> np.ndarray:
    """``|d activation / d input|`` of ``unit`` = (channel, row, col) of ``layer``, summed
    over input channels: the effective receptive field on this picture, ``(H, W)``."""
    return input_gradient(up_to_layer(module, layer), batch, unit)


def first_conv_filters(module: nn.Module, layers) -> tuple[str, np.ndarray] | None:
    """The first 2-D convolution in ``layers`` (execution order) and its filters
    ``(F, C/groups, kh, kw)``; None for a model without one."""
    modules = dict(module.named_modules())
    for name in layers:
        if isinstance(modules.get(name), nn.Conv2d):
            return name, modules[name].weight.detach().numpy().copy()
    return None
