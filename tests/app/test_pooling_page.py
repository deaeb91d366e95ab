"""The Pooling page through AppTest."""

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from app.widgets.sources.image_source import SAMPLES_DIR, sample_manifest
from cnn_core import KERNELS, conv2d, load_image
from cnn_core.activations import relu
from cnn_core.colour import to_gray

from ..printed_arithmetic import check_printed
from .conftest import assert_clean, described_pictures, page_title, run_app


def run_pooling(**params):
    return run_app("pooling", **params)


def html_texts(at):
    return [h.value for h in at.get("html")]


def test_pooling_page_opens_with_the_formula():
    at = run_pooling()
    assert_clean(at)
    assert page_title(at) == "Pooling"
    # cat at 256: 170 x 256, max pool 2 stride 2 -> 85 x 128.
    formula = next(h.value for h in at.get("html") if "cs-formula" in h.value)
    assert "= <b>85</b>" in formula and "= <b>128</b>" in formula
    for line in formula.split("<div>")[2:4]:  # the two lines with numbers
        check_printed(line.split("</div>")[0])


def cat_source(side: int = 256) -> np.ndarray:
    """The page's default source, built independently: ReLU of Sobel x on the gray cat."""
    entry = next(e for e in sample_manifest() if e["key"] == "cat")
    gray = to_gray(load_image(SAMPLES_DIR / entry["file"], max_side=side))
    return relu(conv2d(gray, KERNELS["sobel_x"], padding="same", padding_mode="replicate"))


def torch_pool(source, mode, size, stride, padding, ceil_mode):
    """PyTorch's own pooled map of the same source and settings."""
    x = torch.from_numpy(np.asarray(source, np.float64))[None, None]
    if mode == "max":
        out = F.max_pool2d(x, size, stride, padding, ceil_mode=ceil_mode)
    elif mode == "avg":
        out = F.avg_pool2d(x, size, stride, padding, ceil_mode=ceil_mode)
    else:
        out = F.lp_pool2d(F.pad(x, (padding,) * 4), 2, size, stride, ceil_mode=ceil_mode)
    return out[0, 0].numpy()


def window_formula(at) -> str:
    """The printed arithmetic of the inspected pooling window (HTML)."""
    block = next(h.value for h in at.get("html") if "cs-pool-sum" in h.value)
    return re.search(r'<p class="cs-pool-sum">(.*?)</p>', block).group(1)


@pytest.mark.parametrize("mode", ["max", "avg", "l2"])
@pytest.mark.parametrize(
    "size, stride, padding, ceil, row, col",
    [
        (2, 2, 0, 0, 30, 41),  # a whole window inside the image
        (3, 2, 0, 1, 84, 60),  # ceil mode: the window hangs past the last row (the issue's link)
        (3, 2, 1, 0, 0, 0),  # the corner window reads padding
    ],
)
def test_pooling_printed_arithmetic_makes_the_printed_value_and_torchs(
    mode, size, stride, padding, ceil, row, col
):
    at = run_pooling(mode=mode, size=size, stride=stride, pad=padding, ceil=ceil, row=row, col=col)
    assert_clean(at)
    formula = window_formula(at)
    printed = check_printed(formula, rounding=5e-5)  # terms and result printed to 4 decimals
    expected = torch_pool(cat_source(), mode, size, stride, padding, bool(ceil))[row, col]
    assert printed == pytest.approx(float(expected), abs=1e-4)


