"""The stages of any image model, picked from its layers: where the maps' spatial size
changes. Each stage is the last layer (in execution order) whose output still has the
stage's size, so it holds what the stage made before the next one shrinks it, like
ResNet's ``layer1``...``layer4`` or VGG's blocks. Layers whose maps are 1 x 1 (a global
pooling, a squeeze-and-excitation gate) are left out; a model with more sizes than
``most`` keeps ``most`` of them, evenly spread, the first and the last included. Also
the receptive field of each stage, when torch.fx can trace the model
(``network_receptive_fields``).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def pick_stages(module: nn.Module, layers, input_shape, *, most: int = 6) -> dict[str, str]:
    """Stage layer name -> a label ("stage 2: 56 x 56") for a model taking
    ``input_shape`` = (C, H, W), from ``layers`` (its leaf layers in execution order)."""
    modules = dict(module.named_modules())
    calls: list[tuple[str, tuple[int, int]]] = []  # every call of a layer, in order
    shapes: dict[str, set] = {}

    def record(name):
        def hook(_module, _inputs, output):
            if isinstance(output, torch.Tensor) and output.dim() == 4:
                size = (int(output.shape[2]), int(output.shape[3]))
                if size != (1, 1):  # a global pooling or a channel gate: no stage
                    calls.append((name, size))
                shapes.setdefault(name, set()).add(size)

        return hook

    hooks = [modules[name].register_forward_hook(record(name)) for name in layers]
    try:
        with torch.no_grad():
            module(torch.zeros(1, *input_shape))
    finally:
        for hook in hooks:
            hook.remove()
    runs: list[tuple[tuple[int, int], str]] = []  # (size, last layer of that run)
    for name, size in calls:
        if len(shapes[name]) != 1:
            continue  # a layer used at several sizes (a shared activation) names no stage
        if runs and runs[-1][0] == size:
            runs[-1] = (size, name)
        else:
            runs.append((size, name))
    # A layer can end two runs (a size visited twice): keep its last one.
    last = {name: index for index, (_, name) in enumerate(runs)}
    runs = [run for index, run in enumerate(runs) if last[run[1]] == index]
    if len(runs) > most:
        keep = np.unique(np.round(np.linspace(0, len(runs) - 1, most)).astype(int))
        runs = [runs[i] for i in keep]
    return {name: f"stage {i + 1}: {h} x {w}" for i, ((h, w), name) in enumerate(runs)}


def stage_fields_of(module: nn.Module, stages, input_size) -> tuple[dict, str]:
    """Stage name -> receptive field (``.size``, ``.jump``, ``.start``, ``.whole``), and
    an empty note; or no fields and the reason, for a model torch.fx cannot trace."""
    from .network_fields import network_receptive_fields

    try:
        fields = network_receptive_fields(module, tuple(input_size))
    except Exception as error:  # data-dependent Python in forward: fx cannot follow it
        return {}, f"Receptive fields need a model torch.fx can trace; this one cannot ({error})."
    return {name: fields[name] for name in stages if name in fields}, ""
