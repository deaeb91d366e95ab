"""Captum attributions against autograd, a tiny net worked by hand, planted evidence and
completeness; kernel matching."""

import copy

import numpy as np
import pytest
import torch

from cnn_core import KERNELS
from cnn_core.digits import preprocess_digit
from cnn_core.kernel_similarity import closest_classic, kernel_similarity, padded_to
from cnn_core.nn.digit_net import as_batch
from cnn_core.nn.explain import grad_cam, integrated_gradients, occlusion, saliency, smoothgrad
from cnn_core.nn.saved_models import HELDOUT_PATH, load_model

DIGIT = preprocess_digit(np.load(HELDOUT_PATH)["images"][5] / 255.0)


def test_captum_saliency_is_the_plain_autograd_gradient():
    model = load_model()
    batch = as_batch(DIGIT)
    x = batch.clone().requires_grad_(True)
    (gradient,) = torch.autograd.grad(model(x)[0, 3], x)
    np.testing.assert_allclose(saliency(model, batch, 3).heat, gradient[0, 0].abs().numpy())


def test_saliency_is_the_slope_of_the_class_score():
    """The network is piecewise linear, so a small difference is the exact slope, unless a
    ReLU or max-pool tie sits exactly at the input (blank areas make many). A faint random
    texture breaks every tie; checked in float64 on a copy of the network."""
    model = copy.deepcopy(load_model()).double()
    digit = DIGIT.astype(np.float64) + np.random.default_rng(0).uniform(0, 1e-3, DIGIT.shape)
    gradient = saliency(model, as_batch(digit), 3).heat
    epsilon = 1e-7

    def score(picture) -> float:
        with torch.no_grad():
            return float(model(as_batch(picture))[0, 3])

    for row, col in [(14, 14), (10, 8), (20, 17), (6, 13), (3, 3)]:
        plus, minus = digit.copy(), digit.copy()
        plus[row, col] += epsilon
        minus[row, col] -= epsilon
        slope = abs(score(plus) - score(minus)) / (2 * epsilon)
        assert gradient[row, col] == pytest.approx(slope, rel=1e-5, abs=1e-7)


class TinyNet(torch.nn.Module):
    """conv 3x3 (2 maps) > ReLU > global average > linear: small enough to work by hand."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 2, 3, padding=1, bias=False)
        self.relu = torch.nn.ReLU()
        self.fc = torch.nn.Linear(2, 2, bias=False)
        with torch.no_grad():
            self.conv.weight.copy_(
                torch.tensor(
                    [[[[0, 0, 0], [0, 1, 0], [0, 0, 0.0]]], [[[0, 0, 0], [0, 2, 0], [0, 0, 0.0]]]]
                )
            )
            self.fc.weight.copy_(torch.tensor([[3.0, -1.0], [1.0, 1.0]]))

    def forward(self, x):
        return self.fc(self.relu(self.conv(x)).mean(dim=(2, 3)))


def test_grad_cam_on_a_tiny_net_equals_the_formula_by_hand():
    """Input x (4 x 4, values >= 0). Maps: A1 = x, A2 = 2x (the kernels pick the centre).
    Score 0 = 3 mean(A1) - mean(A2), so d score / d A1 = 3 / 16 everywhere and
    d score / d A2 = -1 / 16: the channel weights (mean gradients) are 3/16 and -1/16.
    Grad-CAM = ReLU(3/16 x - 1/16 2x) = x / 16, scaled to peak 1: x / max(x)."""
    x = torch.arange(16, dtype=torch.float32).reshape(1, 1, 4, 4)
    model = TinyNet().eval()
    heat = grad_cam(model, x, 0, model.relu).heat
    np.testing.assert_allclose(heat, (x[0, 0] / x.max()).numpy(), atol=1e-6)
    # For class 1 the weights are 1/16 and 1/16: ReLU(x/16 + 2x/16) = 3x/16, same shape.
    np.testing.assert_allclose(grad_cam(model, x, 1, model.relu).heat, heat, atol=1e-6)


def test_occlusion_finds_the_evidence_where_it_was_planted():
    """A network that scores the mean of the top-left 6 x 6 corner: greying any patch
    there lowers the score, elsewhere nothing changes."""

    class Corner(torch.nn.Module):
        def forward(self, x):
            return x[:, :, :6, :6].mean(dim=(1, 2, 3))[:, None].repeat(1, 2)

    image = torch.ones(1, 1, 16, 16)
    drops = occlusion(Corner(), image, 0, window=4, stride=2).heat
    assert drops[:6, :6].min() > 0
    assert np.all(drops[8:, :] == 0) and np.all(drops[:, 8:] == 0)
    peak = np.unravel_index(np.argmax(drops), drops.shape)
    assert peak[0] < 6 and peak[1] < 6


def test_integrated_gradients_add_up_to_the_score_difference():
    model = load_model()
    batch = as_batch(DIGIT)
    result = integrated_gradients(model, batch, 5, steps=64)
    with torch.no_grad():
        difference = float(model(batch)[0, 5] - model(torch.zeros_like(batch))[0, 5])
    assert result.score_difference == pytest.approx(difference, rel=1e-5)
    assert float(result.heat.sum()) == pytest.approx(difference, rel=0.02)
    assert abs(result.delta) < 0.02 * abs(difference)


def test_smoothgrad_is_saliency_averaged_over_noise():
    model = load_model()
    batch = as_batch(DIGIT)
    smooth = smoothgrad(model, batch, 5, samples=8).heat
    plain = saliency(model, batch, 5).heat
    assert smooth.shape == plain.shape == (28, 28)
    # Averaging spreads the gradient: the smoothed map is less peaked than one gradient.
    assert smooth.max() / smooth.mean() < plain.max() / plain.mean()


def test_kernel_similarity_ignores_scale_and_keeps_sign():
    sobel = KERNELS["sobel_x"]
    assert kernel_similarity(sobel, 3 * sobel) == pytest.approx(1.0)
    assert kernel_similarity(sobel, -sobel) == pytest.approx(-1.0)
    assert kernel_similarity(sobel, sobel.T) == pytest.approx(0.0, abs=1e-7)
    assert kernel_similarity(np.ones((3, 3)), sobel) == 0.0


def test_closest_classic_finds_a_planted_kernel():
    for name in ("sobel_y", "kirsch_sw", "laplacian", "emboss"):
        found, score = closest_classic(padded_to(KERNELS[name], 5) * 0.3 + 0.01)
        assert found == name and score == pytest.approx(1.0)
    found, score = closest_classic(-padded_to(KERNELS["scharr_x"], 5))
    assert found == "scharr_x" and score == pytest.approx(-1.0)
