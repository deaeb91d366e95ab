"""The Lesson page: walked end to end, every step's link, and every number it prints
checked against torch or by hand."""

from __future__ import annotations

import importlib
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from app.page_parts.lesson import figures_channels, figures_layer, figures_network
from app.page_parts.lesson.steps import STEPS
from app.widgets.sources.image_source import sample_image
from cnn_core import KERNELS
from cnn_core.colour import to_gray

from ..printed_arithmetic import check_printed
from .conftest import assert_clean, described_pictures, page_title, run_app, setting

PAGE_STATES = {
    "": "app.app_pages.basics.convolution",
    "layer_stack": "app.app_pages.basics.layer_stack",
    "channels": "app.app_pages.under_the_hood.channels",
    "pooling": "app.app_pages.basics.pooling",
    "receptive_field": "app.app_pages.basics.receptive_field",
    "network": "app.app_pages.networks.network",
}
PAGE_TITLES = {
    "": "Convolution",
    "layer_stack": "Layer stack",
    "channels": "Channels and groups",
    "pooling": "Pooling",
    "receptive_field": "Receptive field",
    "network": "Digit network",
}


@pytest.fixture(scope="module")
def coffee() -> np.ndarray:
    return np.array(sample_image("coffee", 256))


def torch_conv(plane: np.ndarray, kernel: np.ndarray, **options) -> np.ndarray:
    x = torch.from_numpy(np.asarray(plane, np.float32))
    weight = torch.from_numpy(np.asarray(kernel, np.float32))
    while x.ndim < 4:
        x = x[None]
    while weight.ndim < 4:
        weight = weight[None]
    return F.conv2d(x, weight, **options)[0, 0].numpy()


def printed_results(figure) -> list[float]:
    """Every formula of a figure checked: its arithmetic makes its printed result."""
    return [check_printed(line) for line in figure.formulas]


def test_lesson_walks_from_the_first_step_to_the_last():
    at = run_app("lesson")
    for number, step in enumerate(STEPS, start=1):
        assert_clean(at)
        assert at.header[0].value == f"{number}. {step.title}"
        assert at.query_params.get("step", "1") == str(number)
        nexts = [b for b in at.button if b.label == "Next"]
        assert nexts[0].disabled == (number == len(STEPS))
        if number < len(STEPS):
            nexts[0].click().run()
    [b for b in at.button if b.label == "Previous"][0].click().run()
    assert at.header[0].value == f"{len(STEPS) - 1}. {STEPS[-2].title}"


def test_lesson_step_in_the_link_and_a_bad_one():
    at = run_app("lesson", step=7)
    assert at.header[0].value.startswith("7. Dilation")
    # the progress bar says where the lesson is, to a screen reader too
    bar = next(h.value for h in at.get("html") if "<progress" in h.value)
    assert 'value="7"' in bar and f'max="{len(STEPS)}"' in bar
    assert f'aria-label="Lesson progress" aria-valuetext="Step 7 of {len(STEPS)}"' in bar
    at = run_app("lesson", step=99)
    assert at.header[0].value.startswith("1. ")
    assert "`step` must be a whole number from 1 to 13" in at.warning[0].value


@pytest.mark.parametrize("number", range(1, len(STEPS) + 1))
def test_each_steps_link_opens_its_page_with_its_settings(number):
    link = STEPS[number - 1].link
    at = run_app("lesson", step=number, sample="cat", res=128)
    [button] = [b for b in at.button if b.label.startswith("Open the")]
    button.click().run()
    assert_clean(at)
    assert page_title(at) == PAGE_TITLES[link.page]
    state = importlib.import_module(PAGE_STATES[link.page]).STATE
    wanted = dict(link.params)
    if link.takes_picture:
        wanted.update(sample="cat", res="128")
    for name, value in wanted.items():
        assert setting(at, state.page, name) == state.settings[name].parse(value), name


def test_the_padding_link_makes_the_lessons_map(coffee):
    """The full page opened from the padding step shows the same 7 x 7 average."""
    at = run_app("lesson", step=5)
    [b for b in at.button if b.label.startswith("Open the")][0].click().run()
    assert setting(at, "conv", "kernel") == "custom"
    assert setting(at, "conv", "norm")


def test_why_convolution_counts_weights_by_hand(coffee):
    figure = figures_layer.fully_connected(coffee)
    dense, conv, ratio = printed_results(figure)
    height, width = coffee.shape[:2]
    assert dense == height * width * 1000  # one weight per pixel per unit
    assert conv == 16 * 25
    assert ratio == pytest.approx(dense / conv, abs=0.05)
    linear = torch.nn.Linear(height * width, 1000, bias=False)
    assert dense == linear.weight.numel()


def test_shared_weights_and_the_sum_agree_with_torch(coffee):
    gray = to_gray(coffee)
    reference = torch_conv(gray, KERNELS["sobel_x"], padding=1)
    for figure in (figures_layer.shared_weights(coffee), figures_layer.the_sum(coffee)):
        for line in figure.formulas:
            if match := re.match(r"y\[(\d+), (\d+)\]", line):
                row, col = int(match[1]), int(match[2])
                assert check_printed(line) == pytest.approx(reference[row, col], abs=6e-4)
    weights, dense = printed_results(figures_layer.shared_weights(coffee))[2:]
    assert weights == torch.nn.Conv2d(1, 1, 3, bias=False).weight.numel()
    assert dense == (gray.size) ** 2


