"""A radio among named options: the keys of a ``{value: label}`` dict, in its order, each
shown by its label; the session holds the value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from . import keyed


def labelled_radio(label: str, labels: Mapping[str, str], *, key: str, where=st, **kwargs) -> Any:
    return keyed.radio(label, tuple(labels), key=key, where=where, format_func=labels.get, **kwargs)
