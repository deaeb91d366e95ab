"""Editing a stack of layer geometries (kernel, stride, padding, dilation) as a table.

The text form (``c3p1,m2,...``, the compact spelling of ``cnn_core.layers``) is kept in
the URL and is the source of truth; the table is rebuilt from it after every edit, under
a new key, so it never replays old edits.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from app.shell.url_state import Setting, text
from cnn_core.layers import GEOMETRY_KINDS, Layer, LayerError, format_layers, parse_layers
from cnn_core.limits import (
    MAX_DILATION,
    MAX_GEOMETRY_LAYERS,
    MAX_KERNEL_SIZE,
    MAX_PADDING,
    MAX_STRIDE,
)
from cnn_core.receptive_field import GEOMETRY_PRESETS

TYPES = {"conv": ("rand", ""), "max pool": ("pool", "max"), "avg pool": ("pool", "avg")}
PRESET_LABELS = {
    "three_3x3": "Three 3x3 convs",
    "conv5_pool2": "(Conv 5x5, pool 2) x 3",
    "vgg16": "VGG-16",
    "dilated": "Dilated 1, 2, 4, 8",
}
# The editor's scratch values (declared by the page): the table's version and its keys,
# and the message of an edit that was refused.
EDITOR_SCRATCH = ("table", "table_version", "table_error", "preset")


def read_geometry(value: str) -> list[Layer]:
    return parse_layers(value, max_layers=MAX_GEOMETRY_LAYERS, kinds=GEOMETRY_KINDS)


def _geometry_text(value: str) -> str:
    try:
        return format_layers(read_geometry(value), compact=True)
    except LayerError as error:
        raise ValueError(str(error)) from None


def geometry_settings() -> list[Setting]:
    return [text("layers", GEOMETRY_PRESETS["conv5_pool2"], _geometry_text)]


def geometry_editor(state, *, on_new_stack: Callable[[], None]) -> list[Layer] | None:
    """Preset buttons and the layer table; returns the layers, or None with a message.

    ``on_new_stack`` runs when a preset replaces the whole stack (the page then picks
    its last layer's unit).
    """
    version_key = state.scratch("table_version")
    error_key = state.scratch("table_error")

    def bump() -> None:
        st.session_state[version_key] = st.session_state.get(version_key, 0) + 1

    def use(value: str, *, new_stack: bool = False) -> None:
        state.set("layers", value)
        bump()
        if new_stack:
            on_new_stack()

    for column, (name, preset) in zip(st.columns(len(GEOMETRY_PRESETS)), GEOMETRY_PRESETS.items()):
        column.button(
            PRESET_LABELS[name],
            key=f"{state.scratch('preset')}_{name}",
            width="stretch",
            on_click=lambda p=preset: use(p, new_stack=True),
        )
    try:
        layers = read_geometry(state["layers"])
    except LayerError as error:
        st.error(str(error))
        return None
    frame = pd.DataFrame([_row(layer) for layer in layers])
    editor_key = f"{state.scratch('table')}_{st.session_state.get(version_key, 0)}"

    def commit() -> None:
        edits = st.session_state[editor_key]
        rows = frame.to_dict("records")
        for index, changes in edits.get("edited_rows", {}).items():
            rows[int(index)].update(changes)
        rows += [
            {"type": "conv", "kernel": 3, "stride": 1, "padding": 1, "dilation": 1}
            | {k: v for k, v in added.items() if v is not None}
            for added in edits.get("added_rows", [])
        ]
        deleted = set(edits.get("deleted_rows", []))
        rows = [row for i, row in enumerate(rows) if i not in deleted]
        try:
            value = ",".join(_token(row) for row in rows)
            value = format_layers(read_geometry(value), compact=True)
        except (LayerError, ValueError, TypeError, KeyError) as error:
            st.session_state[error_key] = str(error)
            bump()
            return
        st.session_state.pop(error_key, None)
        use(value)

    st.data_editor(
        frame,
        key=editor_key,
        on_change=commit,
        num_rows="dynamic",
        hide_index=False,
        width="stretch",
        column_config={
            "type": st.column_config.SelectboxColumn("type", options=list(TYPES), required=True),
            "kernel": st.column_config.NumberColumn(
                "kernel", min_value=1, max_value=MAX_KERNEL_SIZE, step=1
            ),
            "stride": st.column_config.NumberColumn(
                "stride", min_value=1, max_value=MAX_STRIDE, step=1
            ),
            "padding": st.column_config.NumberColumn(
                "padding", min_value=0, max_value=MAX_PADDING, step=1
            ),
            "dilation": st.column_config.NumberColumn(
                "dilation", min_value=1, max_value=MAX_DILATION, step=1
            ),
        },
    )
    if problem := st.session_state.get(error_key):
        st.error(f"That edit was not applied: {problem}")
    st.caption(f"As text (kept in the link): `{state['layers']}`")
    return layers


def _row(layer: Layer) -> dict:
    kind = next(
        label
        for label, spec in TYPES.items()
        if spec[0] == layer.kind and (layer.kind == "rand" or spec[1] == layer.name)
    )
    return {"type": kind, **layer.geometry()}


def _token(row: dict) -> str:
    """One table row in the compact grammar; ``parse_layers`` checks every number."""
    kind, mode = TYPES[row["type"]]
    letter = "c" if kind == "rand" else mode[0]
    values = {key: int(row[key]) for key in ("kernel", "stride", "padding", "dilation")}
    token = f"{letter}{values['kernel']}s{values['stride']}p{values['padding']}"
    return token + (f"d{values['dilation']}" if values["dilation"] != 1 else "")
