"""The Your classes page's views: the examples of each class, the training report, and a
new picture classified, layer by layer."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.widgets.networks.small_cnn import show_network, show_probabilities
from app.widgets.pictures.described import show_image, show_image_row
from cnn_core.describe import describe_image, describe_probabilities
from cnn_core.drawing import upscale_nearest
from cnn_core.nn.digit_net import activations, scores_to_probabilities
from cnn_core.nn.saved_models import prepare_input

THUMBNAILS = 8


def examples_view(store: dict, names: list[str], *, clear, key: str) -> None:
    """Each class's count and its newest pictures, with a button (keys from ``key``) to
    empty it."""
    for index, name in enumerate(names):
        pictures = store.get(name, [])
        left, right = st.columns([5, 1])
        left.markdown(f"**{name}**: {len(pictures)} picture{'s' if len(pictures) != 1 else ''}")
        right.button(
            "Clear", key=f"{key}_{index}", on_click=clear, args=(name,), disabled=not pictures
        )
        if pictures:
            shown = [np.moveaxis(p, 0, 2) for p in pictures[-THUMBNAILS:]]
            show_image_row(
                [upscale_nearest(p, 64) for p in shown],
                width=64,
                alts=[describe_image(p / 255.0, f"Example of {name}") for p in shown],
            )


def report(card: dict) -> None:
    """The held-out result, said honestly, and any warning the training gave."""
    held = card["heldout_pictures"]
    confusion = np.asarray(card["confusion_matrix"]) if card["confusion_matrix"] else None
    if held == 0 or confusion is None:
        st.warning(
            "No picture could be held out (each class needs two or more), so there is no "
            "honest measure of how well it works on new pictures."
        )
    else:
        right = int(np.trace(confusion))
        st.markdown(
            f"**Held-out accuracy: {right} of {held} pictures ({right / held:.0%})**, "
            f"measured on pictures it did not train on ({card['train_pictures']} trained on, "
            f"in {card['training_seconds']} s)."
        )
    for warning in card["warnings"]:
        st.warning(warning)


def classify_view(model, card: dict, picture: np.ndarray) -> None:
    """A new picture through the trained model: the answer and every layer."""
    prepared = prepare_input(card, picture)
    acts = activations(model, prepared)
    probs = scores_to_probabilities(acts["fc2"])
    left, right = st.columns([1, 2])
    seen = prepared[0] if prepared.shape[0] == 1 else np.moveaxis(prepared, 0, 2)
    with left:
        show_image(
            upscale_nearest(seen, 200),
            alt=describe_image(seen, "What the network sees")
            + ". "
            + describe_probabilities(probs, card["class_names"]),
            caption=f"What the network sees: {prepared.shape[1]} x {prepared.shape[2]}",
        )
    with right:
        show_probabilities(probs, None, card["class_names"], compare=None)
    show_network(acts, model.config, card["class_names"])
