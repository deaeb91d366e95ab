"""The layer table of an opened model, like ``torchinfo``'s summary: every layer in the
order it runs, its type, its output shape, its parameters, and the receptive field of
its units (size and jump, from ``network_receptive_fields``), with the total.

The app's layer table and ``python -m cnn_core.nn summary`` both format these rows.

>>> from torch import nn
>>> from cnn_core.nn.open_model import LoadedModel
>>> net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.MaxPool2d(2))
>>> table = model_summary(LoadedModel(net, (8, 8), None, ["0", "1"], "", channels=1))
>>> [(r.name, r.output_shape, r.parameters, r.field_size, r.field_jump) for r in table.rows]
[('0', (1, 2, 6, 6), 20, (3, 3), (1, 1)), ('1', (1, 2, 3, 3), 0, (4, 4), (2, 2))]
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class LayerRow:
    """One layer of the table."""

    name: str  # the module's name in the model (``layer1.0.conv1``)
    kind: str  # its class (``Conv2d``)
    output_shape: tuple[int, ...] | None  # on one image of the model's input size
    parameters: int  # weights of this layer alone
    field_size: tuple[int, int] | None  # receptive field (rows, columns) in input pixels
    field_jump: tuple[int, int] | None  # input pixels between neighbouring units


@dataclass(frozen=True)
class ModelSummary:
    rows: list[LayerRow]
    total_parameters: int  # every parameter of the model, in layers or not
    note: str  # why the field columns are empty, when they are


def model_summary(model) -> ModelSummary:
    """The layer table of a ``LoadedModel``, in execution order."""
    from .network_fields import network_receptive_fields

    module = model.module
    modules = dict(module.named_modules())
    shapes: dict[str, tuple[int, ...]] = {}

    def record(name):
        def hook(_module, _inputs, output):
            if isinstance(output, torch.Tensor):
                shapes.setdefault(name, tuple(output.shape))

        return hook

    hooks = [modules[name].register_forward_hook(record(name)) for name in model.layers]
    try:
        with torch.no_grad():
            module(torch.zeros(1, model.channels, *model.input_size))
    finally:
        for hook in hooks:
            hook.remove()
    note = ""
    try:
        fields = network_receptive_fields(module, model.input_size)
    except Exception as error:  # torch.fx cannot trace every model (data-dependent code)
        fields = {}
        note = f"Receptive fields need a model torch.fx can trace; this one cannot ({error})."
    rows = []
    for name in model.layers:
        field = fields.get(name)
        columns = getattr(field, "cols", None) or field
        rows.append(
            LayerRow(
                name,
                type(modules[name]).__name__,
                shapes.get(name),
                sum(p.numel() for p in modules[name].parameters(recurse=False)),
                None if field is None else (field.size, columns.size),
                None if field is None else (field.jump, columns.jump),
            )
        )
    total = sum(p.numel() for p in module.parameters())
    return ModelSummary(rows, total, note)
