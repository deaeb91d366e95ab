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


@st.cache_data(max_entries=64, show_spinner=False)
def sample_image(key: str, max_side: int) -> np.ndarray:
    entry = next(e for e in sample_manifest() if e["key"] == key)
    return load_image(SAMPLES_DIR / entry["file"], max_side=max_side)


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


def _decode_in_session(data: bytes, max_side: int, slot: str) -> np.ndarray:
    """Decode user bytes, keeping only the latest result per slot in this session."""
    fingerprint = (hashlib.sha256(data).hexdigest(), max_side)
    memo_key = f"_decoded_{slot}"
    memo = st.session_state.get(memo_key)
    if memo is None or memo[0] != fingerprint:
        memo = (fingerprint, load_image(data, max_side=max_side))
        st.session_state[memo_key] = memo
    return memo[1]


def choose_image(state, *, title: str = "Image") -> ChosenImage:
    """Sidebar controls for the image; falls back to the sample when there is no upload."""
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
        sample_key = st.selectbox(
            "Sample",
            list(manifest),
            key=state.key("sample"),
            format_func=lambda key: manifest[key]["title"],
        )
        max_side = st.select_slider(
            "Working size (longest side, px)",
            RESOLUTIONS,
            key=state.key("res"),
            help="Larger images show more detail; smaller ones make single pixels visible.",
        )
        user_bytes, user_label = None, ""
        if source == "Upload":
            upload = st.file_uploader(
                "Your image",
                type=UPLOAD_TYPES,
                key=f"{page}_upload",
                help="PNG, JPEG, WebP, GIF, BMP or TIFF, up to 20 MB.",
            )
            if upload is not None:
                user_bytes, user_label = upload.getvalue(), "your upload"
        elif source == "Camera":
            frame = st.camera_input("Take a picture", key=f"{page}_camera")
            if frame is not None:
                user_bytes, user_label = frame.getvalue(), "your camera frame"
        if user_bytes is not None:
            try:
                pixels = _decode_in_session(user_bytes, max_side, page)
                return ChosenImage(pixels, user_label, is_sample=False)
            except ImageError as error:
                st.error(f"{error} Showing the sample instead.")
        elif source != "Sample":
            st.caption(f"Until you add one, the sample is shown: {manifest[sample_key]['title']}.")
        st.caption(f"Sample source: {manifest[sample_key]['source']}.")
    return ChosenImage(sample_image(sample_key, max_side), manifest[sample_key]["title"], True)
