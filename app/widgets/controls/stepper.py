"""Back / Next / Play controls over a sequence of steps, drawn inside a fragment.

The caller keeps the step and the playing flag under keys it owns; playing reruns only the
caller's fragment on a timer (``st.fragment(run_every=...)``), so the rest of the page
stays still while an animation runs. Playing stops by itself at the last step, and its
button turns into Pause while it plays (WCAG 2.2.2).

A reader whose system asks for less motion (``prefers-reduced-motion``) gets no Play
button: a note says why and that Next and the arrow keys step on request. The browser
decides with a CSS media query, so nothing has to travel to the server first.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import streamlit as st

from .shortcuts import shortcuts

PLAY_SECONDS = 0.9
STILL_NOTE = (
    "Play is off because your system asks for less motion: step with Next or the arrow keys."
)


def _still_when_asked(play_button_key: str) -> str:
    """Style and note: under reduced motion the Play button is hidden and the note shown."""
    return (
        "<style>.cs-still-note { display: none; font-size: 0.9rem; margin: 0; }"
        "@media (prefers-reduced-motion: reduce) {"
        f" .st-key-{play_button_key} {{ display: none; }}"
        " .cs-still-note { display: block; } }</style>"
        f'<p class="cs-still-note">{html.escape(STILL_NOTE)}</p>'
    )


def play_interval(play_key: str) -> float | None:
    """The timer the caller's fragment needs: ``PLAY_SECONDS`` while playing, else None."""
    return PLAY_SECONDS if st.session_state.get(play_key, False) else None


def step_controls(
    *,
    step_key: str,
    play_key: str,
    steps: int,
    timed: bool,
    label: str,
    button_keys: Mapping[str, str] | None = None,
    keys_key: str | None = None,
    detail: Callable[[int], str] | None = None,
) -> int:
    """The controls and the current step (0-based); advances by one per timer tick.

    ``timed`` tells whether the fragment runs on a timer now; when the play state no
    longer matches, the fragment is rebuilt (with or without its timer). The buttons'
    keys are ``button_keys["back" | "next" | "play"]`` (default: after ``step_key``);
    with ``keys_key`` the arrow keys step too; ``detail(step)`` follows the step count.
    """
    names = button_keys or {name: f"{step_key}_{name}" for name in ("back", "next", "play")}
    st.session_state[step_key] = min(max(st.session_state.get(step_key, 0), 0), steps - 1)
    playing = st.session_state.get(play_key, False)
    if playing != timed:
        st.rerun()
    if playing:
        st.session_state[step_key] = (st.session_state[step_key] + 1) % steps

    def move(delta: int) -> None:
        st.session_state[step_key] = (st.session_state[step_key] + delta) % steps

    def toggle() -> None:
        st.session_state[play_key] = not st.session_state.get(play_key, False)

    back, forward, play, where = st.columns([1, 1, 1, 3])
    back.button(
        "Back",
        icon=":material/arrow_back:",
        on_click=move,
        args=(-1,),
        key=names["back"],
        width="stretch",
    )
    forward.button(
        "Next",
        icon=":material/arrow_forward:",
        on_click=move,
        args=(1,),
        key=names["next"],
        width="stretch",
        help="The arrow keys (or a presentation clicker's page keys) step too."
        if keys_key
        else None,
    )
    play.button(
        "Pause" if playing else "Play",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        on_click=toggle,
        key=names["play"],
        width="stretch",
    )
    if keys_key:
        shortcuts(key=keys_key, on_next=lambda: move(1), on_previous=lambda: move(-1))
    step = st.session_state[step_key]
    where.markdown(f"{label} **{step + 1}** of {steps}" + (f": {detail(step)}" if detail else ""))
    where.html(_still_when_asked(names["play"]))
    if playing and step == steps - 1:
        st.session_state[play_key] = False
    return step
