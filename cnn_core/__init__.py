"""ConvScope's math: convolution, pooling, receptive fields and a small trained CNN.

The modules directly in this package use numpy and OpenCV only; everything that needs
PyTorch lives in ``cnn_core.nn``. Importing ``cnn_core`` loads no PyTorch: the PyTorch
entry points below are resolved on first use (PEP 562 module ``__getattr__``), so a page
that never touches a network starts without paying for torch.
"""

from __future__ import annotations

import importlib

from .conv import conv2d
from .conv_layer import conv_layer
from .fft import conv2d_fft
from .geometry import conv_output_size
from .gradients import conv2d_input_grad, conv2d_kernel_grad
from .image_io import ImageError, load_image
from .kernels import KERNELS
from .matrix import conv_matrix, im2col
from .pool import pool2d
from .receptive_field import receptive_field
from .transposed import conv_transpose2d

# Public names that need PyTorch: name -> the module (under cnn_core) defining it, imported
# only when the name is first read. One line here adds a lazy export.
LAZY_EXPORTS = {
    "network_receptive_fields": ".nn.network_fields",
    "predict_digit": ".nn.digit_reader",
    "digit_activations": ".nn.digit_reader",
    "open_model": ".nn.open_model",
    "ModelError": ".nn.saved_models",
}


def __getattr__(name: str):
    if name not in LAZY_EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(LAZY_EXPORTS[name], __name__), name)
    globals()[name] = value  # later reads skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *LAZY_EXPORTS})


__all__ = [
    "conv2d",
    "pool2d",
    "conv_output_size",
    "receptive_field",
    "load_image",
    "ImageError",
    "KERNELS",
    "conv_layer",
    "conv_transpose2d",
    "im2col",
    "conv_matrix",
    "conv2d_fft",
    "conv2d_input_grad",
    "conv2d_kernel_grad",
    *LAZY_EXPORTS,
]
