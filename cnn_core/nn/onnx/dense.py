"""Layers with weights but no window: BatchNormalization, LayerNormalization, and the
fully connected Gemm and MatMul, which become ``nn.Linear`` when their weights are stored in
the file (``Y = alpha * A @ B + beta * C`` folded into one weight and one bias).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch import fx, nn

from ..saved_models import ModelError

if TYPE_CHECKING:
    from .graph import GraphBuilder


def batch_norm(b: GraphBuilder, node, a: dict):
    if a.get("training_mode", 0):
        raise ModelError(f"The BatchNormalization node '{node.name}' is in training mode.")
    x = b.input(0)
    scale, shift, mean, var = (b.constant(i, "statistics") for i in range(1, 5))
    kind = nn.BatchNorm2d if b.rank(x) == 4 else nn.BatchNorm1d
    layer = kind(scale.numel(), eps=a.get("epsilon", 1e-5))
    layer.weight, layer.bias = nn.Parameter(scale.float()), nn.Parameter(shift.float())
    layer.running_mean, layer.running_var = mean.float(), var.float()
    return [b.module(layer, x)]


def layer_norm(b: GraphBuilder, node, a: dict):
    x, scale, shift = b.input(0), b.constant(1, "scale"), b.constant(2, "bias")
    if len(node.output) > 1 and any(node.output[1:]):
        raise ModelError(f"The LayerNormalization node '{node.name}' returns its statistics.")
    shape = tuple(b.example(x).shape[a.get("axis", -1) :])
    layer = nn.LayerNorm(shape, eps=a.get("epsilon", 1e-5), bias=shift is not None)
    layer.weight = nn.Parameter(scale.float().expand(shape).clone())
    if shift is not None:
        layer.bias = nn.Parameter(shift.float().expand(shape).clone())
    return [b.module(layer, x)]


def gemm(b: GraphBuilder, node, a: dict):
    x, w, c = b.input(0), b.input(1), b.input(2)
    alpha, beta = a.get("alpha", 1.0), a.get("beta", 1.0)
    trans_a, trans_b = a.get("transA", 0), a.get("transB", 0)
    fixed = isinstance(w, torch.Tensor) and not isinstance(c, fx.Node) and not trans_a
    if fixed and (c is None or c.numel() in (1, w.shape[0 if trans_b else 1])):
        weight = (w if trans_b else w.T) * alpha  # (out, in)
        layer = nn.utils.skip_init(nn.Linear, weight.shape[1], weight.shape[0], bias=c is not None)
        layer.weight = nn.Parameter(weight.float().contiguous())
        if c is not None:
            bias = (beta * c).float().reshape(-1).expand(weight.shape[0])
            layer.bias = nn.Parameter(bias.clone())
        return [b.module(layer, x)]
    rows = b.example(x).shape[1 if trans_a else 0]
    columns = b.example(w).shape[0 if trans_b else 1]
    b.guard((rows, columns))
    return [b.call(_gemm_function, x, w, c, alpha, beta, trans_a, trans_b)]


def _guard_product(b: GraphBuilder, x, w) -> None:
    left, right = b.example(x).shape, b.example(w).shape
    if len(left) >= 2 and len(right) >= 2:
        batch = torch.broadcast_shapes(left[:-2], right[:-2])
        b.guard((*batch, left[-2], right[-1]))


def _gemm_function(a, w, c, alpha: float, beta: float, trans_a: int, trans_b: int):
    product = alpha * torch.matmul(a.T if trans_a else a, w.T if trans_b else w)
    return product if c is None else product + beta * c


def matmul(b: GraphBuilder, node, a: dict):
    x, w = b.input(0), b.input(1)
    if isinstance(x, fx.Node) and isinstance(w, torch.Tensor) and w.dim() == 2:
        layer = nn.utils.skip_init(nn.Linear, w.shape[0], w.shape[1], bias=False)
        layer.weight = nn.Parameter(w.T.float().contiguous())
        return [b.module(layer, x)]
    _guard_product(b, x, w)
    return [b.call(torch.matmul, x, w)]
