"""What every page shares around its content: the title with a one-line summary and any
notice about the link it was opened with, and the "Look closer" switch between views."""

from __future__ import annotations

import streamlit as st

from app.widgets.controls import keyed

from .url_state import Setting, choice


def page_header(state, title: str, summary: str) -> None:
    st.title(title)
    st.caption(summary)
    if notice := state.notice():
        st.warning(notice)


def view_setting(labels: dict[str, str], default: str) -> Setting:
    """The URL setting (named "view") behind a page's "Look closer" switch."""
    return choice("view", tuple(labels), default)


def look_closer(key: str, labels: dict[str, str]) -> str:
    """The view chosen among ``labels``, as a segmented control under widget ``key``.

    Under heavy load the control once came back empty (one of 16 simultaneous sessions):
    its browser side mounted late and sent back its default, which was none until keyed
    widgets were given the session's value as default. The first view stands in for
    anything not in ``labels`` all the same, rather than a missing page."""
    chosen = keyed.segmented_control(
        "Look closer", tuple(labels), key=key, required=True, format_func=labels.get
    )
    return chosen if chosen in labels else next(iter(labels))
