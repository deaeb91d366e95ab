"""One-time set-up of the server process, done on its first script run.

PyTorch brings ~180,000 long-lived Python objects. Every full garbage collection walks
them all (~60 ms here), and Streamlit reruns make enough garbage to trigger one every
couple of reruns: measured on the Network page, drawing a stroke took 215 ms to show its
maps with PyTorch merely imported and 99 ms after this set-up. Importing the heavy
modules once and then ``gc.freeze()``-ing everything alive moves those objects out of
the collector's sight; they live for the whole process anyway. It runs once, so the
objects of later script runs stay collectable.

PyTorch is also kept to one thread: the network is tiny, and idle worker threads
spin-wait after each call, taking the CPU the web server needs to send the results.
"""

import gc

_done = False


def is_warm() -> bool:
    return _done


def warm_start() -> None:
    global _done
    if _done:
        return
    import torch

    import cnn_core.model  # noqa: F401 - loads torch, torchvision and the model code now

    torch.set_num_threads(1)
    gc.collect()
    gc.freeze()
    _done = True
