"""A trained model's three buttons: keep it for the Network page, download its weights,
download its model card."""

from __future__ import annotations

import json
from collections.abc import Callable

import streamlit as st


def model_buttons(*, on_keep: Callable[[], None], weights: bytes, card: dict, file_stem: str):
    """The buttons in one row; ``on_keep`` runs on the keep button's click, the downloads
    are named ``<file_stem>.safetensors`` and ``<file_stem>.json``."""
    left, middle, right = st.columns(3)
    left.button(
        "Keep for the Network page",
        icon=":material/bookmark:",
        width="stretch",
        on_click=on_keep,
    )
    middle.download_button(
        "Weights (.safetensors)",
        data=weights,
        file_name=f"{file_stem}.safetensors",
        mime="application/octet-stream",
        width="stretch",
        icon=":material/download:",
    )
    right.download_button(
        "Model card (.json)",
        data=json.dumps(card, indent=2),
        file_name=f"{file_stem}.json",
        mime="application/json",
        width="stretch",
        icon=":material/download:",
    )
