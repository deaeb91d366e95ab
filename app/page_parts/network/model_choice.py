"""Which small CNN the Network page opens: a model file from the models folder (the
shipped digit reader, or one trained with ``python -m cnn_core.nn.train --images``), or one
trained in this session on the Training or Your classes page."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app.shell.session_models import session_models
from app.shell.url_state import Setting, choice
from app.widgets.controls import keyed
from cnn_core.nn.saved_models import MODEL_DIR, ModelEntry, ModelError, list_models, load_model

SESSION_PREFIX = "session: "


def models_folder() -> Path:
    """The folder the app lists models from (``CONVSCOPE_MODEL_DIR``, else the shipped one)."""
    return Path(os.environ.get("CONVSCOPE_MODEL_DIR", MODEL_DIR))


def model_setting() -> Setting:
    names = [entry.name for entry in list_models(models_folder())] or ["digits"]
    return choice("model", names, "digits" if "digits" in names else names[0])


@dataclass(frozen=True)
class OpenModel:
    label: str
    model: object  # DigitNet, eval mode, never changed in place
    card: dict
    entry: ModelEntry  # its card's view: class names, input side and colour, kind


def model_picker(state, *, picked_key: str) -> OpenModel:
    """The sidebar's model choice and the model it opens (ModelError if it is damaged)."""
    files = {entry.name: entry for entry in list_models(models_folder())}
    in_session = {SESSION_PREFIX + m.name: m for m in session_models()}
    options = [*files, *in_session]
    if not options:
        raise ModelError(
            f"There is no model in {models_folder()} (a .safetensors file with its .json "
            "card). Rebuild the digit reader with `make train`."
        )
    current = st.session_state.get(picked_key)
    if current not in options:
        current = state["model"] if state["model"] in files else options[0]
        st.session_state[picked_key] = current

    def picked() -> None:
        choice_ = st.session_state[picked_key]
        if choice_ in files:
            state.set("model", choice_)

    keyed.selectbox(
        "Model",
        options,
        key=picked_key,
        on_change=picked,
        format_func=lambda o: files[o].title if o in files else o,
        help="Models trained in this session (Training, Your classes) are listed too; "
        "they stay in memory until you close the tab.",
    )
    chosen = st.session_state[picked_key]
    if chosen in in_session:
        kept = in_session[chosen]
        entry = ModelEntry(chosen, Path(), kept.card)
        return OpenModel(chosen, kept.model, kept.card, entry)
    entry = files[chosen]
    return OpenModel(entry.title, load_model(entry.weights), entry.card, entry)
