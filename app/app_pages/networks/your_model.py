"""Your model: a network the user trained (a torchvision or timm architecture with their
weights, or an ONNX file) on their own photo, with everything the Real networks page shows and
its layer table. The model stays in this session's memory only."""

from __future__ import annotations

import math
import re

import streamlit as st

from app.app_pages import registry
from app.page_parts.your_model import views
from app.page_parts.your_model.layer_table import layer_table
from app.page_parts.your_model.model_input import input_settings
from app.page_parts.your_model.opening import opened_model
from app.page_parts.your_model.run import class_names, run_on_picture
from app.page_parts.your_model.sources import SOURCES, model_source, names_upload
from app.shell.page_frame import look_closer, view_setting
from app.shell.settings.image_choice import IMAGE_SCRATCH, image_settings, open_image_page
from app.shell.url_state import PageState, choice, int_choice, integer, position, text
from app.widgets.controls.reset_button import reset_button
from app.widgets.networks.network_views import NETWORK_VIEWS
from cnn_core.limits import MAX_MODEL_INPUT_SIDE, MAX_POSITION, MIN_MODEL_INPUT_SIDE
from cnn_core.model_input import IMAGENET_MEAN, IMAGENET_STD, format_values
from cnn_core.nn.architectures import timm_architectures, torchvision_architectures

VIEW_LABELS = {**NETWORK_VIEWS, "table": "Layer table"}
ARCHITECTURES = torchvision_architectures() + timm_architectures()
SIDES = (MIN_MODEL_INPUT_SIDE, MAX_MODEL_INPUT_SIDE)


def _numbers(value: str) -> str:
    parts = [float(p) for p in value.replace(" ", "").split(",")]  # ValueError if not numbers
    if not parts or len(parts) > 4 or not all(math.isfinite(p) for p in parts):
        raise ValueError(f"{value!r} is not 1 to 4 numbers")
    return value


def _layer_name(value: str) -> str:
    if not re.fullmatch(r"[\w.]{0,200}", value):
        raise ValueError(f"{value!r} is not a layer name")
    return value


PAGE = registry.BY_NAME["your_model"]
STATE = PageState(
    PAGE.prefix,
    [
        *image_settings("cat", 512),
        choice("kind", tuple(SOURCES), "arch"),
        choice("arch", ARCHITECTURES, "resnet18"),
        integer("height", *SIDES, 224),
        integer("width", *SIDES, 224),
        text("mean", format_values(IMAGENET_MEAN), _numbers),
        text("std", format_values(IMAGENET_STD), _numbers),
        view_setting(VIEW_LABELS, "stages"),
        text("stage", "", _layer_name),
        position("row"),
        position("col"),
        integer("channel", 0, MAX_POSITION, 0),
        int_choice("steps", (32, 64, 128, 256), 64),
    ],
    scratch=(
        *IMAGE_SCRATCH,
        *("weights_file", "model_file", "names_file", "digest", "refused", "model", "filled"),
        *("run", "table", "explained", "visual"),
    ),
)


def page() -> None:
    image = open_image_page(
        STATE,
        PAGE.title,
        "A network you trained, on your own photo: a torchvision or timm architecture with "
        "your weights, or an ONNX file. It stays in this session's memory only.",
    )
    with st.sidebar:
        source = model_source(STATE, ARCHITECTURES)
    if source is None:
        st.info("Upload an .onnx model file in the sidebar (up to its size limit shown there).")
    else:
        _show(source, image.pixels)
    with st.sidebar:
        reset_button(STATE.reset)
    STATE.publish()


def _show(source, pixels) -> None:
    opened = opened_model(STATE.scratch("model"), source)
    if isinstance(opened, str):
        st.error(opened)
        return
    with st.sidebar:
        settings = input_settings(STATE, opened)
        names_file = names_upload(STATE)
    st.caption(opened.model.note)
    if settings is None:
        return
    names = class_names(opened, names_file)
    view = look_closer(STATE.key("view"), VIEW_LABELS)
    if view == "table":
        layer_table(STATE.scratch("table"), opened, settings.size)
        return
    try:
        run = run_on_picture(STATE.scratch("run"), opened, settings, pixels)
    except (RuntimeError, ValueError) as error:
        st.error(
            f"The model cannot take a {settings.size[0]} x {settings.size[1]} picture "
            f"({type(error).__name__}): change the input size in the sidebar."
        )
        return
    if not opened.stages:
        st.info("This model makes no maps larger than 1 x 1, so it has no stages to show.")
    if view == "stages":
        views.answer_and_stages(opened, run, names, settings.size)
    elif view == "filters":
        views.filters(opened)
    elif not opened.stages:
        return
    elif view == "field":
        views.field(STATE, opened, run)
    elif view == "why":
        views.why(STATE, opened, run, names, STATE.scratch("explained"))
    else:
        views.wants(STATE, opened, run, settings, STATE.scratch("visual"))


if __name__ == "__main__":
    page()
