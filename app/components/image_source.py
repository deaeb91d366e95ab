"""Where a page's image comes from: a sample, an upload, or the camera.

Uploads and camera frames stay in this session's memory: they are decoded by
``cnn_core.load_image`` and only the latest decoded image is kept, in
``st.session_state``. Nothing is written to disk or logged. Samples are public files,
so their decoded arrays may be shared between sessions.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

from cnn_core import ImageError, load_image

from .url_state import Setting, choice, int_choice

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "assets" / "samples"
RESOLUTIONS = (128, 256, 512, 1024)
UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"]
SOURCES = ("Sample", "Upload", "Camera")


@st.cache_data(max_entries=1, show_spinner=False)
def sample_manifest() -> list[dict]:
    return json.loads((SAMPLES_DIR / "samples.json").read_text())


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


def image_settings(default_sample: str, default_resolution: int = 512) -> list[Setting]:
    """The URL settings an image source needs: which sample, at what size."""
    return [
        choice("sample", sample_keys(), default_sample),
        int_choice("res", RESOLUTIONS, default_resolution),
    ]


@dataclass(frozen=True)
class ChosenImage:
    pixels: np.ndarray  # (H, W, 3) float32 RGB in [0, 1]
    label: str  # what to call it on the page
    is_sample: bool
    problem: str | None = None  # the user's image could not be read (shown as an error)
    note: str | None = None  # the sample stands in until the user adds an image


def _decode_in_session(data: bytes, max_side: int, slot: str) -> np.ndarray:
    """Decode user bytes, keeping only the latest result per slot in this session."""
    fingerprint = (hashlib.sha256(data).hexdigest(), max_side)
    memo_key = f"_decoded_{slot}"
    memo = st.session_state.get(memo_key)
    if memo is None or memo[0] != fingerprint:
        st.session_state.pop(memo_key, None)  # drop the old image before decoding the new
        memo = (fingerprint, load_image(data, max_side=max_side))
        st.session_state[memo_key] = memo
    return memo[1]


def _user_bytes(page: str, source: str) -> tuple[bytes | None, str]:
    widget = {"Upload": f"{page}_upload", "Camera": f"{page}_camera"}.get(source)
    value = st.session_state.get(widget) if widget else None
    if value is None:
        return None, ""
    label = "your upload" if source == "Upload" else "your camera frame"
    return value.getvalue(), label


def resolve_image(state) -> ChosenImage:
    """The image the page works on, from the sidebar's current values. Draws nothing."""
    page = state.page
    source = st.session_state.get(f"{page}_source", SOURCES[0])
    sample_key, max_side = state["sample"], state["res"]
    title = next(e["title"] for e in sample_manifest() if e["key"] == sample_key)
    data, label = _user_bytes(page, source)
    problem = note = None
    if data is not None:
        try:
            return ChosenImage(_decode_in_session(data, max_side, page), label, is_sample=False)
        except ImageError as error:
            problem = f"{error} Showing the sample instead."
    elif source != "Sample":
        note = f"Until you add one, the sample is shown: {title}."
    return ChosenImage(sample_image(sample_key, max_side), title, True, problem, note)


def image_sidebar(state, chosen: ChosenImage, *, title: str = "Image") -> None:
    """The sidebar controls for the image, and any message about it."""
    page = state.page
    manifest = {entry["key"]: entry for entry in sample_manifest()}
    with st.sidebar:
        st.subheader(title)
        source = st.radio(
            "Source",
            SOURCES,
            horizontal=True,
            key=f"{page}_source",
            help="Uploads and camera frames stay in memory for this session only.",
        )
        if source == "Upload":
            st.file_uploader(
                "Your image",
                type=UPLOAD_TYPES,
                key=f"{page}_upload",
                help="PNG, JPEG, WebP, GIF, BMP or TIFF, up to 20 MB.",
            )
        elif source == "Camera":
            st.camera_input("Take a picture", key=f"{page}_camera")
        if chosen.problem:
            st.error(chosen.problem)
        if chosen.note:
            st.caption(chosen.note)
        st.selectbox(
            "Sample",
            list(manifest),
            key=state.key("sample"),
            format_func=lambda key: manifest[key]["title"],
        )
        st.select_slider(
            "Working size (longest side, px)",
            RESOLUTIONS,
            key=state.key("res"),
            help="Larger images show more detail; smaller ones make single pixels visible.",
        )
        st.caption(f"Sample source: {manifest[state['sample']]['source']}.")
