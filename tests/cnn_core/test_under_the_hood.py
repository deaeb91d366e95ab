"""conv_layer, conv_transpose2d, im2col, conv_matrix, conv2d_fft and the gradients against
their torch references (hypothesis over shapes, stride, padding, dilation and groups), the
backward formulas against autograd, and worked examples checked by hand."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnn_core import (
    conv2d,
    conv2d_fft,
    conv2d_input_grad,
    conv2d_kernel_grad,
    conv_layer,
    conv_matrix,
    conv_transpose2d,
    im2col,
)
from cnn_core.conv_layer import layer_costs, mix_channels
from cnn_core.gradients import input_gradient_terms, kernel_gradient_terms, learn_kernel
from cnn_core.matrix import column_product, matrix_counts, reshape_output, window_of_column
from cnn_core.transposed import as_convolution, checkerboard, transposed_output_size

SEED_INPUT = np.array([[1, 2, 3, 1], [4, 5, 6, 1], [7, 8, 9, 1]], np.float32)
SEED_KERNEL = np.full((2, 2), 2.0, np.float32)


def close(ours, reference, rel=1e-4):
    reference = np.asarray(reference, np.float64)
    scale = max(1.0, float(np.abs(reference).max()))
    np.testing.assert_allclose(ours, reference, rtol=0, atol=rel * scale)


@st.composite
def geometry(draw, max_kernel=4):
    kh, kw = draw(st.integers(1, max_kernel)), draw(st.integers(1, max_kernel))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, 3)), draw(st.integers(0, 3)))
    height = draw(st.integers(1, 12))
    width = draw(st.integers(1, 12))
    assume(height + 2 * padding[0] >= dilation[0] * (kh - 1) + 1)
    assume(width + 2 * padding[1] >= dilation[1] * (kw - 1) + 1)
    return (height, width), (kh, kw), dict(stride=stride, padding=padding, dilation=dilation)


# --- im2col and the convolution matrix ---


def test_im2col_in_column_order_is_the_lecture_notes_matrix():
    """Patel (2017): A' lists the windows of the 3 x 4 input column by column, each
    window's cells column by column."""
    expected = [
        [1, 4, 2, 5, 3, 6],
        [4, 7, 5, 8, 6, 9],
        [2, 5, 3, 6, 1, 1],
        [5, 8, 6, 9, 1, 1],
    ]
    np.testing.assert_array_equal(im2col(SEED_INPUT, 2, order="column"), expected)


def test_the_seed_example_through_im2col_gives_the_printed_output():
    """The notes' A'^T times the flattened kernel gives 24, 48, 32, 56, 22, 34 in column
    order; reshaped: [[24, 32, 22], [48, 56, 34]]. (The notes' second sum,
    2*2 + 5*2 + 3*2 + 9*2, has a typo: the window holds 6, not 9, and makes 32.)"""
    for order in ("row", "column"):
        columns = im2col(SEED_INPUT, 2, order=order)
        product = column_product(SEED_KERNEL, columns, 0, order=order)
        assert product.total == 24  # 2 * (1 + 4 + 2 + 5)
        row = np.array(
            [
                column_product(SEED_KERNEL, columns, j, order=order).total
                for j in range(columns.shape[1])
            ]
        )
        if order == "column":
            assert row.tolist() == [24, 48, 32, 56, 22, 34]
        np.testing.assert_array_equal(
            reshape_output(row, (2, 3), order=order), [[24, 32, 22], [48, 56, 34]]
        )


@settings(max_examples=150, deadline=None)
@given(geometry(), st.integers(1, 3), st.integers(0, 10_000))
def test_im2col_equals_unfold(geo, channels, seed):
    shape, kernel, options = geo
    x = np.random.default_rng(seed).standard_normal((channels, *shape)).astype(np.float32)
    reference = F.unfold(torch.from_numpy(x)[None], kernel, **options)[0].numpy()
    np.testing.assert_array_equal(im2col(x, kernel, **options), reference)
    column = im2col(x, kernel, order="column", **options)
    assert sorted(column.ravel().tolist()) == sorted(reference.ravel().tolist())