def test_pooling_the_issues_ceil_mode_window_says_how_torch_divides():
    """cat at 256: 170 rows; row 84 of a 3-wide, stride-2 ceil-mode pool starts at input
    row 168, so its window holds rows 168 and 169 of the image and a third row past it:
    6 of its 9 cells lie in the input, and PyTorch divides by 6."""
    at = run_pooling(mode="avg", size=3, stride=2, ceil=1, row=84, col=60)
    formula = window_formula(at)
    assert formula.rstrip().split("=")[0].rstrip().endswith("/ 6")
    sentences = " ".join(h.value for h in at.get("html") if "divides by" in h.value)
    assert "divides by the 6 cells inside it, not by all 9" in sentences
    at = run_pooling(mode="l2", size=3, stride=2, ceil=1, row=84, col=60)
    formula = window_formula(at)
    assert "√(9 × (" in formula and ") / 6)" in formula
    assert "multiplies it by the 9 cells" in " ".join(h.value for h in at.get("html"))


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
    assert torch_pool(cat_source(), "max", 3, 2, 1, True).shape == (86, 129)


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
    assert described_pictures(at), "the map before pooling is still shown"


def test_the_pooled_map_is_described_in_numbers_that_are_torchs():
    """The clickable pooled map's text alternative: its size, range and strongest cell, as
    PyTorch pools the page's default source (max 2, stride 2 on the cat)."""
    import json

    at = run_pooling()
    assert_clean(at)
    alts = [json.loads(e.proto.json or "{}").get("alt", "") for e in at.get("bidi_component")]
    (alt,) = [a for a in alts if a.startswith("Pooled map")]
    expected = torch_pool(cat_source(), "max", 2, 2, 0, False)
    found = re.fullmatch(
        r"Pooled map, (\d+) x (\d+), from (\S+) to (\S+); strongest response at row (\d+), "
        r"column (\d+)",
        alt,
    )
    assert found, alt
    height, width, low, high, row, col = found.groups()
    assert (int(height), int(width)) == expected.shape == (85, 128)
    assert float(low) == pytest.approx(expected.min(), abs=0.01)
    assert float(high) == pytest.approx(expected.max(), abs=0.01)
    assert expected[int(row), int(col)] == expected.max()


def test_the_map_before_pooling_is_described_in_numbers_that_are_torchs():
    """The picture of the map before pooling says it in numbers: its size, range and
    strongest cell, from the page's default source computed by PyTorch (Sobel x on the
    gray cat with replicated borders, then ReLU), and the boxed window of the picked
    pooled cell."""
    at = run_pooling()
    assert_clean(at)
    (alt,) = [a for a, caption in described_pictures(at) if caption.startswith("Before pooling")]
    entry = next(e for e in sample_manifest() if e["key"] == "cat")
    gray = to_gray(load_image(SAMPLES_DIR / entry["file"], max_side=256))
    padded = F.pad(
        torch.from_numpy(np.asarray(gray, np.float64))[None, None], (1,) * 4, "replicate"
    )
    sobel = torch.from_numpy(np.asarray(KERNELS["sobel_x"], np.float64))[None, None]
    expected = torch.relu(F.conv2d(padded, sobel))[0, 0].numpy()
    found = re.fullmatch(
        r"Map before pooling, (\d+) x (\d+), from (\S+) to (\S+); strongest response at "
        r"row (\d+), column (\d+); (.*)",
        alt,
    )
    assert found, alt
    height, width, low, high, row, col, box = found.groups()
    assert (int(height), int(width)) == expected.shape == (170, 256)
    assert float(low) == pytest.approx(expected.min(), abs=0.01)
    assert float(high) == pytest.approx(expected.max(), abs=0.01)
    assert expected[int(row), int(col)] == pytest.approx(expected.max(), abs=1e-5)
    # Window 2, stride 2: pooled cell (r, c) covers rows 2r to 2r + 1, columns 2c to 2c + 1.
    cell = re.fullmatch(r"window of pooled cell \((\d+), (\d+)\) boxed: (.*)", box)
    assert cell, box
    r, c = int(cell[1]), int(cell[2])
    assert (r, c) == (42, 64)  # the middle of the 85 x 128 pooled map, picked as it opens
    assert cell[3] == f"rows {2 * r} to {2 * r + 1}, columns {2 * c} to {2 * c + 1} (2 x 2 pixels)"
