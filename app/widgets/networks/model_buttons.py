"""A trained small CNN's buttons, the same on every page that trains one: keep it for the
Network page, and download it as one ``.safetensors`` file (its configuration and card
inside), as ONNX, and its card as ``.json``. Every file is made in memory."""

from __future__ import annotations

import json
from collections.abc import Callable

import streamlit as st

from cnn_core.nn.digit_net import DigitNet
from cnn_core.nn.export import to_onnx
from cnn_core.nn.saved_models import weights_bytes


def model_buttons(*, on_keep: Callable[[], None], model: DigitNet, card: dict, file_stem: str):
    """Keep (``on_keep`` runs on its click) and the three downloads, named
    ``<file_stem>.safetensors``, ``<file_stem>.onnx`` and ``<file_stem>.json``; the ONNX
    file is made only when its button is clicked."""
    first, second = st.columns(3), st.columns(3)
    first[0].button(
        "Keep for the Network page",
        icon=":material/bookmark:",
        width="stretch",
        on_click=on_keep,
    )
    first[1].download_button(
        "Model (.safetensors)",
        data=weights_bytes(model, card),
        file_name=f"{file_stem}.safetensors",
        mime="application/octet-stream",
        on_click="ignore",  # a download needs no rerun of the page
        width="stretch",
        icon=":material/download:",
        help="The weights with the network's configuration and card inside: this one file "
        "is the whole model, for PyTorch.",
    )
    first[2].download_button(
        "Model card (.json)",
        data=json.dumps(card, indent=2),
        file_name=f"{file_stem}.json",
        mime="application/json",
        on_click="ignore",  # a download needs no rerun of the page
        width="stretch",
        icon=":material/download:",
    )
    second[1].download_button(
        "Model (.onnx)",
        data=lambda: to_onnx(model, card),  # made on the click, in memory
        file_name=f"{file_stem}.onnx",
        mime="application/octet-stream",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
        help="The graph and weights for any ONNX runtime, the class names in its metadata.",
    )
    st.caption(
        "Either model file opens on the Your model page: the .safetensors file carries its "
        "card inside, and the .onnx file runs in any ONNX runtime too. The .json card is for "
        "reading."
    )
