"""Editing a kernel: a grid of cells, a size, and the same kernel as text.

The text (the caller's session-state key, usually a URL setting) is the single source of
truth; the grid is a view of it. A grid edit is written back into the text, and the grid
is rebuilt under a new key so it never replays old edits. Cells are split exactly as
``cnn_core.kernels.parse_kernel`` splits them; an emptied cell becomes
``kernels.EMPTY_CELL``, which the parser reports as empty.
"""

from __future__ import annotations

import re

import streamlit as st

from app.widgets.controls import keyed
from cnn_core.kernel_text import EMPTY_CELL, kernel_cells
from cnn_core.limits import MAX_KERNEL_SIZE


def grid_cells(kernel_text: str) -> list[list[str]]:
    """Kernel text as a rectangular grid of cell strings (short rows padded as empty)."""
    rows = kernel_cells(kernel_text) or [["0"]]
    width = max(len(row) for row in rows)
    return [row + [EMPTY_CELL] * (width - len(row)) for row in rows]


def cells_to_text(cells: list[list[str]]) -> str:
    """Join grid cells back into kernel text; a cell's own spaces cannot split it."""

    def clean(cell) -> str:
        cell = "" if cell is None else str(cell).strip()
        return re.sub(r"[\s,;\[\]]+", "_", cell) or EMPTY_CELL

    return "; ".join(" ".join(clean(c) for c in row) for row in cells)


def resized_cells(cells: list[list[str]], rows: int, cols: int) -> list[list[str]]:
    """Crop or extend a grid with zeros to ``rows`` x ``cols``."""
    grown = [row[:cols] + ["0"] * (cols - len(row)) for row in cells[:rows]]
    return grown + [["0"] * cols for _ in range(rows - len(grown))]


def kernel_grid_editor(*, text_key: str, prefix: str) -> None:
    """Rows/columns pickers, the editable grid, and the text field, kept in step.

    ``text_key`` holds the kernel text; ``prefix`` is a session-state key the editor may
    extend for its own widgets (the page declares it as a scratch value).
    """
    cells = grid_cells(st.session_state[text_key])
    version_key = f"{prefix}_version"
    version = st.session_state.get(version_key, 0)
    rows_key, cols_key = f"{prefix}_rows_{version}", f"{prefix}_cols_{version}"
    editor_key = f"{prefix}_cells_{version}"

    def bump() -> None:
        st.session_state[version_key] = version + 1

    def resize() -> None:
        rows, cols = int(st.session_state[rows_key]), int(st.session_state[cols_key])
        st.session_state[text_key] = cells_to_text(resized_cells(cells, rows, cols))
        bump()

    def commit() -> None:
        edits = st.session_state[editor_key].get("edited_rows", {})
        grid = [row[:] for row in cells]
        for row_index, changes in edits.items():
            for column_name, value in changes.items():
                grid[int(row_index)][int(column_name) - 1] = value
        st.session_state[text_key] = cells_to_text(grid)
        bump()

    left, right = st.columns(2)
    keyed.number_input(
        "Rows", 1, MAX_KERNEL_SIZE, value=len(cells), key=rows_key, where=left, on_change=resize
    )
    keyed.number_input(
        "Columns",
        1,
        MAX_KERNEL_SIZE,
        value=len(cells[0]),
        key=cols_key,
        where=right,
        on_change=resize,
    )
    # Imported here: pandas takes 0.3 s to import, and the Convolution page (the first
    # page of a cold start) needs it only once someone picks the custom kernel.
    import pandas as pd

    frame = pd.DataFrame(cells, columns=[str(c + 1) for c in range(len(cells[0]))])
    frame.index = [str(r + 1) for r in range(len(cells))]
    st.data_editor(
        frame,
        key=editor_key,
        on_change=commit,
        num_rows="fixed",
        width="content",
        column_config={c: st.column_config.TextColumn(c, width="small") for c in frame.columns},
    )
    keyed.text_input(
        "Or type it: rows separated by ; (fractions like 1/9 work)", key=text_key, on_change=bump
    )
