"""A value remembered in this session together with the inputs it was made from."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

T = TypeVar("T")


def remembered(key: str, inputs: Hashable, make: Callable[[], T]) -> T:
    """``make()``, kept in ``st.session_state[key]`` with ``inputs``; made again only when
    the inputs differ from those it was made from.

    One value per key (a session's memory stays bounded), and the old value is dropped
    before ``make`` runs, so a large picture and its replacement are never held together.
    """
    memo = st.session_state.get(key)
    if memo is None or memo[0] != inputs:
        st.session_state.pop(key, None)
        memo = (inputs, make())
        st.session_state[key] = memo
    return memo[1]
