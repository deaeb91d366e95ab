"""What every page shares around its content: the title with a one-line summary and any
notice about the link it was opened with, and the "Look closer" switch between views.

Streamlit names a fragment (the part of a page a change reruns alone) by where the page
draws it. Whatever a page shows only sometimes above a fragment (this notice, a message
about the image) is drawn in a ``fixed_slot``, so the fragment keeps its place, and its
name, from run to run: a change made in it as the page redraws reaches it
(``streamlit_internals.rerun_lost_fragments_in_full`` covers the case where it would not)."""

from __future__ import annotations

import streamlit as st

from app.widgets.controls import keyed

from .page_style import styled_title
from .url_state import Setting, choice


def fixed_slot():
    """A place drawn on every run, whether it holds something or not, for what a page
    shows only sometimes above a fragment. Empty, it takes no room on the page."""
    return st.container()


def page_header(state, title: str, summary: str, page_css: str = "") -> None:
    styled_title(title, page_css)
    st.caption(summary)
    notices = fixed_slot()  # the link's notice comes on a session's first run only
    if notice := state.notice():
        notices.warning(notice)


def open_page(state, title: str, summary: str, page_css: str = "") -> None:
    """What a page without a picture does first: restore its settings, then its heading."""
    state.restore()
    page_header(state, title, summary, page_css)


def view_setting(labels: dict[str, str], default: str | None = None) -> Setting:
    """The URL setting (named "view") behind a page's "Look closer" switch; its default is
    the first view unless ``default`` names another."""
    return choice("view", tuple(labels), default or next(iter(labels)))


def look_closer(key: str, labels: dict[str, str]) -> str:
    """The view chosen among ``labels``, as a segmented control under widget ``key``.

    (It once came back empty under load: its browser side, drawn late, sent back its
    default, which was none. Keyed widgets now default to the session's value.)"""
    return keyed.segmented_control(
        "Look closer", tuple(labels), key=key, required=True, format_func=labels.get
    )
