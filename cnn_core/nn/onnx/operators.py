"""The operator table: ONNX operator type -> the function that builds it, one family of
operators per module (``windows``, ``dense``, ``arithmetic``, ``shapes``). A builder takes
the graph builder, the node and its attributes, and returns the node's outputs.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from . import arithmetic, dense, shapes, windows

BUILDERS: dict[str, Callable] = {
    "Conv": windows.conv,
    "ConvTranspose": windows.conv_transpose,
    "BatchNormalization": dense.batch_norm,
    "Relu": arithmetic.activation(lambda a: nn.ReLU()),
    "LeakyRelu": arithmetic.activation(lambda a: nn.LeakyReLU(a.get("alpha", 0.01))),
    "Sigmoid": arithmetic.activation(lambda a: nn.Sigmoid()),
    "Tanh": arithmetic.activation(lambda a: nn.Tanh()),
    "HardSwish": arithmetic.activation(lambda a: nn.Hardswish()),
    "HardSigmoid": arithmetic.hard_sigmoid,
    "Gelu": arithmetic.activation(lambda a: nn.GELU(approximate=a.get("approximate", "none"))),
    "Erf": arithmetic.unary(torch.erf),
    "Sqrt": arithmetic.unary(torch.sqrt),
    "Pow": arithmetic.binary(torch.pow),
    "ReduceMean": arithmetic.reduce_mean,
    "LayerNormalization": dense.layer_norm,
    "Clip": arithmetic.clip,
    "Add": arithmetic.binary(torch.add),
    "Sub": arithmetic.binary(torch.sub),
    "Mul": arithmetic.binary(torch.mul),
    "Div": arithmetic.div,
    "MaxPool": windows.pool("max"),
    "AveragePool": windows.pool("average"),
    "GlobalAveragePool": windows.global_pool(nn.AdaptiveAvgPool2d),
    "GlobalMaxPool": windows.global_pool(nn.AdaptiveMaxPool2d),
    "Gemm": dense.gemm,
    "MatMul": dense.matmul,
    "Flatten": shapes.flatten,
    "Reshape": shapes.reshape,
    "Squeeze": shapes.squeeze,
    "Unsqueeze": shapes.unsqueeze,
    "Concat": shapes.concat,
    "Softmax": arithmetic.softmax(log=False),
    "LogSoftmax": arithmetic.softmax(log=True),
    "Pad": shapes.pad,
    "Identity": shapes.passthrough,
    "Dropout": shapes.passthrough,
    "Constant": shapes.constant,
    "ConstantOfShape": shapes.constant_of_shape,
    "Shape": shapes.shape,
    "Gather": shapes.gather,
    "Cast": shapes.cast,
    "Slice": shapes.slice_tensor,
    "Transpose": shapes.transpose,
}
