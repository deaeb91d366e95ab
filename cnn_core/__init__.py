"""ConvScope's math: convolution, pooling, receptive fields and a small trained CNN.

Pure numpy/OpenCV/PyTorch; no user-interface library is imported anywhere in this package.
Importing it loads no PyTorch: the modules that need it import it themselves.
"""

from .conv import conv2d
from .geometry import conv_output_size
from .image_io import ImageError, load_image
from .kernels import KERNELS
from .pool import pool2d
from .receptive_field import receptive_field

__all__ = [
    "conv2d",
    "pool2d",
    "conv_output_size",
    "receptive_field",
    "load_image",
    "ImageError",
    "KERNELS",
]
