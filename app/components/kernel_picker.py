"""Choosing the kernel: the classic library, a custom grid, or a seeded random one."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from cnn_core import KERNELS
from cnn_core.colour import CHANNEL_NAMES
from cnn_core.kernels import (
    MAX_SIZE,
    KernelError,
    format_kernel,
    normalized,
    parse_kernel,
    random_kernel,
)

from .number_grid import grid_html, show_grid, show_html
from .url_state import Setting, choice, flag, integer, text

KERNEL_CHOICES = (*KERNELS, "custom", "random")
DEFAULT_CUSTOM = "1 0 -1; 2 0 -2; 1 0 -1"

_PRETTY = {
    "identity": "Identity",
    "box_blur": "Box blur 3x3",
    "gaussian_blur": "Gaussian blur 5x5",
    "sharpen": "Sharpen",
    "laplacian": "Laplacian",
    "outline": "Outline",
    "emboss": "Emboss",
    "custom": "Custom (edit the grid)",
    "random": "Random (from a seed)",
}


def pretty_name(name: str) -> str:
    if name in _PRETTY:
        return _PRETTY[name]
    family, _, suffix = name.partition("_")
    return f"{family.capitalize()} {suffix.upper() if family == 'kirsch' else suffix}"


def _kernel_text(text_value: str) -> str:
    """URL check for a kernel written as text: it must parse, and is stored normalised."""
    try:
        return format_kernel(parse_kernel(text_value))
    except KernelError as error:
        raise ValueError(str(error)) from None


def kernel_settings() -> list[Setting]:
    return [
        choice("kernel", KERNEL_CHOICES, "sobel_x"),
        text("custom", DEFAULT_CUSTOM, _kernel_text),
        integer("seed", 0, 99_999, 7),
        integer("rsize", 1, MAX_SIZE, 3),
        flag("norm", False),
        flag("flip", False),
        flag("own", False),
        *[text(f"k{c[0]}", DEFAULT_CUSTOM, _kernel_text) for c in CHANNEL_NAMES],
    ]


@dataclass(frozen=True)
class KernelChoice:
    name: str
    kernel: np.ndarray | None  # (kh, kw), or (3, kh, kw) for per-channel kernels
    flip: bool
    error: str | None = None

    @property
    def label(self) -> str:
        return pretty_name(self.name)


def _base_kernel(state) -> np.ndarray:
    name = state["kernel"]
    if name == "custom":
        return parse_kernel(state["custom"])
    if name == "random":
        return random_kernel(state["rsize"], state["seed"])
    return KERNELS[name]


def pick_kernel(state, *, per_channel_allowed: bool) -> KernelChoice:
    """The kernel panel; returns the kernel to apply, or an error message to show."""
    name = st.selectbox(
        "Kernel",
        KERNEL_CHOICES,
        key=state.key("kernel"),
        format_func=pretty_name,
    )
    if name == "custom":
        _custom_editor(state)
    elif name == "random":
        left, right = st.columns(2)
        left.number_input("Seed", 0, 99_999, step=1, key=state.key("seed"))
        right.number_input("Size", 1, MAX_SIZE, step=1, key=state.key("rsize"))
    st.checkbox(
        "Scale to sum 1",
        key=state.key("norm"),
        help="Blurs should sum to 1 so they keep the image's brightness.",
    )
    st.toggle(
        "Flip the kernel (true convolution)",
        key=state.key("flip"),
        help="Deep learning libraries skip the flip and compute cross-correlation: the "
        "weights are learned, so a network simply learns the flipped kernel instead.",
    )
    try:
        kernel = _base_kernel(state)
    except KernelError as error:
        st.error(str(error))
        return KernelChoice(name, None, state["flip"], str(error))
    if state["norm"]:
        try:
            kernel = normalized(kernel)
        except ValueError as error:
            st.warning(f"{error} It is used as it is.")
    if per_channel_allowed:

        def start_from_kernel() -> None:
            if state["own"]:
                for channel in CHANNEL_NAMES:
                    state.set(f"k{channel[0]}", format_kernel(kernel))

        st.toggle(
            "A different kernel for each colour channel",
            key=state.key("own"),
            on_change=start_from_kernel,
            help="A conv layer's filter has one 2-D slice per input channel.",
        )
        if state["own"]:
            return _per_channel(state, kernel)
    show_grid(kernel, caption=_kernel_caption(kernel, state["flip"]))
    return KernelChoice(name, kernel, state["flip"])


def _kernel_caption(kernel: np.ndarray, flip: bool) -> str:
    rows, cols = kernel.shape[-2:]
    total = format(float(kernel.sum()), ".4g")
    note = "; applied rotated by 180 degrees" if flip else ""
    return f"{rows} x {cols}, sum {total}{note}"


def _per_channel(state, kernel: np.ndarray) -> KernelChoice:
    slices = []
    for column, channel in zip(st.columns(3), CHANNEL_NAMES):
        key = f"k{channel[0]}"
        column.text_input(f"{channel.capitalize()} slice", key=state.key(key))
        try:
            slices.append(parse_kernel(state[key]))
        except KernelError as error:
            column.error(f"{channel.capitalize()}: {error}")
            return KernelChoice("per-channel", None, state["flip"], str(error))
    if len({s.shape for s in slices}) != 1:
        sizes = ", ".join(f"{s.shape[0]} x {s.shape[1]}" for s in slices)
        message = f"The three slices must have the same size; they are {sizes}."
        st.error(message)
        return KernelChoice("per-channel", None, state["flip"], message)
    bank = np.stack(slices)  # (3, kh, kw)
    grids = "".join(grid_html(s, caption=f"{c} slice") for s, c in zip(bank, CHANNEL_NAMES))
    show_html(f'<div style="display:flex; gap:1rem; flex-wrap:wrap">{grids}</div>')

    def copy_kernel() -> None:
        for channel in CHANNEL_NAMES:
            state.set(f"k{channel[0]}", format_kernel(kernel))

    st.button("Copy the chosen kernel into all three slices", on_click=copy_kernel)
    return KernelChoice("per-channel", bank, state["flip"])


def grid_cells(kernel_text: str) -> list[list[str]]:
    """Split kernel text into a rectangular grid of cell strings (short rows padded with '?')."""
    flat = re.sub(r"\]\s*,?\s*\[", ";", kernel_text).replace("[", "").replace("]", "")
    rows = [
        [cell for cell in re.split(r"[,\s]+", line.strip(" ,")) if cell]
        for line in re.split(r"[;\n]", flat)
        if line.strip(" ,\t")
    ] or [["0"]]
    width = max(len(row) for row in rows)
    return [row + ["?"] * (width - len(row)) for row in rows]


def cells_to_text(cells: list[list[str]]) -> str:
    """Join grid cells back into kernel text; a cell's own spaces cannot split it."""

    def clean(cell) -> str:
        cell = "" if cell is None else str(cell).strip()
        return re.sub(r"[\s,;\[\]]+", "_", cell) or "?"

    return "; ".join(" ".join(clean(c) for c in row) for row in cells)


