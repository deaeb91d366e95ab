"""A user's own kernel as text: read, checked and written back.

Kernels travel as text in the URL, the kernel box and the grid editor: rows separated by
``;`` or new lines, cells by spaces or commas, fractions such as ``1/9`` allowed, and a
Python/NumPy nested list read the same. Every failure is a ``KernelError`` that names the
cell to fix; ``format_kernel`` writes text that reads back to the same float32 values.
"""

from __future__ import annotations

import math
import re

import numpy as np

from .limits import MAX_KERNEL_SIZE, MAX_KERNEL_VALUE


def _f32(array) -> np.ndarray:
    return np.asarray(array, dtype=np.float32)


class KernelError(ValueError):
    """A custom kernel that cannot be used; the message names the bad cell."""


# Marks a cell the user left empty (a grid editor writes it for a blank cell).
EMPTY_CELL = "?"


def kernel_cells(text: str) -> list[list[str]]:
    """Split kernel text into rows of cell strings: rows by ``;`` or new lines, cells by
    spaces or commas; a Python/NumPy nested list ``[[1, 2], [3, 4]]`` reads the same."""
    flat = re.sub(r"\]\s*,?\s*\[", ";", text).replace("[", "").replace("]", "")
    rows = [line for line in re.split(r"[;\n]", flat) if line.strip(" ,\t")]
    return [[cell for cell in re.split(r"[,\s]+", row.strip(" ,\t")) if cell] for row in rows]


def parse_kernel(text: str, *, max_size: int = MAX_KERNEL_SIZE, what: str = "kernel") -> np.ndarray:
    """Read a kernel written as rows separated by ``;`` or new lines.

    Cells are separated by spaces or commas; fractions like ``1/9`` are allowed, and so is
    a Python/NumPy nested list.

    >>> parse_kernel("1 0 -1; 2 0 -2; 1 0 -1").tolist()[1]
    [2.0, 0.0, -2.0]
    """
    if not isinstance(text, str):
        raise KernelError(f"The {what} must be given as text.")
    cells = kernel_cells(text)
    if not cells:
        raise KernelError(
            f"The {what} is empty: write rows of numbers, e.g. 1 0 -1; 2 0 -2; 1 0 -1"
        )
    grid = [[_parse_cell(cell, r, c) for c, cell in enumerate(row)] for r, row in enumerate(cells)]
    widths = {len(row) for row in grid}
    if len(widths) != 1:
        counts = ", ".join(str(len(row)) for row in grid)
        raise KernelError(f"Every row needs the same number of cells; the rows have {counts}.")
    return validate_kernel(grid, max_size=max_size, what=what)


def _parse_cell(cell: str, row: int, col: int) -> float:
    if cell == EMPTY_CELL:
        raise KernelError(f"Row {row + 1}, column {col + 1} is empty: type a number there.")
    try:
        if "/" in cell:
            numerator, denominator = cell.split("/")
            value = float(numerator) / float(denominator)
        else:
            value = float(cell)
    except (ValueError, ZeroDivisionError):
        raise KernelError(
            f"Row {row + 1}, column {col + 1}: {cell[:20]!r} is not a number."
        ) from None
    return value


def validate_kernel(grid, *, max_size: int = MAX_KERNEL_SIZE, what: str = "kernel") -> np.ndarray:
    """Check a user's grid of numbers: 1x1 to ``max_size`` square, every cell finite.

    Returns it as float32; raises ``KernelError`` naming the first bad cell.
    """
    rows = list(grid) if not isinstance(grid, np.ndarray) else grid
    height = len(rows)
    if height == 0:
        raise KernelError(f"The {what} is empty.")
    width = len(rows[0])
    if not (1 <= height <= max_size and 1 <= width <= max_size):
        raise KernelError(
            f"The {what} is {height} x {width}; sizes from 1 x 1 "
            f"to {max_size} x {max_size} are supported."
        )
    kernel = np.zeros((height, width), dtype=np.float64)
    for r, row in enumerate(rows):
        if len(row) != width:
            raise KernelError(f"Row {r + 1} has {len(row)} cells; the first row has {width}.")
        for c, value in enumerate(row):
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise KernelError(
                    f"Row {r + 1}, column {c + 1}: {str(value)[:20]!r} is not a number."
                ) from None
            if not math.isfinite(number):
                raise KernelError(f"Row {r + 1}, column {c + 1} is {number}; use a finite number.")
            if abs(number) > MAX_KERNEL_VALUE:
                raise KernelError(
                    f"Row {r + 1}, column {c + 1} is {number:g}; keep cells within "
                    f"+/- {MAX_KERNEL_VALUE:,.0f}."
                )
            kernel[r, c] = number
    return _f32(kernel)


def format_kernel(kernel) -> str:
    """Write a 2-D kernel as text that ``parse_kernel`` reads back to the same float32 values."""
    kernel = _f32(kernel)
    return "; ".join(" ".join(shortest_float32(v) for v in row) for row in kernel)


def shortest_float32(value) -> str:
    """The shortest decimal text that reads back as the same float32 (at most 9 digits)."""
    target = np.float32(value)
    for digits in range(6, 10):
        text = f"{float(target):.{digits}g}"
        if np.float32(text) == target:
            return text
    return repr(float(target))
