"""Controls that offer what their setting accepts: a slider over the whole numbers a link
may hold, a radio over its choices. The range is written once, in the setting, so a
control and the URL cannot disagree."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app.widgets.controls import keyed

from ..url_state import PageState


def setting_slider(state: PageState, name: str, label: str, *, where=st, **kwargs) -> Any:
    """A slider from the lowest to the highest value integer setting ``name`` accepts."""
    low, high = state.settings[name].bounds
    return keyed.slider(label, low, high, key=state.key(name), where=where, **kwargs)


def setting_radio(state: PageState, name: str, label: str, *, where=st, **kwargs) -> Any:
    """A radio over the choices of setting ``name``, in their order."""
    choices = state.settings[name].choices
    return keyed.radio(label, choices, key=state.key(name), where=where, **kwargs)
