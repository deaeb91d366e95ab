"""pool2d against torch's pooling functions; switches; global pooling."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnn_core import conv_output_size
from cnn_core.pool import global_pool, max_pool_switches, pool2d, pool_output_shape


@st.composite
def pool_cases(draw):
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sh, sw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    ph, pw = draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2))
    h = draw(st.integers(max(1, kh - 2 * ph), 14))
    w = draw(st.integers(max(1, kw - 2 * pw), 14))
    channels = draw(st.integers(1, 3))
    ceil_mode = draw(st.booleans())
    seed = draw(st.integers(0, 2**32 - 1))
    x = np.random.default_rng(seed).standard_normal((channels, h, w)).astype(np.float32)
    return x, (kh, kw), (sh, sw), (ph, pw), ceil_mode


@settings(max_examples=300, deadline=None)
@given(pool_cases())
def test_pool2d_max_and_avg_match_torch(case):
    x, kernel, stride, padding, ceil_mode = case
    xt = torch.from_numpy(x)[None]
    expected_max = F.max_pool2d(xt, kernel, stride, padding, ceil_mode=ceil_mode)[0].numpy()
    expected_avg = F.avg_pool2d(xt, kernel, stride, padding, ceil_mode=ceil_mode)[0].numpy()
    got_max = pool2d(x, kernel, stride=stride, padding=padding, mode="max", ceil_mode=ceil_mode)
    got_avg = pool2d(x, kernel, stride=stride, padding=padding, mode="avg", ceil_mode=ceil_mode)
    np.testing.assert_array_equal(got_max, expected_max)
    np.testing.assert_allclose(got_avg, expected_avg, rtol=1e-5, atol=1e-6)


@settings(max_examples=200, deadline=None)
@given(pool_cases())
def test_pool2d_l2_matches_torch_lp_pool(case):
    x, kernel, stride, _, ceil_mode = case
    assume(x.shape[1] >= kernel[0] and x.shape[2] >= kernel[1])  # lp_pool2d takes no padding
    expected = F.lp_pool2d(torch.from_numpy(x)[None], 2, kernel, stride, ceil_mode)[0].numpy()
    got = pool2d(x, kernel, stride=stride, mode="l2", ceil_mode=ceil_mode)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_pool2d_l2_is_the_root_of_the_sum_of_squares():
    x = np.array([[3.0, 4.0], [0.0, 0.0]])
    assert pool2d(x, 2, mode="l2")[0, 0] == pytest.approx(5.0)
    assert pool2d(x, 2, mode="avg")[0, 0] == pytest.approx(7 / 4)
    assert pool2d(x, 2, mode="max")[0, 0] == 4.0


def test_pool2d_stride_defaults_to_the_window_and_shape_follows_the_formula():
    x = np.random.default_rng(0).random((3, 11, 9))
    out = pool2d(x, 3)
    assert out.shape == (3, conv_output_size(11, 3, stride=3), conv_output_size(9, 3, stride=3))
    assert pool_output_shape((11, 9), 3, ceil_mode=True) == (4, 3)


@settings(max_examples=150, deadline=None)
@given(pool_cases())
def test_max_pool_switches_point_at_the_maxima(case):
    x, kernel, stride, padding, ceil_mode = case
    out = pool2d(x, kernel, stride=stride, padding=padding, ceil_mode=ceil_mode)
    switches = max_pool_switches(x, kernel, stride=stride, padding=padding, ceil_mode=ceil_mode)
    channels, rows, cols = out.shape
    for c in range(channels):
        rr, cc = switches[c, ..., 0], switches[c, ..., 1]
        assert (rr >= 0).all() and (rr < x.shape[1]).all()
        assert (cc >= 0).all() and (cc < x.shape[2]).all()
        np.testing.assert_array_equal(x[c, rr, cc], out[c])
    # Continuous random values have no ties: the same indices torch reports.
    _, indices = F.max_pool2d(
        torch.from_numpy(x)[None],
        kernel,
        stride,
        padding,
        ceil_mode=ceil_mode,
        return_indices=True,
    )
    flat = switches[..., 0] * x.shape[2] + switches[..., 1]
    np.testing.assert_array_equal(flat, indices[0].numpy())


def test_global_pool_averages_or_maximises_each_channel():
    x = np.arange(24, dtype=float).reshape(2, 3, 4)
    np.testing.assert_allclose(global_pool(x, "avg"), [5.5, 17.5])
    np.testing.assert_allclose(global_pool(x, "max"), [11, 23])
    reference = F.adaptive_avg_pool2d(torch.from_numpy(x)[None], 1)[0, :, 0, 0].numpy()
    np.testing.assert_allclose(global_pool(x, "avg"), reference, rtol=1e-6)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(kernel_size=2, padding=2), "more than half"),
        (dict(kernel_size=9), "No output rows"),
        (dict(kernel_size=2, mode="median"), "mode must be one of"),
        (dict(kernel_size=0), "kernel_size must be at least 1"),
    ],
)
def test_pool2d_explains_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        pool2d(np.ones((4, 4)), **kwargs)


def test_max_pooling_gives_partial_invariance_to_a_small_shift():
    """The lecture's point: a feature moving inside its pooling window leaves the output alone."""
    x = np.zeros((8, 8))
    x[2, 2] = 1.0
    shifted = np.roll(x, 1, axis=1)  # (2, 3): still inside the window rows 2-3, cols 2-3
    np.testing.assert_array_equal(pool2d(x, 2), pool2d(shifted, 2))
    assert not np.array_equal(x, shifted)
