"""The backward pass of a convolution, itself made of convolutions.

For ``y = conv2d(x, k)`` and an upstream gradient ``g = dL/dy``:

- ``dL/dx`` spreads every ``g[i, j]`` back over the window that made ``y[i, j]``:
  a transposed convolution of ``g`` with ``k``; at stride 1 the full convolution of ``g``
  with ``k`` rotated 180 degrees, and in matrix form ``M.T @ g`` (``M`` the convolution
  matrix). So the backward pass is itself a convolution, and runs on the same engine.
- ``dL/dk`` sums, for each tap, the input values it read times the gradient of the
  output it made: the correlation of the (padded) input with ``g``, i.e.
  ``im2col(x) @ g.ravel()``.

``learn_kernel`` runs plain gradient descent with these two formulas to recover a hidden
kernel from an input and its filtered target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .conv import as_float_array, conv2d, output_shape
from .geometry import resolve_padding, to_pair, to_shape
from .matrix import conv_matrix, im2col
from .transposed import conv_transpose2d


def conv2d_input_grad(
    grad_out, kernel, input_shape, *, stride=1, padding=0, dilation=1
) -> np.ndarray:
    """``d sum(grad_out * conv2d(x, kernel, ...)) / dx`` for an ``(H, W)`` input of
    ``input_shape`` (zeros padding), as torch autograd gives it."""
    grad = as_float_array("grad_out", grad_out, ndims=(2,))
    weights = as_float_array("kernel", kernel, ndims=(2,))
    height, width = to_shape("input_shape", input_shape)
    stride = to_pair("stride", stride, minimum=1)
    dilation = to_pair("dilation", dilation, minimum=1)
    pad = resolve_padding(padding, (height, width), weights.shape, stride, dilation)
    expected = output_shape((height, width), weights.shape, pad, stride, dilation)
    if grad.shape != expected:
        raise ValueError(f"grad_out must have the output's shape {expected}; got {grad.shape}")
    # Gradient of the padded input: every output's gradient stamps the kernel back.
    stamped = conv_transpose2d(grad, weights, stride=stride, dilation=dilation)
    padded = np.zeros((height + pad.rows, width + pad.cols), np.float32)
    padded[: stamped.shape[0], : stamped.shape[1]] = stamped[: padded.shape[0], : padded.shape[1]]
    return padded[pad.top : pad.top + height, pad.left : pad.left + width].copy()


def conv2d_kernel_grad(x, grad_out, kernel_size, *, stride=1, padding=0, dilation=1) -> np.ndarray:
    """``d sum(grad_out * conv2d(x, k, ...)) / dk`` for an ``(H, W)`` input, as torch
    autograd gives it: each tap's input values times the gradients of the outputs."""
    image = as_float_array("x", x, ndims=(2,))
    grad = as_float_array("grad_out", grad_out, ndims=(2,))
    kh, kw = to_pair("kernel_size", kernel_size, minimum=1)
    columns = im2col(image, (kh, kw), stride=stride, padding=padding, dilation=dilation)
    if columns.shape[1] != grad.size:
        raise ValueError(f"grad_out has {grad.size} values; the output has {columns.shape[1]}")
    gradient = columns.astype(np.float64) @ grad.ravel().astype(np.float64)
    return gradient.reshape(kh, kw).astype(np.float32)


@dataclass(frozen=True)
class LearningRun:
    """Gradient descent on a kernel: where it went and how the loss fell."""

    kernels: np.ndarray  # (steps + 1, kh, kw) the kernel after each step, the start first
    losses: np.ndarray  # (steps + 1,) mean squared error before each step and at the end
    diverged: bool = False  # the weights grew past float32 and the run stopped early


