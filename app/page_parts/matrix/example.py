"""The Convolution-as-matrix page's worked example: a small input, a kernel and their
geometry, kept in the URL, and everything computed from them once per run."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.shell.url_state import Setting, choice, grid_setting, integer
from app.widgets.controls import keyed
from cnn_core import conv2d
from cnn_core.kernel_text import parse_kernel
from cnn_core.limits import MAX_POSITION, MAX_SMALL_INPUT, MAX_SMALL_KERNEL
from cnn_core.matrix import ORDERS, conv_matrix, im2col, window_of_column

# Patel's worked example ("Convolutional Neural Networks", 2017): a 3 x 4 input, a 2 x 2
# kernel of 2s.
WORKED_INPUT = "1 2 3 1; 4 5 6 1; 7 8 9 1"
WORKED_KERNEL = "2 2; 2 2"
GRADIENTS = ("one", "ones", "random")
GRADIENT_LABELS = {
    "one": "1 at the chosen output, 0 elsewhere",
    "ones": "1 everywhere (the loss is the sum)",
    "random": "random (seed 0)",
}
ORDER_LABELS = {
    "row": "row by row (PyTorch's unfold)",
    "column": "column by column (lecture notes)",
}


def example_settings() -> list[Setting]:
    return [
        grid_setting("x", WORKED_INPUT, "input", MAX_SMALL_INPUT),
        grid_setting("k", WORKED_KERNEL, "kernel", MAX_SMALL_KERNEL),
        integer("stride", 1, 3, 1),
        integer("pad", 0, MAX_SMALL_KERNEL - 1, 0),
        integer("dil", 1, 3, 1),
        choice("order", ORDERS, "row"),
        integer("column", 0, MAX_POSITION, 0),
        choice("grad", GRADIENTS, "one"),
    ]


@dataclass(frozen=True)
class Example:
    x: np.ndarray  # (H, W)
    kernel: np.ndarray  # (kh, kw)
    geometry: dict  # stride, padding, dilation
    order: str
    output: np.ndarray  # conv2d(x, kernel, **geometry)
    columns: np.ndarray  # im2col in the chosen order
    matrix: np.ndarray  # the convolution matrix, dense (small example)
    column: int  # the chosen column of im2col
    chosen: tuple[int, int]  # the output position that column makes
    grad: np.ndarray  # the upstream gradient, shaped like the output


def read_example(state) -> Example:
    """Everything the page shows, from the settings; ``ValueError`` explains bad ones."""
    x = parse_kernel(state["x"], max_size=MAX_SMALL_INPUT, what="input")
    kernel = parse_kernel(state["k"], max_size=MAX_SMALL_KERNEL, what="kernel")
    geometry = dict(stride=state["stride"], padding=state["pad"], dilation=state["dil"])
    output = conv2d(x, kernel, **geometry)
    columns = im2col(x, kernel.shape, order=state["order"], **geometry)
    column = state.clamp_position("column", columns.shape[1])
    row, col = window_of_column(column, x.shape, kernel.shape, order=state["order"], **geometry)
    grad = _upstream(state["grad"], output.shape, (row, col))
    matrix = conv_matrix(x.shape, kernel, **geometry).toarray()
    return Example(
        x, kernel, geometry, state["order"], output, columns, matrix, column, (row, col), grad
    )


def _upstream(kind: str, shape, chosen: tuple[int, int]) -> np.ndarray:
    if kind == "ones":
        return np.ones(shape, np.float32)
    if kind == "random":
        return np.random.default_rng(0).standard_normal(shape).round(1).astype(np.float32)
    grad = np.zeros(shape, np.float32)
    grad[chosen] = 1.0
    return grad


def example_controls(state) -> None:
    """The example's inputs and geometry (in the sidebar)."""
    keyed.text_input("Input (rows separated by ;)", key=state.key("x"))
    keyed.text_input("Kernel", key=state.key("k"))
    keyed.slider("Stride", 1, 3, key=state.key("stride"))
    keyed.slider("Zero padding", 0, MAX_SMALL_KERNEL - 1, key=state.key("pad"))
    keyed.slider("Dilation", 1, 3, key=state.key("dil"))
    keyed.radio("List windows", ORDERS, key=state.key("order"), format_func=ORDER_LABELS.get)
    keyed.radio(
        "Upstream gradient (backward pass)",
        GRADIENTS,
        key=state.key("grad"),
        format_func=GRADIENT_LABELS.get,
    )
