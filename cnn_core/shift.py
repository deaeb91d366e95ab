"""How much a map changes when the input shifts by a few pixels.

Convolution is equivariant: shift the input and the feature map shifts with it, so at any
fixed position the values change. Pooling summarises a window, so a feature that moves
inside its window leaves the pooled value alone: a partial invariance to small shifts
(Grosse, CSC321 lecture notes, figure 7). A strided convolution shrinks the map just as
much but keeps no such summary, so it stays sensitive. ``shift_changes`` measures all
three on an image.
"""

from __future__ import annotations

import numpy as np

from .activations import relu
from .conv import conv2d
from .pool import pool2d


def shift_changes(
    gray: np.ndarray,
    kernel: np.ndarray,
    *,
    pool_size: int,
    pool_stride: int,
    pool_mode: str = "max",
    max_shift: int = 8,
) -> dict[str, np.ndarray]:
    """Relative change of three maps as the image content moves left by 0..``max_shift`` px.

    For each shift ``d`` the map of the shifted image is compared with the map of the
    unshifted one, position by position: ``mean |f(x_d) - f(x_0)| / mean |f(x_0)|``.
    The maps are ReLU(conv(x)) ("feature map"), that map pooled, and ReLU of a convolution
    with stride ``pool_stride`` (as big as the pooled map).
    """
    gray = np.asarray(gray, np.float32)
    if gray.ndim != 2 or gray.shape[1] <= max_shift + pool_size:
        raise ValueError(f"need a 2-D image wider than {max_shift + pool_size} pixels")
    width = gray.shape[1] - max_shift

    def maps(shift: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        window = gray[:, shift : shift + width]
        feature = relu(conv2d(window, kernel, padding="same"))
        pooled = pool2d(feature, pool_size, stride=pool_stride, mode=pool_mode)
        strided = relu(conv2d(window, kernel, padding="same", stride=pool_stride))
        return feature, pooled, strided

    reference = maps(0)
    names = ("feature map", f"{pool_mode} pooled", f"strided conv (stride {pool_stride})")
    curves = {name: np.zeros(max_shift + 1) for name in names}
    for shift in range(1, max_shift + 1):
        for name, base, moved in zip(names, reference, maps(shift)):
            rows = min(base.shape[0], moved.shape[0])
            cols = min(base.shape[1], moved.shape[1])
            base, moved = base[:rows, :cols], moved[:rows, :cols]
            scale = float(np.abs(base).mean()) or 1.0
            curves[name][shift] = float(np.abs(moved - base).mean()) / scale
    return curves
