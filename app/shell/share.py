"""Share: the link to exactly this view (page and settings) and its QR code."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from app.widgets.controls.qr import show_link

from .class_session.classroom import origin

LEAVE_OUT = ("class",)  # a shared view is for exploring alone, not for joining a class
OPEN = "_share_open"  # the panel's open state: it sends its link only when open


def view_link(url_path: str) -> str:
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in LEAVE_OUT}
    query = f"?{urlencode(params)}" if params else ""
    return f"{origin()}/{url_path}{query}"


def share_panel(url_path: str) -> None:
    """Closed, the panel sends nothing: the link, its QR code and the code block's
    highlighter script (1.5 MB, a third of a new session's browser time) come on opening."""
    panel = st.expander("Share this view", icon=":material/share:", key=OPEN, on_change="rerun")
    if not panel.open:
        return
    with panel:
        show_link(
            view_link(url_path),
            caption="Opens this page with these settings (uploads and drawings stay with you).",
        )
