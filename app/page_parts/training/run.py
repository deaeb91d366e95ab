"""The Training page's run: the digits to train on (shared, read-only), and this session's
LiveRun, built from the page's settings and kept until Reset."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st
import torch

from cnn_core.digits import preprocess_digit
from cnn_core.layers import parse_layers
from cnn_core.nn.augment import augment_digits
from cnn_core.nn.digit_net import DigitNet
from cnn_core.nn.live_run import LiveRun
from cnn_core.nn.saved_models import HELDOUT_PATH, TRAIN_DIGITS_PATH
from cnn_core.nn.stack_torch import StackClassifier
from cnn_core.nn.training_loop import Trainer, TrainSettings

ARCHITECTURES = ("digitnet", "stack")
ARCHITECTURE_LABELS = {
    "digitnet": "The digit network (LeNet-style)",
    "stack": "Your own layer stack + a fully connected layer",
}


@st.cache_resource(show_spinner="Preparing the 5,000 digits...")
def digits() -> dict[str, np.ndarray]:
    """The 4,000 training and 1,000 held-out digits, prepared like every input (MNIST's
    recipe), ``(N, 1, 28, 28)``; shared by every session and never changed."""
    prepared = {}
    for name, path in (("train", TRAIN_DIGITS_PATH), ("held", HELDOUT_PATH)):
        data = np.load(path)
        images = np.stack([preprocess_digit(d / 255.0) for d in data["images"]])[:, None]
        images.setflags(write=False)
        prepared[name] = images
        prepared[f"{name}_labels"] = data["labels"].astype(np.int64)
    return prepared


@dataclass(frozen=True)
class RunRecipe:
    """Everything a run is built from; a change takes effect on Reset."""

    architecture: str
    stack: str
    settings: TrainSettings
    watched: int  # the held-out digit whose feature maps are redrawn


def build_run(recipe: RunRecipe) -> LiveRun:
    data = digits()
    torch.manual_seed(recipe.settings.seed)
    if recipe.architecture == "digitnet":
        model = DigitNet()
    else:
        model = StackClassifier(parse_layers(recipe.stack), in_channels=1, side=28, classes=10)
    trainer = Trainer(
        model,
        np.array(data["train"]),
        data["train_labels"],
        np.array(data["held"]),
        data["held_labels"],
        recipe.settings,
        augment_digits,
    )
    trainer.evaluate()  # the untrained network's held-out score: the curve's first point
    first = model.conv1 if recipe.architecture == "digitnet" else model.first_layer
    return LiveRun(trainer, lambda: first, data["held"][recipe.watched])


def session_run(key: str, recipe: RunRecipe) -> tuple[LiveRun, RunRecipe]:
    """This session's run (built on first use); the recipe it was built from."""
    stored = st.session_state.get(key)
    if stored is None:
        stored = (build_run(recipe), recipe)
        st.session_state[key] = stored
    return stored


def reset_run(key: str, recipe: RunRecipe) -> None:
    stored = st.session_state.pop(key, None)
    if stored is not None:
        stored[0].stop()
    st.session_state[key] = (build_run(recipe), recipe)
