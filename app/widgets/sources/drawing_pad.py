"""A square pad to draw one digit on with a mouse, pen or finger.

Built for the Network page's speed budget (drawn digit to every activation map painted
within 2x of a bare page): streamlit-drawable-canvas waits 200 ms after every stroke
before it sends the drawing (a fixed debounce in its frontend), which alone is more than
the budget allows. This pad sends the picture the moment the pen lifts. It mounts in the
page itself (Streamlit components v2, no iframe), draws with pointer events (mouse, pen
and touch alike), and keeps the drawing across reruns by sending it back as its state.
"""

from __future__ import annotations

import base64

import numpy as np
import streamlit as st

from cnn_core import ImageError, load_image
from cnn_core.colour import to_gray

_HTML = """
<div class="pad">
  <canvas class="pad-canvas" role="img"></canvas>
  <p class="pad-note"></p>
  <button class="pad-clear" type="button">Clear</button>
</div>
"""

_CSS = """
.pad { display: inline-flex; flex-direction: column; gap: 0.4rem; align-items: flex-start; }
.pad-canvas { border: 2px solid #888; border-radius: 0.4rem; background: #fff;
  touch-action: none; cursor: crosshair; }
.pad-note { margin: 0; font-size: 0.85rem; max-width: 280px; }
.pad-clear { font: inherit; padding: 0.25rem 0.9rem; border: 1px solid #aaa;
  border-radius: 0.4rem; background: #f4f4f4; color: #111; cursor: pointer; }
"""

_JS = """
export default function (component) {
  const { data, parentElement } = component;
  const canvas = parentElement.querySelector(".pad-canvas");
  const pad = canvas.closest(".pad");
  pad.padComponent = component;  // the latest callbacks, for the listeners added once
  canvas.setAttribute("aria-label", "Drawing pad. " + data.note);
  pad.querySelector(".pad-note").textContent = data.note;
  if (!pad.ready) {
    pad.ready = true;
    canvas.width = data.size;
    canvas.height = data.size;
    const ink = canvas.getContext("2d");
    const blank = () => { ink.fillStyle = "#fff"; ink.fillRect(0, 0, data.size, data.size); };
    blank();
    if (data.image) {
      const picture = new Image();
      picture.onload = () => ink.drawImage(picture, 0, 0);
      picture.src = data.image;
    }
    let drawing = false;
    const at = (event) => {
      const rect = canvas.getBoundingClientRect();
      return [(event.clientX - rect.left) * data.size / rect.width,
              (event.clientY - rect.top) * data.size / rect.height];
    };
    canvas.addEventListener("pointerdown", (event) => {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      ink.lineWidth = data.stroke;
      ink.lineCap = "round";
      ink.lineJoin = "round";
      ink.strokeStyle = "#000";
      const [x, y] = at(event);
      ink.beginPath();
      ink.moveTo(x, y);
      ink.lineTo(x + 0.01, y);
      ink.stroke();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drawing) return;
      const [x, y] = at(event);
      ink.lineTo(x, y);
      ink.stroke();
    });
    const finish = () => {
      if (!drawing) return;
      drawing = false;
      pad.padComponent.setStateValue("image", canvas.toDataURL("image/png"));
    };
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    pad.querySelector(".pad-clear").addEventListener("click", () => {
      blank();
      pad.padComponent.setStateValue("image", null);
    });
  }
}
"""

_component = st.components.v2.component(
    "convscope_drawing_pad", html=_HTML, css=_CSS, js=_JS, isolate_styles=False
)


def drawing_pad(
    *, key: str, size: int = 280, stroke: int = 18, keyboard_note: str = ""
) -> np.ndarray | None:
    """The pad; returns the drawing as an ``(size, size)`` gray array in [0, 1], or None.

    A pad needs a pointer: ``keyboard_note`` tells a keyboard user the other way to a
    picture (shown under the pad, and the pad's name for a screen reader)."""
    current = st.session_state.get(key)
    previous = current.get("image") if hasattr(current, "get") else None
    result = _component(
        key=key,
        data={"size": size, "stroke": stroke, "image": previous, "note": keyboard_note},
        default={"image": None},
        on_image_change=lambda: None,
        width="content",
    )
    return decode_drawing(result.get("image"))


MAX_DATA_URL = 2_000_000  # a 280 x 280 drawing is ~10 kB; anything huge is not from the pad


def decode_drawing(data_url) -> np.ndarray | None:
    """A PNG data URL from the pad as a gray array in [0, 1] (None for no usable drawing).

    The value comes from the browser, so it goes through the same guard as an upload:
    length, base64, then ``load_image`` (formats, pixel limit, damaged files).
    """
    if not isinstance(data_url, str) or ";base64," not in data_url:
        return None
    if len(data_url) > MAX_DATA_URL:
        return None
    try:
        raw = base64.b64decode(data_url.split(";base64,", 1)[1], validate=True)
        return to_gray(load_image(raw))
    except (ValueError, ImageError):
        return None
