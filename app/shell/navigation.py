"""The app's pages by URL path, for code that sends the user to another page with chosen
settings (the lesson's "open the full page", a student following the teacher)."""

from __future__ import annotations

import streamlit as st

from .url_state import APPLY_URL_KEY, GLOBAL_PARAMS

_pages: dict[str, object] = {}  # url path -> st.Page, registered by the router


def register_pages(pages: list) -> None:
    _pages.clear()
    _pages.update({page.url_path: page for page in pages})


def known_page(url_path: str) -> bool:
    return url_path in _pages


def open_page(url_path: str, params: dict) -> None:
    """Switch to the page at ``url_path`` showing exactly ``params`` (its other settings
    at their defaults), whatever this session last chose there."""
    keep = {k: v for k, v in st.query_params.to_dict().items() if k in GLOBAL_PARAMS}
    st.session_state[APPLY_URL_KEY] = True
    st.switch_page(_pages[url_path], query_params={**params, **keep})
