""" "Check this frame": the frame the browser sent, our ``conv2d`` map of it beside the
browser's, and the comparison in numbers (``cnn_core.frame_check``)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.page_parts.live_camera.processing import colour_feature
from app.widgets.pictures.map_view import show_picture
from app.widgets.sources.browser_camera import read_check
from cnn_core import KERNELS
from cnn_core.frame_check import FrameCheck, check_frame, dequantise_map
from cnn_core.geometry import PADDING_MODES
from cnn_core.kernels import kernel_label
from cnn_core.render import image_to_rgb


def checked_frame(payload) -> None:
    """The result of the latest check (nothing before the first)."""
    if payload is None:
        return
    try:
        frame = read_check(payload, kernel_names=tuple(KERNELS), padding_modes=PADDING_MODES)
    except ValueError as error:
        st.warning(f"{error} Press Check this frame again.")
        return
    kernel = KERNELS[frame.kernel]
    ours, check = check_frame(
        frame.gray, kernel, frame.padding_mode, frame.steps, frame.low, frame.high
    )
    theirs = dequantise_map(frame.steps, frame.low, frame.high)
    st.markdown(
        f"**The checked frame: {kernel_label(frame.kernel)}, {frame.padding_mode} padding**"
    )
    for line in check_lines(check, frame.low, frame.high):
        st.markdown(line)
    if check.agrees:
        st.success(
            f"They agree: every value of the browser's map is within 1/255 of the map's range "
            f"({check.tolerance:.5f}) of `cnn_core.conv2d`'s."
        )
    else:
        st.warning(
            f"They differ: {check.size - check.within:,} of {check.size:,} values are off by "
            f"more than {check.tolerance:.5f}."
        )
    left, middle, right = st.columns(3)
    with left:
        show_picture(
            image_to_rgb(frame.gray.astype(np.float32) / 255),
            caption=f"The frame sent: gray, {check.shape[1]} x {check.shape[0]}, "
            f"0 to 255 (here {int(frame.gray.min())} to {int(frame.gray.max())})",
        )
    with middle:
        show_picture(
            colour_feature(ours, kernel),
            caption=f"Server (conv2d): {_extent(check.low, check.high)}",
        )
    with right:
        show_picture(
            colour_feature(theirs.astype(np.float32), kernel),
            caption=f"Browser (8-bit): {_extent(frame.low, frame.high)}",
        )


def check_lines(check: FrameCheck, low: float, high: float) -> list[str]:
    """The comparison, sentence by sentence, every number from the ``FrameCheck``."""
    rows, columns = check.shape
    row, column = check.where
    return [
        f"The server's map (`cnn_core.conv2d` of the {columns} x {rows} frame): values from "
        f"{check.low:.4f} to {check.high:.4f}, a range of {check.high - check.low:.4f}; "
        f"1/255 of it is **{check.tolerance:.5f}**.",
        f"The browser's map, sent as 8-bit steps over its own range {low:.4f} to {high:.4f}: "
        f"largest difference from the server's **{check.largest_difference:.5f}** "
        f"({check.steps_off:.2f} of a step) at row {row}, column {column}; "
        f"{check.within:,} of {check.size:,} values within {check.tolerance:.5f}.",
    ]


def _extent(low: float, high: float) -> str:
    return f"{low:.3f} to {high:.3f}"
