"""The layer-stack runner against the same stack built from torch modules."""

import numpy as np
import pytest
import torch

from cnn_core import KERNELS, conv2d
from cnn_core.layers import LayerError, format_layers, parse_layers
from cnn_core.nn.stack_torch import layers_to_torch
from cnn_core.pool import pool2d
from cnn_core.stack import PRESETS, run_stack

IMAGE = np.random.default_rng(0).random((1, 48, 52)).astype(np.float32)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_run_stack_matches_torch_modules_and_their_weight_counts(name):
    layers = parse_layers(PRESETS[name])
    stages = run_stack(IMAGE, layers)
    model = layers_to_torch(layers, in_channels=1)
    x = torch.from_numpy(IMAGE)[None]
    for stage, module in zip(stages, model):
        with torch.no_grad():
            x = module(x)
        np.testing.assert_allclose(stage.maps, x[0].numpy(), rtol=1e-4, atol=1e-5)
        counted = stage.weights.total if stage.weights else 0
        assert counted == sum(p.numel() for p in module.parameters())


def test_run_stack_counts_like_the_lecture_notes():
    """Eight 5x5 filters on a 512 x 512 image: 200 weights, not 512 * 512 * 8 = 2.1 million."""
    image = np.zeros((1, 512, 512), np.float32)
    stage = run_stack(image, parse_layers("rand.8.5.p2"))[0]
    assert stage.weights.total == 200
    assert stage.dense_weights == 512 * 512 * (8 * 512 * 512)
    # Grosse: 32 -> 16 maps of 50 x 50 with 5 x 5 filters.
    maps = np.zeros((32, 50, 50), np.float32)
    stage = run_stack(maps, parse_layers("rand.16.5.p2"))[0]
    assert stage.weights.total == 12_800
    assert stage.dense_weights == (32 * 50 * 50) * (16 * 50 * 50)  # 3.2 billion


def test_horizontalness_preset_is_edge_relu_blur():
    stages = run_stack(IMAGE, parse_layers(PRESETS["horizontalness"]))
    edges = conv2d(IMAGE[0], KERNELS["sobel_y"], padding=1)
    np.testing.assert_allclose(stages[0].maps[0], edges, atol=1e-6)
    np.testing.assert_allclose(stages[1].maps[0], np.maximum(edges, 0), atol=1e-6)
    blurred = conv2d(np.maximum(edges, 0), KERNELS["gaussian_blur"], padding=2)
    np.testing.assert_allclose(stages[2].maps[0], blurred, atol=1e-5)


def test_kirsch_preset_takes_the_strongest_direction_then_pools():
    stages = run_stack(IMAGE, parse_layers(PRESETS["kirsch"]))
    assert stages[0].shape == (8, 48, 52)
    np.testing.assert_array_equal(stages[1].maps[0], stages[0].maps.max(axis=0))
    np.testing.assert_array_equal(stages[2].maps, pool2d(stages[1].maps, 2))


def test_parse_layers_round_trips_its_text():
    text = "conv.laplacian.s2.p1.d2,act.leaky_relu,pool.l2.3.s2,rand.4.3.r9,maxmaps"
    layers = parse_layers(text)
    assert format_layers(layers) == text
    assert parse_layers(format_layers(layers)) == layers
    assert [layer.kind for layer in layers] == ["conv", "act", "pool", "rand", "maxmaps"]


@pytest.mark.parametrize(
    "text, match",
    [
        ("", "empty"),
        ("conv.nonsense", "Layer 1 .*name a kernel"),
        ("act.relu,act.softmax", "Layer 2 .*act.<name>"),
        ("pool.max.99", "size must be a whole number from 1 to 8"),
        ("rand.99.3", "filters must be a whole number from 1 to 32"),
        ("conv.identity.x3", "unexpected option"),
        (",".join(["act.relu"] * 7), "at most 6"),
        ("<script>", "unknown layer"),
    ],
)
def test_parse_layers_names_what_is_wrong(text, match):
    with pytest.raises(LayerError, match=match):
        parse_layers(text)


def test_run_stack_explains_a_layer_that_leaves_no_output():
    with pytest.raises(LayerError, match="Layer 2 .*No output"):
        run_stack(np.zeros((1, 6, 6), np.float32), parse_layers("pool.max.4,rand.2.5"))


def test_weight_counts_match_torch_modules():
    from cnn_core.stack import conv_weight_count, dense_weight_count

    for in_maps, out_maps, k, bias in [(1, 8, 5, False), (32, 16, 5, False), (3, 4, 3, True)]:
        module = torch.nn.Conv2d(in_maps, out_maps, k, bias=bias)
        assert conv_weight_count(in_maps, out_maps, k, bias=bias) == sum(
            p.numel() for p in module.parameters()
        )
    for n_in, n_out, bias in [(512 * 512, 8, True), (100, 10, False)]:
        module = torch.nn.Linear(n_in, n_out, bias=bias)
        assert dense_weight_count(n_in, n_out, bias=bias) == sum(
            p.numel() for p in module.parameters()
        )


def test_lecture_examples_hold_the_lecture_numbers():
    from cnn_core.stack import lecture_examples

    first, second = lecture_examples()
    # "more than 2 million" for one hidden layer of 8 units on a 512 x 512 image.
    assert first.dense == (512**2 + 1) * 8 == 2_097_160
    assert first.conv == 200
    # Grosse: 12,800 weights against about 3.2 billion.
    assert second.conv == 12_800
    assert second.dense == 3_200_000_000
    assert second.ratio == 250_000