def test_the_sum_picks_the_strongest_edge_inside_the_picture(coffee):
    figure = figures_layer.the_sum(coffee)
    row, col = map(int, re.match(r"y\[(\d+), (\d+)\]", figure.formulas[0]).groups())
    reference = np.abs(torch_conv(to_gray(coffee), KERNELS["sobel_x"], padding=1))
    assert reference[row, col] == pytest.approx(reference[1:-1, 1:-1].max(), rel=1e-5)


def test_kernel_sums_are_what_the_kernels_add_up_to(coffee):
    sobel, sharpen = printed_results(figures_layer.detectors(coffee))
    assert sobel == 0 and sharpen == 1
    assert KERNELS["sobel_x"].sum() == 0 and KERNELS["sharpen"].sum() == 1


def test_padding_stride_and_dilation_sizes_are_torchs(coffee):
    small = to_gray(figures_layer.fit_within(coffee, figures_layer.SMALL_SIDE))
    blur = np.ones((7, 7), np.float32) / 49
    valid, same = printed_results(figures_layer.padding(coffee))
    assert valid == torch_conv(small, blur).shape[0] == small.shape[0] - 6
    assert same == torch_conv(small, blur, padding=3).shape[0] == small.shape[0]

    gray = to_gray(coffee)
    for stride, rows in zip(figures_layer.STRIDES, printed_results(figures_layer.stride(coffee))):
        assert rows == torch_conv(gray, KERNELS["sobel_x"], padding=1, stride=stride).shape[0]

    spans = printed_results(figures_layer.dilation(coffee))
    for dilation, span in zip(figures_layer.DILATIONS, spans):
        # a dilated 3 x 3 kernel without padding trims span - 1 rows, like a span x span one
        trimmed = torch_conv(gray, np.ones((3, 3)), dilation=dilation).shape[0]
        assert gray.shape[0] - trimmed == span - 1


def test_channel_counts_and_the_one_by_one_pixel(coffee):
    one, layer = printed_results(figures_channels.filter_over_channels(coffee))
    assert one == torch.nn.Conv2d(3, 1, 3, bias=False).weight.numel()
    assert layer == torch.nn.Conv2d(3, 16, 3, bias=False).weight.numel()

    figure = figures_channels.one_by_one(coffee)
    pixel, squeeze = printed_results(figure)
    row, col = map(int, re.match(r"y\[(\d+), (\d+)\]", figure.formulas[0]).groups())
    planes = np.moveaxis(coffee, 2, 0)
    luma = np.array([0.299, 0.587, 0.114], np.float32).reshape(1, 3, 1, 1)
    reference = F.conv2d(torch.from_numpy(planes)[None], torch.from_numpy(luma))[0, 0]
    assert pixel == pytest.approx(float(reference[row, col]), abs=6e-4)
    assert squeeze == torch.nn.Conv2d(256, 64, 1, bias=False).weight.numel()


def test_relu_share_and_pooled_value_are_torchs(coffee):
    gray = to_gray(coffee)
    edges = torch.from_numpy(torch_conv(gray, KERNELS["sobel_x"], padding=1))
    (share,) = printed_results(figures_network.activation(coffee))
    assert share == pytest.approx(float((edges < 0).float().mean()), abs=0.005)

    figure = figures_network.pooling(coffee)
    (pooled,) = printed_results(figure)
    row, col = map(int, re.match(r"pooled\[(\d+), (\d+)\]", figure.formulas[0]).groups())
    reference = F.max_pool2d(F.relu(edges)[None, None], 4)[0, 0]
    assert pooled == pytest.approx(float(reference[row, col]), abs=0.005)
    assert float(reference[row, col]) == pytest.approx(float(reference.max()))


def test_receptive_fields_grow_as_counted_by_hand(coffee):
    sizes = printed_results(figures_network.fields(coffee))
    # c5p2, m2, c5p2, m2, c5p2, m2: 1+4=5, +1=6, +4*2=14, +1*2=16, +4*4=32, +1*4=36
    assert sizes == [5, 6, 14, 16, 32, 36]


def test_slide_of_a_step_is_projector_sized(coffee):
    import cv2

    from app.page_parts.lesson.views import slide_lines
    from app.widgets.pictures.slide import slide_png

    step = STEPS[2]
    figure = step.figure(coffee)
    data = slide_png(step.title, slide_lines(step, figure), list(figure.panels))
    picture = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert picture.shape == (1080, 1920, 3)
    assert "**" not in " ".join(slide_lines(STEPS[1], figure))


def test_the_sums_pictures_of_numbers_are_read_as_their_numbers(coffee):
    """The step's grids are pictures of numbers: a screen reader gets the same numbers
    (the pixels under the kernel, from the gray picture itself; Sobel x's weights)."""
    figure = figures_layer.the_sum(coffee)
    assert len(figure.alts) == len(figure.panels)
    row, col = map(int, re.match(r"y\[(\d+), (\d+)\]", figure.formulas[0]).groups())
    window = to_gray(coffee)[row - 1 : row + 2, col - 1 : col + 2]
    said = figure.alts[0].split("rows: ")[1].split("; ")
    assert [[float(v) for v in line.split()] for line in said] == pytest.approx(window, abs=0.006)
    assert figure.alts[1] == "Sobel x weights, 3 x 3, rows: -1 0 1; -2 0 2; -1 0 1"
    assert f"the box marks row {row}, column {col}" in figure.alts[2]
    at = run_app("lesson", step=3)
    assert [alt for alt, _ in described_pictures(at)][:2] == list(figure.alts[:2])
