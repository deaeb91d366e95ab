"""QR codes for links, drawn by segno (a small, dependency-free, well-kept QR library)."""

from __future__ import annotations

import base64
import io

import segno
import streamlit as st


def qr_svg(text: str, *, scale: int = 6) -> str:
    """An SVG QR code of ``text`` (error correction M: readable from a projected screen)."""
    code = segno.make(text, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=scale,
        border=2,
        dark="#111",
        light="#fff",
        xmldecl=False,
        svgns=True,
    )
    return buffer.getvalue().decode("ascii")


def show_link(url: str, *, caption: str) -> None:
    """The link with a copy button (``st.code``'s) and its QR code.

    The SVG goes in as an image's data URL: ``st.html`` sanitises inline ``<svg>`` away."""
    st.code(url, language=None, wrap_lines=True)
    data = base64.b64encode(qr_svg(url).encode("ascii")).decode("ascii")
    st.html(
        f'<img class="cs-qr" alt="QR code of the link" style="width:220px;max-width:100%" '
        f'src="data:image/svg+xml;base64,{data}">'
    )
    st.caption(caption)
