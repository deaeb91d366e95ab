"""open_model: torchvision architectures with weights saved through safetensors, the
trained weights only when torch's cache has them, timm when installed, ONNX files from a
path, bytes or a file object; and every hostile file answered by a ModelError that says
what is wrong (random bytes, a cut-off file, another architecture's weights, an operator
from someone's own domain, absurd shapes, files and models over the limits)."""

import io
import sys
import warnings

import numpy as np
import onnx
import pytest
import torch
from onnx import TensorProto, helper, numpy_helper
from safetensors.torch import save
from torch import nn
from torchvision import models

from cnn_core import limits
from cnn_core.nn.open_model import LoadedModel, ModelError, open_model

RTOL, ATOL = 1e-4, 1e-5


def export(module: nn.Module, shape=(1, 3, 16, 16)) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy exporter's deprecation notice
        torch.onnx.export(module.eval(), torch.zeros(shape), buffer, dynamo=False)
    return buffer.getvalue()


def small_net() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 8, 3, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(8, 4),
    ).eval()


def hand_made(nodes, inputs, initializers=(), opsets=(("", 17),)) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes,
        "hand-made",
        inputs,
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", "c", "h", "w"])],
        list(initializers),
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid(*o) for o in opsets])
    model.ir_version = 8
    return model


def image_input(shape=(1, 3, 16, 16), elem_type=TensorProto.FLOAT):
    return [helper.make_tensor_value_info("x", elem_type, list(shape))]


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    """A torch cache holding no trained weights."""
    monkeypatch.setattr(torch.hub, "_hub_dir", str(tmp_path / "hub"))
    return tmp_path / "hub" / "checkpoints"


