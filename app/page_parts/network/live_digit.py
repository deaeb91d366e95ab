"""The Network page's live camera: each frame's centre square read by the model while the
camera runs, its answer drawn on the frame; the latest square can be kept as the page's
picture, to see every layer."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import streamlit as st

from app.widgets.networks.class_bars import class_bars_html
from app.widgets.sources.live_video import FrameWork, frame_rate_line, live_video
from cnn_core.digits import DigitError
from cnn_core.nn.digit_net import probabilities
from cnn_core.nn.saved_models import prepare_input

CROP_SHARE = 0.6  # the square read is this share of the frame's shorter side
SHOWN_WIDTH = 480


@dataclass(frozen=True)
class LiveReading:
    square: np.ndarray  # (s, s, 3) float32 in [0, 1]: the picture the model read
    chances: np.ndarray | None  # class probabilities; None when no digit was found
    message: str = ""


def reader(entry, model):
    """The frame-processing function: read the centre square, draw the answer on it."""

    def process(frame: np.ndarray):
        height, width = frame.shape[:2]
        side = int(min(height, width) * CROP_SHARE)
        top, left = (height - side) // 2, (width - side) // 2
        square = frame[top : top + side, left : left + side].astype(np.float32) / 255.0
        try:
            chances = probabilities(model, prepare_input(entry, square))
            best = int(chances.argmax())
            label = f"{entry.class_names[best]}  {chances[best]:.0%}"
            reading = LiveReading(square, chances)
        except DigitError as error:
            label, reading = "?", LiveReading(square, None, str(error))
        shown = frame.copy()
        cv2.rectangle(shown, (left, top), (left + side, top + side), (255, 200, 0), 3)
        cv2.putText(
            shown,
            label,
            (left + 8, top + 40),
            cv2.FONT_HERSHEY_SIMPLEX,
            1.2,
            (255, 200, 0),
            3,
            cv2.LINE_AA,
        )
        scale = SHOWN_WIDTH / width
        small = cv2.resize(
            shown, (SHOWN_WIDTH, round(height * scale)), interpolation=cv2.INTER_AREA
        )
        return small, reading

    return process


def live_digit(state, entry, model):
    """The stream, the live answer, and the kept square (or None) as the page's picture."""
    work = st.session_state.setdefault(state.scratch("live"), FrameWork())
    work.use(reader(entry, model))
    st.caption("Hold the picture inside the yellow square.")
    live_video(key=state.scratch("video"), work=work)

    def keep() -> None:
        latest = work.stats().report
        if isinstance(latest, LiveReading):
            st.session_state[state.scratch("kept")] = latest.square

    st.fragment(run_every=0.5)(_live_answer)(work, entry.class_names)
    st.button("Keep this frame: every layer", on_click=keep, icon=":material/photo_camera:")
    return st.session_state.get(state.scratch("kept"))


def _live_answer(work: FrameWork, names) -> None:
    stats = work.stats()
    reading = stats.report
    if isinstance(reading, LiveReading) and reading.chances is not None:
        st.html(class_bars_html(list(names), reading.chances))
    elif isinstance(reading, LiveReading):
        st.caption(reading.message)
    st.caption(frame_rate_line(stats))
