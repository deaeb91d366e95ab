"""A convolution layer as networks use it: a volume in, a volume out.

A layer takes ``C_in`` maps and gives ``C_out``: each output map is one filter of
``C_in / groups`` slices, summed over the input maps of its group, plus a bias
(Grosse's lecture notes: ``z_i = sum_j x_j * w_ij``). ``groups=1`` is the standard layer;
``groups=C_in`` is depthwise (each map filtered alone, as MobileNet does before a 1 x 1
"pointwise" layer mixes the channels; Howard et al., 2017). A 1 x 1 layer mixes
channels at each pixel and does nothing spatial (Lin, Chen & Yan, "Network in
Network", 2013).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .conv import as_float_array, conv2d, output_shape
from .geometry import resolve_padding, to_pair


def conv_layer(x, weight, bias=None, *, stride=1, padding=0, dilation=1, groups=1):
    """Numerically ``F.conv2d``: ``x`` ``(C_in, H, W)``, ``weight`` ``(C_out, C_in //
    groups, kh, kw)``, ``bias`` ``(C_out,)`` or None; returns ``(C_out, H', W')``.

    >>> conv_layer(np.ones((2, 3, 3)), np.ones((1, 2, 3, 3)), np.array([0.5])).tolist()
    [[[18.5]]]
    """
    planes = as_float_array("x", x, ndims=(3,))
    weights = as_float_array("weight", weight, ndims=(4,))
    if not np.isfinite(weights).all():
        raise ValueError("weight holds a non-finite value")
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"groups must be a positive integer; got {groups!r}")
    c_in, c_out = planes.shape[0], weights.shape[0]
    if c_in % groups or c_out % groups:
        raise ValueError(
            f"groups must divide both the input channels ({c_in}) and the filters ({c_out}); "
            f"got groups={groups}"
        )
    if weights.shape[1] != c_in // groups:
        raise ValueError(
            f"weight of shape {weights.shape} needs x with {weights.shape[1] * groups} "
            f"channels for groups={groups}; x has {c_in}"
        )
    per_in, per_out = c_in // groups, c_out // groups
    parts = [
        conv2d(
            planes[g * per_in : (g + 1) * per_in],
            weights[g * per_out : (g + 1) * per_out],
            stride=stride,
            padding=padding,
            dilation=dilation,
        )
        for g in range(groups)
    ]
    out = np.concatenate(parts)  # (C_out, H', W')
    if bias is not None:
        offsets = as_float_array("bias", bias, ndims=(1,))
        if offsets.shape != (c_out,):
            raise ValueError(f"bias must have shape ({c_out},); got {offsets.shape}")
        out += offsets[:, None, None]
    return out


@dataclass(frozen=True)
class LayerCost:
    """Weights and multiply-adds of one layer on one input, with the factors that make them."""

    name: str
    weights: int  # filters x (C_in / groups) x kh x kw (+ biases)
    weight_factors: tuple[int, ...]  # the numbers multiplied, in that order
    multiply_adds: int  # output positions x weights without biases
    output_positions: int  # H' x W'


def layer_costs(c_in: int, c_out: int, kernel: int, output_shape) -> list[LayerCost]:
    """Standard, grouped (2 groups when C_in and C_out allow) and depthwise-separable
    (depthwise k x k, then pointwise 1 x 1) versions of the same layer, biases left out."""
    positions = int(output_shape[0]) * int(output_shape[1])

    def cost(name: str, *factors: int) -> LayerCost:
        weights = int(np.prod(factors))
        return LayerCost(name, weights, factors, positions * weights, positions)

    costs = [cost("standard", c_out, c_in, kernel, kernel)]
    if c_in % 2 == 0 and c_out % 2 == 0:
        costs.append(cost("grouped (2 groups)", c_out, c_in // 2, kernel, kernel))
    depthwise = cost("depthwise", c_in, 1, kernel, kernel)
    pointwise = cost("pointwise 1 x 1", c_out, c_in, 1, 1)
    costs.append(
        LayerCost(
            "depthwise + pointwise",
            depthwise.weights + pointwise.weights,
            (*depthwise.weight_factors, *pointwise.weight_factors),
            depthwise.multiply_adds + pointwise.multiply_adds,
            positions,
        )
    )
    return costs


def separable_share(c_out: int, kernel: int) -> float:
    """Depthwise-separable weights as a share of a standard layer's: ``1/C_out + 1/k^2``
    (Howard et al., "MobileNets", 2017).

    >>> round(separable_share(64, 3), 4)
    0.1267
    """
    return 1 / c_out + 1 / kernel**2


# 1 x 1 layers that mix R, G, B into other channels (rows: output channels).
CHANNEL_MIXES = {
    "luminance": np.array([[0.299, 0.587, 0.114]], np.float32),  # ITU-R BT.601 luma
    "opponent": np.array(
        [
            [1 / 3, 1 / 3, 1 / 3],  # intensity
            [1 / 2, -1 / 2, 0.0],  # red against green
            [1 / 4, 1 / 4, -1 / 2],  # yellow against blue
        ],
        np.float32,
    ),
    "swap_red_blue": np.array([[0, 0, 1], [0, 1, 0], [1, 0, 0]], np.float32),
}


def mix_channels(rgb_planes, mix) -> np.ndarray:
    """A 1 x 1 convolution: each output channel a weighted sum of the input channels at
    the same pixel. ``rgb_planes`` ``(C, H, W)``, ``mix`` ``(C_out, C)``."""
    planes = as_float_array("rgb_planes", rgb_planes, ndims=(3,))
    weights = as_float_array("mix", mix, ndims=(2,))
    return conv_layer(planes, weights[:, :, None, None])


def output_size_of(input_shape, kernel: int, *, stride=1, padding=0, dilation=1):
    """(H', W') of a layer, for the cost table."""
    stride = to_pair("stride", stride, minimum=1)
    dilation = to_pair("dilation", dilation, minimum=1)
    pad = resolve_padding(padding, tuple(input_shape), (kernel, kernel), stride, dilation)
    return output_shape(tuple(input_shape), (kernel, kernel), pad, stride, dilation)


def random_filters(c_out: int, c_in: int, kernel: int, *, seed: int) -> np.ndarray:
    """``(c_out, c_in, kernel, kernel)`` random weights scaled like a network's before
    training (He et al. 2015: variance 2 / fan-in), the same for the same seed."""
    rng = np.random.default_rng(seed)
    scale = np.sqrt(2.0 / (c_in * kernel * kernel))
    return (rng.standard_normal((c_out, c_in, kernel, kernel)) * scale).astype(np.float32)


def time_layers(c_in: int, c_out: int, kernel: int, shape, *, repeats: int = 3, seed: int = 0):
    """Median milliseconds of ``conv_layer`` as standard, grouped (2) and depthwise then
    pointwise, on a random ``(c_in, *shape)`` input; one entry per ``layer_costs`` row."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((c_in, *shape)).astype(np.float32)
    runs = {
        "standard": lambda: conv_layer(
            x, random_filters(c_out, c_in, kernel, seed=1), padding="same"
        )
    }
    if c_in % 2 == 0 and c_out % 2 == 0:
        grouped = random_filters(c_out, c_in // 2, kernel, seed=2)
        runs["grouped (2 groups)"] = lambda: conv_layer(x, grouped, padding="same", groups=2)
    depthwise = random_filters(c_in, 1, kernel, seed=3)
    pointwise = random_filters(c_out, c_in, 1, seed=4)
    runs["depthwise + pointwise"] = lambda: conv_layer(
        conv_layer(x, depthwise, padding="same", groups=c_in), pointwise
    )
    samples = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            samples[name].append((time.perf_counter() - start) * 1e3)
    return {name: float(np.median(values)) for name, values in samples.items()}
