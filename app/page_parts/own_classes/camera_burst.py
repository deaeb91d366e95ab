"""A camera preview with a burst button: several snapshots, a fraction of a second apart.

``st.camera_input`` takes one picture per click; teaching a class needs dozens. This
element (Streamlit components v2, in the page itself) shows the camera's live picture and,
on "Burst", captures ``count`` JPEG frames ``interval_ms`` apart and sends them at once.
The frames travel to this session only; the page keeps them in memory.
"""

from __future__ import annotations

import base64

import numpy as np
import streamlit as st

from cnn_core import ImageError, load_image

_HTML = """
<div class="burst">
  <video class="burst-video" autoplay playsinline muted></video>
  <div class="burst-row">
    <button class="burst-button" type="button">Burst</button>
    <span class="burst-status"></span>
  </div>
</div>
"""

_CSS = """
.burst { display: flex; flex-direction: column; gap: 0.4rem; max-width: 320px; }
.burst-video { width: 100%; border-radius: 0.4rem; background: #222; aspect-ratio: 4 / 3; }
.burst-row { display: flex; gap: 0.6rem; align-items: center; }
.burst-button { font: inherit; padding: 0.3rem 1rem; border: 1px solid #aaa;
  border-radius: 0.4rem; background: #f4f4f4; color: #111; cursor: pointer; }
.burst-status { font-size: 0.85rem; color: inherit; opacity: 0.8; }
"""

_JS = """
export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".burst");
  root.burstComponent = component;
  if (root.ready) return;
  root.ready = true;
  const video = root.querySelector(".burst-video");
  const status = root.querySelector(".burst-status");
  const button = root.querySelector(".burst-button");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    status.textContent = "This browser gives no camera to the page.";
    button.disabled = true;
    return;
  }
  navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } })
    .then((stream) => { video.srcObject = stream; })
    .catch(() => {
      status.textContent = "No camera, or permission refused.";
      button.disabled = true;
    });
  button.addEventListener("click", async () => {
    const { count, interval } = root.burstComponent.data;
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth || 320;
    canvas.height = video.videoHeight || 240;
    const frames = [];
    for (let i = 0; i < count; i++) {
      canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
      frames.push(canvas.toDataURL("image/jpeg", 0.85));
      status.textContent = `${i + 1} of ${count}`;
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
    status.textContent = `${count} pictures sent`;
    root.burstComponent.setTriggerValue("frames", frames);
  });
}
"""

_component = st.components.v2.component(
    "convscope_camera_burst", html=_HTML, css=_CSS, js=_JS, isolate_styles=False
)
MAX_FRAME_URL = 400_000  # a 320 x 240 JPEG is ~15 kB; anything far larger is not ours


def camera_burst(*, key: str, count: int = 10, interval_ms: int = 250, on_frames=None) -> None:
    """The preview and its button; ``on_frames(pictures)`` gets the burst decoded."""

    def received() -> None:
        value = st.session_state.get(key)
        frames = value.get("frames") if hasattr(value, "get") else None
        if isinstance(frames, list) and on_frames is not None:
            on_frames(decode_frames(frames[:count]))

    _component(
        key=key,
        data={"count": count, "interval": interval_ms},
        on_frames_change=received,
        width="content",
    )


def decode_frames(frames) -> list[np.ndarray]:
    """Data URLs from the browser through the same guard as an upload; bad ones dropped."""
    pictures = []
    for frame in frames:
        if not isinstance(frame, str) or ";base64," not in frame or len(frame) > MAX_FRAME_URL:
            continue
        try:
            raw = base64.b64decode(frame.split(";base64,", 1)[1], validate=True)
            pictures.append(load_image(raw, max_side=256))
        except (ValueError, ImageError):
            continue
    return pictures
