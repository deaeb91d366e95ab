"""Colour handling: gray, each channel alone, or one filter summed over channels."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnn_core import KERNELS, conv2d
from cnn_core.colour import convolve_image, input_planes, map_names, to_gray

RGB = np.random.default_rng(5).random((9, 12, 3)).astype(np.float32)


def test_to_gray_uses_bt601_luma_like_pillow():
    from PIL import Image

    pixels = (RGB * 255).round().astype(np.uint8)
    pillow = np.asarray(Image.fromarray(pixels).convert("L"), np.float32)
    np.testing.assert_allclose(to_gray(pixels.astype(np.float32)), pillow, atol=0.51)


def test_convolve_image_channels_mode_is_a_grouped_convolution():
    kernel = KERNELS["sobel_y"]
    maps = convolve_image(RGB, kernel, "channels", padding=1)
    x = torch.from_numpy(np.moveaxis(RGB, 2, 0))[None]
    weight = torch.tensor(kernel).expand(3, 1, 3, 3)  # KERNELS arrays are read-only
    reference = F.conv2d(x, weight, padding=1, groups=3)[0].numpy()
    np.testing.assert_allclose(maps, reference, atol=1e-5)
    assert map_names("channels") == ("red", "green", "blue")


def test_convolve_image_summed_mode_is_one_conv_layer_filter():
    bank = np.random.default_rng(1).standard_normal((3, 3, 3)).astype(np.float32)
    maps = convolve_image(RGB, bank, "summed", stride=2)
    x = torch.from_numpy(np.moveaxis(RGB, 2, 0))[None]
    reference = F.conv2d(x, torch.from_numpy(bank)[None], stride=2)[0].numpy()
    assert maps.shape == reference.shape == (1, 4, 5)
    np.testing.assert_allclose(maps, reference, atol=1e-5)
    # A 2-D kernel in summed mode is the same slice on every channel.
    same = convolve_image(RGB, KERNELS["laplacian"], "summed")
    np.testing.assert_allclose(same[0], conv2d(RGB.sum(axis=2), KERNELS["laplacian"]), atol=1e-5)


def test_convolve_image_gray_mode_matches_conv2d_on_luma():
    maps = convolve_image(RGB, KERNELS["box_blur"], "gray", padding="same")
    np.testing.assert_array_equal(
        maps[0], conv2d(to_gray(RGB), KERNELS["box_blur"], padding="same")
    )
    assert input_planes(RGB, "gray").shape == (1, 9, 12)


def test_convolve_image_rejects_bad_modes():
    with pytest.raises(ValueError, match="mode must be one of"):
        convolve_image(RGB, KERNELS["identity"], "hsv")
    with pytest.raises(ValueError, match="takes a 2-D kernel"):
        convolve_image(RGB, np.ones((3, 3, 3)), "channels")
