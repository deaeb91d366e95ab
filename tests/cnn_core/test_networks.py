"""Real networks: their receptive fields against autograd and the published values, the
offline message, prediction and feature visualisation, all with random weights."""

import urllib.error
import urllib.request

import numpy as np
import pytest
import torch
from torch import nn
from torchvision import models
from torchvision.models.feature_extraction import create_feature_extractor

from cnn_core.nn.feature_vis import top_examples, visualise_channel
from cnn_core.nn.network_fields import network_receptive_fields
from cnn_core.nn.network_inference import effective_field, first_layer_filters, most_active, predict
from cnn_core.nn.network_weights import WeightsUnavailable, download_weights, load_network
from cnn_core.nn.networks import NETWORKS, class_names, preprocess
from cnn_core.nn.saved_models import load_model
from cnn_core.nn.stage_fields import PUBLISHED_FIELDS, stage_fields

PHOTO = np.random.default_rng(0).random((300, 400, 3)).astype(np.float32)


def _all_paths_open(model: nn.Module) -> nn.Module:
    """The same geometry with every path passing gradient to every pixel it reads:
    positive weights, average instead of max pooling (max sends the gradient to one
    cell), sigmoid instead of hard sigmoid (flat beyond 3)."""
    for module in list(model.modules()):
        for child_name, child in list(module.named_children()):
            if isinstance(child, nn.MaxPool2d):
                setattr(
                    module,
                    child_name,
                    nn.AvgPool2d(
                        child.kernel_size, child.stride, child.padding, ceil_mode=child.ceil_mode
                    ),
                )
            elif isinstance(child, nn.Hardsigmoid):
                setattr(module, child_name, nn.Sigmoid())
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                # Positive, and each output an average of its inputs, so nothing overflows;
                # positive biases too, so no ReLU is ever off.
                module.weight.abs_().div_(module.weight[0].numel())
                if module.bias is not None:
                    module.bias.abs_()
    return model.eval()


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_the_graph_walk_equals_the_gradients_footprint(name):
    """With every path open, a unit's input gradient is non-zero on exactly its
    theoretical field (clipped to the image), following shortcuts and joins."""
    torch.manual_seed(0)
    model = _all_paths_open(NETWORKS[name].builder(weights=None))
    fields = network_receptive_fields(model, (224, 224))
    for node in list(NETWORKS[name].stages)[1::2]:
        x = torch.ones(1, 3, 224, 224, requires_grad=True)
        out = create_feature_extractor(model, {node: "out"})(x)["out"]
        row, col = out.shape[2] // 2, out.shape[3] // 2
        out[0, 0, row, col].backward()
        support = x.grad[0].abs().sum(0) > 0
        rows, cols = np.flatnonzero(support.any(1)), np.flatnonzero(support.any(0))
        field = fields[node]
        (top, bottom), (left, right) = field.box(row), field.box(col)
        expected = (max(top, 0), min(bottom, 223), max(left, 0), min(right, 223))
        assert (rows.min(), rows.max(), cols.min(), cols.max()) == expected, node


@pytest.mark.parametrize("name", sorted(PUBLISHED_FIELDS))
def test_receptive_fields_against_araujo_et_al(name):
    node, size, jump = PUBLISHED_FIELDS[name]
    field = network_receptive_fields(getattr(models, name)(weights=None))[node]
    if name == "resnet50":
        # torchvision's ResNet-50 (v1.5) strides in the 3 x 3 convolution of each stage's
        # first block, the original (v1, Araujo et al.'s) in the 1 x 1 before it: the
        # later 3 x 3s then run at a smaller jump, so the field is 427, not 483.
        assert (field.size, field.jump) == (427, jump)
    else:
        assert (field.size, field.jump) == (size, jump)


def test_vgg16_and_alexnet_fields_match_the_design_examples():
    vgg = network_receptive_fields(models.vgg16(weights=None))["features.30"]
    assert (vgg.size, vgg.jump, vgg.start) == (212, 32, -90)
    alex = network_receptive_fields(models.alexnet(weights=None))["features.12"]
    assert (alex.size, alex.jump) == (195, 32)


def _runs_on_cpu(dtype) -> bool:
    try:
        nn.Conv2d(1, 1, 3).to(dtype)(torch.zeros(1, 1, 4, 4, dtype=dtype))
    except RuntimeError:
        return False
    return True


