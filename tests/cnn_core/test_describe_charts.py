"""The summaries of heat maps, volumes and confusion matrices in words: every number they
print is checked against the same quantity worked out independently (torch, plain
Python counting), and the printed arithmetic against its printed result."""

import re
from collections import Counter

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnn_core.describe import (
    describe_confusion,
    describe_filters,
    describe_matrix,
    describe_volume,
    number,
)
from cnn_core.matrix import conv_matrix, im2col

from ..printed_arithmetic import check_printed

PATEL_X = [[1.0, 2, 3, 1], [4, 5, 6, 1], [7, 8, 9, 1]]  # the lecture notes' 3 x 4 input
MATRIX_SUMMARY = re.compile(
    r"^(?P<name>.+), (?P<rows>\d+) x (?P<cols>\d+) \(rows: .+; columns: .+\), "
    r"from (?P<low>-?[\d.e-]+) to (?P<high>-?[\d.e-]+); (?P<nonzero>[\d,]+) of (?P<total>[\d,]+) "
    r"entries not zero, taking (?P<distinct>[\d,]+) distinct values?$"
)


def _read_matrix_summary(text: str) -> dict:
    found = MATRIX_SUMMARY.match(text)
    assert found, text
    values = found.groupdict()
    return {
        key: (int(value.replace(",", "")) if key not in ("name", "low", "high") else value)
        for key, value in values.items()
    }


def _matrix_by_torch(x_shape, kernel, **geometry) -> torch.Tensor:
    """The convolution matrix built column by column: the map of each one-hot input."""
    height, width = x_shape
    basis = torch.eye(height * width).reshape(-1, 1, height, width)
    maps = F.conv2d(basis, torch.as_tensor(kernel, dtype=torch.float32)[None, None], **geometry)
    return maps.reshape(height * width, -1).T  # (outputs, inputs)


def test_the_matrix_summary_of_the_worked_example_counts_by_hand():
    # 3 x 4 input, 2 x 2 kernel of 2s: 2 x 3 = 6 outputs, 12 inputs, each row 4 weights of 2.
    matrix = conv_matrix((3, 4), np.full((2, 2), 2.0)).toarray()
    text = describe_matrix(matrix, "M", rows="outputs", columns="input pixels")
    read = _read_matrix_summary(text)
    assert (read["rows"], read["cols"], read["total"]) == (6, 12, 72)
    assert (read["nonzero"], read["distinct"]) == (6 * 4, 1)
    assert (read["low"], read["high"]) == ("0", "2")


@pytest.mark.parametrize(
    "geometry",
    [dict(), dict(stride=2), dict(padding=1), dict(padding=1, dilation=2), dict(stride=(1, 2))],
    ids=["plain", "stride", "padding", "dilation", "stride-1x2"],
)
def test_the_matrix_summary_says_the_numbers_of_torchs_matrix(geometry):
    rng = np.random.default_rng(3)
    kernel = rng.integers(-3, 4, (3, 3)).astype(np.float32)
    kernel[1, 1] = 5.0  # at least one weight not zero
    shape = (5, 6)
    matrix = conv_matrix(shape, kernel, **geometry).toarray()
    reference = _matrix_by_torch(shape, kernel, **geometry)
    read = _read_matrix_summary(describe_matrix(matrix, "M", rows="o", columns="i"))
    nonzero = reference[reference != 0]
    assert (read["rows"], read["cols"]) == tuple(reference.shape)
    assert read["total"] == reference.numel()
    assert read["nonzero"] == nonzero.numel()
    assert read["distinct"] == torch.unique(nonzero).numel()
    assert read["low"] == number(reference.min().item())
    assert read["high"] == number(reference.max().item())


