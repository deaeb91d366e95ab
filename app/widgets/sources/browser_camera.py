"""The camera filtered in the student's own browser: no video goes to the server.

The server path (``live_video``, WebRTC) cost 0.29 of a core per student in decoding and
encoding alone; a class of 30 needed about 9 cores. Here a small component (Streamlit
components v2, in the page itself) opens the camera with ``getUserMedia``, draws each frame
at 320 x 240, turns it gray with the weights it is given, and runs up to three kernels on
it in plain JavaScript (typed arrays, ~1 ms a kernel at 3x3), drawing each feature map with
the colour table it is given. Everything that decides a number comes from Python: the
kernels, the padding rule, the gray weights, each map's colour range and the 256-entry
colour table, so the browser defines none of them again.

"Check this frame" sends one frame to the server: the gray frame (8 bits a pixel, as it
was convolved) and the first kernel's map quantised to 8 bits over the map's own range,
both as base64, for ``cnn_core.frame_check``. ``read_check`` turns that payload back into
arrays, refusing anything else with a message.

Nothing but the video moves on the page, so there is nothing for ``prefers-reduced-motion``
to stop: the maps are the video, filtered.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

FRAME_SIZE = (320, 240)  # (width, height) the browser works at
MAX_KERNEL_SIDE = 7


@dataclass(frozen=True)
class CameraKernel:
    """One kernel as the browser runs it and colours its map."""

    name: str  # sent back with a checked frame
    label: str  # the map's caption
    weights: np.ndarray  # (k, k), k odd, at most MAX_KERNEL_SIDE
    signed: bool  # True: diverging colours over -limit .. limit; False: gray over 0 .. 1
    limit: float  # the colour range's end (signed maps)


@dataclass(frozen=True)
class CheckedFrame:
    """One frame sent by "Check this frame"."""

    gray: np.ndarray  # (240, 320) uint8: the frame the browser convolved
    steps: np.ndarray  # (240, 320) uint8: its first map over low .. high
    low: float
    high: float
    kernel: str  # the kernel's name
    padding_mode: str


_HTML = """
<div class="cam">
  <p class="cam-status" role="status">Asking the browser for the camera...</p>
  <div class="cam-panels">
    <figure class="cam-panel">
      <video class="cam-video" muted playsinline aria-label="Your camera"></video>
      <figcaption>Camera</figcaption>
    </figure>
  </div>
  <div class="cam-bar">
    <button class="cam-check" type="button" disabled>Check this frame</button>
    <span class="cam-rate"></span>
  </div>
</div>
"""

_CSS = """
.cam { display: flex; flex-direction: column; gap: 0.5rem; }
.cam [hidden] { display: none; }
.cam-status { margin: 0; }
.cam-status.cam-problem { padding: 0.6rem 0.8rem; border-radius: 0.4rem;
  background: #fdecea; color: #5f1a14; border: 1px solid #b3261e; }
.cam-panels { display: flex; flex-wrap: wrap; gap: 0.6rem; }
.cam-panel { margin: 0; flex: 1 1 200px; max-width: 320px; }
.cam-panel video, .cam-panel canvas { display: block; width: 100%; height: auto;
  aspect-ratio: 4 / 3; background: #222; border-radius: 0.25rem; }
.cam-panel figcaption { font-size: 0.875rem; margin-top: 0.2rem; }
.cam-bar { display: flex; flex-wrap: wrap; gap: 0.8rem; align-items: center; }
.cam-check { font: inherit; padding: 0.35rem 0.9rem; border: 1px solid #767676;
  border-radius: 0.4rem; background: #f4f4f4; color: #111; cursor: pointer; }
.cam-check:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
.cam-check:disabled { cursor: not-allowed; color: #555; }
"""

# The component's script: plain JavaScript, kept in its own file beside this one.
_JS = (Path(__file__).parent / "browser_camera.js").read_text(encoding="utf-8")

_component = st.components.v2.component(
    "convscope_browser_camera", html=_HTML, css=_CSS, js=_JS, isolate_styles=False
)


def camera_data(
    kernels: Sequence[CameraKernel],
    *,
    padding_mode: str,
    luma: Sequence[float],
    colour_table: np.ndarray,
) -> dict:
    """What the component receives: everything that decides a number or a colour."""
    if not 1 <= len(kernels) <= 3:
        raise ValueError(f"kernels must hold one to three kernels; got {len(kernels)}")
    for kernel in kernels:
        side = kernel.weights.shape[0]
        if kernel.weights.shape != (side, side) or side % 2 == 0 or side > MAX_KERNEL_SIDE:
            raise ValueError(
                f"kernel {kernel.name!r} must be square, odd and at most "
                f"{MAX_KERNEL_SIDE}x{MAX_KERNEL_SIDE}; got {kernel.weights.shape}"
            )
    table = np.asarray(colour_table, np.uint8)
    if table.shape != (256, 3):
        raise ValueError(f"colour_table must be (256, 3); got {table.shape}")
    width, height = FRAME_SIZE
    return {
        "width": width,
        "height": height,
        "padding_mode": padding_mode,
        "luma": [float(w) for w in luma],
        "lut": table.ravel().tolist(),
        "kernels": [
            {
                "name": k.name,
                "label": k.label,
                "size": int(k.weights.shape[0]),
                "weights": [float(w) for w in np.asarray(k.weights, np.float32).ravel()],
                "signed": bool(k.signed),
                "limit": float(k.limit),
            }
            for k in kernels
        ],
    }


def browser_camera(*, key: str, data: dict, check_key: str) -> None:
    """The camera, filtered in the browser with ``data`` (from ``camera_data``). A checked
    frame's payload, as sent, goes to ``st.session_state[check_key]`` (``read_check``
    reads it)."""

    def checked() -> None:
        value = st.session_state.get(key)
        payload = value.get("check") if hasattr(value, "get") else None
        if payload is not None:
            st.session_state[check_key] = payload

    _component(key=key, data=data, on_check_change=checked)


def read_check(payload, *, kernel_names: Sequence[str], padding_modes: Sequence[str]):
    """A checked frame's payload as a ``CheckedFrame``; ``ValueError`` with a message a
    person can read for anything that is not what the component sends."""
    if not isinstance(payload, dict):
        raise ValueError("The checked frame did not arrive as the camera sends it.")
    width, height = FRAME_SIZE
    if payload.get("width") != width or payload.get("height") != height:
        raise ValueError(f"The checked frame must be {width} x {height} pixels.")
    kernel, mode = payload.get("kernel"), payload.get("padding_mode")
    if kernel not in kernel_names:
        raise ValueError(f"The checked frame names a kernel this page does not know: {kernel!r}.")
    if mode not in padding_modes:
        raise ValueError(f"The checked frame names an unknown padding rule: {mode!r}.")
    low, high = payload.get("low"), payload.get("high")
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in (low, high)):
        raise ValueError("The checked frame's map range is not two finite numbers.")
    if high < low:
        raise ValueError("The checked frame's map range runs backwards.")
    planes = []
    for name in ("gray", "steps"):
        text = payload.get(name)
        if not isinstance(text, str) or len(text) > 4 * width * height:
            raise ValueError(f"The checked frame's {name} is missing or too long.")
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"The checked frame's {name} is not base64.") from None
        if len(raw) != width * height:
            raise ValueError(
                f"The checked frame's {name} has {len(raw)} bytes; {width * height} expected."
            )
        planes.append(np.frombuffer(raw, np.uint8).reshape(height, width))
    return CheckedFrame(planes[0], planes[1], float(low), float(high), kernel, mode)
