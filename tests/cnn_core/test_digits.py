"""Preparing pictures of digits like MNIST, and how robust the predictions are to it."""

import cv2
import numpy as np
import pytest

from cnn_core.digits import DigitError, preprocess_digit
from cnn_core.nn.digit_reader import predict_digit
from cnn_core.nn.saved_models import HELDOUT_PATH

HELDOUT = np.load(HELDOUT_PATH)
SAMPLE = [HELDOUT["images"][i] / 255.0 for i in range(0, 1000, 10)]  # 100 digits


def _big(digit):
    return cv2.resize(digit, (140, 140), interpolation=cv2.INTER_CUBIC).clip(0, 1)


VARIANTS = {
    "shifted in a larger frame": lambda d: np.roll(np.pad(d, 10), (7, -5), axis=(0, 1)),
    "scaled up 5x": _big,
    "dark ink on white paper": lambda d: 1 - _big(d),
    "bolder strokes": lambda d: cv2.dilate(_big(d), np.ones((5, 5))),
    "thinner strokes": lambda d: cv2.erode(_big(d), np.ones((3, 3))),
    "RGB photo, tinted paper": lambda d: (
        np.repeat((1 - _big(d))[..., None], 3, 2) * [0.9, 0.85, 0.8]
    ),
    "uneven light": lambda d: (0.85 - 0.6 * _big(d)) * np.linspace(0.7, 1.0, 140)[None, :],
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_predictions_survive_how_people_hand_in_digits(name):
    """The same digit, handed in differently, gets the same answer for >= 97 of 100."""
    agree = 0
    for digit in SAMPLE:
        agree += predict_digit(VARIANTS[name](digit)).argmax() == predict_digit(digit).argmax()
    assert agree >= 97, f"{name}: {agree} of 100 agree"


def test_preprocess_digit_boxes_and_centres_like_mnist():
    wide = np.zeros((100, 300))
    wide[40:60, 30:270] = 1.0  # a long horizontal bar far from the centre
    digit = preprocess_digit(wide)
    rows, cols = np.nonzero(digit > 0.5)
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert cols.max() - cols.min() + 1 in (19, 20, 21)  # the longer side becomes 20 px
    total = digit.sum()
    centre = (np.indices(digit.shape) * digit).reshape(2, -1).sum(1) / total
    np.testing.assert_allclose(centre, [13.5, 13.5], atol=0.6)


def test_preprocess_digit_inverts_dark_ink_on_light_paper():
    light = np.ones((50, 50))
    light[10:40, 24:27] = 0.0  # a dark "1"
    dark = 1 - light
    np.testing.assert_allclose(preprocess_digit(light), preprocess_digit(dark), atol=1e-6)
    assert preprocess_digit(light).max() == pytest.approx(1.0)


@pytest.mark.parametrize(
    "picture",
    [
        np.ones((64, 64)),
        np.zeros((64, 64)),
        np.full((30, 30), 0.5),
        np.ones((200, 200)) - np.random.default_rng(0).random((200, 200)) * 0.02,
    ],
    ids=["white", "black", "gray", "faint noise"],
)
def test_preprocess_digit_refuses_pictures_without_ink(picture):
    with pytest.raises(DigitError, match="No ink found"):
        preprocess_digit(picture)


def test_preprocess_digit_refuses_a_speck_and_bad_arrays():
    speck = np.zeros((10, 10))
    speck[4, 4:6] = 1.0
    with pytest.raises(DigitError, match="larger, bolder"):
        preprocess_digit(speck)
    with pytest.raises(DigitError, match="not numbers"):
        preprocess_digit(np.full((10, 10), np.nan))
    with pytest.raises(DigitError, match="Expected a gray"):
        preprocess_digit(np.zeros((4, 4, 7)))
