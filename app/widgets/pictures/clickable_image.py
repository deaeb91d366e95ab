"""An image that reports where it was clicked, drawn in the page itself (no iframe).

Built on Streamlit's components v2, which mount in the app's own DOM: an iframe-based
component cost ~35 ms more per redraw than ``st.image`` here, most of the feature map's
speed budget. The picture travels as a JPEG/PNG data URL; a click sends back the position
as fractions of the displayed width and height.

The keyboard picks a pixel too: the picture is a Tab stop; the arrow keys move a cursor
(a box over the pixel; Shift moves ten pixels), a line under the picture says where it
is (and tells a screen reader, ``aria-live``), and Enter or Space picks that pixel as a
click on it would. The cursor starts on the pixel the page marks.
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
    const frame = document.createElement("div");
    frame.className = "convscope-clickable-frame";
    img = document.createElement("img");
    img.className = "convscope-clickable";
    img.draggable = false;
    img.tabIndex = 0;
    img.setAttribute("aria-keyshortcuts", "ArrowUp ArrowDown ArrowLeft ArrowRight Enter");
    const cursor = document.createElement("div");
    cursor.className = "convscope-cursor";
    const where = document.createElement("div");
    where.className = "convscope-where";
    where.setAttribute("aria-live", "polite");
    where.id = "convscope-where-" + Math.random().toString(36).slice(2);
    img.setAttribute("aria-describedby", where.id);
    frame.append(img, cursor);
    parentElement.append(frame, where);
    const pick = (x, y) => img.convscopeComponent.setTriggerValue("click", { x, y });
    img.addEventListener("click", (event) => {
      const rect = img.getBoundingClientRect();
      pick((event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height);
    });
    const show = () => {
      const [rows, cols] = img.convscopeGrid;
      const [row, col] = img.convscopeCursor;
      cursor.style.left = (100 * col / cols) + "%";
      cursor.style.top = (100 * row / rows) + "%";
      cursor.style.width = (100 / cols) + "%";
      cursor.style.height = (100 / rows) + "%";
      where.textContent = `Cursor at row ${row}, column ${col} of ${rows} x ${cols}. ` +
        "Arrow keys move it (with Shift, 10 pixels); Enter inspects this pixel.";
    };
    img.convscopeShow = show;
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    img.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const [rows, cols] = img.convscopeGrid;
      const [row, col] = img.convscopeCursor;
      if (event.key in moves) {
        const step = event.shiftKey ? 10 : 1;
        const [dr, dc] = moves[event.key];
        img.convscopeCursor = [Math.min(Math.max(row + dr * step, 0), rows - 1),
                               Math.min(Math.max(col + dc * step, 0), cols - 1)];
        show();
      } else if (event.key === "Enter" || event.key === " ") {
        pick((col + 0.5) / cols, (row + 0.5) / rows);
      } else {
        return;
      }
      event.preventDefault();
      event.stopPropagation();  // not the page's own arrow-key shortcuts
    });
  }
  img.convscopeComponent = component;
  if (img.getAttribute("src") !== data.src) img.setAttribute("src", data.src);
  img.alt = data.alt;
  const start = JSON.stringify(data.cursor);
  if (img.convscopeStart !== start) {  // the page marks another pixel: the cursor goes there
    img.convscopeStart = start;
    img.convscopeCursor = data.cursor;
  }
  img.convscopeGrid = data.grid;
  img.convscopeShow();
}
"""

_CSS = """
.convscope-clickable-frame { position: relative; }
img.convscope-clickable { display: block; width: 100%; height: auto; cursor: crosshair;
  border-radius: 0.25rem; user-select: none; }
.convscope-cursor { position: absolute; pointer-events: none; display: none;
  box-sizing: content-box; min-width: 4px; min-height: 4px; margin: -2px 0 0 -2px;
  border: 2px solid #000; outline: 2px solid #fff; }
img.convscope-clickable:focus-visible + .convscope-cursor { display: block; }
.convscope-where { font-size: 0.85rem; min-height: 0; }
.convscope-clickable-frame:not(:has(img:focus-visible)) + .convscope-where {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
"""

_component = st.components.v2.component(
    "convscope_clickable_image", js=_JS, css=_CSS, isolate_styles=False
)


def clickable_image(
    data: bytes,
    image_format: str,
    *,
    key: str,
    alt: str,
    grid: tuple[int, int],
    cursor: tuple[int, int],
    on_click: Callable[[float, float], None],
) -> None:
    """Show encoded image bytes; ``on_click(x, y)`` gets the click as fractions in [0, 1).

    ``grid`` is the picture's (rows, columns) as the caller counts them (the keyboard's
    cursor moves over it), ``cursor`` the (row, column) it starts on; Enter on the
    picture reports the centre of the cursor's cell."""
    mime = "image/png" if image_format == "PNG" else "image/jpeg"
    source = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    rows, cols = (max(1, int(n)) for n in grid)
    start = [min(max(int(cursor[0]), 0), rows - 1), min(max(int(cursor[1]), 0), cols - 1)]

    def clicked() -> None:
        value = st.session_state.get(key)
        click = value.get("click") if hasattr(value, "get") else None
        if not isinstance(click, dict):
            return
        x, y = click.get("x"), click.get("y")
        if isinstance(x, (int, float)) and isinstance(y, (int, float)):
            on_click(min(max(float(x), 0.0), 0.999999), min(max(float(y), 0.0), 0.999999))

    _component(
        key=key,
        data={"src": source, "alt": alt, "grid": [rows, cols], "cursor": start},
        on_click_change=clicked,
    )