def test_the_im2col_summary_says_the_numbers_of_torchs_unfold():
    x = torch.tensor(PATEL_X)
    unfolded = F.unfold(x[None, None], 2)[0]  # (taps, windows)
    columns = im2col(np.array(PATEL_X), 2)
    read = _read_matrix_summary(describe_matrix(columns, "im2col(x)", rows="t", columns="w"))
    assert (read["rows"], read["cols"]) == tuple(unfolded.shape) == (4, 6)
    assert read["nonzero"] == int((unfolded != 0).sum()) == 24
    assert read["distinct"] == torch.unique(unfolded).numel() == 9  # 1 to 9
    assert (read["low"], read["high"]) == ("1", "9")


def test_a_volume_says_its_shape_and_each_channels_range():
    rng = np.random.default_rng(0)
    volume = rng.normal(size=(3, 17, 23)).astype(np.float32)
    text = describe_volume(volume, "Input volume")
    assert text.startswith("Input volume, 3 x 17 x 23 (channels x height x width): ")
    ranges = re.findall(r"channel (\d+) from (-?[\d.]+) to (-?[\d.]+)", text)
    tensor = torch.from_numpy(volume)
    low, high = tensor.amin(dim=(1, 2)), tensor.amax(dim=(1, 2))
    assert [int(c) for c, _, _ in ranges] == [0, 1, 2]
    for (channel, printed_low, printed_high), lo, hi in zip(ranges, low, high):
        # two decimals: the printed value is within half a unit of the true one
        assert abs(float(printed_low) - lo.item()) <= 0.005 + 1e-9, channel
        assert abs(float(printed_high) - hi.item()) <= 0.005 + 1e-9, channel


def test_a_filter_bank_says_its_count_shape_and_each_filters_range():
    filters = np.zeros((2, 3, 5, 5), np.float32)
    filters[0, 1, 2, 2] = 1.5
    filters[1, 0, 0, 0] = -0.25
    filters[1, 2, 4, 4] = 0.75
    assert describe_filters(filters) == (
        "2 filters, each 3 x 5 x 5 (channels x rows x columns): "
        "filter 0 from 0 to 1.5; filter 1 from -0.25 to 0.75"
    )


def test_a_confusion_summary_counts_like_torch_and_its_arithmetic_holds():
    rng = np.random.default_rng(7)
    truth = rng.integers(0, 10, 500)
    answers = np.where(rng.random(500) < 0.8, truth, rng.integers(0, 10, 500))
    counts = torch.bincount(torch.from_numpy(truth * 10 + answers), minlength=100).reshape(10, 10)
    names = [str(d) for d in range(10)]
    text = describe_confusion(counts.numpy(), names)
    right = int((truth == answers).sum())
    head = re.match(r"^(\d+) pictures: (\d+) answered right, (\d+ / \d+ = [\d.]+)%", text)
    assert head, text
    assert (int(head[1]), int(head[2])) == (500, right)
    # The printed fraction evaluates to the printed percentage.
    fraction, percent = head[3].split(" = ")
    assert check_printed(f"100 * {fraction} = {percent}") == pytest.approx(100 * right / 500, 0.01)
    # The most confused pairs: the three most frequent (true, answer) mistakes, counted
    # from the pairs themselves.
    mistakes = Counter((int(t), int(a)) for t, a in zip(truth, answers) if t != a)
    printed = re.findall(r"true (\d) answered (\d): (\d+) times?", text)
    assert len(printed) == 3
    largest = sorted(mistakes.values(), reverse=True)[:3]
    assert [int(n) for _, _, n in printed] == largest
    for t, a, n in printed:
        assert mistakes[(int(t), int(a))] == int(n)


def test_a_confusion_without_mistakes_or_pictures():
    assert describe_confusion(np.diag([3, 4]), ["cat", "dog"]) == (
        "7 pictures: 7 answered right, 7 / 7 = 100.0%; no picture confused"
    )
    assert describe_confusion(np.zeros((2, 2), int), ["a", "b"]) == "No pictures counted"
    with pytest.raises(ValueError, match="classes"):
        describe_confusion(np.eye(3), ["a", "b"])