@pytest.mark.parametrize(
    "dtype",
    [
        torch.float64,
        *[
            pytest.param(
                low, marks=pytest.mark.skipif(not _runs_on_cpu(low), reason=f"no {low} on CPU")
            )
            for low in (torch.bfloat16, torch.float16)
        ],
    ],
)
def test_network_receptive_fields_of_a_model_in_another_dtype(dtype):
    # The probe image takes the model's dtype (and device): a float32 probe through a
    # double model raised "Input type (torch.FloatTensor) and weight type ...".
    expected = network_receptive_fields(models.resnet18(weights=None))
    fields = network_receptive_fields(models.resnet18(weights=None).to(dtype))
    assert fields == expected
    layer4 = fields["layer4"]
    assert (layer4.size, layer4.jump, layer4.start) == (435, 32, -217)


def test_offline_message_names_file_url_and_folder_but_no_server_path(monkeypatch, tmp_path):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))

    def refuse(*args, **kwargs):
        raise urllib.error.URLError("no route to host")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    with pytest.raises(WeightsUnavailable) as raised:
        download_weights("resnet18")
    message = str(raised.value)
    assert "resnet18-f37072fd.pth" in message
    assert "https://download.pytorch.org/models/resnet18-f37072fd.pth" in message
    # The page shows this message to anyone: the folder by torch's variable, never the
    # server's own path.
    assert "$TORCH_HOME/hub/checkpoints" in message
    assert str(tmp_path) not in message
    assert "python -m cnn_core.nn.networks fetch resnet18" in message
    assert not list(tmp_path.rglob("*.partial")), "a failed download leaves nothing behind"
    with pytest.raises(WeightsUnavailable):
        load_network("resnet18")


def test_a_download_with_a_wrong_checksum_is_refused(monkeypatch, tmp_path):
    import io

    monkeypatch.setenv("TORCH_HOME", str(tmp_path))

    class Response(io.BytesIO):
        headers = {"Content-Length": "5"}

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: Response(b"wrong"))
    with pytest.raises(WeightsUnavailable, match="damaged"):
        download_weights("alexnet")
    assert not list(tmp_path.rglob("*.pth"))


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_prediction_and_stages_with_random_weights(name):
    model = load_network(name, pretrained=False)
    batch = preprocess(name, PHOTO)
    assert batch.shape == (1, 3, 224, 224)
    result = predict(name, model, batch)
    assert len(result.classes) == 5 and all(c in class_names(name) for c, _ in result.classes)
    with torch.no_grad():
        probabilities = torch.softmax(model(batch)[0], 0)
    assert result.classes[0][1] == pytest.approx(float(probabilities.max()), rel=1e-5)
    assert list(result.stages) == list(NETWORKS[name].stages)
    first = first_layer_filters(name, model)
    assert first.ndim == 4 and first.shape[1] == 3
    fields = stage_fields(name, model)
    assert [f.size for f in fields.values()] == sorted(f.size for f in fields.values())


def test_most_active_channels_are_ordered_by_mean():
    maps = np.stack([np.full((2, 2), v, np.float32) for v in (0.1, 3.0, 1.0)])
    assert most_active(maps, 2) == [1, 2]


def test_effective_field_of_a_real_network_lies_inside_the_theoretical_one():
    torch.manual_seed(0)
    model = load_network("resnet18", pretrained=False)
    batch = preprocess("resnet18", PHOTO)
    field = stage_fields("resnet18", model)["layer2"]
    maps = predict("resnet18", model, batch).stages["layer2"]
    channel = int(maps[:, 14, 14].argmax())  # an active unit, as the page picks it
    gradient = effective_field(model, batch, "layer2", (channel, 14, 14))
    assert gradient.any()
    rows, cols = np.flatnonzero(gradient.any(1)), np.flatnonzero(gradient.any(0))
    (top, bottom), (left, right) = field.box(14), field.box(14)
    assert rows.min() >= max(top, 0) and rows.max() <= min(bottom, 223)
    assert cols.min() >= max(left, 0) and cols.max() <= min(right, 223)


def test_feature_visualisation_raises_the_channels_activation():
    model = load_model()
    result = visualise_channel(model, "conv2", 3, shape=(1, 28, 28), steps=64)
    assert result.finished and result.image.shape == (28, 28)
    assert result.activations[-1] > 2 * result.activations[0]
    assert result.image.min() >= 0 and result.image.max() <= 1


def test_feature_visualisation_can_be_cancelled():
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 5

    result = visualise_channel(
        load_model(), "conv1", 0, shape=(1, 28, 28), steps=500, should_stop=stop
    )
    assert not result.finished and len(result.activations) == 5


def test_top_examples_are_the_most_exciting_inputs():
    model = load_model()
    batch = torch.rand(20, 1, 28, 28)
    indices, values = top_examples(model, "conv2", 3, batch, count=4)
    with torch.no_grad():
        means = create_feature_extractor(model, {"conv2": "o"})(batch)["o"][:, 3].mean((1, 2))
    assert indices == [int(i) for i in torch.argsort(means, descending=True)[:4]]
    assert np.allclose(values, np.sort(means.numpy())[::-1][:4])
