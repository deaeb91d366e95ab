"""ConvScope's math: convolution, pooling, receptive fields and a small trained CNN.

Pure numpy/OpenCV/PyTorch; no user-interface library is imported anywhere in this package.
"""

from .conv import conv2d
from .geometry import conv_output_size
from .image_io import ImageError, load_image
from .kernels import KERNELS

__all__ = [
    "conv2d",
    "conv_output_size",
    "load_image",
    "ImageError",
    "KERNELS",
]
