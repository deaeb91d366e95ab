"""The sliding window: the kernel stepping over a small grid, the output filling in.

Runs in a fragment, so stepping or playing reruns only this part of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from app.shell.url_state import Setting, choice, grid_setting, integer, position
from app.widgets.controls import keyed
from app.widgets.controls.stepper import play_interval, step_controls
from app.widgets.numbers.number_grid import format_value, grid_html, row_html, show_html, sign_html
from cnn_core import conv2d
from cnn_core.kernel_text import KernelError, parse_kernel
from cnn_core.sliding_window import busiest_crop, sliding_step

SOURCES = ("crop", "lecture", "grid")
SOURCE_LABELS = {
    "crop": "A crop of the image",
    "lecture": "The lecture exercise (4 x 6)",
    "grid": "Your own numbers",
}
# A worked exercise from Patel, "Convolutional Neural Networks" (2017): a 4 x 6 grid.
LECTURE_GRID = "4 1 2 4 7 9; 0 1 2 0 2 3; 6 4 5 2 1 3; 8 1 2 1 3 2"
MAX_GRID = 16
# The sliding window's scratch values (declared by the page): the step shown, whether it
# plays, and its buttons.
SLIDING_SCRATCH = ("step", "playing", "back", "next", "play", "keys")


def sliding_settings() -> list[Setting]:
    return [
        choice("sw", SOURCES, "crop"),
        integer("swn", 8, MAX_GRID, 8),
        position("swr"),
        position("swc"),
        grid_setting("swg", LECTURE_GRID, "grid", MAX_GRID),
    ]


@dataclass(frozen=True)
class SlidingInput:
    grid: np.ndarray  # (h, w) the numbers the kernel slides over
    digits: int  # decimals worth showing
    intensities: bool  # values are pixel intensities in [0, 1] (drawn in gray)


def choose_input(state, gray: np.ndarray) -> SlidingInput | None:
    """Which small grid to slide over; ``None`` (with a message) when the grid is bad."""
    keyed.radio(
        "Slide over",
        SOURCES,
        key=state.key("sw"),
        format_func=SOURCE_LABELS.get,
        horizontal=True,
    )
    source = state["sw"]
    if source == "lecture":
        return SlidingInput(parse_kernel(LECTURE_GRID, max_size=MAX_GRID, what="grid"), 0, False)
    if source == "grid":
        keyed.text_input("Numbers (rows separated by ;)", key=state.key("swg"))
        try:
            grid = parse_kernel(state["swg"], max_size=MAX_GRID, what="grid")
            return SlidingInput(grid, 2, False)
        except KernelError as error:
            st.error(str(error))
            return None
    height, width = gray.shape
    size = min(state["swn"], height, width)
    row_limit, col_limit = height - size, width - size
    if state["swr"] < 0 or state["swc"] < 0:
        top, left = busiest_crop(gray, size)
        state.set("swr", top)
        state.set("swc", left)
    for name, limit in (("swr", row_limit), ("swc", col_limit)):
        if state[name] > limit:
            state.set(name, limit)
    left, middle, right = st.columns(3)
    keyed.slider("Crop size", 8, MAX_GRID, key=state.key("swn"), where=left)
    for label, name, limit, where in (
        ("Crop top row", "swr", row_limit, middle),
        ("Crop left column", "swc", col_limit, right),
    ):
        keyed.slider(label, 0, max(limit, 1), key=state.key(name), where=where, disabled=limit == 0)
    top, left_col = state["swr"], state["swc"]
    return SlidingInput(gray[top : top + size, left_col : left_col + size], 2, True)


def show_sliding_window(state, source: SlidingInput, kernel: np.ndarray, flip: bool, options):
    """Step/play controls and the grids; explains settings that leave no output."""
    try:
        out = conv2d(source.grid, kernel, flip=flip, **options)
    except ValueError as error:
        st.error(f"On this {source.grid.shape[0]} x {source.grid.shape[1]} grid: {error}")
        return
    keys = {name: state.scratch(name) for name in SLIDING_SCRATCH}
    # Playing needs a fragment that reruns on a timer; stepping needs one that does not.
    timer = play_interval(keys["playing"])
    st.fragment(run_every=timer)(_stepper)(
        keys, source, kernel, flip, options, out, timer is not None
    )


def _stepper(keys: dict, source: SlidingInput, kernel, flip, options, out, timed: bool) -> None:
    width = out.shape[1]
    step = step_controls(
        step_key=keys["step"],
        play_key=keys["playing"],
        steps=out.size,
        timed=timed,
        label="Step",
        button_keys=keys,
        keys_key=keys["keys"],
        detail=lambda step: "output row {}, column {}".format(*divmod(step, width)),
    )
    row, col = divmod(step, width)
    _draw_step(source, kernel, flip, options, out, row, col)


def _draw_step(source: SlidingInput, kernel, flip, options, out, row: int, col: int) -> None:
    step = sliding_step(source.grid, kernel, row, col, flip=flip, **options)
    window = step.window
    show_html(
        row_html(
            grid_html(
                step.padded_values,
                padded=step.padding,
                highlight=step.taps,
                digits=source.digits,
                gray=source.intensities,
                caption="input (hatched: padding; outlined: under the kernel)",
            ),
            sign_html("&rarr;"),
            grid_html(
                out,
                highlight=step.current,
                empty=~step.done,
                digits=source.digits + 1,
                caption="output, filled so far",
            ),
        )
    )
    terms = " + ".join(
        f"({format_value(k)} × {format_value(v, source.digits)})"
        for k, v in zip(window.kernel.ravel(), window.values.ravel())
    )
    if window.kernel.size > 12:
        terms = f"the sum of {window.kernel.size} products"
    st.markdown(f"{terms} = **{format_value(window.total, source.digits + 1)}**")
