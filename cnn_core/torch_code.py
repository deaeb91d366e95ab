"""The PyTorch code that computes the same feature map as a ``conv2d`` call.

Shown on the Convolution page so a student can paste it into a notebook and get the
numbers on the screen; the tests run the generated code and compare.
"""

from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS
from .geometry import Padding
from .kernel_text import shortest_float32


def _literal(array: np.ndarray) -> str:
    """A nested Python list that reproduces the float32 values exactly."""
    if array.ndim == 1:
        return "[" + ", ".join(shortest_float32(v) for v in array) + "]"
    return "[" + ", ".join(_literal(a) for a in array) + "]"


def conv2d_torch_code(
    weight: np.ndarray,
    *,
    channels: int,
    grouped: bool,
    pad: Padding,
    padding_mode: str,
    stride: tuple[int, int],
    dilation: tuple[int, int],
    flip: bool,
    activation: str = "none",
) -> str:
    """Python source that turns a numpy ``x`` into ``out``, matching ``conv2d``.

    ``weight`` is ``(kh, kw)`` for one kernel on every channel (``grouped``: each channel
    filtered alone) or ``(C, kh, kw)`` for one filter summed over the channels. ``x`` is
    ``(H, W)`` when ``channels == 1`` and ``(C, H, W)`` otherwise.
    """
    weight = np.asarray(weight, np.float32)
    kh, kw = weight.shape[-2:]
    lines = [
        "import torch",
        "import torch.nn.functional as F",
        "",
        "# x: your image as a float array in [0, 1], shape "
        + ("(H, W)" if channels == 1 else f"({channels}, H, W)"),
        "x = torch.as_tensor(x, dtype=torch.float32)"
        + ("[None, None]  # (1, 1, H, W)" if channels == 1 else "[None]  # (1, C, H, W)"),
    ]
    if weight.ndim == 2:
        lines.append(
            f"kernel = torch.tensor({_literal(weight)}, dtype=torch.float32)  # ({kh}, {kw})"
        )
        if channels == 1:
            lines.append(f"weight = kernel.reshape(1, 1, {kh}, {kw})")
        elif grouped:
            lines.append(
                f"weight = kernel.expand({channels}, 1, {kh}, {kw})  # each channel on its own"
            )
        else:
            lines.append(f"weight = kernel.expand(1, {channels}, {kh}, {kw})  # one filter, summed")
    else:
        lines.append(
            f"weight = torch.tensor([{_literal(weight)}], dtype=torch.float32)"
            f"  # (1, {channels}, {kh}, {kw})"
        )
    if flip:
        lines.append("weight = torch.flip(weight, dims=(-2, -1))  # true convolution")
    padding_arg = ""
    if not pad.is_zero():
        symmetric = pad.top == pad.bottom and pad.left == pad.right
        if padding_mode == "zeros" and symmetric:
            padding_arg = f", padding=({pad.top}, {pad.left})"
        else:
            mode = "constant" if padding_mode == "zeros" else padding_mode
            lines.append(
                f"x = F.pad(x, ({pad.left}, {pad.right}, {pad.top}, {pad.bottom}), mode={mode!r})"
                "  # (left, right, top, bottom)"
            )
    groups = f", groups={channels}" if grouped and channels > 1 and weight.ndim == 2 else ""
    lines.append(
        f"out = F.conv2d(x, weight, stride={tuple(stride)}, dilation={tuple(dilation)}"
        f"{padding_arg}{groups})"
    )
    if code := ACTIVATIONS[activation].torch_code:
        lines.append(code)
    lines.append("out = out[0]  # drop the batch axis: (maps, H', W')")
    return "\n".join(lines)
