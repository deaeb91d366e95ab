"""An image that reports where it was clicked, drawn in the page itself (no iframe).

Built on Streamlit's components v2, which mount in the app's own DOM: an iframe-based
component cost ~35 ms more per redraw than ``st.image`` here, most of the feature map's
speed budget. The picture travels as a JPEG/PNG data URL; a click sends back the position
as fractions of the displayed width and height.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

import streamlit as st

_JS = """
export default function (component) {
  const { data, parentElement } = component;
  let img = parentElement.querySelector("img");
  if (!img) {
    img = document.createElement("img");
    img.className = "convscope-clickable";
    img.draggable = false;
    img.addEventListener("click", (event) => {
      const rect = img.getBoundingClientRect();
      img.convscopeComponent.setTriggerValue("click", {
        x: (event.clientX - rect.left) / rect.width,
        y: (event.clientY - rect.top) / rect.height,
      });
    });
    parentElement.appendChild(img);
  }
  img.convscopeComponent = component;
  if (img.getAttribute("src") !== data.src) img.setAttribute("src", data.src);
  img.alt = data.alt;
}
"""

_CSS = """
img.convscope-clickable { display: block; width: 100%; height: auto; cursor: crosshair;
  border-radius: 0.25rem; user-select: none; }
"""

_component = st.components.v2.component(
    "convscope_clickable_image", js=_JS, css=_CSS, isolate_styles=False
)


def clickable_image(
    data: bytes, image_format: str, *, key: str, alt: str, on_click: Callable[[float, float], None]
) -> None:
    """Show encoded image bytes; ``on_click(x, y)`` gets the click as fractions in [0, 1)."""
    mime = "image/png" if image_format == "PNG" else "image/jpeg"
    source = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"

    def clicked() -> None:
        value = st.session_state.get(key)
        click = value.get("click") if hasattr(value, "get") else None
        if not isinstance(click, dict):
            return
        x, y = click.get("x"), click.get("y")
        if isinstance(x, (int, float)) and isinstance(y, (int, float)):
            on_click(min(max(float(x), 0.0), 0.999999), min(max(float(y), 0.0), 0.999999))

    _component(key=key, data={"src": source, "alt": alt}, on_click_change=clicked)
