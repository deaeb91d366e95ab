"""Let the browser paint the feature map before the rest of the page arrives.

Streamlit sends each element as the script makes it, and the browser paints only when
it gets a gap. On a change, a short pause right after the map lets it paint the map
before the ~25 elements that follow. On a session's first run, the sidebar's elements
(sent first, and most of the element code a new page waits for) are also held back until
the map is out, with a longer pause. The browser does the same work in the same time;
only the order changes. The measurements are in docs/performance.md ("First paint"); the
hold itself lives in ``streamlit_internals``. The pauses hold no CPU and no lock: other
sessions' runs go on meanwhile.
"""

from __future__ import annotations

import contextlib
import time

import streamlit as st

from .streamlit_internals import SidebarHold, run_context, run_value, set_run_value

PAUSE_S = 0.05
FIRST_PAUSE_S = 0.3
_SEEN = "_paint_first_seen"  # set once a session's first run has ended
_HOLD = "sidebar_hold"  # the run's hold, kept on its script-run context


@contextlib.contextmanager
def sidebar_after_map(enabled: bool):
    """Around every page's run. On a session's first run, if ``enabled`` (the page calls
    ``pause_for_paint`` after its map), the sidebar's elements are sent after the map,
    or when the run ends if it makes none."""
    ctx = run_context()
    if ctx is None or st.session_state.get(_SEEN):
        yield
        return
    hold = SidebarHold(ctx) if enabled else None
    set_run_value(ctx, _HOLD, hold)
    try:
        yield
    finally:
        set_run_value(ctx, _HOLD, None)
        st.session_state[_SEEN] = True
        if hold is not None:
            hold.release()


def kept_place(container_key: str):
    """A container for what a page draws after its map but shows above it. Keyed, so the
    page style can give it a least height (``page_style.min_height_css``); with one empty
    element, since Streamlit does not draw an empty container (nor its least height)."""
    place = st.container(key=container_key)
    place.empty()
    return place


def pause_for_paint() -> None:
    """Call right after the element the user is watching: the browser gets time to paint
    it before the next element reaches it. A session's first run pauses only if it held
    its sidebar back (and sends it now)."""
    ctx = run_context()
    hold = run_value(ctx, _HOLD)
    if hold is not None:
        set_run_value(ctx, _HOLD, None)
        time.sleep(FIRST_PAUSE_S)
        hold.release()
    elif st.session_state.get(_SEEN):
        time.sleep(PAUSE_S)
