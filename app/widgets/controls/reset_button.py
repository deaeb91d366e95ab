"""The button that puts every setting of a page back to its default."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

RESET_LABEL = "Reset every setting"


def reset_button(on_reset: Callable[[], None], *, where=st) -> None:
    """Draw the reset button in ``where`` (``st``, ``st.sidebar`` or a container)."""
    where.button(RESET_LABEL, on_click=on_reset)
