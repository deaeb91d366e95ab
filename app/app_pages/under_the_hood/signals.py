"""1-D convolution: two ways to read it, a kernel that finds edges, and a kernel learned
from examples by gradient descent."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.app_pages import registry
from app.page_parts.signals.views import edges_view, learning_view, readings_view
from app.shell.page_frame import look_closer, view_setting
from app.shell.settings.image_choice import IMAGE_SCRATCH, image_settings, open_image_page
from app.shell.url_state import PageState, choice, grid_setting, int_choice, integer
from app.widgets.controls import keyed
from app.widgets.controls.labelled import labelled_radio
from app.widgets.controls.reset_button import reset_button
from cnn_core import KERNELS, conv2d
from cnn_core.colour import to_gray
from cnn_core.gradients import learn_kernel
from cnn_core.image_io import resize_to
from cnn_core.kernel_text import parse_kernel
from cnn_core.kernels import kernel_label
from cnn_core.limits import MAX_SEED
from cnn_core.signals import SIGNAL_LABELS, SIGNALS, make_signal

HIDDEN = {
    "edge_1d": "-1 1",
    "smooth_1d": "0.25 0.5 0.25",
    "sobel_x": None,
    "laplacian": None,
    "box_blur": None,
}
HIDDEN_LABELS = {"edge_1d": "1-D: (-1, 1)", "smooth_1d": "1-D: (1/4, 1/2, 1/4)"}
INPUTS = ("noise", "image")
INPUT_LABELS = {"noise": "random noise (64 x 64)", "image": "the image (64 px)"}
RATES = (0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 1.0)

PAGE = registry.BY_NAME["signals"]
STATE = PageState(
    PAGE.prefix,
    [
        *image_settings("cat", 128),
        view_setting(PAGE.views),
        choice("sig", SIGNALS, "step"),
        grid_setting("w", "-1 1", "kernel", 9),
        choice("hidden", tuple(HIDDEN), "sobel_x"),
        choice("input", INPUTS, "noise"),
        choice("lr", tuple(map(str, RATES)), "0.2"),
        int_choice("steps", (50, 100, 200, 300, 500, 1000, 2000), 300),
        integer("seed", 0, MAX_SEED, 0),
    ],
    scratch=(*IMAGE_SCRATCH, "step", "playing"),
)


def page() -> None:
    image = open_image_page(
        STATE, PAGE.title, PAGE.summary, image_title="Image for learning a kernel"
    )
    reset_button(STATE.reset, where=st.sidebar)
    view = look_closer(STATE.key("view"), PAGE.views)
    if view == "learn":
        _learn(to_gray(image.pixels))
    else:
        left, right = st.columns(2)
        keyed.selectbox(
            "Signal x", SIGNALS, key=STATE.key("sig"), where=left, format_func=SIGNAL_LABELS.get
        )
        keyed.text_input("Kernel w (one row)", key=STATE.key("w"), where=right)
        try:
            w = parse_kernel(STATE["w"], max_size=9, what="kernel")
        except ValueError as error:
            st.error(str(error))
            STATE.publish()
            return
        if w.shape[0] != 1:
            st.error(f"A 1-D kernel is one row; this one has {w.shape[0]} rows.")
        else:
            x = make_signal(STATE["sig"], seed=STATE["seed"])
            if view == "edges":
                edges_view(x, w[0])
            else:
                readings_view(
                    x,
                    w[0],
                    view=view,
                    step_key=STATE.scratch("step"),
                    play_key=STATE.scratch("playing"),
                )
    STATE.publish()


def _learn(gray) -> None:
    first, second, third, fourth = st.columns(4)
    keyed.selectbox(
        "Hidden kernel",
        tuple(HIDDEN),
        key=STATE.key("hidden"),
        where=first,
        format_func=lambda h: HIDDEN_LABELS.get(h) or kernel_label(h),
    )
    labelled_radio("Learn from", INPUT_LABELS, key=STATE.key("input"), where=second)
    keyed.select_slider("Learning rate", tuple(map(str, RATES)), key=STATE.key("lr"), where=third)
    keyed.select_slider(
        "Steps", (50, 100, 200, 300, 500, 1000, 2000), key=STATE.key("steps"), where=fourth
    )
    name = STATE["hidden"]
    hidden = parse_kernel(HIDDEN[name]) if HIDDEN[name] else KERNELS[name]
    if STATE["input"] == "noise":
        x = np.random.default_rng(STATE["seed"]).random((64, 64)).astype(np.float32)
    else:
        x = resize_to(gray, (64, round(64 * gray.shape[1] / gray.shape[0])))
    if hidden.shape[0] == 1:
        x = x[32]  # a 1-D kernel learns from one row
        target = conv2d(x[None], hidden)[0]
        size = hidden.shape[1]
    else:
        target = conv2d(x, hidden)
        size = hidden.shape
    run = learn_kernel(
        x, target, size, steps=STATE["steps"], learning_rate=float(STATE["lr"]), seed=STATE["seed"]
    )
    if run.diverged or not np.isfinite(run.losses[-1]):
        st.error(
            f"The loss grew without bound after {len(run.losses) - 1} steps: a learning rate "
            f"of {STATE['lr']} is too large for this input (each step overshoots the minimum "
            "and lands further away). Choose a smaller one."
        )
        return
    learning_view(run, hidden, step_key=STATE.scratch("step"), play_key=STATE.scratch("playing"))
    st.caption(
        "Each step moves every weight against the gradient of the mean squared error, "
        "computed with the backward formula of the Convolution-as-matrix page. Noise "
        "recovers any kernel fast; a photo is smooth, so patterns of weights that differ "
        "only in fine detail barely change the output and are learned slowly."
    )


if __name__ == "__main__":
    page()
