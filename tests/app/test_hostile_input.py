"""Hostile input through the pages: every case ends with a message where the user is
looking, no exception, and the next valid action working.

The cases: the bad-file corpus uploaded; custom kernels that are not numbers or are
absurd; settings at and past their limits; URL parameters that are negative, huge,
non-numeric or hundreds of kilobytes long; and odd-but-valid pictures (a 20000 x 2 strip).
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from ..cnn_core.image_corpus import BAD, VALID
from .conftest import assert_clean, clickable_pictures, described_pictures, run_app

LONG = "7" * 300_000  # a 300 kB parameter


def messages(at) -> str:
    """Everything the page says in its boxes, main area and sidebar alike."""
    boxes = [*at.error, *at.warning, *at.info]
    return " ".join(box.value for box in boxes)


def feature_map_shown(at) -> bool:
    """The first feature map reached the browser as a picture with pixels in it."""
    shown = clickable_pictures(at).get("conv_map_0")
    return shown is not None and shown.size > 0


def upload(at, name: str, data: bytes):
    at.radio(key="conv_source").set_value("Upload").run()
    at.file_uploader(key="conv_upload").set_value((name, data, "application/octet-stream"))
    return at.run()


def recovers(at) -> None:
    """The next valid action works: back to the sample, a normal kernel, a clean page."""
    at.radio(key="conv_source").set_value("Sample").run()
    assert not at.exception
    assert feature_map_shown(at)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_uploaded_are_named_and_the_sample_stays(name):
    make, expected = BAD[name]
    at = upload(run_app(res=128), f"{name}.png", make())
    assert not at.exception
    said = " ".join(e.value for e in at.error)
    assert expected.lower() in said.lower(), said
    assert "Showing the sample instead" in said
    assert feature_map_shown(at)  # the page goes on with the sample
    recovers(at)


ODD_BUT_VALID = {
    "png_strip_5000x2": "png",
    "png_1x1": "png",
    "jpeg_cmyk": "jpg",
    "tiff_multipage": "tif",
}


@pytest.mark.parametrize("name", sorted(ODD_BUT_VALID))
def test_odd_but_valid_files_are_used(name):
    at = upload(run_app(res=128), f"{name}.{ODD_BUT_VALID[name]}", VALID[name]())
    assert not at.exception
    assert not at.error, messages(at)
    assert any("Input: your upload" in caption for _, caption in described_pictures(at))


def test_a_20000_by_2_picture_becomes_a_1024_by_1_strip_and_says_why():
    strip = Image.fromarray(np.tile(np.arange(256, dtype=np.uint8), (2, 79))[:, :20000])
    data = io.BytesIO()
    strip.save(data, format="PNG")
    at = upload(run_app(res=1024), "strip.png", data.getvalue())
    assert not at.exception
    note = messages(at)
    assert "Your image is 20000 x 2 pixels" in note
    assert "1024 x 1" in note
    recovers(at)


CUSTOM_KERNELS = {
    "nan": ("nan", "is nan; use a finite number"),
    "inf": ("1 inf; 0 0", "is inf; use a finite number"),
    "empty cell": ("1  ; 2 3", "row"),
    "text": ("edge please", "not a number"),
    "huge": ("1e308 1e308; 1e308 1e308", "keep cells within +/- 1,000,000"),
    "ragged": ("1 2 3; 4 5", "row"),
    "too large": ("; ".join(["1 " * 16] * 16), "sizes from 1 x 1 to 15 x 15"),
    "empty": ("", "empty"),
}


@pytest.mark.parametrize("case", sorted(CUSTOM_KERNELS))
def test_custom_kernels_that_cannot_work_are_explained_in_the_link(case):
    text, expected = CUSTOM_KERNELS[case]
    at = run_app(kernel="custom", custom=text)
    assert not at.exception
    assert expected.lower() in messages(at).lower(), messages(at)
    at.selectbox(key="conv_kernel").set_value("sobel_x").run()
    assert_clean(at)
    assert feature_map_shown(at)


def test_a_15_by_15_kernel_of_zeros_gives_a_zero_map_not_an_error():
    zeros = "; ".join([" ".join(["0"] * 15)] * 15)
    at = run_app(kernel="custom", custom=zeros)
    assert_clean(at)
    assert feature_map_shown(at)
    assert any("values from 0 to 0." in e.proto.body for e in at.get("html"))


SETTINGS = {
    "stride at its limit": ({"stride": "8"}, None),
    "stride past it": ({"stride": "9"}, "`stride` must be a whole number from 1 to 8"),
    "padding at its limit": ({"padk": "amount", "pad": "15"}, None),
    "padding past it": ({"padk": "amount", "pad": "16"}, "`pad` must be"),
    "dilation at its limit": ({"dil": "8"}, None),
    "dilation past it": ({"dil": "99"}, "`dil` must be"),
    "negative stride": ({"stride": "-2"}, "`stride` must be"),
    "huge number": ({"stride": "9" * 500}, "`stride`"),
    "not a number": ({"dil": "two"}, "`dil` must be"),
    "float": ({"stride": "1.5"}, "`stride` must be"),
    "unknown working size": ({"res": "333"}, "`res` must be one of"),
    "unknown sample": ({"sample": "../../etc/passwd"}, "`sample` must be one of"),
    "unknown kernel": ({"kernel": "<script>"}, "`kernel` must be one of"),
    "position past the map": ({"row": "4096"}, "`row` must be a pixel position"),
    "position at the limit": ({"view": "inspector", "row": "4095", "col": "4095"}, None),
    "negative position": ({"col": "-7"}, "`col` must be a pixel position"),
    "300 kB parameter": ({"custom": LONG, "kernel": "custom"}, "longer than 600 characters"),
    "unknown parameters": ({"zzz": "1", "<b>": "x"}, "unknown"),
}


@pytest.mark.parametrize("case", sorted(SETTINGS))
def test_settings_at_and_past_their_limits(case):
    params, expected = SETTINGS[case]
    at = run_app(**params)
    assert not at.exception
    if expected is None:
        assert not at.error and feature_map_shown(at) or "no feature map" in messages(at).lower()
    else:
        assert expected in messages(at), messages(at)
        assert feature_map_shown(at)  # the defaults are used instead


def test_padding_past_the_image_explains_itself_with_the_formula():
    at = run_app(
        padk="valid",
        kernel="custom",
        custom="; ".join(["1 " * 15] * 15),
        res=128,
        dil="8",
    )
    assert not at.exception
    said = messages(at)
    assert "These settings give no feature map" in said
    assert "the kernel spans 113 input pixels (15 taps, dilation 8)" in said
    assert "floor((85 + 0 + 0 - 113) / 1) + 1 = -27" in said
    at.slider(key="conv_dil").set_value(1).run()
    assert_clean(at)


OTHER_PAGES = {
    "pooling size 0": ("pooling", {"size": "0"}, "`size` must be"),
    "pooling unknown mode": ("pooling", {"mode": "median"}, "`mode` must be one of"),
    "stack garbage": ("layer_stack", {"layers": "conv.nothing,,rand.999.99"}, "`layers`"),
    "fields too many layers": ("receptive_field", {"layers": ",".join(["c3"] * 99)}, "at most"),
    "matrix input too big": ("matrix", {"x": "; ".join(["1 " * 30] * 30)}, "`x`"),
    "transposed bad kernel": ("transposed", {"k": "x y; z"}, "`k`"),
    "signals bad rate": ("signals", {"lr": "fast"}, "`lr`"),
    "training bad rate": ("training", {"lr": "-1"}, "`lr`"),
    "quiz negative seed": ("quiz", {"q": "-1"}, "`q` must be"),
    "lesson step 0": ("lesson", {"step": "0"}, "`step` must be"),
    "compare bad pictures": ("compare", {"pics": "../../etc"}, "`pics` must list"),
    "live no kernels": ("live_camera", {"kernels": ","}, "`kernels` must list"),
    "network bad model": ("network", {"model": "../../../x"}, "`model`"),
    "real networks unknown": ("real_networks", {"net": "gpt"}, "`net` must be one of"),
}


@pytest.mark.parametrize("case", sorted(OTHER_PAGES))
def test_bad_links_to_the_other_pages(case):
    page, params, expected = OTHER_PAGES[case]
    at = run_app(page, **params)
    assert not at.exception
    assert expected in messages(at), messages(at)
