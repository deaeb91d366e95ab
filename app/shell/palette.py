"""The colour palette of every map: the standard one, or one safe for colour-vision
deficiency (``cnn_core.render``: Paul Tol's sunset and cividis).

Kept in the URL (``palette=safe``), so a shared link opens with the same colours, and in
this session when a page switch drops the link's parameters. Pictures never ask for the
setting: ``cnn_core.render`` colours with ``current_palette()``, whose source, set here,
reads the palette of the session whose script run asks. Streamlit runs each session's
runs (and a fragment's timed reruns) in threads of their own, so the source looks up the
running session's state each time instead of keeping a value in a module global.
"""

from __future__ import annotations

import streamlit as st

from app.widgets.controls import keyed
from cnn_core import render

from .streamlit_internals import run_context

PARAM = "palette"
SESSION_KEY = "_palette"  # survives page switches, which clear the URL's parameters
TOGGLE_KEY = "_palette_toggle"


def _running_session_palette() -> str:
    if run_context() is None:  # outside a script run (a test, a benchmark)
        return render.STANDARD
    return st.session_state.get(SESSION_KEY, render.STANDARD)


def use_chosen_palette() -> None:
    """At the start of every run: take the palette from the link when it names one
    (anything else is the standard palette), and colour this session's maps with it."""
    if PARAM in st.query_params:
        name = st.query_params[PARAM]
        st.session_state[SESSION_KEY] = name if name in render.PALETTES else render.STANDARD
    render.follow_palette(_running_session_palette)


def keep_palette_in_link() -> None:
    """``palette=safe`` back in the URL while the safe palette is on, and out when not."""
    chosen = st.session_state.get(SESSION_KEY, render.STANDARD)
    if chosen != render.STANDARD and st.query_params.get(PARAM) != chosen:
        st.query_params[PARAM] = chosen
    elif chosen == render.STANDARD and PARAM in st.query_params:
        st.query_params.pop(PARAM, None)


def palette_toggle() -> None:
    """One switch between the standard and the colour-vision-safe palette."""

    def flip() -> None:
        st.session_state[SESSION_KEY] = (
            render.SAFE if st.session_state[TOGGLE_KEY] else render.STANDARD
        )
        keep_palette_in_link()

    # The switch shows the session's palette, also when a link has just changed it.
    st.session_state[TOGGLE_KEY] = st.session_state.get(SESSION_KEY) == render.SAFE
    keyed.toggle(
        "Colour-vision-safe colours",
        value=st.session_state[TOGGLE_KEY],
        key=TOGGLE_KEY,
        on_change=flip,
        help="Maps in blue, pale yellow and red (sunset) and dark blue to yellow (cividis): "
        "told apart with any colour vision. Kept in the link.",
    )
