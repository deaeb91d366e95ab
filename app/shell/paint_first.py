"""Let the browser paint the feature map before the rest of the page arrives.

Streamlit sends each element the moment the script makes it, and the browser handles
them in order, painting only when it gets a gap. Two cases, one remedy: hold the rest
back for a moment after the map.

**A change.** A slider change on the Convolution page sends its feature map first, then
about 25 more elements (controls, formula, pictures); they followed the map within
milliseconds, so the browser drew all of them before it painted the new map. Measured in
chromium on a 2-core machine (medians of 17 Dilation changes, clocked inside the page from
the key press, three runs): the new map painted at 123-131 ms, after the formula below it
(97-111 ms). Pausing 50 ms after the map: the map at 80-88 ms, the formula at 125-129 ms.
The browser does the same work and finishes the whole change at the same time; only the
order changes, so the map comes first. (30 ms gave the map at 104-118 ms; 60 ms, 84-91 ms
with the formula at 143 ms.)

**A session's first run.** A new session's page also waits for the code of every kind of
element it holds, and the sidebar's widgets (sent before the page's own elements) are
most of them. On the first run the sidebar's elements are held back until the map has
been sent, and the run pauses longer, so the browser fetches only the map's code before
it paints it. Medians of 12 new sessions in chromium on this machine, from opening the
link: map painted at 1.44 s instead of 2.12 s, the last control drawn at 2.19 s instead
of 2.05-2.15 s. Either half alone gains nothing (8 sessions each): the sidebar held
without the pause, map at 1.76 s; pauses of 0.05 / 0.3 / 0.6 s without holding it,
1.93-2.03 s; holding it with a 0.1 / 0.2 s pause, 1.86 / 1.62 s. A page that draws its
map below controls sent after it keeps their place (the controls' container has a least
height in the page style), or the map would be painted higher up and then pushed down
~180 px when they arrive.

The hold wraps the run context's ``enqueue`` for that one run (Streamlit's internals, as
of 1.67; ``tests/app/test_paint_first.py`` fails if a release changes them).
The Pooling page does the same with its pooled map (a Stride change: map painted at
121-142 ms instead of 155-189 ms; a new session's map at 1.73 s instead of 2.31 s).

The pauses hold no CPU and no lock: other students' runs go on meanwhile.
"""

from __future__ import annotations

import contextlib
import time

import streamlit as st
from streamlit.proto.RootContainer_pb2 import RootContainer
from streamlit.runtime.scriptrunner import get_script_run_ctx

PAUSE_S = 0.05
FIRST_PAUSE_S = 0.3
_SEEN = "_paint_first_seen"  # set once a session's first run has ended


class _SidebarHold:
    """Keeps one run's sidebar elements back until released, then sends them in order."""

    def __init__(self, ctx) -> None:
        self._ctx = ctx
        self._held = []
        self._send = ctx.enqueue  # the context's own method
        ctx.enqueue = self._enqueue  # this run only: ``release`` removes it

    def _enqueue(self, msg) -> None:
        path = msg.metadata.delta_path
        if msg.WhichOneof("type") == "delta" and path and path[0] == RootContainer.SIDEBAR:
            self._held.append(msg)
        else:
            self._send(msg)

    def release(self) -> None:
        if self._ctx.__dict__.get("enqueue") == self._enqueue:
            del self._ctx.enqueue
        held, self._held = self._held, []
        for msg in held:
            self._send(msg)


_HOLD = "convscope_sidebar_hold"  # the run's hold, kept on its script-run context


@contextlib.contextmanager
def sidebar_after_map(enabled: bool):
    """Around every page's run. On a session's first run, if ``enabled`` (the page calls
    ``pause_for_paint`` after its map), the sidebar's elements are sent after the map,
    or when the run ends if it makes none."""
    ctx = get_script_run_ctx()
    if ctx is None or st.session_state.get(_SEEN):
        yield
        return
    hold = _SidebarHold(ctx) if enabled else None
    setattr(ctx, _HOLD, hold)
    try:
        yield
    finally:
        setattr(ctx, _HOLD, None)
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
    ctx = get_script_run_ctx()
    hold = getattr(ctx, _HOLD, None)
    if hold is not None:
        setattr(ctx, _HOLD, None)
        time.sleep(FIRST_PAUSE_S)
        hold.release()
    elif st.session_state.get(_SEEN):
        time.sleep(PAUSE_S)
