"""The Your classes page's examples: pictures per class, kept in this session's memory
only (small, as uint8), never written anywhere."""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from cnn_core.limits import MAX_CLASS_EXAMPLES
from cnn_core.pictures import prepare_picture

STORED_SIDE = 64  # examples are kept at 64 x 64 RGB (12 kB each); models train smaller


def class_names(text: str) -> list[str]:
    """Names from a comma-separated text: trimmed, empty ones dropped, duplicates merged."""
    names = []
    for part in text.split(","):
        name = part.strip()[:24]
        if name and name not in names:
            names.append(name)
    return names


def examples(key: str) -> dict[str, list[np.ndarray]]:
    return st.session_state.setdefault(key, {})


def add_pictures(key: str, name: str, pictures: list[np.ndarray]) -> int:
    """Add RGB pictures (in [0, 1]) to class ``name``; returns how many were kept (each
    class holds at most ``MAX_CLASS_EXAMPLES``, the newest)."""
    store = examples(key).setdefault(name, [])
    for picture in pictures:
        square = prepare_picture(picture, STORED_SIDE, "rgb")  # (3, 64, 64)
        store.append(np.round(square * 255).astype(np.uint8))
    del store[:-MAX_CLASS_EXAMPLES]
    return len(pictures)


def seen_before(key: str, data: bytes) -> bool:
    """Whether these exact bytes (a camera snapshot, an upload) were added already: a
    widget keeps its value across reruns, and a picture must count once."""
    digest = hashlib.sha256(data).hexdigest()
    seen = st.session_state.setdefault(key, set())
    if digest in seen:
        return True
    seen.add(digest)
    return False


def as_arrays(store: dict[str, list[np.ndarray]], names: list[str]):
    """Pictures ``(N, 3, 64, 64)`` in [0, 1] and labels, for the classes in ``names``."""
    pictures, labels = [], []
    for index, name in enumerate(names):
        for picture in store.get(name, []):
            pictures.append(picture.astype(np.float32) / 255.0)
            labels.append(index)
    if not pictures:
        return np.zeros((0, 3, STORED_SIDE, STORED_SIDE), np.float32), np.zeros(0, np.int64)
    return np.stack(pictures), np.array(labels, np.int64)
