"""Where the user's model comes from, drawn in the sidebar: an architecture by name (a
torchvision one, or a small timm model when timm is installed; with the user's
``.safetensors`` weights, or without), or a model file (ONNX, or a ``.safetensors``
model saved by the Your classes page); and an optional class-names file.
Uploads stay in this session's memory: nothing here writes or logs them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from app.widgets.controls import keyed
from app.widgets.session_memo import remembered
from app.widgets.sources.upload_guard import refused_upload, upload_guard
from cnn_core.limits import MAX_CLASS_NAMES_FILE_KB, MAX_MODEL_FILE_MB
from cnn_core.nn.architectures import TIMM_INSTALL

SOURCES = {"arch": "An architecture by name", "file": "A model file"}


@dataclass(frozen=True)
class ModelSource:
    """What to open: ``architecture`` (a torchvision name) with optional ``weights``
    bytes, or ``model`` bytes; ``key`` names it (a hash of the bytes and the name)."""

    architecture: str | None
    weights: bytes | None
    model: bytes | None
    filename: str
    key: str


def _digest(state, upload) -> str:
    """The SHA-256 of an upload's bytes, computed once per uploaded file."""
    return remembered(
        state.scratch("digest"),
        (upload.file_id, upload.size),
        lambda: hashlib.sha256(upload.getvalue()).hexdigest(),
    )


def upload_limit_mb() -> int:
    """The largest model file this server takes: ConvScope's limit, or the server's own
    upload limit when that is lower (the web server refuses anything above it)."""
    return min(MAX_MODEL_FILE_MB, int(st.get_option("server.maxUploadSize")))


def model_source(state, architectures: list[str]) -> ModelSource | None:
    """The sidebar's model controls; the source chosen, or None when a file is awaited."""
    st.subheader("Your model")
    kind = keyed.radio("Model", tuple(SOURCES), key=state.key("kind"), format_func=SOURCES.get)
    if kind == "arch":
        with_timm = any(name.startswith("timm:") for name in architectures)
        name = keyed.selectbox(
            "Architecture",
            architectures,
            key=state.key("arch"),
            help="torchvision's architectures"
            + (", then small timm models (type timm to see them)." if with_timm else "."),
        )
        if not with_timm:
            st.caption(
                f"Small timm models join this list when the server has timm: `{TIMM_INSTALL}`."
            )
        weights = st.file_uploader(
            "Its weights (.safetensors, optional)",
            type=["safetensors"],
            key=state.scratch("weights_file"),
            max_upload_size=upload_limit_mb(),
            help="A state dict saved with safetensors.torch.save_file(model.state_dict(), "
            "path). Without it: a torchvision architecture's ImageNet weights when the server "
            "has them, else random weights, the same in every session.",
        )
        _guard(state)
        if weights is None:
            return ModelSource(name, None, None, "", f"arch:{name}")
        return ModelSource(
            name, weights.getvalue(), None, weights.name, f"arch:{name}:{_digest(state, weights)}"
        )
    upload = st.file_uploader(
        "Model file (.onnx or .safetensors)",
        type=["onnx", "safetensors"],
        key=state.scratch("model_file"),
        max_upload_size=upload_limit_mb(),
        help="An ONNX file with its weights inside, or a model saved by the Your classes page; "
        f"up to {upload_limit_mb()} MB.",
    )
    _guard(state)
    if upload is None:
        return None
    return ModelSource(None, None, upload.getvalue(), upload.name, f"file:{_digest(state, upload)}")


def _guard(state) -> None:
    limit = upload_limit_mb()
    upload_guard(
        key=state.scratch("refused"),
        limit_mb=limit,
        watches=(state.scratch("weights_file"), state.scratch("model_file")),
    )
    if refused := refused_upload(state.scratch("refused")):
        where = (
            "MAX_MODEL_FILE_MB in cnn_core/limits.py"
            if limit == MAX_MODEL_FILE_MB
            else "this server's upload limit, server.maxUploadSize in .streamlit/config.toml"
        )
        st.error(
            f"{refused} is over the {limit} MB upload limit of model files ({where}); it "
            "was not uploaded."
        )


def names_upload(state):
    """The optional class-names file: (bytes, file name), or None."""
    upload = st.file_uploader(
        "Class names (.txt or .json, optional)",
        type=["txt", "json"],
        key=state.scratch("names_file"),
        max_upload_size=max(1, MAX_CLASS_NAMES_FILE_KB // 1024),
        help=f"One name a line, or a JSON list or {{index: name}} object; up to "
        f"{MAX_CLASS_NAMES_FILE_KB} kB.",
    )
    return None if upload is None else (upload.getvalue(), upload.name)