@settings(max_examples=150, deadline=None)
@given(geometry(), st.integers(0, 10_000))
def test_conv_matrix_times_the_flat_input_is_the_convolution(geo, seed):
    shape, kernel_shape, options = geo
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(np.float32)
    kernel = rng.standard_normal(kernel_shape).astype(np.float32)
    matrix = conv_matrix(shape, kernel, **options)
    reference = F.conv2d(
        torch.from_numpy(x)[None, None], torch.from_numpy(kernel)[None, None], **options
    )[0, 0].numpy()
    close(matrix @ x.ravel(), reference.ravel())


def test_conv_matrix_of_the_seed_example_shares_its_weights():
    matrix = conv_matrix(SEED_INPUT.shape, SEED_KERNEL)
    counts = matrix_counts(matrix)
    # 6 outputs x 12 pixels; each output reads 4 pixels, all with weight 2.
    assert (counts.rows, counts.columns, counts.nonzero, counts.distinct) == (6, 12, 24, 1)
    assert window_of_column(4, (3, 4), (2, 2)) == (1, 1)
    assert window_of_column(4, (3, 4), (2, 2), order="column") == (0, 2)


# --- FFT ---


@settings(max_examples=120, deadline=None)
@given(
    st.integers(1, 14),
    st.integers(1, 14),
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(0, 4),
    st.integers(0, 10_000),
)
def test_conv2d_fft_equals_torch(height, width, kh, kw, padding, seed):
    assume(height + 2 * padding >= kh and width + 2 * padding >= kw)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((height, width)).astype(np.float32)
    kernel = rng.standard_normal((kh, kw)).astype(np.float32)
    reference = F.conv2d(
        torch.from_numpy(x)[None, None], torch.from_numpy(kernel)[None, None], padding=padding
    )[0, 0].numpy()
    close(conv2d_fft(x, kernel, padding=padding), reference)
    close(conv2d_fft(x, kernel, padding="same"), conv2d(x, kernel, padding="same"))


# --- conv_layer: channels, bias, groups ---


@settings(max_examples=120, deadline=None)
@given(
    geometry(max_kernel=3),
    st.sampled_from([(1, 1), (2, 2), (4, 2), (3, 3), (6, 3), (4, 4)]),
    st.integers(1, 3),
    st.booleans(),
    st.integers(0, 10_000),
)
def test_conv_layer_equals_torch_with_groups_and_bias(geo, channels_groups, per_group, bias, seed):
    shape, kernel, options = geo
    c_in, groups = channels_groups
    c_out = groups * per_group
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((c_in, *shape)).astype(np.float32)
    weight = rng.standard_normal((c_out, c_in // groups, *kernel)).astype(np.float32)
    offsets = rng.standard_normal(c_out).astype(np.float32) if bias else None
    reference = F.conv2d(
        torch.from_numpy(x)[None],
        torch.from_numpy(weight),
        None if offsets is None else torch.from_numpy(offsets),
        groups=groups,
        **options,
    )[0].numpy()
    close(conv_layer(x, weight, offsets, groups=groups, **options), reference)


@pytest.mark.parametrize(
    "weight_shape, groups, match",
    [
        ((4, 3, 3, 3), 2, "groups must divide"),
        ((4, 2, 3, 3), 1, "needs x with 2 channels"),
        ((4, 3, 3, 3), 0, "groups must be a positive integer"),
    ],
)
def test_conv_layer_names_a_bad_argument(weight_shape, groups, match):
    with pytest.raises(ValueError, match=match):
        conv_layer(np.ones((3, 5, 5)), np.ones(weight_shape), groups=groups)


def test_layer_costs_match_torch_parameter_counts():
    costs = {c.name: c for c in layer_costs(32, 64, 3, (56, 56))}
    standard = torch.nn.Conv2d(32, 64, 3, bias=False)
    grouped = torch.nn.Conv2d(32, 64, 3, groups=2, bias=False)
    depthwise = torch.nn.Conv2d(32, 32, 3, groups=32, bias=False)
    pointwise = torch.nn.Conv2d(32, 64, 1, bias=False)
    assert costs["standard"].weights == standard.weight.numel() == 18_432
    assert costs["grouped (2 groups)"].weights == grouped.weight.numel()
    assert (
        costs["depthwise + pointwise"].weights
        == depthwise.weight.numel() + pointwise.weight.numel()
    )
    assert costs["standard"].multiply_adds == 56 * 56 * 18_432


def test_a_1x1_layer_to_luminance_is_the_luma_weighted_sum():
    rgb = np.random.default_rng(0).random((3, 5, 6)).astype(np.float32)
    luma = mix_channels(rgb, [[0.299, 0.587, 0.114]])[0]
    np.testing.assert_allclose(luma, 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2], atol=1e-6)


# --- transposed convolution ---


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(1, 3),
    st.integers(0, 2),
    st.integers(1, 2),
    st.data(),
    st.integers(0, 10_000),
)
def test_conv_transpose2d_equals_torch(
    height, width, kh, kw, stride, padding, dilation, data, seed
):
    output_padding = data.draw(st.integers(0, max(stride, dilation) - 1))
    options = dict(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    sizes = [transposed_output_size(n, k, **options).result for n, k in ((height, kh), (width, kw))]
    assume(min(sizes) >= 1)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, height, width)).astype(np.float32)
    kernel = rng.standard_normal((2, 3, kh, kw)).astype(np.float32)
    reference = F.conv_transpose2d(torch.from_numpy(x)[None], torch.from_numpy(kernel), **options)[
        0
    ].numpy()
    assert reference.shape[1:] == tuple(sizes)  # the printed size formula is torch's shape
    close(conv_transpose2d(x, kernel, **options), reference)
    single = conv_transpose2d(x[0], kernel[0, 0], **options)
    close(
        single,
        F.conv_transpose2d(
            torch.from_numpy(x[:1])[None], torch.from_numpy(kernel[:1, :1]), **options
        )[0, 0].numpy(),
    )
    if padding <= min(dilation * (kh - 1), dilation * (kw - 1)):
        close(as_convolution(x[0], kernel[0, 0], **options).output, single)


