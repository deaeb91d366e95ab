"""Where a page's image comes from: a sample, an upload, or the camera.

Uploads and camera frames stay in this session's memory: they are decoded by
``cnn_core.load_image`` and only the latest decoded image is kept, under a key the page
gives; the upload's bytes are not kept once it is decoded (Streamlit holds them only as
long as the uploader does). Nothing is written to disk or logged. Samples are public
files, so their decoded arrays may be shared between sessions.

The widget knows no setting names: the page passes the session-state keys of its
controls in an ``ImageKeys``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np
import streamlit as st

from app.widgets.controls import keyed
from app.widgets.session_memo import remembered
from cnn_core import ImageError, load_image
from cnn_core.image_io import FORMATS, fitted_size, read_size
from cnn_core.limits import MAX_UPLOAD_MB, WORKING_SIZES
from cnn_core.samples import SAMPLES_DIR

from .held_files import LOST_FILE, held_bytes, is_lost
from .upload_guard import refused_upload, upload_guard

UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"]
SOURCES = ("Sample", "Upload", "Camera")
# A picture thinner than this (after fitting to the working size) leaves most kernels,
# pools and stacks no room; the page says so instead of showing a hairline silently.
THIN_SIDE = 16


@st.cache_data(max_entries=1, show_spinner=False)
def sample_manifest() -> list[dict]:
    return json.loads((SAMPLES_DIR / "samples.json").read_text())


# A face, text, a texture and stripes: four samples one kernel answers in four ways.
CONTRASTING_SAMPLES = ("astronaut", "text", "cat", "stripes")


def sample_keys() -> list[str]:
    return [entry["key"] for entry in sample_manifest()]


# A resource cache hands out the same array every time (st.cache_data would copy 3 MB per
# run); it is made read-only so no page can change it for the others.
@st.cache_resource(max_entries=64, show_spinner=False)
def sample_image(key: str, max_side: int) -> np.ndarray:
    entry = next(e for e in sample_manifest() if e["key"] == key)
    pixels = load_image(SAMPLES_DIR / entry["file"], max_side=max_side)
    pixels.setflags(write=False)
    return pixels


@dataclass(frozen=True)
class ImageKeys:
    """Session-state keys of one page's image controls and memory."""

    source: str  # Sample / Upload / Camera radio
    upload: str  # file uploader
    camera: str  # camera input
    sample: str  # which sample (a URL setting)
    resolution: str  # working size (a URL setting)
    decoded: str  # the latest decoded upload or camera frame
    refused: str  # the browser's report of a file over the upload limit
    lost: str  # set when the session came back from another process with a file chosen


@dataclass(frozen=True)
class ChosenImage:
    pixels: np.ndarray  # (H, W, 3) float32 RGB in [0, 1]
    label: str  # what to call it on the page
    is_sample: bool
    problem: str | None = None  # the user's image could not be used (an error)
    note: str | None = None  # something worth saying about the image in use
    # What the picture is known as to every session of the server (a sample at its size),
    # so results made from it may be shared (``shared_results``); None for the user's own.
    shared_as: tuple | None = None


def _decode_in_session(data: bytes, max_side: int, memo_key: str) -> np.ndarray:
    """Decode user bytes, keeping only the latest result under ``memo_key``."""
    fingerprint = (hashlib.sha256(data).hexdigest(), max_side)
    return remembered(memo_key, fingerprint, lambda: load_image(data, max_side=max_side))


def _user_value(keys: ImageKeys, source: str):
    widget = {"Upload": keys.upload, "Camera": keys.camera}.get(source)
    return st.session_state.get(widget) if widget else None


