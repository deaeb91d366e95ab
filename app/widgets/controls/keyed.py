"""Widgets with a key whose browser-side default is the value the session holds now.

Streamlit tells the browser two things about a widget: its default, and, only on the run
in which the script set the value through ``st.session_state``, that value (the proto's
``set_value``). A browser that first mounts the widget after a later run never sees the
value: it starts from the default and sends that back with its next message, and the
session takes it. This happens when the user clicks before the widget's code has arrived
(a slow connection, a busy machine): a link's ``res=512`` became 128, the working-size
slider's first option, one time in a dozen in a browser test.

Each function here is the Streamlit widget of the same name, drawn in ``where`` (``st``,
the sidebar, a column), with the session's current value under ``key`` passed as the
widget's default, so whichever of the two the browser uses is the same. A value the
widget cannot take (outside its bounds or options) is not passed: Streamlit refuses such a
default with an error, while it quietly replaces such a session value. Streamlit's log
warning about a default next to a Session State value is switched off in
``.streamlit/config.toml`` (``global.disableWidgetStateDuplicationWarning``): here the
two are equal by construction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

_MISSING = object()


def _held(key: str) -> Any:
    return st.session_state.get(key, _MISSING)


def _with_value(key: str, kwargs: dict, name: str = "value", valid=lambda value: True) -> dict:
    value = _held(key)
    if value is not _MISSING and valid(value):
        kwargs[name] = value
    return kwargs


def _with_index(key: str, options: Sequence, kwargs: dict) -> dict:
    value, listed = _held(key), list(options)
    if value is not _MISSING and value in listed:
        kwargs["index"] = listed.index(value)
    return kwargs


def _within(args: tuple, kwargs: dict):
    """A check that a number lies inside the widget's bounds (when they are given):
    Streamlit refuses a default outside them but quietly replaces such a session value."""
    low = args[0] if args else kwargs.get("min_value")
    high = args[1] if len(args) > 1 else kwargs.get("max_value")

    def valid(value) -> bool:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value is None
        return (low is None or value >= low) and (high is None or value <= high)

    return valid


def radio(label: str, options: Sequence, *args, key: str, where=st, **kwargs) -> Any:
    return where.radio(label, options, *args, key=key, **_with_index(key, options, kwargs))


def selectbox(label: str, options: Sequence, *args, key: str, where=st, **kwargs) -> Any:
    return where.selectbox(label, options, *args, key=key, **_with_index(key, options, kwargs))


def select_slider(label: str, options: Sequence, *args, key: str, where=st, **kwargs) -> Any:
    listed = list(options)
    kwargs = _with_value(key, kwargs, valid=lambda value: value in listed)
    return where.select_slider(label, options, *args, key=key, **kwargs)


def slider(label: str, *args, key: str, where=st, **kwargs) -> Any:
    kwargs = _with_value(key, kwargs, valid=_within(args, kwargs))
    return where.slider(label, *args, key=key, **kwargs)


def number_input(label: str, *args, key: str, where=st, **kwargs) -> Any:
    kwargs = _with_value(key, kwargs, valid=_within(args, kwargs))
    return where.number_input(label, *args, key=key, **kwargs)


def checkbox(label: str, *args, key: str, where=st, **kwargs) -> bool:
    return where.checkbox(label, *args, key=key, **_with_value(key, kwargs))


def toggle(label: str, *args, key: str, where=st, **kwargs) -> bool:
    return where.toggle(label, *args, key=key, **_with_value(key, kwargs))


def text_input(label: str, *args, key: str, where=st, **kwargs) -> str:
    return where.text_input(label, *args, key=key, **_with_value(key, kwargs))


def multiselect(label: str, options: Sequence, *, key: str, where=st, **kwargs) -> list:
    listed = list(options)
    kwargs = _with_value(key, kwargs, "default", lambda values: all(v in listed for v in values))
    return where.multiselect(label, options, key=key, **kwargs)


def segmented_control(label: str, options: Sequence, *, key: str, where=st, **kwargs) -> Any:
    listed = list(options)
    kwargs = _with_value(key, kwargs, "default", lambda value: value in listed)
    return where.segmented_control(label, options, key=key, **kwargs)
