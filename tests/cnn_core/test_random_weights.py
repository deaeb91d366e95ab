"""A named architecture opened without trained weights (Your model), and a real network
loaded untrained (Real networks, offline), get random weights drawn from one fixed seed:
every session and every server builds the same ones (a class and its projector see the
same maps), whatever the caller's random state, which is left as it was; and the note on
the page says so."""

import pytest
import torch

from cnn_core.nn.network_weights import load_network
from cnn_core.nn.open_model import open_model


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    """A torch cache holding no trained weights: named architectures get random ones."""
    monkeypatch.setattr(torch.hub, "_hub_dir", str(tmp_path / "hub"))


def assert_same_weights(first: torch.nn.Module, second: torch.nn.Module) -> None:
    one, other = first.state_dict(), second.state_dict()
    assert list(one) == list(other)
    for name in one:
        assert torch.equal(one[name], other[name]), name


def state_unchanged_by(open_it):
    """Open a model with torch's global generator at a seed of the caller's; the model,
    and whether the generator's state afterwards is what it was before."""
    torch.manual_seed(1234)
    before = torch.get_rng_state()
    opened = open_it()
    return opened, torch.equal(torch.get_rng_state(), before)


@pytest.mark.parametrize("source", ["resnet18", "mobilenet_v3_small"])
def test_two_openings_of_a_torchvision_architecture_have_the_same_random_weights(
    empty_cache, source
):
    first, unchanged = state_unchanged_by(lambda: open_model(source))
    assert unchanged, "opening a model moved the caller's random state"
    torch.manual_seed(99)  # another caller's state: the weights do not depend on it
    torch.rand(7)
    second = open_model(source)
    assert "random weights" in first.note and "fixed" in first.note
    assert_same_weights(first.module, second.module)
    weights = first.module.state_dict()[
        "features.0.0.weight" if "mobile" in source else "conv1.weight"
    ]
    assert weights.std() > 0  # random, not constant


def test_two_openings_of_a_timm_model_have_the_same_random_weights():
    pytest.importorskip("timm")
    first, unchanged = state_unchanged_by(lambda: open_model("timm:resnet10t"))
    assert unchanged
    torch.manual_seed(99)
    second = open_model("timm:resnet10t")
    assert "random weights" in first.note and "fixed" in first.note
    assert_same_weights(first.module, second.module)


def test_an_untrained_real_network_is_the_same_in_every_session():
    first, unchanged = state_unchanged_by(lambda: load_network("alexnet", pretrained=False))
    assert unchanged
    torch.manual_seed(99)
    assert_same_weights(first, load_network("alexnet", pretrained=False))
