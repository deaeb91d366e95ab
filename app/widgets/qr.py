"""QR codes for links, drawn by segno (a small, dependency-free, well-kept QR library)."""

from __future__ import annotations

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
    """The link with a copy button (``st.code``'s) and its QR code."""
    st.code(url, language=None, wrap_lines=True)
    st.html(f'<div class="cs-qr" style="max-width:220px">{qr_svg(url)}</div>')
    st.caption(caption)
