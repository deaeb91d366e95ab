"""Live camera: the webcam through one to three kernels, in real time, beside the input.

By default the kernels run in the student's own browser (no video goes to the server);
"Check this frame" sends one frame back so the server's ``conv2d`` can vouch for the
browser's numbers. The server path (WebRTC) stays as a second choice, cheap to keep
since the Network page's live digit needs it anyway; it costs the server about a quarter of
a core per student (docs/performance.md, "The live camera for a class").
"""

from __future__ import annotations

import streamlit as st

from app.app_pages import registry
from app.page_parts.live_camera.checked_frame import checked_frame
from app.page_parts.live_camera.processing import (
    MAX_LIVE_KERNELS,
    camera_kernels,
    kernel_frames,
    panel_titles,
)
from app.shell.page_frame import open_page
from app.shell.url_state import PageState, choice, name_list
from app.widgets.controls import keyed
from app.widgets.controls.labelled import labelled_radio
from app.widgets.sources.browser_camera import browser_camera, camera_data
from app.widgets.sources.live_video import FrameWork, frame_rate_line, live_video
from cnn_core import KERNELS
from cnn_core.colour import LUMA
from cnn_core.geometry import PADDING_MODES
from cnn_core.kernels import kernel_label
from cnn_core.render import current_palette

PAGE = registry.BY_NAME["live_camera"]
RUN_WHERE = {"browser": "In this browser", "server": "On the server (WebRTC)"}
STATE = PageState(
    PAGE.prefix,
    [
        name_list("kernels", tuple(KERNELS), ["sobel_x", "sobel_y"], most=MAX_LIVE_KERNELS),
        choice("padding", PADDING_MODES, "zeros"),
        choice("run", tuple(RUN_WHERE), "browser"),
    ],
    scratch=("work", "video", "camera", "check"),
)


def page() -> None:
    open_page(STATE, PAGE.title, PAGE.summary)
    kernels_column, padding_column, run_column = st.columns([3, 1, 2])
    keyed.multiselect(
        f"Kernels (up to {MAX_LIVE_KERNELS})",
        tuple(KERNELS),
        key=STATE.key("kernels"),
        max_selections=MAX_LIVE_KERNELS,
        format_func=kernel_label,
        where=kernels_column,
    )
    keyed.selectbox("Padding", PADDING_MODES, key=STATE.key("padding"), where=padding_column)
    labelled_radio(
        "Where the kernels run", RUN_WHERE, key=STATE.key("run"), horizontal=True, where=run_column
    )
    names = STATE["kernels"] or ["sobel_x"]
    if STATE["run"] == "browser":
        _in_the_browser(names)
    else:
        _on_the_server(names)
    st.caption(
        "No camera, or rather not use it? The Convolution page takes an uploaded picture: "
        "choose Upload as its source (every control there works from the keyboard)."
    )
    st.page_link(registry.BY_NAME["convolution"].script, label="Convolution page", icon="➡️")
    STATE.publish()


def _in_the_browser(names: list[str]) -> None:
    st.caption(
        f"{panel_titles(names)}, {STATE['padding']} padding. Red: the kernel's answer above "
        "zero, blue: below. The kernels run in this browser: no video goes to the server. "
        "Check this frame sends one frame, to compare this browser's first map with the "
        "server's `conv2d`."
    )
    data = camera_data(
        camera_kernels(names),
        padding_mode=STATE["padding"],
        luma=LUMA,
        colour_table=current_palette().diverging,
    )
    browser_camera(key=STATE.scratch("camera"), data=data, check_key=STATE.scratch("check"))
    checked_frame(st.session_state.get(STATE.scratch("check")))


def _on_the_server(names: list[str]) -> None:
    work = st.session_state.setdefault(STATE.scratch("work"), FrameWork())
    work.use(kernel_frames(names, padding_mode=STATE["padding"]))
    st.caption(
        f"{panel_titles(names)}, {STATE['padding']} padding. Red: the kernel's answer above "
        "zero, blue: below. Frames go to the server, are processed one by one and dropped."
    )
    live_video(key=STATE.scratch("video"), work=work)
    st.fragment(run_every=1.0)(_rate)(work)


def _rate(work: FrameWork) -> None:
    st.caption(frame_rate_line(work.stats()))


if __name__ == "__main__":
    page()
