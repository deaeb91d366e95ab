"""Getting a real network onto the page: trained weights downloaded on first use with a
progress bar, or, offline, a clear message and the untrained network instead."""

from __future__ import annotations

import streamlit as st

from cnn_core.nn.network_weights import (
    WeightsUnavailable,
    download_weights,
    load_network,
    weights_cached,
)
from cnn_core.nn.networks import NETWORKS


# One copy of each network per server process, shared by every session: the models are
# never changed (no training, gradients taken with respect to inputs only).
@st.cache_resource(max_entries=3, show_spinner=False)
def shared_network(name: str, pretrained: bool):
    return load_network(name, pretrained=pretrained)


def get_network(name: str, trained: bool, *, failures_key: str):
    """The network to show, and a message when the trained one could not be had.

    A failed download is remembered for the session (``failures_key``), so an offline
    server answers at once on every rerun; ``retry_button`` forgets it."""
    if not trained:
        return shared_network(name, False), None
    failures = st.session_state.setdefault(failures_key, {})
    if not weights_cached(name):
        if name in failures:
            return shared_network(name, False), failures[name]
        label = NETWORKS[name].label
        bar = st.progress(0.0, text=f"Downloading the trained weights of {label}...")

        def progress(done: int, total: int) -> None:
            if total:
                text = f"Downloading {label}: {done / 1e6:.0f} of {total / 1e6:.0f} MB"
                bar.progress(min(done / total, 1.0), text=text)

        try:
            download_weights(name, progress)
        except WeightsUnavailable as error:
            failures[name] = str(error)
            return shared_network(name, False), failures[name]
        finally:
            bar.empty()
    return shared_network(name, True), None


def retry_button(name: str, *, failures_key: str) -> None:
    """A button that tries the download again on the next run."""
    st.button(
        "Try the download again",
        icon=":material/refresh:",
        key=f"{failures_key}_retry",
        on_click=lambda: st.session_state.get(failures_key, {}).pop(name, None),
    )
