"""Presenter mode: the whole app larger, for a projector at the back of a classroom.

Kept in the URL (``present=1``), so a projected link stays in presenter mode. Text and
controls grow by a third, the sidebar starts folded away (its controls one click off),
and the figures take the full width they are given.
"""

from __future__ import annotations

import streamlit as st

from app.widgets.controls import keyed

from .streamlit_internals import CAPTION, HEADER, MAIN_BLOCK
from .url_state import on_off

PARAM = "present"
SESSION_KEY = "_presenting"  # survives page switches, which clear the URL's parameters

_CSS = f"""
<style>
html {{ font-size: 133% !important; }}
{MAIN_BLOCK} {{ padding: 3.2rem 1.5rem 2rem 1.5rem; }}
{HEADER} {{ background: transparent; }}
{CAPTION} {{ font-size: 1rem; }}
.cs-formula {{ font-size: 1.6rem; }}
</style>
"""


def is_presenting() -> bool:
    """Presenter mode is on: from the link (``present=1``), or kept from an earlier page
    of this session (moving between pages drops the link's parameters)."""
    if PARAM in st.query_params:
        try:
            st.session_state[SESSION_KEY] = on_off(st.query_params[PARAM])
        except ValueError:
            st.session_state[SESSION_KEY] = False
    return st.session_state.get(SESSION_KEY, False)


def presenter_css() -> str:
    """The larger style when presenting (the page style sends it with the title), else ""."""
    return _CSS if is_presenting() else ""


def keep_presenting_in_link() -> None:
    """``present=1`` back in the URL while presenting, so the link stays presenting."""
    if is_presenting() and st.query_params.get(PARAM) != "1":
        st.query_params[PARAM] = "1"


def presenter_toggle() -> None:
    """A switch that turns presenter mode on or off (through the URL)."""

    def flip() -> None:
        st.session_state[SESSION_KEY] = st.session_state["_present_toggle"]
        if st.session_state[SESSION_KEY]:
            st.query_params[PARAM] = "1"
        else:
            st.query_params.pop(PARAM, None)

    keyed.toggle(
        "Presenter mode (larger, for a projector)",
        value=is_presenting(),
        key="_present_toggle",
        on_change=flip,
    )
