"""Loading PyTorch once per server process, only for the pages that need it.

The Convolution and Pooling pages run on numpy and OpenCV alone, so a server that has
only served them never loads PyTorch (about 800 MB of the CUDA build, and 4 s). The
router calls ``warm_torch`` before running a page that needs it, with a spinner.

PyTorch brings ~180,000 long-lived Python objects. Every full garbage collection walks
them all (~60 ms here), and Streamlit reruns make enough garbage to trigger one every
couple of reruns: measured on the Network page, drawing a stroke took 215 ms to show its
maps with PyTorch merely imported and 99 ms after this set-up. Importing the heavy
modules once and then ``gc.freeze()``-ing everything alive moves those objects out of
the collector's sight; they live for the whole process anyway.

The same holds without PyTorch: Streamlit, numpy, OpenCV, plotly and the page modules
are ~100,000 objects, and the full collection Streamlit runs after every script run
(``runner.postScriptGC``) took ~70 ms of each slider change and of each new session's
first page. ``settle`` freezes what is alive after a page's first run in the process
(its modules are imported by then), once per page, so that collection sees only what
the run itself made. What a frozen run held in reference cycles is never collected:
at most one run's worth per page per process.

PyTorch is also kept to one thread: the networks here are small, and idle worker threads
spin-wait after each call, taking the CPU the web server needs to send the results.
"""

import gc
import threading

import streamlit as st

_lock = threading.Lock()
_done = False
_settled: set[str] = set()


def torch_is_loaded() -> bool:
    return _done


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