def resized_cells(cells: list[list[str]], rows: int, cols: int) -> list[list[str]]:
    """Crop or extend a grid with zeros to ``rows`` x ``cols``."""
    grown = [row[:cols] + ["0"] * (cols - len(row)) for row in cells[:rows]]
    return grown + [["0"] * cols for _ in range(rows - len(grown))]


def _custom_editor(state) -> None:
    cells = grid_cells(state["custom"])
    version_key = f"_{state.page}_grid_version"
    version = st.session_state.get(version_key, 0)
    left, right = st.columns(2)
    rows = left.number_input(
        "Rows", 1, MAX_SIZE, value=len(cells), key=f"{state.page}_rows_{version}"
    )
    cols = right.number_input(
        "Columns", 1, MAX_SIZE, value=len(cells[0]), key=f"{state.page}_cols_{version}"
    )
    if (rows, cols) != (len(cells), len(cells[0])):
        state.set("custom", cells_to_text(resized_cells(cells, int(rows), int(cols))))
        st.session_state[version_key] = version + 1
        st.rerun()
    frame = pd.DataFrame(cells, columns=[str(c + 1) for c in range(len(cells[0]))])
    frame.index = [str(r + 1) for r in range(len(cells))]
    editor_key = f"{state.page}_grid_{version}"

    def commit() -> None:
        edits = st.session_state[editor_key].get("edited_rows", {})
        grid = [row[:] for row in cells]
        for row_index, changes in edits.items():
            for column_name, value in changes.items():
                grid[int(row_index)][int(column_name) - 1] = value
        state.set("custom", cells_to_text(grid))
        st.session_state[version_key] = version + 1

    st.data_editor(
        frame,
        key=editor_key,
        on_change=commit,
        num_rows="fixed",
        width="content",
        column_config={c: st.column_config.TextColumn(c, width="small") for c in frame.columns},
    )

    def typed() -> None:
        st.session_state[version_key] = version + 1

    st.text_input(
        "Or type it: rows separated by ; (fractions like 1/9 work)",
        key=state.key("custom"),
        on_change=typed,
    )
