"""Output sizes and padding rules against torch."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnn_core import conv_output_size
from cnn_core.geometry import (
    Padding,
    output_size_arithmetic,
    pad_plane,
    resolve_padding,
    source_index,
)


@settings(max_examples=300, deadline=None)
@given(
    size=st.integers(1, 40),
    kernel=st.integers(1, 7),
    stride=st.integers(1, 5),
    padding=st.integers(0, 5),
    dilation=st.integers(1, 4),
)
def test_conv_output_size_matches_torch_conv(size, kernel, stride, padding, dilation):
    expected_formula = (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
    assert (
        conv_output_size(size, kernel, stride=stride, padding=padding, dilation=dilation)
        == expected_formula
    )
    if expected_formula >= 1:
        out = F.conv2d(
            torch.zeros(1, 1, size, 1),
            torch.zeros(1, 1, kernel, 1),
            stride=(stride, 1),
            padding=(padding, 0),
            dilation=(dilation, 1),
        )
        assert out.shape[2] == expected_formula


@settings(max_examples=300, deadline=None)
@given(size=st.integers(1, 40), kernel=st.integers(1, 6), stride=st.integers(1, 5), data=st.data())
def test_conv_output_size_ceil_mode_matches_torch_pooling(size, kernel, stride, data):
    padding = data.draw(st.integers(0, kernel // 2))  # torch's pooling limit
    assume(size + 2 * padding >= kernel)
    for ceil_mode in (False, True):
        out = F.max_pool2d(
            torch.zeros(1, 1, size, 1),
            (kernel, 1),
            stride=(stride, 1),
            padding=(padding, 0),
            ceil_mode=ceil_mode,
        )
        ours = conv_output_size(size, kernel, stride=stride, padding=padding, ceil_mode=ceil_mode)
        assert ours == out.shape[2]


def test_conv_output_size_reports_a_window_that_does_not_fit_as_zero_or_less():
    assert conv_output_size(4, 5) == 0
    assert conv_output_size(4, 3, dilation=3) <= 0


@pytest.mark.parametrize("bad", [dict(size=0), dict(stride=0), dict(padding=-1), dict(size=2.5)])
def test_conv_output_size_rejects_bad_numbers(bad):
    args = dict(size=8, kernel_size=3, stride=1, padding=0) | bad
    with pytest.raises(ValueError):
        conv_output_size(args.pop("size"), args.pop("kernel_size"), **args)


def test_resolve_padding_same_matches_tensorflow_rule():
    # TensorFlow: total = max((ceil(n/s) - 1) * s + k - n, 0), the odd pixel after.
    pad = resolve_padding("same", (10, 7), (4, 3), (3, 2), (1, 1))
    assert pad == Padding(top=1, bottom=2, left=1, right=1)
    assert resolve_padding("valid", (10, 7), (4, 3), (1, 1), (1, 1)).is_zero()
    assert resolve_padding((2, 3), (10, 7), (4, 3), (1, 1), (1, 1)) == Padding(2, 2, 3, 3)


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_pad_plane_matches_torch_pad(mode):
    plane = np.random.default_rng(0).random((5, 6)).astype(np.float32)
    pad = Padding(2, 1, 3, 2)
    torch_mode = "constant" if mode == "zeros" else mode
    reference = F.pad(torch.from_numpy(plane)[None, None], (3, 2, 2, 1), mode=torch_mode)[0, 0]
    np.testing.assert_array_equal(pad_plane(plane, pad, mode), reference.numpy())


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_source_index_names_the_pixel_each_padded_cell_copies(mode):
    size, before, after = 5, 3, 4
    values = np.arange(size, dtype=float) + 1
    padded = pad_plane(values[None], Padding(0, 0, before, after), mode)[0]
    for index, value in enumerate(padded):
        source = source_index(index, size, before, mode)
        assert (0.0 if source is None else values[source]) == value


@settings(max_examples=300, deadline=None)
@given(
    size=st.integers(1, 40),
    kernel=st.integers(1, 6),
    stride=st.integers(1, 5),
    dilation=st.integers(1, 3),
    data=st.data(),
)
def test_output_size_arithmetic_matches_torch_shapes(size, kernel, stride, dilation, data):
    """The printed formula's parts and result against the shape torch gives: conv with any
    padding (before and after may differ, as "same" pads), and pooling in ceil mode."""
    before, after = data.draw(st.integers(0, 4)), data.draw(st.integers(0, 4))
    arithmetic = output_size_arithmetic(
        size, kernel, stride=stride, before=before, after=after, dilation=dilation
    )
    span = dilation * (kernel - 1) + 1
    assert arithmetic.numerator == size + before + after - dilation * (kernel - 1) - 1
    assume(size + before + after >= span)
    out = F.conv2d(
        F.pad(torch.zeros(1, 1, size, 1), (0, 0, before, after)),
        torch.zeros(1, 1, kernel, 1),
        stride=(stride, 1),
        dilation=(dilation, 1),
    )
    assert arithmetic.result == out.shape[2] == arithmetic.quotient + 1
    padding = data.draw(st.integers(0, kernel // 2))
    assume(size + 2 * padding >= kernel)
    pooled = output_size_arithmetic(size, kernel, stride=stride, before=padding, ceil_mode=True)
    torch_out = F.max_pool2d(
        torch.zeros(1, 1, size, 1),
        (kernel, 1),
        stride=(stride, 1),
        padding=(padding, 0),
        ceil_mode=True,
    ).shape[2]
    assert pooled.result == torch_out
    # The printed "⌈n / s⌉ + 1 (− 1 when dropped)" evaluates to the result.
    assert -(-pooled.numerator // stride) + 1 - int(pooled.dropped_last) == pooled.result
