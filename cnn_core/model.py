"""The old address of the digit reader's entry points: ``from cnn_core.model import
predict_digit, digit_activations`` still works. They live in ``cnn_core.nn.digit_reader``
and are imported on first use, so this module, like ``cnn_core``, loads no PyTorch."""

from __future__ import annotations

import importlib

_NAMES = ("predict_digit", "digit_activations")


def __getattr__(name: str):
    if name not in _NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module("cnn_core.nn.digit_reader"), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_NAMES})


__all__ = list(_NAMES)
