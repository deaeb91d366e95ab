"""The Compare page: one kernel on several pictures, each map torch's, on one scale."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from app.widgets.sources.image_source import sample_image
from cnn_core import KERNELS
from cnn_core.colour import to_gray

from .conftest import assert_clean, described_pictures, page_title, run_app, setting


def captions(at) -> list[str]:
    return [caption for _, caption in described_pictures(at)]


def torch_map(key: str, kernel: str, side: int, **options) -> np.ndarray:
    gray = torch.from_numpy(to_gray(np.array(sample_image(key, side))))[None, None]
    weight = torch.from_numpy(KERNELS[kernel])[None, None]
    return F.conv2d(gray, weight, **options)[0, 0].numpy()


def test_default_comparison_shows_four_pictures_and_their_maps():
    at = run_app("compare")
    assert_clean(at)
    texts = captions(at)
    assert len(texts) == 8  # four pictures, four maps
    reference = torch_map("astronaut", "sobel_x", 256, padding=1)
    low, high = reference.min(), reference.max()
    map_caption = texts[texts.index("Astronaut portrait (face)") + 1]
    assert map_caption.startswith(f"{reference.shape[0]} x {reference.shape[1]}, from ")
    printed = [float(v) for v in map_caption.split("from ")[1].split(" to ")]
    assert printed == pytest.approx([low, high], abs=1e-3)


def test_each_map_is_described_in_numbers_from_torchs_map():
    """A screen reader hears each map's size, range and extremes (not the brightness of
    its colours), worked out again by torch."""
    at = run_app("compare", pics="astronaut")
    pictures = described_pictures(at)
    assert pictures[0][0].startswith("Astronaut portrait (face), 256 x ")
    reference = torch_map("astronaut", "sobel_x", 256, padding=1)
    alt = pictures[1][0]
    height, width = reference.shape
    assert alt.startswith(f"Astronaut portrait (face), feature map, {height} x {width}, from ")
    row, column = divmod(int(np.abs(reference).argmax()), width)
    assert f"strongest response at row {row}, column {column}" in alt


def test_stride_and_kernel_from_the_link_apply_to_every_picture():
    at = run_app("compare", kernel="laplacian", stride=2, pics="cat,text")
    assert_clean(at)
    texts = captions(at)
    for key, title in (("cat", "Chelsea the cat (photo)"), ("text", "Printed text")):
        reference = torch_map(key, "laplacian", 256, padding=1, stride=2)
        assert texts[texts.index(title) + 1].startswith(
            f"{reference.shape[0]} x {reference.shape[1]},"
        )


def test_uploads_join_the_comparison_and_bad_ones_are_named(tmp_path):
    at = run_app("compare", pics="cat")
    picture = Image.fromarray(np.tile(np.arange(64, dtype=np.uint8) * 4, (48, 1)))
    good = io.BytesIO()
    picture.save(good, format="PNG")
    from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

    files = [
        UploadedFile(UploadedFileRec("1", "ramp.png", "image/png", good.getvalue()), None),
        UploadedFile(UploadedFileRec("2", "bad.png", "image/png", b"not an image"), None),
    ]
    at.session_state["compare_uploads"] = files
    at.run()
    texts = captions(at)
    assert "Your picture 1" in texts
    assert any("Upload 2:" in w.value and "not an image" in w.value for w in at.warning)
    assert not at.exception


def test_an_impossible_kernel_and_no_pictures_are_explained():
    at = run_app("compare", kernel="custom", custom="1 2; 3 nope")
    assert not at.exception
    assert at.warning or at.error
    at = run_app("compare", padk="valid", kernel="gaussian_blur", pics="digit")
    assert_clean(at)


def test_the_convolution_pages_button_carries_its_kernel_and_settings():
    at = run_app(kernel="sobel_y", stride=2, sample="cat")
    [b for b in at.button if b.label == "This kernel on several pictures"][0].click().run()
    assert_clean(at)
    assert page_title(at) == "Compare images"
    assert setting(at, "compare", "kernel") == "sobel_y"
    assert setting(at, "compare", "stride") == 2
    assert setting(at, "compare", "pics")[0] == "cat"


def test_comparison_slide_has_a_row_of_pictures_and_a_row_of_maps():
    import cv2

    from app.widgets.pictures.slide import compose_slide

    black = np.zeros((50, 100, 3), np.uint8)
    gray = black + 128
    slide = compose_slide("t", ["a line"], [(black, "a")] * 3 + [(gray, "")] * 3, columns=3)
    assert slide.shape == (1080, 1920, 3)
    black_rows = np.flatnonzero((slide == 0).all(axis=2).sum(axis=1) > 300)
    gray_rows = np.flatnonzero((slide == 128).all(axis=2).sum(axis=1) > 300)
    assert black_rows.max() < gray_rows.min()  # pictures above, maps below
    black_cols = np.flatnonzero((slide == 0).all(axis=2).sum(axis=0) > 100)
    assert black_cols.min() < 640 and black_cols.max() > 1280  # three side by side
    assert cv2.imencode(".png", slide)[0]
