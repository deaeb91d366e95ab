"""The Under-the-hood pages through AppTest: every view, the printed arithmetic against
the math, and bad input."""

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnn_core.signals import conv1d, make_signal

from ..printed_arithmetic import check_printed
from .conftest import assert_clean, run_app


def html_block(at, css_class: str) -> str:
    block = next(h.value for h in at.get("html") if css_class in h.value)
    return re.search(rf'class="{css_class}">(.*?)</(?:p|span)>', block).group(1)


def markdown(at) -> str:
    return " ".join(m.value for m in at.markdown)


# --- Convolution as matrix multiplication ---


@pytest.mark.parametrize("view", ["forward", "matrix", "backward", "speed"])
def test_matrix_page_every_view_opens_clean(view):
    assert_clean(run_app("matrix", view=view))


@pytest.mark.parametrize("order", ["row", "column"])
@pytest.mark.parametrize("column", [0, 3, 5])
def test_matrix_page_column_product_makes_the_output(order, column):
    at = run_app("matrix", order=order, column=column)
    assert_clean(at)
    printed = check_printed(html_block(at, "cs-column-sum"))
    expected = [[24, 32, 22], [48, 56, 34]]  # the lecture notes' output
    row, col = divmod(column, 3) if order == "row" else divmod(column, 2)[::-1]
    assert printed == expected[row][col]


def test_matrix_page_column_is_chosen_without_a_mouse():
    at = run_app("matrix")
    at.number_input(key="matrix_column").set_value(4).run()
    assert_clean(at)
    assert check_printed(html_block(at, "cs-column-sum")) == 56  # output (1, 1)
    assert at.query_params["column"] == "4"


def test_matrix_page_counts_the_sparse_matrix_of_the_seed_example():
    at = run_app("matrix", view="matrix")
    text = markdown(at)
    assert "is 6 x 12" in text and "Only 24 of its 72 entries" in text
    assert "1 distinct value," in text


def test_matrix_page_heat_maps_are_summarised_in_numbers():
    """The worked example by hand: im2col of the 3 x 4 input is 4 taps x 6 windows holding
    1 to 9 (none zero, 9 distinct); M is 6 outputs x 12 inputs, 4 weights of 2 a row."""
    captions = " ".join(c.value for c in run_app("matrix", view="forward").caption)
    assert (
        "The heat map in numbers: im2col(x), 4 x 6 (rows: one per kernel tap of the 2 x 2 "
        "kernel; columns: one per window, that is one per output pixel), from 1 to 9; "
        "24 of 24 entries not zero, taking 9 distinct values." in captions
    )
    captions = " ".join(c.value for c in run_app("matrix", view="matrix").caption)
    assert (
        "The heat map in numbers: M, 6 x 12 (rows: one per output pixel, row by row; "
        "columns: one per input pixel, row by row), from 0 to 2; 24 of 72 entries not "
        "zero, taking 1 distinct value." in captions
    )


def test_matrix_page_backward_sums_evaluate_and_match_autograd():
    at = run_app("matrix", view="backward", grad="ones", gr=1, gc=1)
    assert_clean(at)
    x = torch.tensor([[1.0, 2, 3, 1], [4, 5, 6, 1], [7, 8, 9, 1]], requires_grad=True)
    k = torch.full((2, 2), 2.0, requires_grad=True)
    F.conv2d(x[None, None], k[None, None]).sum().backward()
    assert check_printed(html_block(at, "cs-input-grad")) == x.grad[1, 1].item() == 8
    assert check_printed(html_block(at, "cs-kernel-grad")) == k.grad[0, 0].item() == 21


def test_matrix_page_speed_table_measures_five_methods():
    at = run_app("matrix", view="speed", res=128)
    at.button(key="matrix_timings_button").click().run()
    assert_clean(at)
    table = at.dataframe[0].value
    assert len(table) == 4 and table.shape[1] == 5
    assert "agree to" in " ".join(c.value for c in at.caption)


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(k="1 1 1 1 1; 1 1 1 1 1; 1 1 1 1 1; 1 1 1 1 1; 1 1 1 1 1"), "no output"),
        (dict(x="1 2; 3"), "could not be used"),
        (dict(k="1 nan; 0 1"), "could not be used"),
        (dict(x="1 " * 400), "could not be used"),
    ],
)
def test_matrix_page_bad_examples_are_explained(params, message):
    at = run_app("matrix", **params)
    assert not at.exception
    texts = [e.value for e in at.error] + [w.value for w in at.warning]
    assert any(message in t for t in texts), texts


# --- Properties lab ---


def largest(at) -> float:
    return float(re.search(r"Largest difference: \*\*([0-9.e+-]+)\*\*", markdown(at)).group(1))


@pytest.mark.parametrize("view", ["linear", "order", "flip"])
def test_properties_hold_to_float32_rounding(view):
    at = run_app("properties", view=view, res=128, second="box_blur")
    assert_clean(at)
    assert largest(at) < 1e-4


def test_translation_is_exact_with_circular_padding_and_breaks_at_the_zero_border():
    at = run_app("properties", view="shift", mode="circular", res=128)
    assert largest(at) == 0
    at = run_app("properties", view="shift", mode="zeros", res=128)
    assert largest(at) > 0.1
    note = " ".join(c.value for c in at.caption)
    assert re.search(r"largest difference there 0\)", note), note


def test_flipping_an_antisymmetric_kernel_negates_the_map():
    at = run_app("properties", view="flip", second="sobel_x", res=128)
    assert "its own negative" in " ".join(c.value for c in at.caption)


