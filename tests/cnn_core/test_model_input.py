"""What a user's model is fed: the photo covered and cropped to its input, in grey or
colour, and the normalisation read from text or the model's metadata."""

import numpy as np
import pytest
import torch
from torchvision.transforms import v2

from cnn_core.model_input import (
    GREY_MEAN,
    IMAGENET_MEAN,
    IMAGENET_STD,
    default_normalisation,
    model_picture,
    parse_values,
)
from cnn_core.nn.model_run import to_batch


def test_values_parse_one_per_channel_and_one_for_all():
    assert parse_values("0.485, 0.456, 0.406", 3, "Mean") == IMAGENET_MEAN
    assert parse_values("0.5", 3, "Mean") == (0.5, 0.5, 0.5)
    assert parse_values("0.1 0.2;0.3", 3, "Mean") == (0.1, 0.2, 0.3)


@pytest.mark.parametrize(
    "text, channels, what, words",
    [
        ("0.1, 0.2", 3, "Mean", "needs 3"),
        ("a, b, c", 3, "Mean", "must be 3 number"),
        ("nan", 1, "Mean", "finite"),
        ("0.2, 0, 0.2", 3, "Std", "above 0"),
    ],
)
def test_bad_values_say_what_is_wanted(text, channels, what, words):
    with pytest.raises(ValueError, match=words):
        parse_values(text, channels, what)


def test_defaults_are_imagenets_unless_the_metadata_says_otherwise():
    assert default_normalisation(3, {}) == (IMAGENET_MEAN, IMAGENET_STD)
    assert default_normalisation(1, {})[0] == GREY_MEAN
    mean, std = default_normalisation(3, {"mean": "[0.5, 0.5, 0.5]", "std": "0.25,0.25,0.25"})
    assert mean == (0.5, 0.5, 0.5) and std == (0.25, 0.25, 0.25)
    # Unreadable metadata leaves the default.
    assert default_normalisation(3, {"mean": "bright"})[0] == IMAGENET_MEAN


def test_the_picture_covers_the_input_and_is_cropped_at_the_centre():
    # 4 x 8 pixels in 2 x 2 blocks of one value each: covering a 2 x 2 input halves it
    # (4 x 8 -> 2 x 4, each pixel the mean of its block) and the middle two columns stay.
    blocks = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]], np.float32)
    rgb = np.repeat(np.repeat(blocks, 2, axis=0), 2, axis=1)[..., None].repeat(3, axis=2)
    planes = model_picture(rgb, (2, 2), 3)
    assert planes.shape == (3, 2, 2)
    np.testing.assert_allclose(planes[0], [[0.2, 0.3], [0.6, 0.7]], atol=1e-6)


def test_grey_is_luminance_and_four_channels_add_an_opaque_alpha():
    rgb = np.zeros((4, 4, 3), np.float32)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = 1.0, 0.5, 0.0
    grey = model_picture(rgb, (4, 4), 1)
    np.testing.assert_allclose(grey, np.full((1, 4, 4), 0.299 + 0.5 * 0.587), atol=1e-6)
    rgba = model_picture(rgb, (4, 4), 4)
    assert rgba.shape == (4, 4, 4) and (rgba[3] == 1).all()
    with pytest.raises(ValueError, match="2 input channels"):
        model_picture(rgb, (4, 4), 2)


def test_the_batch_is_normalised_as_torchvision_does():
    planes = np.random.default_rng(0).random((3, 5, 6), dtype=np.float32)
    expected = v2.Normalize(IMAGENET_MEAN, IMAGENET_STD)(torch.from_numpy(planes))
    batch = to_batch(planes, IMAGENET_MEAN, IMAGENET_STD)
    assert batch.shape == (1, 3, 5, 6)
    torch.testing.assert_close(batch[0], expected)
