"""The Compare page's pictures: chosen samples (kept in the URL) and this session's
uploads (kept in memory only, decoded once, at most a few)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from app.shell.url_state import Setting, name_list
from app.widgets.controls import keyed
from app.widgets.sources.held_files import LOST_FILE, held_bytes
from app.widgets.sources.image_source import (
    CONTRASTING_SAMPLES,
    UPLOAD_TYPES,
    sample_image,
    sample_keys,
    sample_manifest,
)
from app.widgets.sources.upload_guard import refused_upload, upload_guard
from cnn_core import ImageError, load_image
from cnn_core.limits import MAX_COMPARE_PICTURES, MAX_COMPARE_UPLOADS, MAX_UPLOAD_MB

PICTURE_SCRATCH = ("uploads", "decoded", "refused")


@dataclass(frozen=True)
class Picture:
    pixels: np.ndarray  # (H, W, 3) float32 in [0, 1]
    label: str


def pictures_setting(name: str = "pics") -> Setting:
    """Which samples, as a comma-separated list in the URL."""
    return name_list(name, sample_keys(), CONTRASTING_SAMPLES, most=MAX_COMPARE_PICTURES)


def picture_controls(state) -> None:
    """Sample picker and uploader (draw in the sidebar)."""
    titles = {entry["key"]: entry["title"] for entry in sample_manifest()}
    keyed.multiselect(
        "Samples",
        sample_keys(),
        key=state.key("pics"),
        max_selections=MAX_COMPARE_PICTURES,
        format_func=titles.get,
    )
    st.file_uploader(
        f"Your pictures (up to {MAX_COMPARE_UPLOADS})",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=state.scratch("uploads"),
        max_upload_size=MAX_UPLOAD_MB,
        help="Kept in memory for this session only.",
    )
    upload_guard(
        key=state.scratch("refused"), limit_mb=MAX_UPLOAD_MB, watches=(state.scratch("uploads"),)
    )


def chosen_pictures(state, max_side: int) -> tuple[list[Picture], list[str]]:
    """The samples and decoded uploads, at ``max_side``; and messages about uploads."""
    pictures = [
        Picture(sample_image(key, max_side), title)
        for key, title in ((e["key"], e["title"]) for e in sample_manifest())
        if key in state["pics"]
    ]
    messages = []
    files = st.session_state.get(state.scratch("uploads")) or []
    if len(files) > MAX_COMPARE_UPLOADS:
        messages.append(
            f"{len(files)} pictures were uploaded; the first {MAX_COMPARE_UPLOADS} are shown."
        )
    memo = st.session_state.get(state.scratch("decoded"), {})
    fresh = {}
    for number, file in enumerate(files[:MAX_COMPARE_UPLOADS], start=1):
        data = held_bytes(file)
        if data is None:
            messages.append(LOST_FILE.format(what=f"upload {number}", again="Upload it again."))
            continue
        key = (hashlib.sha256(data).hexdigest(), max_side)
        try:
            fresh[key] = memo[key] if key in memo else load_image(data, max_side=max_side)
        except ImageError as error:
            messages.append(f"Upload {number}: {error}")
            continue
        pictures.append(Picture(fresh[key], f"Your picture {number}"))
    st.session_state[state.scratch("decoded")] = fresh  # only the current uploads stay
    if refused := refused_upload(state.scratch("refused")):
        messages.append(f"{refused} is larger than the {MAX_UPLOAD_MB} MB upload limit.")
    return pictures[:MAX_COMPARE_PICTURES], messages
