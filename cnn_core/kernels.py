"""Classic image-processing kernels: the library the pages pick from.

The edge kernels are built from their 1-D factors, as scikit-image does: Sobel is a
derivative ``[-1, 0, 1]`` across the edge times a smoothing ``[1, 2, 1]`` along it; Prewitt
smooths with ``[1, 1, 1]`` and Scharr with ``[3, 10, 3]``. The eight Kirsch compass kernels
(Kirsch, "Computer determination of the constituent structure of biological images", 1971)
are one kernel with its ring of outer cells rotated 45 degrees at a time.

Every kernel is written for cross-correlation, the operation ``conv2d`` computes by default:
``sobel_x`` responds positively where the image gets brighter to the right.
"""

from __future__ import annotations

import math

import numpy as np

from .limits import MAX_KERNEL_SIZE

_DERIVATIVE = np.array([-1.0, 0.0, 1.0])
_SOBEL_SMOOTH = np.array([1.0, 2.0, 1.0])
_PREWITT_SMOOTH = np.array([1.0, 1.0, 1.0])
_SCHARR_SMOOTH = np.array([3.0, 10.0, 3.0])

# The outer ring of a 3x3 kernel, clockwise from the top-left corner.
_RING = ((0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0))
KIRSCH_DIRECTIONS = ("n", "ne", "e", "se", "s", "sw", "w", "nw")


def _f32(array) -> np.ndarray:
    return np.asarray(array, dtype=np.float32)


def _check_size(name: str, size) -> None:
    if not isinstance(size, (int, np.integer)) or isinstance(size, bool):
        raise ValueError(f"{name} must be an integer; got {size!r}")
    if not 1 <= size <= MAX_KERNEL_SIZE:
        raise ValueError(f"{name} must be between 1 and {MAX_KERNEL_SIZE}; got {size}")


def box_kernel(size: int) -> np.ndarray:
    """A ``size`` x ``size`` kernel of equal weights summing to 1 (a mean filter)."""
    _check_size("size", size)
    return np.full((size, size), 1.0 / size**2, dtype=np.float32)


def gaussian_kernel(size: int, sigma: float) -> np.ndarray:
    """A ``size`` x ``size`` sampled Gaussian, normalised to sum to 1.

    >>> [round(float(v), 3) for v in gaussian_kernel(3, 1.0)[1]]
    [0.124, 0.204, 0.124]
    """
    _check_size("size", size)
    if not (isinstance(sigma, (int, float)) and math.isfinite(sigma) and sigma > 0):
        raise ValueError(f"sigma must be a positive number; got {sigma!r}")
    offsets = np.arange(size) - (size - 1) / 2.0
    profile = np.exp(-(offsets**2) / (2.0 * sigma**2))
    kernel = np.outer(profile, profile)
    return _f32(kernel / kernel.sum())


def random_kernel(size: int, seed: int) -> np.ndarray:
    """A ``size`` x ``size`` kernel of standard normal weights, the same for the same seed."""
    _check_size("size", size)
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    rng = np.random.default_rng(int(seed))
    return _f32(rng.standard_normal((size, size)).round(2))


def normalized(kernel) -> np.ndarray:
    """``kernel`` scaled to sum to 1; a ``ValueError`` when it sums to zero."""
    kernel = _f32(kernel)
    total = float(kernel.sum(dtype=np.float64))
    if abs(total) < 1e-12:
        raise ValueError(
            "This kernel sums to 0 (as edge detectors do), so it cannot be scaled to sum to 1."
        )
    return _f32(kernel / total)


def kernel_sum(kernel) -> float:
    """The sum of a kernel's weights (of every slice of a 3-D kernel), in float64.

    >>> kernel_sum([[1, 2], [3, -4]]), kernel_sum(KERNELS["sobel_x"])
    (2.0, 0.0)
    """
    return float(np.sum(np.asarray(kernel, np.float64)))


def preserves_brightness(kernel, *, times: int = 1) -> bool:
    """Whether the weights add up to 1 (``times`` copies of a 2-D kernel summed over that
    many channels), so a filtered image keeps the input's brightness scale: blurs,
    sharpening and the identity do, edge detectors (sum 0) do not."""
    return abs(kernel_sum(kernel) * times - 1.0) < 1e-3


def kirsch_kernel(direction: str) -> np.ndarray:
    """The Kirsch compass kernel that responds most to an edge facing ``direction``."""
    if direction not in KIRSCH_DIRECTIONS:
        raise ValueError(
            f"direction must be one of {', '.join(KIRSCH_DIRECTIONS)}; got {direction!r}"
        )
    steps = KIRSCH_DIRECTIONS.index(direction)
    # Clockwise ring values for "n": three fives across the top, -3 elsewhere.
    ring = np.roll([5, 5, 5, -3, -3, -3, -3, -3], steps)
    kernel = np.zeros((3, 3))
    for (row, col), value in zip(_RING, ring):
        kernel[row, col] = value
    return _f32(kernel)


def kirsch_bank() -> np.ndarray:
    """All eight Kirsch kernels as ``(8, 3, 3)``, in the order of ``KIRSCH_DIRECTIONS``."""
    return np.stack([kirsch_kernel(d) for d in KIRSCH_DIRECTIONS])


def _edge_pair(smooth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = np.outer(smooth, _DERIVATIVE)  # derivative along columns, smoothing along rows
    return _f32(x), _f32(x.T)


_SOBEL_X, _SOBEL_Y = _edge_pair(_SOBEL_SMOOTH)
_PREWITT_X, _PREWITT_Y = _edge_pair(_PREWITT_SMOOTH)
_SCHARR_X, _SCHARR_Y = _edge_pair(_SCHARR_SMOOTH)

KERNELS: dict[str, np.ndarray] = {
    "identity": _f32([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    "box_blur": box_kernel(3),
    "gaussian_blur": gaussian_kernel(5, 1.0),
    "sharpen": _f32([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "laplacian": _f32([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "outline": _f32([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
    "emboss": _f32([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
    "sobel_x": _SOBEL_X,
    "sobel_y": _SOBEL_Y,
    "prewitt_x": _PREWITT_X,
    "prewitt_y": _PREWITT_Y,
    "scharr_x": _SCHARR_X,
    "scharr_y": _SCHARR_Y,
    **{f"kirsch_{d}": kirsch_kernel(d) for d in KIRSCH_DIRECTIONS},
}
for _kernel in KERNELS.values():
    _kernel.setflags(write=False)

_LABELS = {
    "identity": "Identity",
    "box_blur": "Box blur 3x3",
    "gaussian_blur": "Gaussian blur 5x5",
    "sharpen": "Sharpen",
    "laplacian": "Laplacian",
    "outline": "Outline",
    "emboss": "Emboss",
}


def kernel_label(name: str) -> str:
    """How the pages name a library kernel: "Sobel x", "Kirsch NE", "Gaussian blur 5x5"."""
    if name in _LABELS:
        return _LABELS[name]
    family, _, suffix = name.partition("_")
    return f"{family.capitalize()} {suffix.upper() if family == 'kirsch' else suffix}"


# Kernels that measure a derivative along x / y, paired so a page can show the magnitude.
GRADIENT_PAIRS = {
    "sobel_x": ("sobel_x", "sobel_y"),
    "sobel_y": ("sobel_x", "sobel_y"),
    "prewitt_x": ("prewitt_x", "prewitt_y"),
    "prewitt_y": ("prewitt_x", "prewitt_y"),
    "scharr_x": ("scharr_x", "scharr_y"),
    "scharr_y": ("scharr_x", "scharr_y"),
}
