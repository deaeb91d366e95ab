"""Choosing the kernel: the classic library, a custom grid, or a seeded random one. Its
URL settings and controls are shared by the Convolution and Compare pages (like the
image's, in ``image_choice``).

``resolve_kernel`` reads the choice from the page state without drawing anything, so a
page can compute (and paint) its feature map before it draws the controls;
``kernel_panel`` then draws the controls and any message about the kernel.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import streamlit as st

from app.widgets.controls import keyed
from app.widgets.numbers.kernel_grid_editor import kernel_grid_editor
from app.widgets.numbers.number_grid import grid_html, row_html, show_grid, show_html
from cnn_core import KERNELS
from cnn_core.colour import CHANNEL_NAMES
from cnn_core.kernel_text import KernelError, format_kernel, parse_kernel
from cnn_core.kernels import kernel_label, normalized, random_kernel
from cnn_core.limits import MAX_KERNEL_SIZE, MAX_SEED
from cnn_core.render import PALETTES, current_palette

from ..url_state import Setting, choice, flag, grid_setting, integer

# The kernel picker's scratch values (declared by the page): the grid editor's keys.
KERNEL_SCRATCH = ("grid",)

KERNEL_CHOICES = (*KERNELS, "custom", "random")
DEFAULT_CUSTOM = "1 0 -1; 2 0 -2; 1 0 -1"

_CHOICE_LABELS = {"custom": "Custom (edit the grid)", "random": "Random (from a seed)"}


def pretty_name(name: str) -> str:
    return _CHOICE_LABELS.get(name) or kernel_label(name)


def kernel_settings() -> list[Setting]:
    return [
        choice("kernel", KERNEL_CHOICES, "sobel_x"),
        grid_setting("custom", DEFAULT_CUSTOM, "kernel", MAX_KERNEL_SIZE),
        integer("seed", 0, MAX_SEED, 7),
        integer("rsize", 1, MAX_KERNEL_SIZE, 3),
        flag("norm", False),
        flag("flip", False),
        flag("own", False),
        *[
            grid_setting(f"k{c[0]}", DEFAULT_CUSTOM, "kernel", MAX_KERNEL_SIZE)
            for c in CHANNEL_NAMES
        ],
    ]


@dataclass(frozen=True)
class KernelChoice:
    name: str  # a KERNELS name, "custom", "random" or "per-channel"
    kernel: np.ndarray | None  # (kh, kw), or (3, kh, kw) for per-channel slices
    flip: bool
    error: str | None = None  # why there is no kernel
    note: str | None = None  # something worth saying about a usable kernel


def resolve_kernel(state, *, per_channel_allowed: bool) -> KernelChoice:
    """The kernel the settings describe, or the reason there is none. Draws nothing."""
    name, flip = state["kernel"], state["flip"]
    try:
        if name == "custom":
            kernel = parse_kernel(state["custom"])
        elif name == "random":
            kernel = random_kernel(state["rsize"], state["seed"])
        else:
            kernel = KERNELS[name]
    except KernelError as error:
        return KernelChoice(name, None, flip, error=str(error))
    note = None
    if state["norm"]:
        try:
            kernel = normalized(kernel)
        except ValueError as error:
            note = f"{error} It is used as it is."
    if not (per_channel_allowed and state["own"]):
        return KernelChoice(name, kernel, flip, note=note)
    slices = []
    for channel in CHANNEL_NAMES:
        try:
            slices.append(parse_kernel(state[f"k{channel[0]}"]))
        except KernelError as error:
            return KernelChoice("per-channel", None, flip, error=f"{channel.capitalize()}: {error}")
    if len({s.shape for s in slices}) != 1:
        sizes = ", ".join(f"{s.shape[0]} x {s.shape[1]}" for s in slices)
        error = f"The three slices must have the same size; they are {sizes}."
        return KernelChoice("per-channel", None, flip, error=error)
    return KernelChoice("per-channel", np.stack(slices), flip, note=note)


def kernel_panel(state, chosen: KernelChoice, *, per_channel_allowed: bool) -> None:
    """The kernel controls, the kernel itself, and any message about it."""
    name = keyed.selectbox(
        "Kernel", KERNEL_CHOICES, key=state.key("kernel"), format_func=pretty_name
    )
    with st.expander("All kernels at a glance"):
        show_html(_library_html())
    if name == "custom":
        kernel_grid_editor(text_key=state.key("custom"), prefix=state.scratch("grid"))
    elif name == "random":
        left, right = st.columns(2)
        keyed.number_input("Seed", 0, MAX_SEED, step=1, key=state.key("seed"), where=left)
        keyed.number_input("Size", 1, MAX_KERNEL_SIZE, step=1, key=state.key("rsize"), where=right)
    keyed.checkbox(
        "Scale to sum 1",
        key=state.key("norm"),
        help="Blurs should sum to 1 so they keep the image's brightness.",
    )
    keyed.toggle(
        "Flip the kernel (true convolution)",
        key=state.key("flip"),
    )
    st.caption(
        "Deep learning libraries skip the flip and compute cross-correlation: the weights "
        "are learned, so a network simply learns the flipped kernel instead."
    )
    if per_channel_allowed:
        _per_channel_controls(state)
    if chosen.error:
        st.error(chosen.error)
    if chosen.note:
        st.warning(chosen.note)
    if chosen.kernel is None:
        return
    if chosen.kernel.ndim == 3:
        grids = (grid_html(s, caption=f"{c} slice") for s, c in zip(chosen.kernel, CHANNEL_NAMES))
        show_html(row_html(*grids, gap="1rem", align=None))
    else:
        cols = chosen.kernel.shape[1]
        show_grid(
            chosen.kernel,
            caption=_kernel_caption(chosen.kernel, chosen.flip),
            font_size="1rem" if cols <= 3 else "0.75rem" if cols <= 5 else "0.6rem",
            digits=3 if cols <= 3 else 2,
        )


def _library_html() -> str:
    """Every library kernel as a small coloured grid with its name, in the reader's
    palette: the same for every session with that palette, so made once per process
    and palette (~2 ms a run otherwise, in every run of the Convolution and Compare
    pages)."""
    return _library_html_in(current_palette().name)


@functools.lru_cache(maxsize=len(PALETTES))
def _library_html_in(palette: str) -> str:
    figures = (
        '<div style="margin: 0 0.4rem 0.2rem 0">'
        + grid_html(
            kernel, caption=pretty_name(name), font_size="0.6rem", digits=2, palette=palette
        )
        + "</div>"
        for name, kernel in KERNELS.items()
    )
    return row_html(*figures, gap=None, align="flex-start")


def _kernel_caption(kernel: np.ndarray, flip: bool) -> str:
    rows, cols = kernel.shape[-2:]
    total = format(float(kernel.sum()), ".4g")
    note = "; applied rotated by 180 degrees" if flip else ""
    return f"{rows} x {cols}, sum {total}{note}"


def _chosen_as_text(state) -> str:
    """The plain (not per-channel) kernel as text, for filling the slices."""
    plain = resolve_kernel(state, per_channel_allowed=False)
    return format_kernel(plain.kernel) if plain.kernel is not None else DEFAULT_CUSTOM


def _per_channel_controls(state) -> None:
    def start_from_kernel() -> None:
        if state["own"]:
            copy_kernel()

    def copy_kernel() -> None:
        kernel_text = _chosen_as_text(state)
        for channel in CHANNEL_NAMES:
            state.set(f"k{channel[0]}", kernel_text)

    keyed.toggle(
        "A different kernel for each colour channel",
        key=state.key("own"),
        on_change=start_from_kernel,
        help="A conv layer's filter has one 2-D slice per input channel.",
    )
    if not state["own"]:
        return
    for column, channel in zip(st.columns(3), CHANNEL_NAMES):
        keyed.text_input(
            f"{channel.capitalize()} slice", key=state.key(f"k{channel[0]}"), where=column
        )
    st.button("Copy the chosen kernel into all three slices", on_click=copy_kernel)
