"""The generated PyTorch code, run for real, gives the same feature map as conv2d."""

import numpy as np
import pytest

from cnn_core import KERNELS
from cnn_core.activations import apply_activation
from cnn_core.colour import convolve_image, input_planes
from cnn_core.geometry import resolve_padding
from cnn_core.torch_code import conv2d_torch_code


def run_snippet(code: str, x: np.ndarray) -> np.ndarray:
    namespace = {"x": x}
    exec(code, namespace)  # noqa: S102 - the code under test is ours
    return namespace["out"].numpy()


CASES = [
    dict(colour="gray", padding="same", mode="zeros", stride=1, dilation=1, flip=False),
    dict(colour="gray", padding=2, mode="reflect", stride=2, dilation=1, flip=True),
    dict(colour="channels", padding="same", mode="circular", stride=1, dilation=2, flip=False),
    dict(colour="summed", padding="valid", mode="zeros", stride=3, dilation=1, flip=True),
    dict(colour="summed", padding=1, mode="replicate", stride=2, dilation=2, flip=False),
    dict(colour="gray", padding="same", mode="zeros", stride=2, dilation=1, flip=False),
]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("activation", ["none", "relu", "leaky_relu", "sigmoid", "tanh", "abs"])
def test_torch_code_reproduces_the_feature_map(case, activation):
    rng = np.random.default_rng(0)
    rgb = rng.random((19, 23, 3)).astype(np.float32)
    kernel = KERNELS["kirsch_ne"] if case["colour"] != "summed" else rng.standard_normal((3, 3, 2))
    options = dict(
        stride=case["stride"],
        padding=case["padding"],
        padding_mode=case["mode"],
        dilation=case["dilation"],
    )
    expected = apply_activation(
        activation, convolve_image(rgb, kernel, case["colour"], flip=case["flip"], **options)
    )
    planes = input_planes(rgb, case["colour"])
    pad = resolve_padding(
        case["padding"],
        planes.shape[1:],
        kernel.shape[-2:],
        (case["stride"],) * 2,
        (case["dilation"],) * 2,
    )
    code = conv2d_torch_code(
        kernel,
        channels=len(planes),
        grouped=case["colour"] == "channels",
        pad=pad,
        padding_mode=case["mode"],
        stride=(case["stride"],) * 2,
        dilation=(case["dilation"],) * 2,
        flip=case["flip"],
        activation=activation,
    )
    x = planes[0] if len(planes) == 1 else planes
    np.testing.assert_allclose(run_snippet(code, x), expected, rtol=1e-5, atol=1e-5)


def test_torch_code_uses_fpad_only_when_needed():
    pad = resolve_padding(1, (10, 10), (3, 3), (1, 1), (1, 1))
    code = conv2d_torch_code(
        KERNELS["sobel_x"],
        channels=1,
        grouped=False,
        pad=pad,
        padding_mode="zeros",
        stride=(1, 1),
        dilation=(1, 1),
        flip=False,
    )
    assert "F.pad" not in code and "padding=(1, 1)" in code
    assert "[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]" in code