# --- Channels and groups ---


@pytest.mark.parametrize("view", ["layer", "mix", "cost"])
def test_channels_page_every_view_opens_clean(view):
    assert_clean(run_app("channels", view=view))


def test_channels_page_cost_table_prints_torchs_weight_counts():
    at = run_app("channels", view="cost", cin=32, cout=64, ck=3)
    table = at.dataframe[0].value
    standard = torch.nn.Conv2d(32, 64, 3, bias=False).weight.numel()
    assert table.iloc[0]["weights"] == f"64 × 32 × 3 × 3 = {standard:,}"
    for cell in table["weights"]:
        factors, total = cell.split(" = ")
        products = [np.prod([int(f) for f in part.split(" × ")]) for part in factors.split(" + ")]
        assert sum(products) == int(total.replace(",", ""))
    at.button(key="channels_timings_button").click().run()
    assert_clean(at)
    assert all(at.dataframe[0].value["time (ms)"] != "")


def test_channels_page_weight_formula_of_the_layer():
    at = run_app("channels", filters=6, k=5)
    caption = " ".join(c.value for c in at.caption)
    assert "6 x 3 x 5 x 5 = 450 weights" in caption


def test_channels_page_volume_figure_is_summarised_in_numbers():
    """The 3-D figure's words against torch: the same random filters on the same sample,
    each slice's range within the printed two decimals."""
    from app.widgets.sources.image_source import sample_image
    from cnn_core.conv_layer import random_filters

    at = run_app("channels", filters=3, k=5, seed=2)
    summary = next(c.value for c in at.caption if c.value.startswith("The figure in numbers"))
    planes = torch.from_numpy(np.moveaxis(sample_image("astronaut", 128), 2, 0).copy())
    filters = torch.from_numpy(random_filters(3, 3, 5, seed=2))
    outputs = F.conv2d(planes[None], filters, padding="same")[0]
    _, height, width = planes.shape
    assert f"input volume, 3 x {height} x {width} (channels x height x width)" in summary
    assert "3 filters, each 3 x 5 x 5 (channels x rows x columns)" in summary
    assert f"Output volume, 3 x {height} x {width} (maps x height x width)" in summary
    for name, volume in (("channel", planes), ("filter", filters), ("map", outputs)):
        number = r"(-?\d+(?:\.\d+)?)"
        printed = re.findall(rf"{name} (\d) from {number} to {number}", summary)
        assert [int(i) for i, _, _ in printed] == list(range(volume.shape[0])), name
        for (i, low, high), piece in zip(printed, volume):
            assert abs(float(low) - piece.min().item()) <= 0.0051, (name, i)
            assert abs(float(high) - piece.max().item()) <= 0.0051, (name, i)


# --- Transposed convolution ---


@pytest.mark.parametrize("view", ["stamps", "size", "conv", "checker"])
def test_transposed_page_every_view_opens_clean(view):
    assert_clean(run_app("transposed", view=view))


@pytest.mark.parametrize("stride, pad, outpad, dil", [(2, 0, 0, 1), (2, 1, 1, 1), (3, 2, 2, 2)])
def test_transposed_size_formula_evaluates_to_torchs_shape(stride, pad, outpad, dil):
    at = run_app("transposed", view="size", stride=stride, pad=pad, outpad=outpad, dil=dil)
    assert_clean(at)
    block = next(h.value for h in at.get("html") if "cs-formula" in h.value)
    lines = [line for line in re.findall(r"<div>(.*?)</div>", block) if "<b>" in line]
    printed = [check_printed(line) for line in lines]
    shape = F.conv_transpose2d(
        torch.ones(1, 1, 2, 2),
        torch.ones(1, 1, 3, 3),
        stride=stride,
        padding=pad,
        output_padding=outpad,
        dilation=dil,
    ).shape[2:]
    assert printed == list(shape)


def test_transposed_stamps_step_forward():
    at = run_app("transposed")
    assert "Stamp **1** of 4" in markdown(at)
    at.button(key="transposed_step_next").click().run()
    assert "Stamp **2** of 4" in markdown(at)


def test_transposed_impossible_settings_are_explained():
    at = run_app("transposed", k="1", pad=2)
    assert not at.exception
    assert any("no output" in e.value for e in at.error)


# --- 1-D convolution ---


@pytest.mark.parametrize("view", ["translate", "filter", "edges", "learn"])
def test_signals_page_every_view_opens_clean(view):
    assert_clean(run_app("signals", view=view))


def test_flip_and_filter_prints_the_sum_that_makes_the_output():
    at = run_app("signals", view="filter", sig="ramp", w="1 2 3")
    for _ in range(20):
        at.button(key="signals_step_next").click().run()
    printed = check_printed(html_block(at, "cs-1d-sum"), rounding=5e-4)
    expected = conv1d(make_signal("ramp"), np.array([1.0, 2.0, 3.0]))[20]
    assert printed == pytest.approx(float(expected), abs=1e-3)


def test_learning_recovers_sobel_from_noise_and_a_large_rate_is_explained():
    at = run_app("signals", view="learn")
    assert_clean(at)
    within = float(re.search(r"within \*\*([0-9.e+-]+)\*\*", markdown(at)).group(1))
    assert within < 1e-2
    at = run_app("signals", view="learn", lr="1.0")
    assert not at.exception
    assert any("too large" in e.value for e in at.error)


def test_a_two_row_kernel_on_the_1d_page_is_explained():
    at = run_app("signals", w="1 2; 3 4")
    assert not at.exception
    assert any("one row" in e.value for e in at.error)
