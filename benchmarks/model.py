"""The digit network: one prediction, and the pass that also captures every activation."""

from __future__ import annotations

import numpy as np
import torch

from cnn_core.digits import preprocess_digit
from cnn_core.nn.digit_net import activations, probabilities
from cnn_core.nn.saved_models import load_model

from .timing import compare, table


def run() -> bool:
    """Prints median times on one thread (as the app runs); there is no budget beyond the
    browser one, so this always passes."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        model = load_model()
        heldout = np.load("assets/models/digits_heldout.npz")["images"][0] / 255.0
        digit = preprocess_digit(heldout)
        times = compare(
            {
                "preprocess a 28 x 28 digit": lambda: preprocess_digit(heldout),
                "forward pass, probabilities only": lambda: probabilities(model, digit),
                "forward pass with all 9 activations": lambda: activations(model, digit),
            },
            repeats=300,
        )
    finally:
        torch.set_num_threads(threads)
    reference = times["forward pass, probabilities only"]
    rows = [[name, f"{t * 1e3:.2f}", f"{t / reference:.2f}"] for name, t in times.items()]
    print("Digit network on one CPU thread (median ms; ratio to the plain forward pass)")
    print(table(rows, ["case", "ms", "ratio"]))
    return True
