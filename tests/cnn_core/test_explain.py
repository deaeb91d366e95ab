"""Saliency against finite differences; Grad-CAM against its definition; kernel matching."""

import copy

import numpy as np
import pytest
import torch

from cnn_core import KERNELS
from cnn_core.digits import preprocess_digit
from cnn_core.explain import grad_cam, saliency
from cnn_core.kernel_similarity import closest_classic, kernel_similarity, padded_to
from cnn_core.model import HELDOUT_PATH, as_batch, load_model

DIGIT = preprocess_digit(np.load(HELDOUT_PATH)["images"][5] / 255.0)


def test_saliency_is_the_gradient_of_the_class_score():
    """The network is piecewise linear, so a small difference is the exact slope, unless a
    ReLU or max-pool tie sits exactly at the input (blank areas make many). A faint random
    texture breaks every tie; checked in float64 on a copy of the network."""
    model = copy.deepcopy(load_model()).double()
    digit = DIGIT.astype(np.float64) + np.random.default_rng(0).uniform(0, 1e-3, DIGIT.shape)
    gradient = saliency(model, digit, target=3)
    assert gradient.shape == (28, 28) and (gradient >= 0).all()
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


def test_grad_cam_follows_its_definition():
    model = load_model()
    heat = grad_cam(model, DIGIT, target=int(model(as_batch(DIGIT)).argmax()))
    assert heat.shape == (28, 28) and heat.min() >= 0 and heat.max() == pytest.approx(1.0)
    # By hand: the last conv maps, weighted by their mean gradient, summed, rectified.
    x = as_batch(DIGIT)
    maps = model.relu2(model.conv2(model.pool1(model.relu1(model.conv1(x))))).detach()
    maps.requires_grad_(True)
    score = model.fc2(model.relu3(model.fc1(model.flatten(model.pool2(maps)))))
    target = int(score.argmax())
    score[0, target].backward()
    weights = maps.grad.mean(dim=(2, 3), keepdim=True)
    cam = torch.relu((weights * maps).sum(1, keepdim=True))
    cam = torch.nn.functional.interpolate(cam, size=(28, 28), mode="bilinear")[0, 0]
    np.testing.assert_allclose(heat, (cam / cam.max()).detach().numpy(), atol=1e-5)


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
