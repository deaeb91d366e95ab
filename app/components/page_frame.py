"""What every page shares around its content: the title with a one-line summary and any
notice about the link it was opened with, and the "Look closer" switch between views."""

from __future__ import annotations

import streamlit as st

from .url_state import Setting, choice


def page_header(state, title: str, summary: str) -> None:
    st.title(title)
    st.caption(summary)
    if notice := state.notice():
        st.warning(notice)


def view_setting(labels: dict[str, str], default: str) -> Setting:
    """The URL setting behind ``look_closer``."""
    return choice("view", tuple(labels), default)


def look_closer(state, labels: dict[str, str]) -> str:
    """The view chosen among ``labels`` (setting name "view"), as a segmented control."""
    return st.segmented_control(
        "Look closer", tuple(labels), key=state.key("view"), required=True, format_func=labels.get
    )
