"""Editing a stack of layer geometries (kernel, stride, padding, dilation) as a table.

The text form (``c3p1,m2,...``) is kept in the URL and is the source of truth; the table
is rebuilt from it after every edit, under a new key, so it never replays old edits.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cnn_core.receptive_field import (
    GEOMETRY_PRESETS,
    MAX_GEOMETRY_LAYERS,
    format_geometry,
    parse_geometry,
)

from .url_state import Setting, text

TYPES = {"conv": None, "max pool": "max", "avg pool": "avg"}
PRESET_LABELS = {
    "three_3x3": "Three 3x3 convs",
    "conv5_pool2": "(Conv 5x5, pool 2) x 3",
    "vgg16": "VGG-16",
    "dilated": "Dilated 1, 2, 4, 8",
}


def _geometry_text(value: str) -> str:
    return format_geometry(parse_geometry(value))


def geometry_settings() -> list[Setting]:
    return [text("layers", GEOMETRY_PRESETS["conv5_pool2"], _geometry_text)]


def _bump(state) -> None:
    key = f"_{state.page}_table_version"
    st.session_state[key] = st.session_state.get(key, 0) + 1


def _set(state, value: str) -> None:
    state.set("layers", value)
    _bump(state)


def geometry_editor(state) -> list[dict] | None:
    """Preset buttons and the layer table; returns the layers, or None with a message."""
    for column, (name, preset) in zip(st.columns(len(GEOMETRY_PRESETS)), GEOMETRY_PRESETS.items()):
        column.button(
            PRESET_LABELS[name],
            key=f"{state.page}_preset_{name}",
            width="stretch",
            on_click=_set,
            args=(state, preset),
        )
    try:
        layers = parse_geometry(state["layers"])
    except ValueError as error:
        st.error(str(error))
        return None
    frame = pd.DataFrame(
        [
            {
                "type": next(k for k, v in TYPES.items() if v == layer.get("pool")),
                "kernel": layer["kernel"],
                "stride": layer["stride"],
                "padding": layer["padding"],
                "dilation": layer["dilation"],
            }
            for layer in layers
        ]
    )
    version = st.session_state.get(f"_{state.page}_table_version", 0)
    editor_key = f"{state.page}_table_{version}"

    def commit() -> None:
        edits = st.session_state[editor_key]
        rows = frame.to_dict("records")
        for index, changes in edits.get("edited_rows", {}).items():
            rows[int(index)].update(changes)
        rows += [
            dict(
                {"type": "conv", "kernel": 3, "stride": 1, "padding": 1, "dilation": 1},
                **{k: v for k, v in added.items() if v is not None},
            )
            for added in edits.get("added_rows", [])
        ]
        rows = [row for i, row in enumerate(rows) if i not in set(edits.get("deleted_rows", []))]
        try:
            text_value = format_geometry([_layer(row) for row in rows][:MAX_GEOMETRY_LAYERS])
            parse_geometry(text_value)
        except (ValueError, TypeError) as error:
            st.session_state[f"_{state.page}_table_error"] = str(error)
            _bump(state)
            return
        st.session_state.pop(f"_{state.page}_table_error", None)
        _set(state, text_value)

    st.data_editor(
        frame,
        key=editor_key,
        on_change=commit,
        num_rows="dynamic",
        hide_index=False,
        width="stretch",
        column_config={
            "type": st.column_config.SelectboxColumn("type", options=list(TYPES), required=True),
            "kernel": st.column_config.NumberColumn("kernel", min_value=1, max_value=15, step=1),
            "stride": st.column_config.NumberColumn("stride", min_value=1, max_value=8, step=1),
            "padding": st.column_config.NumberColumn("padding", min_value=0, max_value=16, step=1),
            "dilation": st.column_config.NumberColumn(
                "dilation", min_value=1, max_value=16, step=1
            ),
        },
    )
    if problem := st.session_state.get(f"_{state.page}_table_error"):
        st.error(f"That edit was not applied: {problem}")
    st.caption(f"As text (kept in the link): `{state['layers']}`")
    return layers


def _layer(row: dict) -> dict:
    layer = {key: int(row[key]) for key in ("kernel", "stride", "padding", "dilation")}
    pool = TYPES[row["type"]]
    if pool:
        layer["pool"] = pool
    return layer
