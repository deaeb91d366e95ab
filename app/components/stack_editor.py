"""Editing a layer stack row by row. The stack text (kept in the URL) is the source of
truth: every control rewrites one layer of it, and the rows are rebuilt from the text."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from cnn_core import KERNELS
from cnn_core.activations import ACTIVATIONS
from cnn_core.pool import POOL_MODES
from cnn_core.stack import (
    MAX_DILATION,
    MAX_FILTERS,
    MAX_KERNEL,
    MAX_LAYERS,
    MAX_PADDING,
    MAX_SEED,
    MAX_STRIDE,
    PRESETS,
    Layer,
    Stack,
    StackError,
    format_layer,
    parse_stack,
)

from .url_state import Setting, text

KINDS = ("conv", "kirsch", "rand", "act", "pool", "maxmaps")
KIND_LABELS = {
    "conv": "Library kernel",
    "kirsch": "Kirsch compass (8)",
    "rand": "Random filters",
    "act": "Activation",
    "pool": "Pooling",
    "maxmaps": "Max over maps",
}
PRESET_LABELS = {
    "horizontalness": "Horizontalness (edge, ReLU, blur)",
    "kirsch": "Kirsch bank, max, pooling",
    "lenet": "LeNet-shaped, random filters",
}
_NEW_LAYER = {
    "conv": Layer("conv", "sobel_x", padding=1),
    "kirsch": Layer("kirsch", padding=1),
    "rand": Layer("rand", filters=4, size=3, padding=1, seed=1),
    "act": Layer("act", "relu"),
    "pool": Layer("pool", "max", size=2, stride=2),
    "maxmaps": Layer("maxmaps"),
}


def _stack_text(value: str) -> str:
    try:
        return parse_stack(value).text
    except StackError as error:
        raise ValueError(str(error)) from None


def stack_settings() -> list[Setting]:
    return [text("layers", PRESETS["horizontalness"], _stack_text)]


def _write(state, layers: list[Layer]) -> None:
    state.set("layers", ",".join(format_layer(layer) for layer in layers))
    version_key = f"_{state.page}_stack_version"
    st.session_state[version_key] = st.session_state.get(version_key, 0) + 1


def stack_editor(state) -> Stack | None:
    """Preset buttons and one row of controls per layer; returns the parsed stack."""
    columns = st.columns(len(PRESETS))
    for column, (name, stack_text) in zip(columns, PRESETS.items()):
        column.button(
            PRESET_LABELS[name],
            key=f"{state.page}_preset_{name}",
            width="stretch",
            on_click=lambda t=stack_text: _write(state, list(parse_stack(t).layers)),
        )
    try:
        stack = parse_stack(state["layers"])
    except StackError as error:
        st.error(str(error))
        return None
    version = st.session_state.get(f"_{state.page}_stack_version", 0)
    layers = list(stack.layers)
    st.markdown(" → ".join(f"**{n}.** {layer.label}" for n, layer in enumerate(layers, 1)))
    with st.expander("Edit the layers"):
        _rows(state, layers, version)
    return stack


def _rows(state, layers: list[Layer], version: int) -> None:
    for index, layer in enumerate(layers):
        _layer_row(state, layers, index, layer, f"{state.page}_{version}_{index}")
    if len(layers) < MAX_LAYERS:
        st.button(
            "Add a layer",
            icon=":material/add:",
            key=f"{state.page}_add",
            on_click=lambda: _write(state, [*layers, _NEW_LAYER["act"]]),
        )


def _layer_row(state, layers: list[Layer], index: int, layer: Layer, key: str) -> None:
    def changed(field: str, widget: str) -> None:
        value = st.session_state[widget]
        updated = list(layers)
        if field == "kind":
            updated[index] = _NEW_LAYER[value]
        else:
            updated[index] = replace(layer, **{field: value})
        _write(state, updated)

    def control(widget, label, field, *args, **kwargs):
        widget_key = f"{key}_{field}"
        return widget(
            label, *args, key=widget_key, on_change=changed, args=(field, widget_key), **kwargs
        )

    kind_column, *parameter_columns, remove_column = st.columns([2.2, 1.6, 1, 1, 1, 0.7])
    with kind_column:
        control(
            st.selectbox,
            f"Layer {index + 1}",
            "kind",
            KINDS,
            index=KINDS.index(layer.kind),
            format_func=KIND_LABELS.get,
        )
    for column, (label, field, maker) in zip(parameter_columns, _parameters(layer)):
        with column:
            maker(control, label, field)
    if len(layers) > 1:
        remove_column.button(
            "",
            icon=":material/delete:",
            key=f"{key}_remove",
            help="Remove this layer",
            on_click=lambda: _write(state, layers[:index] + layers[index + 1 :]),
        )


def _number(low: int, high: int, value: int):
    return lambda control, label, field: control(
        st.number_input, label, field, min_value=low, max_value=high, value=value, step=1
    )


def _choice(options, value: str):
    return lambda control, label, field: control(
        st.selectbox, label, field, options, index=list(options).index(value)
    )


def _parameters(layer: Layer) -> list[tuple[str, str, object]]:
    if layer.kind == "conv":
        return [
            ("Kernel", "name", _choice(tuple(KERNELS), layer.name)),
            ("Stride", "stride", _number(1, MAX_STRIDE, layer.stride)),
            ("Padding", "padding", _number(0, MAX_PADDING, layer.padding)),
            ("Dilation", "dilation", _number(1, MAX_DILATION, layer.dilation)),
        ]
    if layer.kind == "kirsch":
        return [
            ("Stride", "stride", _number(1, MAX_STRIDE, layer.stride)),
            ("Padding", "padding", _number(0, MAX_PADDING, layer.padding)),
        ]
    if layer.kind == "rand":
        return [
            ("Filters", "filters", _number(1, MAX_FILTERS, layer.filters)),
            ("Size", "size", _number(1, MAX_KERNEL, layer.size)),
            ("Padding", "padding", _number(0, MAX_PADDING, layer.padding)),
            ("Seed", "seed", _number(0, MAX_SEED, layer.seed)),
        ]
    if layer.kind == "act":
        functions = tuple(name for name in ACTIVATIONS if name != "none")
        return [("Function", "name", _choice(functions, layer.name))]
    if layer.kind == "pool":
        return [
            ("Mode", "name", _choice(POOL_MODES, layer.name)),
            ("Size", "size", _number(1, MAX_KERNEL, layer.size)),
            ("Stride", "stride", _number(1, MAX_STRIDE, layer.stride)),
        ]
    return []
