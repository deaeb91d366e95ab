"""The Properties lab's views: each property as two computations side by side, and the
map of where (and by how much) they differ."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.widgets.pictures.map_view import colour_bar, colour_map, show_picture
from cnn_core.kernels import kernel_label
from cnn_core.properties import PropertyCheck, border_mask
from cnn_core.render import symmetric_limit


def _signed(values: np.ndarray) -> bool:
    return bool(np.min(values) < 0)


def show_pair(check: PropertyCheck, left_title: str, right_title: str) -> None:
    """Left, right and |left - right|, with the largest difference in words."""
    signed = _signed(check.left) or _signed(check.right)
    limit = max(symmetric_limit(check.left), symmetric_limit(check.right)) or 1.0
    columns = st.columns(3)
    for column, values, title in zip(columns, (check.left, check.right), (left_title, right_title)):
        with column:
            show_picture(colour_map(values, signed=signed, limit=limit), caption=title)
    with columns[2]:
        show_picture(colour_map(check.difference, signed=False), caption="|left − right|")
        colour_bar(check.difference, signed=False)
    st.markdown(
        f"Largest difference: **{check.largest:.3g}**, that is {check.relative:.2g} of the "
        f"largest value ({check.scale:.3g})."
    )


def rounding_note(check: PropertyCheck) -> str:
    """Whether a difference is float32 rounding (about 1e-6 relative) or a real one."""
    if check.relative < 1e-5:
        return (
            "The two agree to float32 rounding: the property holds exactly in exact "
            "arithmetic, and computing in 32-bit floats leaves only the last digits apart."
        )
    return "The two really differ here: the property does not hold for these settings."


def translation_note(check: PropertyCheck, kernel_shape, shift, mode: str) -> str:
    """Where translation equivariance holds: everywhere (circular), or away from borders."""
    if mode == "circular":
        return (
            "With circular padding the image wraps around, exactly as the shift does, so "
            f"the two maps agree everywhere (largest difference {check.largest:.3g})."
        )
    mask = border_mask(check.left.shape, tuple(kernel_shape), shift)
    inside = float(check.difference[~mask].max(initial=0.0))
    return (
        f"With {mode} padding they agree away from the border and the seam where the shift "
        f"wrapped the image (largest difference there {inside:.3g}); near them the kernel "
        f"reads padding in one map and real pixels in the other ({check.largest:.3g} at most)."
    )


def flip_note(check: PropertyCheck, kernel_name: str) -> str:
    if check.relative < 1e-5:
        return (
            f"{kernel_label(kernel_name)} looks the same turned 180 degrees, so convolution "
            "and cross-correlation give the same map."
        )
    negated = float(np.abs(check.left + check.right).max())
    if negated <= 1e-5 * max(check.scale, 1e-12):
        return (
            f"{kernel_label(kernel_name)} turned 180 degrees is its own negative, so true "
            "convolution gives exactly minus the cross-correlation: the same edges, opposite "
            "signs. A network learns the flipped kernel either way."
        )
    return (
        f"{kernel_label(kernel_name)} is not symmetric, so the two differ; a network would "
        "simply learn the kernel turned round."
    )
