"""The user's model opened once per session and kept in this session's memory only
(``st.session_state``), keyed by its source's hash: never in a cache shared between
sessions, never on disk. A model that cannot be opened is kept as its message, so a
rerun does not try again."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
import torch

from app.widgets.session_memo import remembered
from cnn_core.nn.model_run import layer_outputs
from cnn_core.nn.model_stages import pick_stages, stage_fields_of
from cnn_core.nn.open_model import LoadedModel, ModelError, open_model

from .sources import ModelSource


@dataclass(eq=False)
class Opened:
    """A model ready for the views."""

    model: LoadedModel
    key: str  # the source's hash: what every result made from it is keyed by
    stages: dict[str, str]  # stage layer -> label
    fields: dict  # stage layer -> receptive field (empty when fx cannot trace it)
    fields_note: str
    outputs: int | None  # scores the model gives for one picture, when it is a classifier


def opened_model(key: str, source: ModelSource) -> Opened | str:
    """The model ``source`` names, or the message saying why it cannot be opened."""
    return remembered(key, source.key, lambda: _open(source))


def _open(source: ModelSource) -> Opened | str:
    try:
        with st.spinner("Opening the model..."):
            if source.architecture is not None:
                model = open_model(source.architecture, weights=source.weights)
            else:
                model = open_model(source.model)
            shape = (model.channels, *model.input_size)
            stages = pick_stages(model.module, model.layers, shape)
            fields, note = stage_fields_of(model.module, stages, model.input_size)
            with torch.no_grad():
                output, _ = layer_outputs(model.module, [], torch.zeros(1, *shape))
    except ModelError as error:
        return str(error)
    except (RuntimeError, ValueError, TypeError) as error:  # a model that opens but fails later
        return f"The model could not be run on a picture ({type(error).__name__}: {error})."
    if isinstance(output, torch.Tensor) and output.dim() >= 2:
        outputs = int(output[0].numel())
    else:
        outputs = None
    return Opened(model, source.key, stages, fields, note, outputs)
