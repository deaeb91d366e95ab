"""The layer table of the user's model, like torchinfo's summary: every layer in the
order it runs, its type, output shape, parameters and receptive field (size / jump),
with the total; as a table and as plain text (the same text ``python -m cnn_core.nn
summary`` prints)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from app.widgets.session_memo import remembered
from cnn_core.nn.__main__ import format_summary
from cnn_core.nn.summary import model_summary

from .opening import Opened


def _pair(value) -> str:
    if value is None:
        return ""
    return str(value[0]) if value[0] == value[1] else f"{value[0]} x {value[1]}"


def layer_table(key: str, opened: Opened, size: tuple[int, int]) -> None:
    """The table for an input of ``size``, made once per model and size in this session."""
    model = dataclasses.replace(opened.model, input_size=tuple(size))
    summary = remembered(key, (opened.key, tuple(size)), lambda: model_summary(model))
    rows = [
        {
            "layer": row.name,
            "type": row.kind,
            "output shape": " x ".join(map(str, row.output_shape)) if row.output_shape else "",
            "parameters": row.parameters,
            "receptive field": _pair(row.field_size),
            "jump": _pair(row.field_jump),
        }
        for row in summary.rows
    ]
    st.markdown(
        f"**{len(summary.rows)} layers, {summary.total_parameters:,} parameters in total** "
        f"(on a {size[0]} x {size[1]} picture)"
    )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if summary.note:
        st.caption(summary.note)
    st.caption(
        "Receptive field: how many input pixels one unit of the layer can see (rows x "
        "columns when they differ); jump: how many input pixels apart two neighbouring "
        "units look. Parameters count the layer's own weights; the total counts every one."
    )
    with st.expander("The table as text"):
        st.code(format_summary(summary), language=None)