def resolve_image(keys: ImageKeys) -> ChosenImage:
    """The image the page works on, from the controls' current values. Draws nothing."""
    source = st.session_state.get(keys.source, SOURCES[0])
    sample_key, max_side = st.session_state[keys.sample], st.session_state[keys.resolution]
    title = next(e["title"] for e in sample_manifest() if e["key"] == sample_key)
    value = _user_value(keys, source)
    data = held_bytes(value)
    label = "your upload" if source == "Upload" else "your camera frame"
    problem = note = None
    if data is not None:
        st.session_state.pop(keys.lost, None)
    refused = refused_upload(keys.refused) if source == "Upload" else None
    too_big = (
        f"{refused} is larger than the {MAX_UPLOAD_MB} MB upload limit, so it was not sent. "
        "{instead} Save the picture smaller (a phone photo as JPEG is 3 to 8 MB) and upload "
        "it again."
    )
    if data is not None:
        try:
            pixels = _decode_in_session(data, max_side, keys.decoded)
        except ImageError as error:
            problem = f"{error} Showing the sample instead."
        else:
            note = _thin_note(data, pixels, max_side)
            if refused:  # a second file was refused; the first is still in use
                problem = too_big.format(instead="Your earlier upload is still shown.")
            return ChosenImage(pixels, label, False, problem, note)
    elif refused:
        problem = too_big.format(instead=f"Showing the sample instead: {title}.")
    elif source != "Sample" and (is_lost(value) or st.session_state.get(keys.lost)):
        what, again = (
            ("upload", "Upload it again.")
            if source == "Upload"
            else ("camera picture", "Take it again.")
        )
        note = LOST_FILE.format(what=what, again=again) + f" Showing the sample: {title}."
    elif source != "Sample":
        what = "upload an image" if source == "Upload" else "take a picture"
        note = f"The sample is shown ({title}) until you {what} in the sidebar."
    pixels = sample_image(sample_key, max_side)
    return ChosenImage(pixels, title, True, problem, note, ("sample", sample_key, max_side))


def _thin_note(data: bytes, pixels: np.ndarray, max_side: int) -> str | None:
    """A sentence when the picture is so thin that kernels have no room."""
    height, width = pixels.shape[:2]
    if min(height, width) >= THIN_SIDE:
        return None
    size = read_size(data)
    original = f"{size[0]} x {size[1]}" if size else "very long and thin"
    fitted = fitted_size(*size, max_side) if size else (width, height)
    return (
        f"Your image is {original} pixels. Fitted to {max_side} pixels on its longest side "
        f"it becomes {fitted[0]} x {fitted[1]}: the short side cannot shrink below one "
        "pixel, so a kernel taller or wider than the picture finds no room (choose "
        '"same" padding, or a picture closer to square).'
    )


def image_controls(keys: ImageKeys, *, title: str = "Image") -> None:
    """The sidebar controls for the image (draw inside ``st.sidebar``, before
    ``resolve_image`` reads them).

    A new session always starts on the sample. A browser that reconnects to another
    server process (or a restarted one) sends its widgets' values, which session state
    learns only as the widget is drawn: a source other than the sample on a radio the
    session has never drawn means the file stayed behind, and ``resolve_image`` says so."""
    manifest = {entry["key"]: entry for entry in sample_manifest()}
    st.subheader(title)
    fresh = keys.source not in st.session_state
    source = keyed.radio(
        "Source",
        SOURCES,
        horizontal=True,
        key=keys.source,
        help="Uploads and camera frames stay in memory for this session only.",
    )
    if fresh and source != SOURCES[0]:
        st.session_state[keys.lost] = True
    if source == "Upload":
        st.file_uploader(
            "Your image",
            type=UPLOAD_TYPES,
            key=keys.upload,
            max_upload_size=MAX_UPLOAD_MB,
            help=f"{', '.join(FORMATS)}, up to {MAX_UPLOAD_MB} MB.",
        )
        upload_guard(key=keys.refused, limit_mb=MAX_UPLOAD_MB, watches=(keys.upload,))
    elif source == "Camera":
        st.camera_input("Take a picture", key=keys.camera)
    keyed.selectbox(
        "Sample",
        list(manifest),
        key=keys.sample,
        format_func=lambda key: manifest[key]["title"],
    )
    keyed.select_slider(
        "Working size (longest side, px)",
        WORKING_SIZES,
        key=keys.resolution,
        help="Larger images show more detail; smaller ones make single pixels visible.",
    )
    st.caption(f"Sample source: {manifest[st.session_state[keys.sample]]['source']}.")


def image_messages(chosen: ChosenImage) -> None:
    """What went wrong with the user's image, or is worth knowing, where the user looks."""
    if chosen.problem:
        st.error(chosen.problem)
    if chosen.note:
        st.info(chosen.note)
