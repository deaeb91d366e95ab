"""PyTorch loaded once per server process, only for the pages that need it, and the
garbage collector kept off what lives for the whole process.

A server that has served only the pages without PyTorch never loads it (about 800 MB and
4 s). PyTorch, Streamlit, numpy and the page modules are a few hundred thousand
long-lived objects; Streamlit runs a full collection after every script run, which walked
them all (~70 ms a change). Freezing what is alive after a page's first run in the
process (``gc.freeze``) leaves the collector only what each run makes; what a frozen run
held in reference cycles stays, at most one run's worth per page. PyTorch runs on one
thread: the networks are small, and idle worker threads spin, taking the CPU the server
needs to send results. Measurements: docs/performance.md; the reliance on Streamlit's
collection is listed in ``streamlit_internals``.
"""

import gc
import threading

import streamlit as st

_lock = threading.Lock()
_done = False
_settled: set[str] = set()


def warm_torch() -> None:
    """Import PyTorch and the model code once, showing a spinner while it loads."""
    global _done
    if _done:
        return
    with _lock, st.spinner("Loading PyTorch for this page: a few seconds, once per server..."):
        if _done:
            return
        import torch

        import cnn_core.nn.digit_net  # noqa: F401 - loads torch, torchvision and the model code now

        torch.set_num_threads(1)
        _freeze_alive()
        _done = True


def settle(page: str) -> None:
    """After ``page`` has run once in this process, freeze everything alive (see above)."""
    if page in _settled:
        return
    with _lock:
        if page in _settled:  # another session settled it while this one waited
            return
        _settled.add(page)
        _freeze_alive()


def _freeze_alive() -> None:
    """Collect what is garbage now, then move everything still alive out of the
    collector's sight."""
    gc.collect()
    gc.freeze()
