"""Any model run on one picture, read through hooks (cnn_core.nn.model_run) and its
stages picked from where the maps change size (cnn_core.nn.model_stages): checked
against the modules called by hand, torch's softmax and autograd, and
network_receptive_fields."""

import pytest
import torch
from torch import nn
from torchvision import models

from cnn_core.nn.model_run import (
    first_conv_filters,
    layer_outputs,
    run_model,
    top_classes,
    unit_field,
    up_to_layer,
)
from cnn_core.nn.model_stages import pick_stages, stage_fields_of
from cnn_core.nn.network_fields import network_receptive_fields


def small_net(classes: int = 5) -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1),  # 0: 8 x 8
        nn.ReLU(),  # 1
        nn.MaxPool2d(2),  # 2: 4 x 4
        nn.Conv2d(4, 6, 3, padding=1),  # 3
        nn.ReLU(),  # 4
        nn.AdaptiveAvgPool2d(1),  # 5: 1 x 1
        nn.Flatten(),  # 6
        nn.Linear(6, classes),  # 7
    ).eval()


LAYERS = [str(i) for i in range(8)]


class SharedRelu(nn.Module):
    """One ReLU module called at two sizes, and one called twice at the same size."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 2, 3, padding=1)
        self.conv2 = nn.Conv2d(2, 2, 3, stride=2, padding=1)
        self.act = nn.ReLU()
        self.twice = nn.ReLU()

    def forward(self, x):
        x = self.act(self.conv1(x))
        x = self.twice(x - 0.1)
        x = self.twice(x + 0.05) * 2
        return self.act(self.conv2(x))


def test_layer_outputs_are_the_modules_called_by_hand():
    net = small_net()
    x = torch.randn(1, 3, 8, 8)
    output, seen = layer_outputs(net, ["1", "4"], x)
    after_first = net[1](net[0](x))
    torch.testing.assert_close(seen["1"], after_first)
    torch.testing.assert_close(seen["4"], net[4](net[3](net[2](after_first))))
    torch.testing.assert_close(output, net(x))
    with pytest.raises(ValueError, match="no layer named 'nine'"):
        layer_outputs(net, ["nine"], x)


def test_top_classes_are_torchs_softmax_top_k():
    scores = torch.tensor([[0.5, 3.0, -1.0, 2.0, 0.0, 1.0]])
    answer = top_classes(scores, top=3)
    values, indices = torch.softmax(scores[0], 0).topk(3)
    assert answer.indices == indices.tolist() == [1, 3, 5]
    assert answer.probabilities == pytest.approx(values.tolist())
    assert answer.outputs == 6 and answer.softmax_applied


def test_probabilities_from_a_softmax_layer_are_not_squashed_again():
    probabilities = torch.tensor([[0.1, 0.7, 0.2]])
    answer = top_classes(probabilities)
    assert answer.indices == [1, 2, 0] and answer.probabilities == pytest.approx([0.7, 0.2, 0.1])
    assert not answer.softmax_applied
    # (1, K, 1, 1), as a fully convolutional classifier gives, is one score per class too.
    assert top_classes(torch.tensor([3.0, 1.0])[None, :, None, None]).indices == [0, 1]


def test_a_model_whose_output_is_not_scores_is_said_so():
    with pytest.raises(ValueError, match=r"shape \(1, 2, 4, 4\)"):
        top_classes(torch.zeros(1, 2, 4, 4))
    answer, maps = run_model(nn.Conv2d(3, 2, 1), [], torch.zeros(1, 3, 4, 4))
    assert isinstance(answer, str) and "one score per class" in answer and maps == {}


def test_run_model_gives_the_answer_and_each_stages_maps():
    net = small_net()
    x = torch.randn(1, 3, 8, 8)
    answer, maps = run_model(net, ["1", "4"], x, top=2)
    assert answer.indices == torch.softmax(net(x)[0], 0).topk(2).indices.tolist()
    assert maps["1"].shape == (4, 8, 8) and maps["4"].shape == (6, 4, 4)


def test_a_layer_called_twice_gives_its_last_output():
    net = SharedRelu().eval()
    x = torch.randn(1, 1, 8, 8)
    with torch.no_grad():
        _, seen = layer_outputs(net, ["twice"], x)
        first = net.act(net.conv1(x))
        expected = net.twice(net.twice(first - 0.1) + 0.05)
    torch.testing.assert_close(seen["twice"], expected)
    torch.testing.assert_close(up_to_layer(net, "twice")(x), expected)


def test_the_effective_field_is_autograds_input_gradient():
    net = small_net()
    x = torch.rand(1, 3, 8, 8, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():  # the most active channel there, as the page picks it (ReLU alive)
        channel = int(layer_outputs(net, ["4"], x)[1]["4"][0, :, 1, 3].argmax())
    gradient = unit_field(net, "4", x, (channel, 1, 3))
    manual = x.clone().requires_grad_(True)
    net[4](net[3](net[2](net[1](net[0](manual)))))[0, channel, 1, 3].backward()
    torch.testing.assert_close(torch.from_numpy(gradient), manual.grad[0].abs().sum(0))
    # By hand: conv 3 (pad 1), pool 2, conv 3 (pad 1) see 8 x 8 pixels with a jump of 2,
    # unit 0 starting at -3; unit (1, 3) sees rows -1..6 and columns 3..10.
    assert (gradient[7, :] == 0).all() and (gradient[:, :3] == 0).all()
    assert gradient[:7, 3:].sum() > 0


def test_first_conv_filters_are_the_first_convolution_run():
    net = small_net()
    name, weights = first_conv_filters(net, LAYERS)
    assert name == "0" and (weights == net[0].weight.detach().numpy()).all()
    assert first_conv_filters(nn.Sequential(nn.Flatten(), nn.Linear(4, 2)), ["0", "1"]) is None


def test_stages_end_where_the_maps_change_size():
    net = small_net()
    stages = pick_stages(net, LAYERS, (3, 8, 8))
    # 8 x 8 ends at the first ReLU, 4 x 4 at the second; the 1 x 1 pool is no stage.
    assert stages == {"1": "stage 1: 8 x 8", "4": "stage 2: 4 x 4"}


def test_a_shared_layer_used_at_two_sizes_names_no_stage():
    net = SharedRelu().eval()
    stages = pick_stages(net, ["conv1", "act", "twice", "conv2"], (1, 8, 8))
    assert stages == {"twice": "stage 1: 8 x 8", "conv2": "stage 2: 4 x 4"}


def test_resnet18s_stages_are_its_four_stages_with_their_published_fields():
    net = models.resnet18().eval()
    layers = [name for name, m in net.named_modules() if name and not list(m.children())]
    stages = pick_stages(net, layers, (3, 224, 224))
    assert list(stages) == [
        "relu",
        "layer1.1.relu",
        "layer2.1.relu",
        "layer3.1.relu",
        "layer4.1.relu",
    ]
    fields, note = stage_fields_of(net, stages, (224, 224))
    whole = network_receptive_fields(net)
    assert note == ""
    for stage, block in zip(list(stages)[1:], ["layer1", "layer2", "layer3", "layer4"]):
        assert (fields[stage].size, fields[stage].jump) == (whole[block].size, whole[block].jump)
    assert fields["layer2.1.relu"].size == 99 and fields["layer4.1.relu"].jump == 32


def test_many_sizes_are_thinned_to_the_most_asked_for():
    net = nn.Sequential(*[nn.Conv2d(1, 1, 2) for _ in range(10)])  # 16 -> 15 -> ... -> 6
    stages = pick_stages(net, [str(i) for i in range(10)], (1, 16, 16), most=4)
    assert list(stages) == ["0", "3", "6", "9"]
    assert stages["9"] == "stage 4: 6 x 6"


def test_an_untraceable_model_has_no_fields_and_says_why():
    class Branchy(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 1, 3)

        def forward(self, x):
            return self.conv(x) if x.sum() > 0 else -self.conv(x)  # data-dependent

    fields, note = stage_fields_of(Branchy(), {"conv": "stage 1"}, (8, 8))
    assert fields == {} and "torch.fx" in note
