"""conv2d at 1024 x 1024 against cv2.filter2D (the budget's reference), torch and scipy."""

from __future__ import annotations

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage

from cnn_core import conv2d
from cnn_core.kernels import kirsch_bank

from .timing import compare, table, verdict

BUDGET = 1.5  # conv2d may take at most this many times cv2.filter2D


def run() -> bool:
    rng = np.random.default_rng(0)
    image = rng.random((1024, 1024), dtype=np.float32)
    tensor = torch.from_numpy(image)[None, None]
    rows, within = [], True
    for size in (3, 7, 15):
        kernel = rng.standard_normal((size, size)).astype(np.float32)
        weight = torch.from_numpy(kernel)[None, None]
        repeats = 60 if size < 15 else 15
        times = compare(
            {
                "conv2d": lambda k=kernel: conv2d(image, k, padding="same"),
                "cv2": lambda k=kernel: cv2.filter2D(image, -1, k, borderType=cv2.BORDER_CONSTANT),
            },
            repeats=repeats,
        ) | _others(
            lambda w=weight: F.conv2d(tensor, w, padding="same"),
            lambda k=kernel: ndimage.correlate(image, k, mode="constant"),
            repeats // 3,
        )
        ratio = times["conv2d"] / times["cv2"]
        within &= ratio <= BUDGET
        rows.append(_row(f"{size}x{size}, same, zeros", times, ratio))
    bank = kirsch_bank()
    bank4d = bank[:, None]  # (8, 1, 3, 3)
    weights = torch.from_numpy(bank4d)
    times = compare(
        {
            "conv2d": lambda: conv2d(image, bank4d, padding="same"),
            "cv2": lambda: [
                cv2.filter2D(image, -1, k, borderType=cv2.BORDER_CONSTANT) for k in bank
            ],
        },
        repeats=30,
    ) | _others(
        lambda: F.conv2d(tensor, weights, padding="same"),
        lambda: [ndimage.correlate(image, k, mode="constant") for k in bank],
        10,
    )
    ratio = times["conv2d"] / times["cv2"]
    within &= ratio <= BUDGET
    rows.append(_row("Kirsch bank (8 kernels)", times, ratio))
    print("conv2d on a 1024 x 1024 float32 image (median ms; ratio = conv2d / cv2.filter2D)")
    print(table(rows, ["case", "conv2d", "cv2", "torch", "scipy", "ratio", "budget"]))
    return within


def _others(torch_run, scipy_run, repeats: int) -> dict[str, float]:
    """torch and scipy, for comparison only. Timed apart from the budget pair: torch's
    worker threads keep spinning after a call and would slow whatever runs next."""
    return compare({"torch": torch_run, "scipy": scipy_run}, repeats=max(repeats, 5))


def _row(label: str, times: dict[str, float], ratio: float) -> list[str]:
    ms = {name: f"{seconds * 1e3:.2f}" for name, seconds in times.items()}
    return [
        label, ms["conv2d"], ms["cv2"], ms["torch"], ms["scipy"], f"{ratio:.2f}",
        verdict(ratio, BUDGET),
    ]  # fmt: skip
