"""Colour maps, their end colours, and the numbers a colour bar prints."""

import cv2
import numpy as np
import pytest

from cnn_core.drawing import upscale_nearest
from cnn_core.render import (
    DIVERGING_LUT,
    SEQUENTIAL_LUT,
    clipped_share,
    colour_stops,
    image_to_rgb,
    signed_to_rgb,
    symmetric_limit,
    unsigned_to_rgb,
    value_range,
)

WHITE_ISH = (247, 247, 247)  # ColorBrewer RdBu's centre


def test_signed_to_rgb_is_centred_at_zero_and_symmetric():
    values = np.array([[-2.0, -1.0, 0.0, 1.0, 2.0]])
    rgb = signed_to_rgb(values)
    assert tuple(rgb[0, 2]) == WHITE_ISH
    # Negative ends are blue (blue channel wins), positive ends red.
    assert rgb[0, 0, 2] > rgb[0, 0, 0] and rgb[0, 4, 0] > rgb[0, 4, 2]
    # -v and +v sit at mirrored positions of the colour map.
    np.testing.assert_array_equal(rgb[0, 0], DIVERGING_LUT[0])
    np.testing.assert_array_equal(rgb[0, 4], DIVERGING_LUT[254])


def test_signed_to_rgb_range_is_symmetric_even_for_one_sided_maps():
    """A map of only positive values must not paint its smallest value blue."""
    rgb = signed_to_rgb(np.array([[0.0, 0.5, 1.0]]))
    assert tuple(rgb[0, 0]) == WHITE_ISH
    assert rgb[0, 1, 0] > rgb[0, 1, 2]


def test_signed_to_rgb_handles_all_zero_and_a_shared_limit():
    assert (signed_to_rgb(np.zeros((3, 3))) == WHITE_ISH).all()
    rgb = signed_to_rgb(np.array([[1.0, 5.0]]), limit=1.0)
    np.testing.assert_array_equal(rgb[0, 0], rgb[0, 1])  # beyond the limit clips to the end


def test_symmetric_limit_ignores_non_finite_values():
    assert symmetric_limit(np.array([-3.0, 2.0])) == 3.0
    assert symmetric_limit(np.array([np.nan, -1.0, np.inf])) == 1.0
    assert symmetric_limit(np.array([])) == 0.0


def test_unsigned_to_rgb_spans_viridis():
    rgb = unsigned_to_rgb(np.array([[0.0, 10.0]]))
    viridis = cv2.applyColorMap(np.array([[0, 255]], np.uint8), cv2.COLORMAP_VIRIDIS)[0, :, ::-1]
    np.testing.assert_array_equal(rgb[0], viridis)
    np.testing.assert_array_equal(SEQUENTIAL_LUT[[0, 255]], viridis)


def test_image_to_rgb_converts_gray_and_colour():
    gray = image_to_rgb(np.array([[0.0, 1.0]]))
    np.testing.assert_array_equal(gray, [[[0, 0, 0], [255, 255, 255]]])
    colour = image_to_rgb(np.array([[[1.0, 0.5, 0.0]]]))
    np.testing.assert_array_equal(colour, [[[255, 128, 0]]])


@pytest.mark.parametrize("shape, factor", [((3, 3, 3), 86), ((28, 28, 3), 10), ((600, 400, 3), 1)])
def test_upscale_nearest_enlarges_small_maps_by_whole_factors(shape, factor):
    pixels = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
    big = upscale_nearest(pixels, 256)
    assert big.shape[:2] == (shape[0] * factor, shape[1] * factor)
    np.testing.assert_array_equal(big[::factor, ::factor], pixels)


@pytest.mark.parametrize(
    "shape, dtype",
    [
        ((3, 3, 3), np.uint8),
        ((28, 17, 3), np.uint8),
        ((170, 256, 3), np.uint8),
        ((5, 7), np.float32),
        ((1, 1, 3), np.uint16),
        ((9, 4, 4), np.float64),
        ((6, 5, 1), np.uint8),  # one channel: kept as a third axis
        ((6, 5, 3), np.int64),  # a type OpenCV does not resize
        ((4, 6, 3), bool),
    ],
)
def test_upscale_nearest_repeats_every_pixel_as_numpy_does(shape, dtype):
    rng = np.random.default_rng(1)
    pixels = (rng.random(shape) * 255).astype(dtype)
    for min_side in (2, 50, 256, 2048):
        factor = max(1, -(-min_side // min(shape[:2])))
        factor = min(factor, max(1, 2048 // max(shape[:2])))
        expected = np.repeat(np.repeat(pixels, factor, axis=0), factor, axis=1)
        big = upscale_nearest(pixels, min_side)
        assert big.dtype == pixels.dtype
        np.testing.assert_array_equal(big, expected)
    strided = np.asarray(pixels)[::2, ::-1]  # a view OpenCV cannot take as it is
    expected = np.repeat(np.repeat(strided, 4, axis=0), 4, axis=1)
    np.testing.assert_array_equal(upscale_nearest(strided, 4 * min(strided.shape[:2])), expected)


def test_clipped_share_and_value_range_by_hand():
    values = np.array([[-0.5, 0.0, 0.5], [1.0, 1.5, np.nan]], np.float32)
    # -0.5 and 1.5 fall outside 0..1 (NaN is neither): 2 of 6.
    assert clipped_share(values) == pytest.approx(2 / 6)
    assert value_range(values) == (-0.5, 1.5)


def test_colour_stops_run_from_the_map_ends():
    stops = colour_stops(signed=True)
    assert stops[0] == (5, 48, 97) and stops[-1] == (103, 0, 31)  # RdBu's #053061 .. #67001f
    assert stops[len(stops) // 2] == WHITE_ISH


@pytest.mark.parametrize("shape", [(512, 512), (1, 1), (3, 700), (0, 4)])
def test_colour_table_look_up_gives_numpys_pixels(shape):
    from cnn_core.render import _apply_lut

    index = np.random.default_rng(2).integers(0, 256, shape, dtype=np.uint8)
    for lut in (DIVERGING_LUT, SEQUENTIAL_LUT):
        coloured = _apply_lut(index, lut)
        assert coloured.shape == (*shape, 3) and coloured.dtype == np.uint8
        np.testing.assert_array_equal(coloured, lut[index])
