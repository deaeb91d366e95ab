"""conv2d against torch.nn.functional.conv2d, worked examples by hand and analytic inputs."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnn_core import KERNELS, conv2d, conv_output_size

MODES = ("zeros", "reflect", "replicate", "circular")


def torch_conv2d(x, weight, *, stride, padding, padding_mode, dilation):
    """The reference: torch in float64, padding done by F.pad as torch.nn.Conv2d does."""
    xt = torch.from_numpy(np.asarray(x, np.float64))[None]  # (1, C, H, W)
    wt = torch.from_numpy(np.asarray(weight, np.float64))  # (F, C, kh, kw)
    if padding == "same":
        layer = torch.nn.Conv2d(
            wt.shape[1],
            wt.shape[0],
            tuple(wt.shape[2:]),
            padding="same",
            padding_mode=padding_mode,
            dilation=dilation,
            bias=False,
            dtype=torch.float64,
        )
        layer.weight.data = wt
        return layer(xt)[0].detach().numpy()
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    if ph or pw:
        mode = "constant" if padding_mode == "zeros" else padding_mode
        xt = F.pad(xt, (pw, pw, ph, ph), mode=mode)
    return F.conv2d(xt, wt, stride=stride, dilation=dilation)[0].numpy()


def assert_matches(ours, reference):
    """1e-4 relative to the map's own scale: float32 sums against a float64 reference."""
    assert ours.dtype == np.float32
    assert ours.shape == reference.shape
    scale = max(1.0, float(np.abs(reference).max()))
    np.testing.assert_allclose(ours, reference, rtol=1e-4, atol=1e-4 * scale)


@st.composite
def conv_cases(draw):
    channels = draw(st.integers(1, 3))
    filters = draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    dh, dw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    mode = draw(st.sampled_from(MODES))
    use_same = draw(st.booleans())
    sh, sw = (1, 1) if use_same else (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    padding = "same" if use_same else (draw(st.integers(0, 4)), draw(st.integers(0, 4)))
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    # Inputs big enough for the window and for torch's reflect/circular limits.
    h = draw(st.integers(max(span_h, 6), 24))
    w = draw(st.integers(max(span_w, 6), 24))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (channels, h, w))
    weight = rng.standard_normal((filters, channels, kh, kw))
    return x, weight, (sh, sw), padding, mode, (dh, dw)


@settings(max_examples=300, deadline=None)
@given(conv_cases())
def test_conv2d_matches_torch_for_any_geometry(case):
    x, weight, stride, padding, mode, dilation = case
    if padding != "same":
        ph, pw = padding
        assume(not (mode == "reflect" and (ph >= x.shape[1] or pw >= x.shape[2])))
    ours = conv2d(x, weight, stride=stride, padding=padding, padding_mode=mode, dilation=dilation)
    reference = torch_conv2d(
        x, weight, stride=stride, padding=padding, padding_mode=mode, dilation=dilation
    )
    assert_matches(ours, reference)


@settings(max_examples=100, deadline=None)
@given(conv_cases(), st.booleans())
def test_conv2d_kernel_ranks_match_torch(case, flip):
    """A 2-D kernel filters each channel alone; a 3-D one sums them; 4-D stacks filters:
    each against torch with the same kernel written as (F, C, kh, kw)."""
    x, weight, stride, padding, mode, dilation = case
    assume(not (padding != "same" and mode == "reflect" and max(padding) >= min(x.shape[1:])))
    options = dict(stride=stride, padding=padding, padding_mode=mode, dilation=dilation)
    applied = weight[..., ::-1, ::-1] if flip else weight  # torch never flips
    per_channel = conv2d(x, weight[0, 0], flip=flip, **options)  # (C, H', W')
    for c in range(x.shape[0]):
        reference = torch_conv2d(x[c : c + 1], applied[0:1, 0:1].copy(), **options)
        assert_matches(per_channel[c], reference[0])
    summed = conv2d(x, weight[0], flip=flip, **options)  # (H', W')
    assert_matches(summed, torch_conv2d(x, applied[0:1].copy(), **options)[0])