def learn_kernel(
    x, target, kernel_size, *, steps: int, learning_rate: float, seed: int = 0, padding=0
) -> LearningRun:
    """Recover the kernel that made ``target = conv2d(x, hidden, padding=padding)`` by
    gradient descent on the mean squared error, from a seeded random start.

    ``x`` is ``(H, W)`` (or ``(N,)`` for a 1-D signal, treated as one row)."""
    image = as_float_array("x", x, ndims=(1, 2))
    goal = as_float_array("target", target, ndims=(1, 2))
    if image.ndim == 1:
        image, goal = image[None], goal[None]
        kernel_size = (1, kernel_size if isinstance(kernel_size, int) else kernel_size[-1])
        padding = (0, padding) if isinstance(padding, int) else padding
    kh, kw = to_pair("kernel_size", kernel_size, minimum=1)
    if not (isinstance(steps, int) and 0 <= steps <= 10_000):
        raise ValueError(f"steps must be a whole number from 0 to 10000; got {steps!r}")
    if not (0 < learning_rate < 100):
        raise ValueError(f"learning_rate must be a positive number below 100; got {learning_rate}")
    kernel = np.random.default_rng(seed).standard_normal((kh, kw)).astype(np.float32) * 0.1
    kernels, losses = [kernel.copy()], []
    for _ in range(steps + 1):
        error = conv2d(image, kernel, padding=padding) - goal
        losses.append(float(np.mean(error.astype(np.float64) ** 2)))
        if len(losses) > steps:
            break
        # d mean(error^2) / d output = 2 * error / N; back through the convolution:
        grad = conv2d_kernel_grad(image, 2 * error / error.size, (kh, kw), padding=padding)
        kernel = kernel - learning_rate * grad
        if not (np.isfinite(kernel).all() and np.abs(kernel).max() < 1e15):
            return LearningRun(np.stack(kernels), np.asarray(losses), diverged=True)
        kernels.append(kernel.copy())
    return LearningRun(np.stack(kernels), np.asarray(losses))


@dataclass(frozen=True)
class GradientTerms:
    """The sum behind one gradient value: pairs of (upstream gradient, the value it meets)."""

    sources: list[tuple[int, int]]  # output positions (or input cells) the terms come from
    gradients: np.ndarray  # upstream gradient at each source
    factors: np.ndarray  # the kernel weight (input gradient) or input value (kernel gradient)
    total: float


def input_gradient_terms(grad_out, kernel, input_shape, row: int, col: int, **geometry):
    """dL/dx[row, col] = sum over the outputs whose windows read (row, col) of
    grad_out[output] * the weight that read it: column ``row * W + col`` of the
    convolution matrix, against ``grad_out``."""
    grad = as_float_array("grad_out", grad_out, ndims=(2,))
    matrix = conv_matrix(input_shape, kernel, **geometry).tocsc()
    column = matrix[:, [row * to_shape("input_shape", input_shape)[1] + col]].tocoo()
    outputs = [divmod(int(r), grad.shape[1]) for r in column.row]
    gradients = np.array([grad[o] for o in outputs], np.float32)
    factors = column.data.astype(np.float32)
    total = float(np.sum(gradients.astype(np.float64) * factors))
    return GradientTerms(outputs, gradients, factors, total)


def kernel_gradient_terms(x, grad_out, kernel_size, tap: tuple[int, int], **geometry):
    """dL/dk[tap] = sum over every output of grad_out[output] * the input value the tap
    read there: row ``tap`` of ``im2col(x)``, against ``grad_out``."""
    image = as_float_array("x", x, ndims=(2,))
    grad = as_float_array("grad_out", grad_out, ndims=(2,))
    kh, kw = to_pair("kernel_size", kernel_size, minimum=1)
    columns = im2col(image, (kh, kw), **geometry)
    values = columns[tap[0] * kw + tap[1]]
    outputs = [divmod(i, grad.shape[1]) for i in range(grad.size)]
    total = float(np.sum(values.astype(np.float64) * grad.ravel()))
    return GradientTerms(outputs, grad.ravel().copy(), values.copy(), total)
