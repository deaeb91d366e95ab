"""ConvScope's math: convolution, pooling, receptive fields and a small trained CNN.

Pure numpy/OpenCV/PyTorch; no user-interface library is imported anywhere in this package.
Importing it loads no PyTorch: the modules that need it import it themselves.
"""

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
]
