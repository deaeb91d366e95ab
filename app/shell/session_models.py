"""Models trained in this browser session (on the Training or Your classes page), kept for
the session so the Network page can open them; never written to disk, gone with the
session. At most ``MAX_SESSION_MODELS``: the oldest is dropped first."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

_KEY = "_session_models"
MAX_SESSION_MODELS = 4  # a small CNN is ~100 kB of weights; a handful bounds the session


@dataclass(frozen=True)
class SessionModel:
    name: str  # shown in the model picker, unique in the session
    model: object  # a cnn_core.nn.digit_net.DigitNet in eval mode
    card: dict  # the same card a trained file would carry


def keep_model(name: str, model, card: dict) -> None:
    models = [m for m in st.session_state.get(_KEY, []) if m.name != name]
    models.append(SessionModel(name, model, card))
    st.session_state[_KEY] = models[-MAX_SESSION_MODELS:]


def session_models() -> list[SessionModel]:
    return list(st.session_state.get(_KEY, []))
