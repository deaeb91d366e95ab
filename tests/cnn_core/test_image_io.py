"""load_image on a generated corpus of odd-but-valid and bad files."""

import io

import numpy as np
import pytest

from cnn_core import ImageError, load_image

from .image_corpus import BAD, VALID


@pytest.mark.parametrize("name", sorted(VALID))
def test_load_image_returns_rgb_float_in_unit_range(name):
    image = load_image(VALID[name]())
    assert image.dtype == np.float32
    assert image.ndim == 3 and image.shape[2] == 3
    assert max(image.shape[:2]) <= 1024
    assert np.isfinite(image).all()
    assert image.min() >= 0.0 and image.max() <= 1.0


def test_load_image_16bit_gray_keeps_the_whole_range_without_clipping():
    image = load_image(VALID["png_16bit_gray"]())
    row = image[0, :, 0]
    np.testing.assert_allclose(row, np.linspace(0, 65535, 64).round() / 65535, rtol=1e-6)
    assert len(np.unique(row)) == 64  # 8-bit conversion by clipping would saturate most


def test_load_image_16bit_rgb_keeps_the_colours():
    image = load_image(VALID["png_16bit_rgb"]())
    assert image.shape == (16, 32, 3)
    assert image[0, -1, 0] == pytest.approx(1.0, abs=1 / 255)  # red at the right edge
    assert image[-1, 0, 1] == pytest.approx(1.0, abs=1 / 255)  # green at the bottom
    assert image[0, 0, 0] == pytest.approx(0.0, abs=1 / 255)


def test_load_image_16bit_tiff_scales_by_16_bits():
    assert load_image(VALID["tiff_16bit_gray"]())[0, 0, 0] == pytest.approx(30000 / 65535)


def test_load_image_composites_transparency_on_white():
    palette = load_image(VALID["png_palette_transparency"]())
    np.testing.assert_allclose(palette[:, :5], 1.0)  # transparent half is white
    assert (palette[:, 5:] == [1.0, 0.0, 0.0]).all()  # opaque red
    rgba = load_image(VALID["png_rgba"]())
    alpha = 128 / 255
    np.testing.assert_allclose(rgba[0, 0], [1 - alpha, 1 - alpha, 1.0], atol=1e-6)
    la = load_image(VALID["png_la"]())
    np.testing.assert_allclose(la[0, 0], 0.0)
    np.testing.assert_allclose(la[1, 1], 1.0)
    np.testing.assert_allclose(load_image(VALID["webp_rgba"]()), 1.0)
    gif = load_image(VALID["gif_transparent"]())
    np.testing.assert_allclose(gif[:4], 1.0)
    assert (gif[4:] == [0.0, 1.0, 0.0]).all()


def test_load_image_applies_exif_orientation():
    stored = (20, 40)  # rows, cols as saved; the white marker is top-left
    rotated = load_image(VALID["jpeg_exif_rotate_90"]())
    assert rotated.shape[:2] == stored[::-1]
    # Orientation 6 means "rotate 90 degrees clockwise to display": the marker moves top-right.
    assert rotated[:10, -10:].mean() > 0.9 and rotated[:10, :10].mean() < 0.1
    upside_down = load_image(VALID["jpeg_exif_rotate_180"]())
    assert upside_down.shape[:2] == stored
    assert upside_down[-10:, -10:].mean() > 0.9 and upside_down[:10, :10].mean() < 0.1


def test_load_image_cmyk_jpeg_becomes_rgb():
    np.testing.assert_allclose(load_image(VALID["jpeg_cmyk"]())[8, 8], [1, 0, 0], atol=0.03)


def test_load_image_takes_the_first_frame_of_animations_and_pages():
    np.testing.assert_allclose(load_image(VALID["gif_animated"]())[0, 0], [1, 0, 0])
    np.testing.assert_allclose(load_image(VALID["tiff_multipage"]())[0, 0], [0, 1, 0])


def test_load_image_lossless_formats_are_exact():
    from .image_corpus import gradient

    expected = gradient(20, 10) / 255.0
    for name in ("webp_lossless", "bmp", "tiff_rgb"):
        np.testing.assert_allclose(load_image(VALID[name]()), expected, atol=1e-6, err_msg=name)


def test_load_image_float_tiff_is_stretched_not_clipped():
    row = load_image(VALID["tiff_float"]())[0, :, 0]
    np.testing.assert_allclose(row, np.linspace(0, 1, 30), atol=1e-6)


def test_load_image_downscales_the_longest_side_keeping_aspect():
    assert load_image(VALID["jpeg_photo_3000x2000"]()).shape == (683, 1024, 3)
    assert load_image(VALID["png_strip_5000x2"]()).shape == (1, 1024, 3)
    assert load_image(VALID["png_1x1"]()).shape == (1, 1, 3)
    assert load_image(VALID["jpeg_photo_3000x2000"](), max_side=300).shape == (200, 300, 3)


def test_load_image_downscaling_is_antialiased():
    """A 1-pixel checkerboard averages to mid-grey; naive subsampling would give 0 or 1."""
    small = load_image(VALID["png_checkerboard_2000"](), max_side=250)
    assert small.shape == (250, 250, 3)
    np.testing.assert_allclose(small, 0.5, atol=0.01)


def test_load_image_accepts_paths_and_file_objects(tmp_path):
    data = VALID["bmp"]()
    path = tmp_path / "picture.bmp"
    path.write_bytes(data)
    from_bytes = load_image(data)
    np.testing.assert_array_equal(load_image(str(path)), from_bytes)
    np.testing.assert_array_equal(load_image(path), from_bytes)
    np.testing.assert_array_equal(load_image(io.BytesIO(data)), from_bytes)
    np.testing.assert_array_equal(load_image(bytearray(data)), from_bytes)


@pytest.mark.parametrize("name", sorted(BAD))
def test_load_image_rejects_bad_files_with_a_useful_message(name):
    make, message = BAD[name]
    with pytest.raises(ImageError, match=message):
        load_image(make())


def test_load_image_errors_are_value_errors_and_missing_paths_are_explained(tmp_path):
    assert issubclass(ImageError, ValueError)
    with pytest.raises(ImageError, match="Could not read the file"):
        load_image(tmp_path / "missing.png")
    with pytest.raises(ImageError, match="Give the image as bytes"):
        load_image(12345)
    with pytest.raises(ValueError, match="max_side must be a positive integer"):
        load_image(VALID["bmp"](), max_side=0)
