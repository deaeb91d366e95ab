"""Live camera: the webcam through one to three kernels, in real time, beside the input."""

from __future__ import annotations

import streamlit as st

from app.app_pages import registry
from app.page_parts.live_camera.processing import MAX_LIVE_KERNELS, kernel_frames, panel_titles
from app.shell.page_frame import page_header
from app.shell.url_state import PageState, name_list
from app.widgets.controls import keyed
from app.widgets.sources.live_video import FrameWork, frame_rate_line, live_video
from cnn_core import KERNELS
from cnn_core.kernels import kernel_label

PAGE = registry.BY_NAME["live_camera"]
STATE = PageState(
    PAGE.prefix,
    [name_list("kernels", tuple(KERNELS), ["sobel_x", "sobel_y"], most=MAX_LIVE_KERNELS)],
    scratch=("work", "video"),
)


def page() -> None:
    STATE.restore()
    page_header(
        STATE,
        PAGE.title,
        "Your camera through the kernels, frame by frame: move, and watch the maps move.",
    )
    keyed.multiselect(
        f"Kernels (up to {MAX_LIVE_KERNELS})",
        tuple(KERNELS),
        key=STATE.key("kernels"),
        max_selections=MAX_LIVE_KERNELS,
        format_func=kernel_label,
    )
    names = STATE["kernels"] or ["sobel_x"]
    work = st.session_state.setdefault(STATE.scratch("work"), FrameWork())
    work.use(kernel_frames(names))
    st.caption(
        f"{panel_titles(names)}. Red: the kernel's answer above zero, blue: below. The "
        "picture never leaves this session: frames are processed one by one and dropped."
    )
    live_video(key=STATE.scratch("video"), work=work)
    st.fragment(run_every=1.0)(_rate)(work)
    STATE.publish()


def _rate(work: FrameWork) -> None:
    st.caption(frame_rate_line(work.stats()))


if __name__ == "__main__":
    page()
