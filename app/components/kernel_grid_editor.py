"""Editing a custom kernel: a grid of cells, a size, and the same kernel as text.

The text (kept in the URL) is the single source of truth; the grid is a view of it. A
grid edit is written back into the text, and the grid is rebuilt under a new key so it
never replays old edits.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from cnn_core.kernels import MAX_SIZE


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


def custom_kernel_editor(state, text_setting: str = "custom") -> None:
    """Rows/columns pickers, the editable grid, and the text field, kept in step."""
    cells = grid_cells(state[text_setting])
    version_key = f"_{state.page}_grid_version"
    version = st.session_state.get(version_key, 0)

    def bump() -> None:
        st.session_state[version_key] = version + 1

    def resize() -> None:
        rows = st.session_state[f"{state.page}_rows_{version}"]
        cols = st.session_state[f"{state.page}_cols_{version}"]
        state.set(text_setting, cells_to_text(resized_cells(cells, int(rows), int(cols))))
        bump()

    left, right = st.columns(2)
    left.number_input(
        "Rows", 1, MAX_SIZE, value=len(cells), key=f"{state.page}_rows_{version}", on_change=resize
    )
    right.number_input(
        "Columns",
        1,
        MAX_SIZE,
        value=len(cells[0]),
        key=f"{state.page}_cols_{version}",
        on_change=resize,
    )
    frame = pd.DataFrame(cells, columns=[str(c + 1) for c in range(len(cells[0]))])
    frame.index = [str(r + 1) for r in range(len(cells))]
    editor_key = f"{state.page}_grid_{version}"

    def commit() -> None:
        edits = st.session_state[editor_key].get("edited_rows", {})
        grid = [row[:] for row in cells]
        for row_index, changes in edits.items():
            for column_name, value in changes.items():
                grid[int(row_index)][int(column_name) - 1] = value
        state.set(text_setting, cells_to_text(grid))
        bump()

    st.data_editor(
        frame,
        key=editor_key,
        on_change=commit,
        num_rows="fixed",
        width="content",
        column_config={c: st.column_config.TextColumn(c, width="small") for c in frame.columns},
    )
    st.text_input(
        "Or type it: rows separated by ; (fractions like 1/9 work)",
        key=state.key(text_setting),
        on_change=bump,
    )
