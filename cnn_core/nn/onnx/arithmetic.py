"""Element-wise operators and reductions: the activations as ``torch.nn`` modules (so a
page can show their maps), Clip, HardSigmoid with ONNX's own slope, Softmax under both of
its definitions (before opset 13 it ran over every axis from ``axis`` on), the four
arithmetic operators with NumPy broadcasting, ReduceMean.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import torch
from torch import nn

if TYPE_CHECKING:
    from .graph import GraphBuilder


def activation(make: Callable[[dict], nn.Module]):
    return lambda b, node, a: [b.module(make(a), b.input(0))]


def clip(b: GraphBuilder, node, a: dict):
    if b.opset < 11:
        low, high = a.get("min", -math.inf), a.get("max", math.inf)
    else:
        low_t, high_t = b.constant(1, "minimum"), b.constant(2, "maximum")
        low = -math.inf if low_t is None else float(low_t)
        high = math.inf if high_t is None else float(high_t)
    if (low, high) == (0.0, 6.0):
        return [b.module(nn.ReLU6(), b.input(0))]
    if (low, high) == (0.0, math.inf):
        return [b.module(nn.ReLU(), b.input(0))]
    return [b.call(torch.clamp, b.input(0), low, high)]


def hard_sigmoid(b: GraphBuilder, node, a: dict):
    alpha, beta = a.get("alpha", 0.2), a.get("beta", 0.5)
    if math.isclose(alpha, 1 / 6, rel_tol=1e-6) and math.isclose(beta, 0.5):
        return [b.module(nn.Hardsigmoid(), b.input(0))]
    return [b.call(_hard_sigmoid_function, b.input(0), alpha, beta)]


def _hard_sigmoid_function(x, alpha: float, beta: float):
    return torch.clamp(alpha * x + beta, 0.0, 1.0)


def softmax(log: bool):
    def build(b: GraphBuilder, node, a: dict):
        x = b.input(0)
        rank = b.rank(x)
        axis = a.get("axis", -1 if b.opset >= 13 else 1) % rank
        if b.opset >= 13 or axis == rank - 1:
            return [b.module(nn.LogSoftmax(axis) if log else nn.Softmax(axis), x)]
        # Before opset 13 the softmax ran over all axes from ``axis`` on, flattened.
        return [b.call(_softmax_from, x, axis, log)]

    return build


def _softmax_from(x, axis: int, log: bool):
    flat = x.flatten(axis)
    out = torch.log_softmax(flat, axis) if log else torch.softmax(flat, axis)
    return out.reshape(x.shape)


def binary(function):
    return lambda b, node, a: [b.call(function, b.input(0), b.input(1))]


def div(b: GraphBuilder, node, a: dict):
    x, y = b.input(0), b.input(1)
    if not b.example(x).is_floating_point() and not b.example(y).is_floating_point():
        return [b.call(torch.div, x, y, rounding_mode="trunc")]  # ONNX integer division
    return [b.call(torch.div, x, y)]


def unary(function):
    return lambda b, node, a: [b.call(function, b.input(0))]


def reduce_mean(b: GraphBuilder, node, a: dict):
    x = b.input(0)
    rank = b.rank(x)
    axes = b.ints(1, a, "axes", 18)
    if not axes and a.get("noop_with_empty_axes", 0):
        return [x]
    axes = tuple(range(rank)) if not axes else tuple(axis % rank for axis in axes)
    return [b.call(torch.mean, x, dim=axes, keepdim=bool(a.get("keepdims", 1)))]
