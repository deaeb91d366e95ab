"""Editing a layer stack row by row. The stack text (kept in the URL) is the source of
truth: every control rewrites one layer of it, and the rows are rebuilt from the text."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from app.shell.url_state import Setting, text
from cnn_core import KERNELS
from cnn_core.activations import LAYER_ACTIVATIONS
from cnn_core.kernels import kernel_label
from cnn_core.layers import KINDS, NEW_LAYER, Layer, LayerError, format_layers, parse_layers
from cnn_core.limits import (
    MAX_DILATION,
    MAX_KERNEL_SIZE,
    MAX_PADDING,
    MAX_POOL_WINDOW,
    MAX_SEED,
    MAX_STACK_FILTERS,
    MAX_STACK_LAYERS,
    MAX_STRIDE,
)
from cnn_core.pool import POOL_MODES
from cnn_core.stack import PRESETS

PRESET_LABELS = {
    "horizontalness": "Horizontalness (edge, ReLU, blur)",
    "kirsch": "Kirsch bank, max, pooling",
    "lenet": "LeNet-shaped, random filters",
}
# The editor's scratch values (declared by the page): a version that renews the rows'
# keys after every edit, and the prefix of those keys.
EDITOR_SCRATCH = ("stack_version", "row", "preset", "add")


def _stack_text(value: str) -> str:
    try:
        return format_layers(parse_layers(value))
    except LayerError as error:
        raise ValueError(str(error)) from None


def stack_settings() -> list[Setting]:
    return [text("layers", PRESETS["horizontalness"], _stack_text)]


def _write(state, layers: list[Layer]) -> None:
    state.set("layers", format_layers(layers))
    version = state.scratch("stack_version")
    st.session_state[version] = st.session_state.get(version, 0) + 1


def stack_editor(state) -> list[Layer] | None:
    """Preset buttons and one row of controls per layer; returns the parsed layers."""
    columns = st.columns(len(PRESETS))
    for column, (name, stack_text) in zip(columns, PRESETS.items()):
        column.button(
            PRESET_LABELS[name],
            key=f"{state.scratch('preset')}_{name}",
            width="stretch",
            on_click=lambda t=stack_text: _write(state, parse_layers(t)),
        )
    try:
        layers = parse_layers(state["layers"])
    except LayerError as error:
        st.error(str(error))
        return None
    version = st.session_state.get(state.scratch("stack_version"), 0)
    st.markdown(" → ".join(f"**{n}.** {layer.label}" for n, layer in enumerate(layers, 1)))
    with st.expander("Edit the layers"):
        for index, layer in enumerate(layers):
            _layer_row(state, layers, index, layer, f"{state.scratch('row')}_{version}_{index}")
        if len(layers) < MAX_STACK_LAYERS:
            st.button(
                "Add a layer",
                icon=":material/add:",
                key=state.scratch("add"),
                on_click=lambda: _write(state, [*layers, NEW_LAYER["act"]]),
            )
    return layers


def _layer_row(state, layers: list[Layer], index: int, layer: Layer, key: str) -> None:
    def changed(field: str, widget: str) -> None:
        value = st.session_state[widget]
        updated = list(layers)
        if field == "kind":
            updated[index] = NEW_LAYER[value]
        else:
            updated[index] = replace(layer, **{field: value})
            if field == "size" and layer.kind == "pool" and layer.stride == layer.size:
                updated[index] = replace(updated[index], stride=value)
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
            tuple(KINDS),
            index=list(KINDS).index(layer.kind),
            format_func=lambda kind: KINDS[kind].label,
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


def _choice(options, value: str, labels=None):
    return lambda control, label, field: control(
        st.selectbox,
        label,
        field,
        options,
        index=list(options).index(value),
        format_func=labels or str,
    )


def _parameters(layer: Layer) -> list[tuple[str, str, object]]:
    stride = ("Stride", "stride", _number(1, MAX_STRIDE, layer.stride))
    padding = ("Padding", "padding", _number(0, MAX_PADDING, layer.padding))
    dilation = ("Dilation", "dilation", _number(1, MAX_DILATION, layer.dilation))
    if layer.kind == "conv":
        kernel = ("Kernel", "name", _choice(tuple(KERNELS), layer.name, kernel_label))
        return [kernel, stride, padding, dilation]
    if layer.kind == "kirsch":
        return [stride, padding, dilation]
    if layer.kind == "rand":
        return [
            ("Filters", "filters", _number(1, MAX_STACK_FILTERS, layer.filters)),
            ("Size", "size", _number(1, MAX_KERNEL_SIZE, layer.size)),
            padding,
            ("Seed", "seed", _number(0, MAX_SEED, layer.seed)),
        ]
    if layer.kind == "act":
        return [("Function", "name", _choice(LAYER_ACTIVATIONS, layer.name))]
    if layer.kind == "pool":
        return [
            ("Mode", "name", _choice(POOL_MODES, layer.name)),
            ("Size", "size", _number(1, MAX_POOL_WINDOW, layer.size)),
            ("Stride", "stride", _number(1, MAX_STRIDE, layer.stride)),
            (
                "Padding",
                "padding",
                _number(0, layer.size // 2, min(layer.padding, layer.size // 2)),
            ),
        ]
    return []
