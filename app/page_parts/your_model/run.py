"""The user's model run on the page's picture, once per picture and setting, kept in this
session only: the picture as the model takes it, its top classes with the user's class
names, and every stage's maps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st
import torch

from app.widgets.session_memo import remembered
from cnn_core.class_names import check_class_count, parse_class_names
from cnn_core.model_input import model_picture
from cnn_core.nn.model_run import Answer, run_model, to_batch

from .model_input import InputSettings, fingerprint
from .opening import Opened


@dataclass(eq=False)
class Run:
    planes: np.ndarray  # (C, H, W) in [0, 1]: what the model sees
    batch: torch.Tensor  # (1, C, H, W), normalised
    answer: Answer | str  # the top classes, or why there are none
    maps: dict[str, np.ndarray]  # stage -> (C, h, w)


def run_on_picture(key: str, opened: Opened, settings: InputSettings, rgb: np.ndarray) -> Run:
    """The model on ``rgb``; made again only when the model, picture or settings change."""
    planes = model_picture(rgb, settings.size, opened.model.channels)
    made_from = (opened.key, fingerprint(planes), settings)

    def make() -> Run:
        batch = to_batch(planes, settings.mean, settings.std)
        answer, maps = run_model(opened.model.module, opened.stages, batch)
        return Run(planes, batch, answer, maps)

    return remembered(key, made_from, make)


def seen_picture(planes: np.ndarray) -> np.ndarray:
    """``(C, H, W)`` as a picture: ``(H, W)`` grey or ``(H, W, C)``."""
    return planes[0] if planes.shape[0] == 1 else np.moveaxis(planes, 0, 2)


def class_names(opened: Opened, names_file) -> list[str] | None:
    """The user's names when their file is good and fits the model (else a message on
    the page), else the names the model came with, else None."""
    if names_file is not None:
        data, filename = names_file
        try:
            names = parse_class_names(data, filename)
            if opened.outputs is not None:
                check_class_count(names, opened.outputs)
            return names
        except ValueError as error:
            st.error(f"{error} The names file is left aside.")
    return opened.model.classes


def label_of(names: list[str] | None, index: int) -> str:
    return names[index] if names is not None and index < len(names) else f"class {index}"
