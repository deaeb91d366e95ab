"""ConvRun: the Convolution and Compare pages' convolution of a picture."""

import numpy as np

from cnn_core import KERNELS, conv2d
from cnn_core.colour import to_gray
from cnn_core.conv_run import ConvRun, looks_like_an_image


def test_conv_run_gray_is_conv2d_of_the_gray_picture_then_the_activation():
    rgb = np.random.default_rng(0).random((12, 10, 3)).astype(np.float32)
    options = dict(stride=2, padding=1, padding_mode="zeros", dilation=1)
    run = ConvRun.compute(
        rgb, KERNELS["sobel_x"], flip=False, colour="gray", conv_options=options, activation="relu"
    )
    raw = conv2d(to_gray(rgb), KERNELS["sobel_x"], **options)
    np.testing.assert_allclose(run.raw_maps[0], raw, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(run.maps[0], np.maximum(raw, 0), rtol=1e-5, atol=1e-6)
    assert run.names == ("gray",) or len(run.names) == 1


def test_looks_like_an_image_when_the_weights_add_up_to_one():
    assert looks_like_an_image(KERNELS["box_blur"], "gray", "none")
    assert not looks_like_an_image(KERNELS["sobel_x"], "gray", "none")  # weights add up to 0
    # one 2-D kernel summed over three channels triples the brightness unless it sums to 1/3
    assert not looks_like_an_image(KERNELS["box_blur"], "summed", "none")
    assert looks_like_an_image(KERNELS["box_blur"] / 3, "summed", "none")
