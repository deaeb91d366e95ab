"""The Your model page's views of the user's model on the picture: the answer and every
stage's maps, the first layer's filters, a unit's receptive field, why this answer and
what a channel wants, drawn with the generic network views."""

from __future__ import annotations

import streamlit as st

from app.widgets.controls import keyed
from app.widgets.networks import network_insight
from app.widgets.networks.network_views import (
    answer_view,
    field_view,
    filters_view,
    stages_view,
)
from cnn_core.model_input import model_picture
from cnn_core.nn.model_run import first_conv_filters, to_batch, unit_field

from .model_input import InputSettings
from .opening import Opened
from .run import Run, label_of, seen_picture


def answer_and_stages(opened: Opened, run: Run, names, size) -> None:
    seen = seen_picture(run.planes)
    if isinstance(run.answer, str):
        st.warning(run.answer)
    else:
        answer = run.answer
        classes = [(label_of(names, i), p) for i, p in zip(answer.indices, answer.probabilities)]
        note = None if answer.softmax_applied else "The model's output already is probabilities."
        answer_view(
            seen,
            classes,
            note,
            seen_caption=f"What the model sees: resized and cropped to {size[0]} x {size[1]}",
            out_of=f"of its {answer.outputs:,} classes",
        )
    if opened.fields_note:
        st.caption(opened.fields_note)
    stages_view(run.maps, opened.stages, opened.fields)


def stage_picker(state, stages: dict[str, str], where=st) -> str:
    if state["stage"] not in stages:
        state.set("stage", list(stages)[len(stages) // 2])
    return keyed.selectbox(
        "Stage",
        tuple(stages),
        key=state.key("stage"),
        format_func=lambda n: f"{stages[n]} ({n})",
        where=where,
    )


def filters(opened: Opened) -> None:
    found = first_conv_filters(opened.model.module, opened.model.layers)
    if found is None:
        st.info("This model has no 2-D convolution, so it has no first-layer filters to show.")
        return
    name, weights = found
    st.markdown(f"The first convolution is `{name}`.")
    filters_view(weights)


def field(state, opened: Opened, run: Run) -> None:
    left, middle, right = st.columns(3)
    node = stage_picker(state, opened.stages, left)
    maps = run.maps[node]
    height, width = maps.shape[1:]
    row, col = state.clamp_position("row", height), state.clamp_position("col", width)
    keyed.number_input("Unit row", 0, height - 1, key=state.key("row"), where=middle)
    keyed.number_input("Unit column", 0, width - 1, key=state.key("col"), where=right)
    channel = int(maps[:, row, col].argmax())
    gradient = unit_field(opened.model.module, node, run.batch, (channel, row, col))
    field_view(seen_picture(run.planes), gradient, opened.fields.get(node), (row, col), node)
    st.caption(f"The unit is channel {channel}, the most active one at ({row}, {col}).")


def why(state, opened: Opened, run: Run, names, key: str) -> None:
    if isinstance(run.answer, str):
        st.warning(run.answer)
        return
    node = stage_picker(state, opened.stages)
    target = run.answer.indices[0]
    window = max(4, min(run.planes.shape[1:]) // 7)  # 32 on a 224-pixel input
    try:
        network_insight.explain_view(
            opened.model.module,
            run.batch,
            seen_picture(run.planes),
            target,
            label_of(names, target),
            node,
            key=key,
            made_from=(opened.key, id(run)),
            occlusion={"window": window, "stride": max(1, window // 2)},
        )
    except (RuntimeError, ValueError, TypeError) as error:
        st.error(f"The explanations could not be computed for this model ({error}).")


def wants(state, opened: Opened, run: Run, settings: InputSettings, key: str) -> None:
    left, middle, right = st.columns(3)
    node = stage_picker(state, opened.stages, left)
    model = opened.model
    shape = (model.channels, *(min(side, 128) for side in settings.size))
    channels = run.maps[node].shape[0]
    if state["channel"] >= channels:
        state.set("channel", 0)
    keyed.number_input(
        f"Channel (0 to {channels - 1})", 0, channels - 1, key=state.key("channel"), where=middle
    )
    keyed.select_slider("Steps", (32, 64, 128, 256), key=state.key("steps"), where=right)
    try:
        network_insight.features_view(
            model.module,
            node,
            state["channel"],
            state["steps"],
            key=key,
            made_from=(opened.key, settings),
            shape=shape,
            mean=settings.mean,
            std=settings.std,
            prepare=lambda picture: to_batch(
                model_picture(picture, settings.size, model.channels), settings.mean, settings.std
            ),
        )
    except Exception as error:  # a model that fails on this input: say why, keep the page
        reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
        st.error(
            "This channel cannot be visualised for this model "
            f"({type(error).__name__}{': ' + reason if reason else ''})."
        )
