"""Where the Network page's digit comes from: a drawing, an upload, the camera, or one of
the held-out digits the network never trained on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from app.shell.url_state import Setting, choice, integer
from app.widgets.controls import keyed
from app.widgets.sources.drawing_pad import drawing_pad
from app.widgets.sources.image_source import UPLOAD_TYPES
from cnn_core import ImageError, load_image
from cnn_core.limits import MAX_UPLOAD_MB
from cnn_core.nn.saved_models import heldout_digits

SOURCES = ("heldout", "draw", "upload", "camera", "live")
SOURCE_LABELS = {
    "heldout": "Held-out digit",
    "draw": "Draw",
    "upload": "Upload a photo",
    "camera": "Camera",
    "live": "Live camera",
}
CANVAS_SIDE = 280
# The digit input's scratch values (declared by the page): its upload, camera and pad.
DIGIT_SCRATCH = ("upload", "camera", "pad", "live", "video", "kept")


def digit_settings() -> list[Setting]:
    return [choice("src", SOURCES, "heldout"), integer("idx", 0, 999, 0)]


@dataclass(frozen=True)
class DigitPicture:
    pixels: np.ndarray | None  # the picture as given, (H, W) or (H, W, 3) in [0, 1]
    label: int | None = None  # the true class, for held-out digits
    message: str | None = None  # why there is no picture


def choose_digit(state, *, digits: bool = True, live=None) -> DigitPicture:
    """The source controls and the chosen input; draws the canvas or uploader in place.

    Models of the user's own classes (``digits=False``) take an upload or the camera.
    ``live()`` draws the live camera and returns the frame the user kept (or None)."""
    sources = SOURCES if digits else ("upload", "camera", "live")
    if state["src"] not in sources:
        state.set("src", sources[0])
    keyed.radio(
        "Input", sources, key=state.key("src"), horizontal=True, format_func=SOURCE_LABELS.get
    )
    source = state["src"]
    if source == "heldout":
        return _heldout(state)
    if source == "draw":
        return _drawing(state)
    if source == "live":
        kept = live() if live else None
        if kept is None:
            return DigitPicture(None, message="Keep a frame to see every layer respond.")
        return DigitPicture(kept)
    widget = (
        st.file_uploader(
            "A photo of one handwritten digit" if digits else "A picture to classify",
            type=UPLOAD_TYPES,
            key=state.scratch("upload"),
            max_upload_size=MAX_UPLOAD_MB,
        )
        if source == "upload"
        else st.camera_input(
            "Hold a digit up to the camera" if digits else "Take a picture",
            key=state.scratch("camera"),
        )
    )
    if widget is None:
        what = "a picture of a digit" if digits else "a picture"
        return DigitPicture(None, message=f"Add {what} to see what the network makes of it.")
    try:
        return DigitPicture(load_image(widget.getvalue(), max_side=512))
    except ImageError as error:
        return DigitPicture(None, message=str(error))


def _heldout(state) -> DigitPicture:
    try:
        images, labels = heldout_digits()
    except OSError:
        return DigitPicture(
            None, message="The held-out digits are missing; rebuild them with `make train`."
        )

    def another() -> None:
        rng = np.random.default_rng()
        state.set("idx", int(rng.integers(len(labels))))

    left, right = st.columns([3, 2], vertical_alignment="bottom")
    keyed.number_input(
        "Held-out digit number", 0, len(labels) - 1, key=state.key("idx"), where=left
    )
    right.button(
        "Random",
        icon=":material/shuffle:",
        on_click=another,
        width="stretch",
        help="Pick another held-out digit at random",
    )
    index = state["idx"]
    return DigitPicture(images[index].astype(np.float32) / 255.0, label=int(labels[index]))


def _drawing(state) -> DigitPicture:
    st.caption("Draw one digit with the mouse, a pen or a finger.")
    drawing = drawing_pad(
        key=state.scratch("pad"),
        size=CANVAS_SIDE,
        keyboard_note=f"No mouse, pen or touch screen? Choose “{SOURCE_LABELS['heldout']}” "
        f"or “{SOURCE_LABELS['upload']}” above: the same network, no drawing needed.",
    )
    if drawing is None:
        return DigitPicture(None, message="Draw a digit in the box.")
    return DigitPicture(drawing)
