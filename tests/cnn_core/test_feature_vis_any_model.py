"""What a channel wants, on a model torch.fx cannot trace (its forward branches on a
tensor's value, as a user's model may): the same picture, activations and top examples as
on its traceable twin (the same layers without the branch), read through a forward hook
instead of an fx graph; a layer the model lacks is a ValueError naming it."""

import numpy as np
import pytest
import torch
from torch import nn
from torchvision.models.feature_extraction import create_feature_extractor

from cnn_core.nn.feature_vis import top_examples, visualise_channel


class Twin(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.body = nn.Sequential(
            nn.Conv2d(3, 4, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(4, 6, 3, padding=1),
            nn.ReLU(),
        )
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(6, 3))

    def forward(self, x):
        return self.head(self.body(x))


class Branching(Twin):
    def forward(self, x):
        maps = self.body(x)
        if maps.mean() >= 0:  # always true after a ReLU, but fx cannot know it
            return self.head(maps)
        return -self.head(maps)


def twins() -> tuple[nn.Module, nn.Module]:
    plain, branching = Twin().eval(), Branching().eval()
    branching.load_state_dict(plain.state_dict())
    for model in (plain, branching):
        model.requires_grad_(False)
    return plain, branching


def test_fx_cannot_trace_the_branching_model():
    with pytest.raises(Exception, match="control flow"):
        create_feature_extractor(twins()[1], return_nodes={"body.2": "out"})


def test_a_channel_of_an_untraceable_model_is_visualised_as_on_its_twin():
    plain, branching = twins()
    options = {"shape": (3, 24, 24), "steps": 24, "mean": [0.5] * 3, "std": [0.25] * 3}
    expected = visualise_channel(plain, "body.2", 4, **options)
    result = visualise_channel(branching, "body.2", 4, **options)
    assert result.finished and result.image.shape == (24, 24, 3)
    np.testing.assert_allclose(result.activations, expected.activations, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(result.image, expected.image, rtol=1e-5, atol=1e-6)
    assert result.activations[-1] > result.activations[0]  # the ascent climbs


def test_top_examples_of_an_untraceable_model_match_its_twin():
    plain, branching = twins()
    batch = torch.rand((12, 3, 16, 16), generator=torch.Generator().manual_seed(4))
    indices, values = top_examples(branching, "body.3", 4, batch, count=4)
    with torch.no_grad():
        means = plain.body(batch)[:, 4].mean(dim=(1, 2))
    assert indices == [int(i) for i in torch.argsort(means, descending=True)[:4]]
    np.testing.assert_allclose(values, np.sort(means.numpy())[::-1][:4], rtol=1e-6)


def test_a_layer_the_model_lacks_is_named():
    with pytest.raises(ValueError, match="no layer named 'body.9'"):
        visualise_channel(twins()[1], "body.9", 0, shape=(3, 16, 16), steps=2)
