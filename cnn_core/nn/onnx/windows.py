"""Layers that slide a window over the image: Conv, ConvTranspose, MaxPool,
AveragePool and the global poolings, as ``torch.nn`` modules (``network_receptive_fields``
and Grad-CAM find them by type). Padding follows ONNX: ``pads`` is ``[top, left, bottom,
right]``; ``auto_pad`` SAME puts the odd pixel at the end (SAME_UPPER) or the start; padding
torch cannot spread evenly becomes a padding module of its own before the layer.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from torch import nn

from ..saved_models import ModelError

if TYPE_CHECKING:
    from .graph import GraphBuilder


def _spatial_pads(b: GraphBuilder, a: dict, kernel, stride, dilation) -> list[int]:
    """``[top, left, bottom, right]`` from ``pads`` or ``auto_pad`` (ONNX's SAME rule:
    output = ceil(input / stride), the odd pixel at the end for SAME_UPPER)."""
    mode = a.get("auto_pad", "NOTSET")
    if mode in ("NOTSET", ""):
        pads = list(a.get("pads", [0] * 2 * len(kernel)))
        return pads
    if mode == "VALID":
        return [0] * 2 * len(kernel)
    size = b.example(b.input(0)).shape[2:]
    begins, ends = [], []
    for extent, k, s, d in zip(size, kernel, stride, dilation):
        total = max((math.ceil(extent / s) - 1) * s + (k - 1) * d + 1 - extent, 0)
        small, large = total // 2, total - total // 2
        begins.append(small if mode == "SAME_UPPER" else large)
        ends.append(large if mode == "SAME_UPPER" else small)
    return begins + ends


def _window(b: GraphBuilder, a: dict, kernel):
    dims = len(kernel)
    if dims != 2:
        raise ModelError(
            f"The {b.node.op_type} node '{b.node.name}' works in {dims} dimensions; "
            "ConvScope converts 2-D (image) layers only."
        )
    stride = list(a.get("strides", [1, 1]))
    dilation = list(a.get("dilations", [1, 1]))
    return list(kernel), stride, dilation, _spatial_pads(b, a, kernel, stride, dilation)


def _guard_window(b: GraphBuilder, x, channels, kernel, stride, dilation, pads, ceil=False):
    """The output size of a convolution or pooling, checked before it is computed."""
    shape = b.example(x).shape
    rounding = math.ceil if ceil else math.floor
    sides = [
        max(rounding((n + pads[i] + pads[i + 2] - d * (k - 1) - 1) / s) + 1, 0)
        for i, (n, k, s, d) in enumerate(zip(shape[2:], kernel, stride, dilation))
    ]
    b.guard((shape[0], channels, *sides))


def _pad_first(b: GraphBuilder, x, pads, value: float):
    """Asymmetric padding as a module of its own before the layer (torch pads evenly)."""
    top, left, bottom, right = pads
    return b.module(nn.ConstantPad2d((left, right, top, bottom), value), x, suffix="pad")


def conv(b: GraphBuilder, node, a: dict):
    x, weight, bias = b.input(0), b.constant(1, "weights"), b.constant(2, "bias")
    kernel, stride, dilation, pads = _window(b, a, a.get("kernel_shape", weight.shape[2:]))
    groups = a.get("group", 1)
    _guard_window(b, x, weight.shape[0], kernel, stride, dilation, pads)
    if pads[:2] != pads[2:]:
        x, pads = _pad_first(b, x, pads, 0.0), [0, 0, 0, 0]
    conv = nn.utils.skip_init(
        nn.Conv2d,
        weight.shape[1] * groups,
        weight.shape[0],
        kernel,
        stride=stride,
        padding=pads[:2],
        dilation=dilation,
        groups=groups,
        bias=bias is not None,
    )
    conv.weight = nn.Parameter(weight.float())
    if bias is not None:
        conv.bias = nn.Parameter(bias.float())
    return [b.module(conv, x)]


def conv_transpose(b: GraphBuilder, node, a: dict):
    x, weight, bias = b.input(0), b.constant(1, "weights"), b.constant(2, "bias")
    if "output_shape" in a or a.get("auto_pad", "NOTSET") not in ("NOTSET", "", "VALID"):
        raise ModelError(
            f"The ConvTranspose node '{node.name}' sets its output size (output_shape or "
            "auto_pad); ConvScope converts explicit pads only."
        )
    kernel, stride, dilation, pads = _window(b, a, a.get("kernel_shape", weight.shape[2:]))
    if pads[:2] != pads[2:]:
        raise ModelError(f"The ConvTranspose node '{node.name}' pads unevenly ({pads}).")
    groups = a.get("group", 1)
    extra = a.get("output_padding", [0, 0])
    shape = b.example(x).shape
    sides = [
        (n - 1) * s - 2 * p + d * (k - 1) + e + 1
        for n, s, p, d, k, e in zip(shape[2:], stride, pads, dilation, kernel, extra)
    ]
    b.guard((shape[0], weight.shape[1] * groups, *sides))
    layer = nn.utils.skip_init(
        nn.ConvTranspose2d,
        weight.shape[0],
        weight.shape[1] * groups,
        kernel,
        stride=stride,
        padding=pads[:2],
        output_padding=a.get("output_padding", [0, 0]),
        groups=groups,
        bias=bias is not None,
        dilation=dilation,
    )
    layer.weight = nn.Parameter(weight.float())
    if bias is not None:
        layer.bias = nn.Parameter(bias.float())
    return [b.module(layer, x)]


def pool(kind: str):
    def build(b: GraphBuilder, node, a: dict):
        x = b.input(0)
        if len(node.output) > 1 and node.output[1]:
            raise ModelError(f"The MaxPool node '{node.name}' returns indices; unsupported.")
        kernel, stride, dilation, pads = _window(b, a, a["kernel_shape"])
        ceil = bool(a.get("ceil_mode", 0))
        _guard_window(b, x, b.example(x).shape[1], kernel, stride, dilation, pads, ceil)
        even = pads[:2] == pads[2:] and all(2 * p <= k for p, k in zip(pads[:2], kernel))
        if kind == "max":
            if not even:
                x, pads = _pad_first(b, x, pads, float("-inf")), [0, 0, 0, 0]
            layer = nn.MaxPool2d(kernel, stride, pads[:2], dilation, ceil_mode=ceil)
            return [b.module(layer, x)]
        include = bool(a.get("count_include_pad", 0))
        if dilation != [1, 1]:
            raise ModelError(f"The AveragePool node '{node.name}' is dilated; unsupported.")
        if not even:
            if not include:
                raise ModelError(
                    f"The AveragePool node '{node.name}' pads unevenly ({pads}) without "
                    "counting the padding; ConvScope converts even padding only there."
                )
            x, pads = _pad_first(b, x, pads, 0.0), [0, 0, 0, 0]
        layer = nn.AvgPool2d(kernel, stride, pads[:2], ceil_mode=ceil, count_include_pad=include)
        return [b.module(layer, x)]

    return build


def global_pool(kind: type[nn.Module]):
    return lambda b, node, a: [b.module(kind(1), b.input(0))]