def test_checkerboard_appears_when_the_kernel_is_not_a_multiple_of_the_stride():
    uneven = checkerboard(8, 3, 2)
    even = checkerboard(8, 4, 2)
    assert uneven.row_counts[2:6].tolist() == [2, 1, 2, 1]  # stamp i covers 2i .. 2i + 2
    assert uneven.spread > 0.5 and even.spread == 0 and uneven.resized_spread == 0


# --- the backward pass ---


@settings(max_examples=150, deadline=None)
@given(geometry(), st.integers(0, 10_000))
def test_backward_formulas_equal_autograd(geo, seed):
    shape, kernel_shape, options = geo
    rng = np.random.default_rng(seed)
    x = torch.tensor(rng.standard_normal(shape), requires_grad=True)
    kernel = torch.tensor(rng.standard_normal(kernel_shape), requires_grad=True)
    y = F.conv2d(x[None, None], kernel[None, None], **options)[0, 0]
    grad_out = rng.standard_normal(tuple(y.shape))
    (y * torch.from_numpy(grad_out)).sum().backward()
    input_grad = conv2d_input_grad(grad_out, kernel.detach().numpy(), shape, **options)
    kernel_grad = conv2d_kernel_grad(x.detach().numpy(), grad_out, kernel_shape, **options)
    close(input_grad, x.grad.numpy())
    close(kernel_grad, kernel.grad.numpy())
    # The input gradient is the transposed convolution matrix times the upstream gradient.
    matrix = conv_matrix(shape, kernel.detach().numpy(), **options)
    close((matrix.T @ grad_out.ravel()).reshape(shape), x.grad.numpy())


def test_gradient_terms_of_the_seed_example_by_hand():
    """All-ones upstream gradient on the 3 x 4 example: pixel (1, 1) sits in 4 windows,
    each weight 2, so dL/dx = 8; dL/dk[0, 0] sums the top-left cells of the 6 windows,
    1 + 2 + 3 + 4 + 5 + 6 = 21."""
    ones = np.ones((2, 3), np.float32)
    assert input_gradient_terms(ones, SEED_KERNEL, (3, 4), 1, 1).total == 8
    assert kernel_gradient_terms(SEED_INPUT, ones, (2, 2), (0, 0)).total == 21


def test_learning_a_sobel_kernel_from_a_64x64_image_recovers_it():
    image = np.random.default_rng(0).random((64, 64)).astype(np.float32)
    sobel = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float32)
    run = learn_kernel(image, conv2d(image, sobel), 3, steps=300, learning_rate=0.2)
    assert np.abs(run.kernels[-1] - sobel).max() < 1e-2
    assert run.losses[-1] < 1e-4 * run.losses[0]