def test_conv2d_same_padding_puts_the_odd_pixel_bottom_right():
    x = np.arange(25.0).reshape(5, 5)
    kernel = np.ones((2, 2))
    out = conv2d(x, kernel, padding="same")
    assert out.shape == (5, 5)
    # Padded below and right only: out[i, j] = x[i, j] + x[i, j+1] + x[i+1, j] + x[i+1, j+1].
    assert out[0, 0] == 0 + 1 + 5 + 6
    assert out[4, 4] == 24  # only x[4, 4] is inside the image


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("size", [7, 8, 9])
def test_conv2d_same_padding_keeps_ceil_of_size_over_stride(size, stride):
    x = np.random.default_rng(0).random((size, size + 1))
    out = conv2d(x, np.ones((3, 4)), padding="same", stride=stride)
    assert out.shape == (-(-size // stride), -(-(size + 1) // stride))


# --- Worked examples of convolution, padding, stride and dilation, each checked by hand. ---


def test_conv2d_seed_example_3x4_input_with_2x2_twos():
    x = [[1, 2, 3, 1], [4, 5, 6, 1], [7, 8, 9, 1]]
    out = conv2d(x, np.full((2, 2), 2.0))
    # Top-left window 1, 2, 4, 5 -> 2 * 12 = 24; top-middle window 2, 3, 5, 6 -> 2 * 16 = 32.
    np.testing.assert_array_equal(out, [[24, 32, 22], [48, 56, 34]])


def test_conv2d_seed_example_zero_padded_2x2_input():
    out = conv2d([[1, 2], [4, 5]], np.full((2, 2), 2.0), padding=1)
    # The notes print 20 at (1, 2) and (0, 2) of row 2; the window there is 2, 0, 5, 0,
    # so the true value is 2 * (2 + 5) = 14.
    np.testing.assert_array_equal(out, [[2, 6, 4], [10, 24, 14], [8, 18, 10]])


def test_conv2d_seed_example_stride_2():
    out = conv2d([[1, 2], [4, 5]], np.full((2, 2), 2.0), padding=1, stride=2)
    np.testing.assert_array_equal(out, [[2, 4], [8, 10]])


def test_conv2d_seed_example_no_padding_fits_once():
    np.testing.assert_array_equal(conv2d([[1, 2], [4, 5]], np.full((2, 2), 2.0)), [[24]])


SEED_EXERCISE = np.array(
    [
        [4, 1, 2, 4, 7, 9],
        [0, 1, 2, 0, 2, 3],
        [6, 4, 5, 2, 1, 3],
        [8, 1, 2, 1, 3, 2],
        [5, 8, 1, 2, 0, 2],
    ],
    float,
)


def test_conv2d_seed_exercise_sobel_then_relu():
    out = conv2d(SEED_EXERCISE[:4], KERNELS["sobel_x"])
    # Worked by hand: (right column - left column) weighted 1, 2, 1 down the window,
    # e.g. out[0, 3] = (9 - 4) + 2 * (3 - 0) + (3 - 2) = 12.
    np.testing.assert_array_equal(out, [[1, -1, 1, 12], [-6, -5, -7, 6]])
    np.testing.assert_array_equal(np.maximum(out, 0), [[1, 0, 1, 12], [0, 0, 0, 6]])


def test_conv2d_seed_exercise_stride_2_zero_padding():
    out = conv2d(SEED_EXERCISE, [[2, 1], [1, 2]], stride=2, padding=1)
    # Worked by hand on the 7 x 8 zero-padded input, e.g. out[1, 1] = 2*1 + 2 + 4 + 2*5 = 18.
    np.testing.assert_array_equal(out, [[8, 5, 18, 9], [12, 18, 6, 9], [18, 14, 7, 6]])


# --- Analytic inputs. ---


@pytest.mark.parametrize("mode", MODES[:3])
def test_conv2d_step_edge_through_sobel_is_a_line_at_the_edge(mode):
    x = np.zeros((16, 16))
    x[:, 8:] = 1.0  # dark left half, bright right half
    out = conv2d(x, KERNELS["sobel_x"], padding=1, padding_mode=mode)
    # The kernel straddles the edge only at columns 7 and 8, each seeing 1 + 2 + 1 = 4.
    expected = np.zeros((16, 16))
    expected[:, 7:9] = 4.0
    if mode == "zeros":
        # Zero padding makes the bright right border look like a falling edge ...
        expected[:, 15] = -4.0
        # ... and the top/bottom rows lose one smoothing tap at columns 7 and 8.
        expected[[0, -1], 7:9] = 3.0
        expected[[0, -1], 15] = -3.0
    np.testing.assert_array_equal(out, expected)
    vertical = conv2d(x, KERNELS["sobel_y"], padding=1, padding_mode="replicate")
    np.testing.assert_array_equal(vertical, 0.0)


def test_conv2d_flip_equals_correlation_with_rotated_kernel():
    rng = np.random.default_rng(3)
    x = rng.random((2, 12, 9))
    kernel = rng.standard_normal((2, 3, 4))  # asymmetric on purpose
    flipped = conv2d(x, kernel, flip=True, padding=(1, 2), stride=2)
    rotated = conv2d(x, np.rot90(kernel, 2, axes=(1, 2)), padding=(1, 2), stride=2)
    np.testing.assert_array_equal(flipped, rotated)
    assert not np.allclose(flipped, conv2d(x, kernel, padding=(1, 2), stride=2))


def test_conv2d_flip_is_true_convolution_of_an_impulse():
    """Convolving an impulse reproduces the kernel itself (translate-and-scale view)."""
    x = np.zeros((5, 5))
    x[2, 2] = 1.0
    kernel = np.arange(9.0).reshape(3, 3)
    np.testing.assert_array_equal(conv2d(x, kernel, padding=1, flip=True)[1:4, 1:4], kernel)
    np.testing.assert_array_equal(conv2d(x, kernel, padding=1)[1:4, 1:4], kernel[::-1, ::-1])


def test_conv2d_shape_agrees_with_conv_output_size():
    x = np.ones((3, 31, 17))
    out = conv2d(x, np.ones((4, 3, 5, 3)), stride=(3, 2), padding=(2, 1), dilation=(2, 3))
    assert out.shape == (
        4,
        conv_output_size(31, 5, stride=3, padding=2, dilation=2),
        conv_output_size(17, 3, stride=2, padding=1, dilation=3),
    )


def test_conv2d_accepts_integer_and_float64_input():
    x = np.arange(16, dtype=np.uint8).reshape(4, 4)
    from_integers = conv2d(x, np.ones((2, 2), int))
    from_float64 = conv2d(x.astype(np.float64), np.ones((2, 2), np.float64))
    assert from_integers.dtype == from_float64.dtype == np.float32
    # Top-left 2 x 2 window of 0..15 in rows of 4: 0 + 1 + 4 + 5 = 10.
    assert from_integers[0, 0] == from_float64[0, 0] == 10


# --- Bad arguments give errors that name the parameter and the value. ---


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(stride=0), "stride must be at least 1; got 0"),
        (dict(stride=(1, 2, 3)), "stride must be an integer or a pair"),
        (dict(dilation=-1), "dilation must be at least 1"),
        (dict(padding=-2), "padding must be at least 0"),
        (dict(padding="full"), 'padding must be an integer, a pair, "valid" or "same"'),
        (dict(padding_mode="mirror"), "padding_mode must be one of"),
        (dict(stride=1.5), "stride must be an integer"),
        (dict(padding=4, padding_mode="reflect"), "reflect padding of 4 x 4"),
        (dict(padding=5, padding_mode="circular"), "circular padding of 5 x 5"),
    ],
)
def test_conv2d_rejects_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        conv2d(np.ones((4, 4)), np.ones((3, 3)), **kwargs)


def test_conv2d_explains_an_empty_output_with_the_formula():
    with pytest.raises(ValueError, match=r"floor\(\(4 \+ 0 \+ 0 - 5\) / 1\) \+ 1 = 0"):
        conv2d(np.ones((4, 4)), np.ones((3, 3)), dilation=2)


@pytest.mark.parametrize(
    "x, kernel, match",
    [
        (np.ones(4), np.ones((3, 3)), "x must have 2 or 3 dimensions"),
        (np.ones((4, 4)), np.ones(3), "kernel must have 2 or 3 or 4 dimensions"),
        (np.ones((2, 4, 4)), np.ones((3, 3, 3)), "expects 3 input channel"),
        (np.ones((4, 4)), np.array([[1, np.nan], [0, 1]]), r"non-finite value at index \(0, 1\)"),
        (np.array([["a"]]), np.ones((1, 1)), "x must hold real numbers"),
        (np.ones((0, 4)), np.ones((1, 1)), "x is empty"),
    ],
)
def test_conv2d_rejects_bad_arrays(x, kernel, match):
    with pytest.raises(ValueError, match=match):
        conv2d(x, kernel)
