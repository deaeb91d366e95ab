"""The Pooling page through AppTest."""

import re

import pytest

from app.widgets.image_source import SAMPLES_DIR, sample_manifest
from cnn_core import KERNELS, conv2d, load_image
from cnn_core.activations import relu
from cnn_core.colour import to_gray
from cnn_core.pool import pool2d

from .conftest import assert_clean, run_app


def run_pooling(**params):
    return run_app("pooling", **params)


def html_texts(at):
    return [h.value for h in at.get("html")]


def test_pooling_page_opens_with_the_formula():
    at = run_pooling()
    assert_clean(at)
    assert at.title[0].value == "Pooling"
    # cat at 256: 170 x 256, max pool 2 stride 2 -> 85 x 128.
    formula = next(h.value for h in at.get("html") if "cs-formula" in h.value)
    assert "= <b>85</b>" in formula and "= <b>128</b>" in formula


@pytest.mark.parametrize("mode", ["max", "avg", "l2"])
def test_pooling_window_arithmetic_equals_pool2d(mode):
    at = run_pooling()
    at.radio(key="pool_mode").set_value(mode).run()
    at.number_input(key="pool_row").set_value(30).run()
    at.number_input(key="pool_col").set_value(41).run()
    assert_clean(at)
    entry = next(e for e in sample_manifest() if e["key"] == "cat")
    gray = to_gray(load_image(SAMPLES_DIR / entry["file"], max_side=256))
    source = relu(conv2d(gray, KERNELS["sobel_x"], padding="same"))
    expected = pool2d(source, 2, mode=mode)[30, 41]
    shown = next(t for t in html_texts(at) if "<b>" in t and "the window" in t)
    value = float(re.findall(r"<b>(-?[0-9.]+)</b>", shown)[-1])
    assert value == pytest.approx(float(expected), abs=1e-4)


@pytest.mark.parametrize("view", ["switches", "shift"])
def test_pooling_other_views_render(view):
    at = run_pooling(view=view, size=4, stride=4)
    assert_clean(at)
    captions = " ".join(c.value for c in at.caption)
    assert ("switches" in captions) if view == "switches" else ("1-pixel shift" in captions)


def test_pooling_switches_explain_themselves_for_average_pooling():
    at = run_pooling(view="switches", mode="avg")
    assert_clean(at)
    assert any("belong to max pooling" in i.value for i in at.info)


def test_pooling_ceil_mode_and_padding_appear_in_the_formula():
    at = run_pooling(size=3, stride=2, pad=1, ceil=1)
    assert_clean(at)
    formula = next(h.value for h in at.get("html") if "cs-formula" in h.value)
    # ceil((170 + 2 - 3) / 2) + 1 = 86 rows; ceil((256 + 2 - 3) / 2) + 1 = 129 columns.
    assert "⌈" in formula and "= <b>86</b>" in formula and "= <b>129</b>" in formula


def test_pooling_the_image_itself_and_bad_links():
    at = run_pooling(src="image", size="9", mode="median")
    assert_clean(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "`size`" in warnings and "`mode`" in warnings
    assert at.slider(key="pool_size").value == 2


def test_pooling_window_bigger_than_a_tiny_upload_is_explained(tmp_path):
    from PIL import Image

    path = tmp_path / "tiny.png"
    Image.new("RGB", (5, 4), (90, 90, 90)).save(path)
    at = run_pooling(size=8, stride=8)
    at.radio(key="pool_source").set_value("Upload").run()
    at.file_uploader(key="pool_upload").set_value(("tiny.png", path.read_bytes(), "image/png"))
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("no pooled map" in e and "window does not fit in 4" in e for e in errors), errors
    assert at.image, "the map before pooling is still shown"