# Named architectures ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["resnet18", "mobilenet_v3_small", "squeezenet1_1"])
def test_open_model_by_name_with_safetensors_weights_equals_the_original(name):
    torch.manual_seed(0)
    original = models.get_model(name).eval()
    opened = open_model(name, weights=save(original.state_dict()))
    x = torch.randn((1, 3, 224, 224), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        torch.testing.assert_close(opened.module(x), original(x), rtol=RTOL, atol=ATOL)
    assert isinstance(opened, LoadedModel)
    assert opened.input_size == (224, 224) and opened.channels == 3
    assert opened.classes is None and "weights from the uploaded file" in opened.note
    assert not opened.module.training


def test_open_model_by_name_lists_layers_in_the_order_they_run(empty_cache):
    opened = open_model("resnet18")
    assert opened.layers[:4] == ["conv1", "bn1", "relu", "maxpool"]
    assert opened.layers[-2:] == ["avgpool", "fc"]
    assert "layer2.0.downsample.0" in opened.layers


def test_open_model_without_cached_weights_says_random_weights_in_plain_words(empty_cache):
    opened = open_model("resnet18")
    assert opened.note.startswith("resnet18 with random weights: its pretrained weights are ")
    assert "not on this server" in opened.note
    assert opened.classes is None
    # The note is shown to the user: no path of the server, no file name of its cache.
    url = models.ResNet18_Weights.DEFAULT.url
    for secret in (str(empty_cache), str(empty_cache.parent), url.rsplit("/", 1)[-1], "cache"):
        assert secret not in opened.note, secret
    assert "/" not in opened.note


def test_open_model_with_damaged_cached_weights_names_no_server_path(empty_cache):
    empty_cache.mkdir(parents=True)
    url = models.ResNet18_Weights.DEFAULT.url
    (empty_cache / url.rsplit("/", 1)[-1]).write_bytes(b"not a checkpoint")
    with pytest.raises(ModelError, match="pretrained weights of resnet18 on this server") as caught:
        open_model("resnet18")
    assert str(empty_cache) not in str(caught.value) and "/" not in str(caught.value)


def test_open_model_uses_trained_weights_already_in_the_cache(empty_cache):
    torch.manual_seed(2)
    trained = models.resnet18().eval()
    empty_cache.mkdir(parents=True)
    url = models.ResNet18_Weights.DEFAULT.url
    torch.save(trained.state_dict(), empty_cache / url.rsplit("/", 1)[-1])  # as if downloaded
    opened = open_model("resnet18")
    assert "ImageNet weights" in opened.note
    assert len(opened.classes) == 1000 and opened.classes[0] == "tench"
    x = torch.randn((1, 3, 224, 224), generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        torch.testing.assert_close(opened.module(x), trained(x))


def test_open_model_reads_weights_from_a_path(tmp_path):
    torch.manual_seed(0)
    original = models.squeezenet1_1().eval()
    path = tmp_path / "mine.safetensors"
    path.write_bytes(save(original.state_dict()))
    opened = open_model("squeezenet1_1", weights=path)
    assert "mine.safetensors" in opened.note
    with torch.no_grad():
        x = torch.zeros(1, 3, 224, 224)
        torch.testing.assert_close(opened.module(x), original(x))


def test_open_model_resizes_a_fine_tuned_classifier():
    torch.manual_seed(0)
    original = models.mobilenet_v3_small(num_classes=5).eval()
    opened = open_model("mobilenet_v3_small", weights=save(original.state_dict()))
    x = torch.randn((1, 3, 224, 224), generator=torch.Generator().manual_seed(4))
    with torch.no_grad():
        assert opened.module(x).shape == (1, 5)
        torch.testing.assert_close(opened.module(x), original(x), rtol=RTOL, atol=ATOL)


def test_open_model_weights_need_no_training_counters():
    state = {k: v for k, v in models.resnet18().state_dict().items() if "num_batches" not in k}
    assert open_model("resnet18", weights=save(state)).layers[0] == "conv1"


@pytest.mark.parametrize(
    ("weights", "named"),
    [
        (lambda: models.resnet34().state_dict(), "'layer1.2.bn1.bias'"),
        (lambda: models.mobilenet_v3_small().state_dict(), "'conv1.weight'"),
        (lambda: {**models.resnet18().state_dict(), "fc.bias": torch.zeros(7)}, "'fc.bias'"),
    ],
    ids=["resnet34", "mobilenet", "one-shape"],
)
def test_open_model_names_the_first_weight_of_another_architecture(weights, named):
    with pytest.raises(ModelError, match=f"do not fit resnet18: .*{named}"):
        open_model("resnet18", weights=save(weights()))


def test_open_model_shape_mismatch_gives_both_shapes():
    state = models.resnet18().state_dict()
    state["conv1.weight"] = torch.zeros(64, 3, 5, 5)
    with pytest.raises(
        ModelError, match=r"'conv1.weight' has shape \(64, 3, 5, 5\) .*\(64, 3, 7, 7\)"
    ):
        open_model("resnet18", weights=save(state))


def test_open_model_unknown_name_suggests_close_ones():
    with pytest.raises(ModelError, match="Did you mean resnet18"):
        open_model("resnet81")


def test_open_model_refuses_a_model_over_the_parameter_limit_before_building_it():
    with pytest.raises(ModelError, match=r"alexnet has 61\.1 million .*MAX_MODEL_PARAMETERS"):
        open_model("alexnet")


def test_open_model_damaged_weights_file():
    with pytest.raises(ModelError, match="not a readable .safetensors file"):
        open_model("resnet18", weights=b"\x08\x00\x00\x00\x00\x00\x00\x00{garbage")


# timm -------------------------------------------------------------------------------------


def test_open_model_timm_with_its_weights():
    timm = pytest.importorskip("timm")
    torch.manual_seed(0)
    original = timm.create_model("resnet10t").eval()
    opened = open_model("timm:resnet10t", weights=save(original.state_dict()))
    assert opened.input_size == original.pretrained_cfg["input_size"][1:]
    assert "timm:resnet10t" in opened.note
    with torch.no_grad():
        x = torch.randn((1, 3, *opened.input_size), generator=torch.Generator().manual_seed(5))
        torch.testing.assert_close(opened.module(x), original(x), rtol=RTOL, atol=ATOL)
    assert "random weights" in open_model("timm:resnet10t").note


def test_open_model_timm_unknown_name():
    pytest.importorskip("timm")
    with pytest.raises(ModelError, match="timm has no model named 'resnet_nineteen'"):
        open_model("timm:resnet_nineteen")


def test_open_model_timm_when_it_is_not_installed(monkeypatch):
    monkeypatch.setitem(sys.modules, "timm", None)  # import timm now raises ImportError
    with pytest.raises(ModelError, match=r"timm is not installed.*convscope\[timm\]"):
        open_model("timm:resnet18")


# ONNX files -------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["bytes", "file object", "path"])
def test_open_model_reads_onnx_in_every_form(form, tmp_path):
    original = small_net()
    data = export(original)
    if form == "bytes":
        source = data
    elif form == "file object":
        source = io.BytesIO(data)
    else:
        source = tmp_path / "small.onnx"
        source.write_bytes(data)
    opened = open_model(source)
    assert opened.input_size == (16, 16) and opened.channels == 3
    assert opened.layers == ["0", "1", "2", "3", "4", "5", "6", "7"]
    assert "opset" in opened.note and "3 x 16 x 16" in opened.note
    x = torch.randn((2, 3, 16, 16), generator=torch.Generator().manual_seed(6))
    with torch.no_grad():
        torch.testing.assert_close(opened.module(x), original(x), rtol=RTOL, atol=ATOL)


def test_open_model_onnx_with_an_open_size_takes_224_and_says_so():
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            small_net(),
            torch.zeros(1, 3, 16, 16),
            buffer,
            dynamo=False,
            input_names=["image"],
            dynamic_axes={"image": {0: "n", 2: "h", 3: "w"}},
        )
    opened = open_model(buffer.getvalue())
    assert opened.input_size == (224, 224) and "leaves open" in opened.note


def test_open_model_onnx_metadata_is_kept():
    model = onnx.load_from_string(export(small_net()))
    helper.set_model_props(model, {"mean": "0.485,0.456,0.406"})
    assert open_model(model.SerializeToString()).metadata == {"mean": "0.485,0.456,0.406"}


def test_two_opened_models_are_independent():
    data = export(small_net())
    first, second = open_model(data), open_model(data)
    assert first.module is not second.module
    x = torch.randn((1, 3, 16, 16), generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        before = second.module(x)
        first.module.get_submodule("0").weight.mul_(2.0)
        torch.testing.assert_close(second.module(x), before)
    weights = save(models.squeezenet1_1().state_dict())
    by_name = [open_model("squeezenet1_1", weights=weights).module for _ in "ab"]
    first_layers = [module.features[0].weight for module in by_name]
    assert first_layers[0].data_ptr() != first_layers[1].data_ptr()


def test_captum_attributions_on_an_onnx_model_equal_the_original():
    from captum.attr import LayerGradCam, Saliency

    original = small_net()
    converted = open_model(export(original)).module
    x = torch.randn((1, 3, 16, 16), generator=torch.Generator().manual_seed(8))
    ours = Saliency(converted).attribute(x, target=2)
    theirs = Saliency(original).attribute(x, target=2)
    torch.testing.assert_close(ours, theirs, rtol=RTOL, atol=ATOL)
    cams = [
        LayerGradCam(net, net.get_submodule("3")).attribute(x, target=1)
        for net in (converted, original)
    ]
    torch.testing.assert_close(cams[0], cams[1], rtol=RTOL, atol=ATOL)


# Hostile files ----------------------------------------------------------------------------


def test_open_model_random_bytes():
    data = np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes()
    with pytest.raises(ModelError, match="not an ONNX model|no ONNX graph|not a valid ONNX"):
        open_model(data)


def test_open_model_truncated_onnx_file():
    data = export(small_net())
    with pytest.raises(ModelError, match="cut short|not a valid ONNX|no ONNX graph|damaged"):
        open_model(data[: len(data) // 2])


def test_open_model_empty_file():
    with pytest.raises(ModelError, match="is empty"):
        open_model(b"")


def test_open_model_unknown_operator_in_a_custom_domain():
    model = hand_made(
        [helper.make_node("FancyConv", ["x"], ["y"], domain="com.example.layers")],
        image_input(),
        opsets=(("", 17), ("com.example.layers", 1)),
    )
    with pytest.raises(ModelError, match=r"FancyConv \(domain com.example.layers\)"):
        open_model(model.SerializeToString())


def test_open_model_absurd_declared_input():
    model = hand_made([helper.make_node("Relu", ["x"], ["y"])], image_input((1, 3, 10**6, 10**6)))
    with pytest.raises(ModelError, match=r"1000000 x 1000000 pixel images.*MAX_MODEL_INPUT_SIDE"):
        open_model(model.SerializeToString())


def test_open_model_absurd_declared_weights():
    """A tensor declaring 10^12 values it does not hold is refused before it is read."""
    weight = TensorProto(name="w", data_type=TensorProto.FLOAT, raw_data=b"\0" * 4)
    weight.dims.extend([10**6, 10**6, 1, 1])
    model = hand_made(
        [helper.make_node("Conv", ["x", "w"], ["y"])], image_input(), initializers=[weight]
    )
    with pytest.raises(ModelError, match="1000000.0 million parameters"):
        open_model(model.SerializeToString())


def test_open_model_weights_stored_outside_the_file():
    weight = numpy_helper.from_array(np.ones((2, 3, 3, 3), np.float32), "w")
    weight.ClearField("raw_data")
    weight.data_location = TensorProto.EXTERNAL
    weight.external_data.add(key="location", value="../../etc/passwd")
    model = hand_made(
        [helper.make_node("Conv", ["x", "w"], ["y"])], image_input(), initializers=[weight]
    )
    with pytest.raises(ModelError, match="separate files"):
        open_model(model.SerializeToString())


@pytest.mark.parametrize(
    ("shape", "elem_type", "message"),
    [
        ((1, 3, 16), TensorProto.FLOAT, "3-D input"),
        ((1, 3, 16, 16), TensorProto.UINT8, "uint8 input"),
        ((1, 64, 16, 16), TensorProto.FLOAT, "64 input channels"),
    ],
)
def test_open_model_inputs_that_are_no_image(shape, elem_type, message):
    model = hand_made([helper.make_node("Relu", ["x"], ["y"])], image_input(shape, elem_type))
    with pytest.raises(ModelError, match=message):
        open_model(model.SerializeToString())


def test_open_model_file_over_the_size_limit(monkeypatch, tmp_path):
    monkeypatch.setattr(limits, "MAX_MODEL_FILE_MB", 1)
    big = b"\x00" * (1 << 20) + b"\x00"
    path = tmp_path / "big.onnx"
    path.write_bytes(big)
    for source in (big, io.BytesIO(big), path):
        with pytest.raises(ModelError, match="up to 1 MB .*MAX_MODEL_FILE_MB"):
            open_model(source)
    with pytest.raises(ModelError, match="MAX_MODEL_FILE_MB"):
        open_model("resnet18", weights=big)


def test_open_model_graph_over_the_node_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_MODEL_NODES", 3)
    with pytest.raises(ModelError, match="8 graph nodes.*up to 3 .*MAX_MODEL_NODES"):
        open_model(export(small_net()))


def test_open_model_weights_file_given_as_a_model():
    with pytest.raises(ModelError, match="weights file, not a model"):
        open_model(save(small_net().state_dict()))


def test_open_model_onnx_with_a_weights_file():
    with pytest.raises(ModelError, match="carries its own weights"):
        open_model(export(small_net()), weights=b"anything")


def test_open_model_missing_path_and_text_file_object(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        open_model(tmp_path / "nothing.onnx")
    with pytest.raises(ModelError, match="binary mode"):
        open_model(io.StringIO("text"))


def test_open_model_computed_convolution_weights_are_refused():
    model = hand_made([helper.make_node("Conv", ["x", "x"], ["y"])], image_input((1, 3, 16, 16)))
    with pytest.raises(ModelError, match="computes its weights while running"):
        open_model(model.SerializeToString())


@pytest.mark.parametrize(
    ("node", "initializers"),
    [
        (
            helper.make_node("ConvTranspose", ["x", "w"], ["y"], strides=[10**4, 10**4]),
            [numpy_helper.from_array(np.ones((3, 1, 3, 3), np.float32), "w")],
        ),
        (
            helper.make_node("Conv", ["x", "w"], ["y"], pads=[10**5, 10**5, 10**5, 10**5]),
            [numpy_helper.from_array(np.ones((1, 3, 1, 1), np.float32), "w")],
        ),
        (helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[1, 1], pads=[0, 0, 10**7, 0]), []),
        (
            helper.make_node("Pad", ["x", "pads"], ["y"]),
            [numpy_helper.from_array(np.array([0, 0, 10**6, 0, 0, 0, 10**6, 0]), "pads")],
        ),
        (
            helper.make_node("ConstantOfShape", ["shape"], ["y"]),
            [numpy_helper.from_array(np.array([10**5, 10**5, 1, 1]), "shape")],
        ),
    ],
    ids=["conv-transpose-stride", "conv-pads", "pool-pads", "pad", "constant-of-shape"],
)
def test_open_model_refuses_a_layer_that_would_make_absurdly_many_values(node, initializers):
    model = hand_made([node], image_input(), initializers=initializers)
    with pytest.raises(ModelError, match=f"The {node.op_type} node .*MAX_MODEL_VALUES"):
        open_model(model.SerializeToString())


def test_open_model_names_clashing_with_constants_stay_apart():
    shift = numpy_helper.from_array(np.ones((1, 3, 1, 1), np.float32), "shift")
    weight = numpy_helper.from_array(np.ones((2, 3, 1, 1), np.float32), "w")
    model = hand_made(
        [
            helper.make_node("Add", ["x", "shift"], ["a"], name="/Add"),
            helper.make_node("Conv", ["a", "w"], ["y"], name="/constant_0/Conv"),
        ],
        image_input(),
        initializers=[shift, weight],
    )
    opened = open_model(model.SerializeToString())
    with torch.no_grad():
        result = opened.module(torch.zeros(1, 3, 16, 16))
    torch.testing.assert_close(result, torch.full((1, 2, 16, 16), 3.0))
    assert opened.layers == ["constant_0_layer"]
