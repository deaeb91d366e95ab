"""The ONNX converter, operator by operator: tiny torch modules exported with the legacy
exporter (``dynamo=False``), opened with ``open_model``, and compared with onnxruntime
(the reference runtime) and with the original module, values and input gradients; graphs
built by hand for the attributes torch's exporter never writes (auto_pad, uneven pads,
Gemm's transA/alpha/beta, Dropout and Constant nodes); ResNet-18 whole."""

import io
import warnings

import numpy as np
import onnx
import pytest
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper
from torch import nn
from torchvision import models

from cnn_core.nn.network_fields import network_receptive_fields
from cnn_core.nn.onnx import BUILDERS, onnx_to_torch
from cnn_core.nn.open_model import open_model

ort = pytest.importorskip("onnxruntime")

RTOL, ATOL = 1e-4, 1e-5


def export(module: nn.Module, shape, opset: int = 17) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy exporter's deprecation notice
        torch.onnx.export(
            module.eval(),
            torch.zeros(shape),
            buffer,
            dynamo=False,
            opset_version=opset,
            input_names=["image"],
            dynamic_axes={"image": {0: "batch"}},  # as models are shared: any batch size
        )
    return buffer.getvalue()


def run_onnxruntime(data: bytes, x: torch.Tensor) -> torch.Tensor:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # two shared cores
    session = ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])
    (result,) = session.run(None, {session.get_inputs()[0].name: x.numpy()})
    return torch.from_numpy(result)


def input_gradient(module: nn.Module, x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    x = x.clone().requires_grad_(True)
    (module(x) * weights).sum().backward()
    return x.grad


class Lambda(nn.Module):
    def __init__(self, function, *parameters):
        super().__init__()
        self.function = function
        self.weights = nn.ParameterList(parameters)

    def forward(self, x):
        return self.function(x, *self.weights)


def _seed(build):
    def seeded():
        torch.manual_seed(0)
        return build()

    return seeded


def _batch_norm():
    layer = nn.BatchNorm2d(3)
    layer.running_mean.uniform_(-1, 1)
    layer.running_var.uniform_(0.5, 2)
    nn.init.uniform_(layer.weight, 0.5, 1.5)
    nn.init.uniform_(layer.bias, -0.5, 0.5)
    return layer


IMAGE = (1, 3, 8, 8)

# (operator the export must contain, the module, its input shape, opset)
CASES = {
    "conv": ("Conv", lambda: nn.Conv2d(3, 4, 3, padding=1), IMAGE, 17),
    "conv-rect-no-bias": (
        "Conv",
        lambda: nn.Conv2d(3, 4, (3, 5), padding=(1, 2), bias=False),
        IMAGE,
        17,
    ),
    "conv-groups-dilation-stride": (
        "Conv",
        lambda: nn.Conv2d(3, 6, 3, stride=2, padding=2, dilation=2, groups=3),
        IMAGE,
        17,
    ),
    "conv-depthwise-1x1": (
        "Conv",
        lambda: nn.Sequential(nn.Conv2d(3, 3, 3, groups=3), nn.Conv2d(3, 5, 1)),
        IMAGE,
        13,
    ),
    "conv-transpose": (
        "ConvTranspose",
        lambda: nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1),
        IMAGE,
        17,
    ),
    "conv-transpose-groups": (
        "ConvTranspose",
        lambda: nn.ConvTranspose2d(3, 6, 2, stride=2, groups=3),
        IMAGE,
        17,
    ),
    "batch-norm": ("BatchNormalization", _batch_norm, IMAGE, 17),
    "relu": ("Relu", nn.ReLU, IMAGE, 17),
    "leaky-relu": ("LeakyRelu", lambda: nn.LeakyReLU(0.2), IMAGE, 17),
    "sigmoid": ("Sigmoid", nn.Sigmoid, IMAGE, 17),
    "tanh": ("Tanh", nn.Tanh, IMAGE, 17),
    "clip-inputs": ("Clip", lambda: nn.Hardtanh(-0.5, 0.25), IMAGE, 17),
    "clip-relu6": ("Clip", nn.ReLU6, IMAGE, 13),
    "clip-attributes": ("Clip", lambda: nn.Hardtanh(-0.5, 0.25), IMAGE, 9),
    "hard-sigmoid": ("HardSigmoid", nn.Hardsigmoid, IMAGE, 17),
    "hard-swish": ("HardSwish", nn.Hardswish, IMAGE, 17),
    "add-branches": (
        "Add",
        lambda: Lambda(
            lambda x, w: x + F.conv2d(x, w, padding=1), nn.Parameter(torch.randn(3, 3, 3, 3))
        ),
        IMAGE,
        17,
    ),
    "add-constant": ("Add", lambda: Lambda(lambda x: x + 1.5), IMAGE, 17),
    "sub": ("Sub", lambda: Lambda(lambda x: (2.0 - x) - x * x), IMAGE, 17),
    "mul": (
        "Mul",
        lambda: Lambda(lambda x, w: x * w, nn.Parameter(torch.randn(3, 1, 1))),
        IMAGE,
        17,
    ),
    "div": ("Div", lambda: Lambda(lambda x: x / (x * x + 1.0)), IMAGE, 17),
    "max-pool": ("MaxPool", lambda: nn.MaxPool2d(3, 2, 1), IMAGE, 17),
    "max-pool-ceil": ("MaxPool", lambda: nn.MaxPool2d(2, ceil_mode=True), (1, 3, 9, 9), 17),
    "max-pool-dilated": ("MaxPool", lambda: nn.MaxPool2d(3, 1, 1, dilation=2), IMAGE, 17),
    "average-pool": ("AveragePool", lambda: nn.AvgPool2d(3, 2, 1), IMAGE, 17),
    "average-pool-no-pad-count": (
        "AveragePool",
        lambda: nn.AvgPool2d(3, 2, 1, count_include_pad=False),
        IMAGE,
        17,
    ),
    "average-pool-ceil": ("AveragePool", lambda: nn.AvgPool2d(2, ceil_mode=True), (1, 3, 9, 9), 17),
    "global-average-pool": ("GlobalAveragePool", lambda: nn.AdaptiveAvgPool2d(1), IMAGE, 17),
    "gemm": ("Gemm", lambda: nn.Sequential(nn.Flatten(), nn.Linear(192, 5)), IMAGE, 17),
    "matmul-weights": (
        "MatMul",
        lambda: Lambda(lambda x, w: x @ w, nn.Parameter(torch.randn(8, 4))),
        IMAGE,
        17,
    ),
    "matmul-transpose": ("MatMul", lambda: Lambda(lambda x: x @ x.transpose(-1, -2)), IMAGE, 17),
    "flatten": ("Flatten", lambda: Lambda(lambda x: torch.flatten(x, 1)), IMAGE, 17),
    "flatten-axis-2": ("Flatten", lambda: Lambda(lambda x: x.flatten(2).flatten(0, 1)), IMAGE, 17),
    "reshape-by-shape": ("Gather", lambda: Lambda(lambda x: x.view(x.size(0), -1)), IMAGE, 17),
    "reshape-constant": ("Reshape", lambda: Lambda(lambda x: x.reshape(-1, 3, 64)), IMAGE, 17),
    "squeeze-unsqueeze-inputs": (
        "Unsqueeze",
        lambda: Lambda(lambda x: (x.unsqueeze(1) * 2).squeeze(1)),
        IMAGE,
        13,
    ),
    "squeeze-unsqueeze-attributes": (
        "Squeeze",
        lambda: Lambda(lambda x: (x.unsqueeze(1) * 2).squeeze(1)),
        IMAGE,
        11,
    ),
    "concat": ("Concat", lambda: Lambda(lambda x: torch.cat([x, x * 2], 1)), IMAGE, 17),
    "softmax": ("Softmax", lambda: nn.Sequential(nn.Flatten(), nn.Softmax(1)), IMAGE, 17),
    "softmax-channels": ("Softmax", lambda: nn.Softmax(1), IMAGE, 17),
    "softmax-opset-11": ("Softmax", lambda: nn.Sequential(nn.Flatten(), nn.Softmax(1)), IMAGE, 11),
    "pad-constant": ("Pad", lambda: Lambda(lambda x: F.pad(x, (1, 2, 0, 1), value=0.5)), IMAGE, 17),
    "pad-reflect": (
        "Pad",
        lambda: Lambda(lambda x: F.pad(x, (2, 1, 1, 2), mode="reflect")),
        IMAGE,
        17,
    ),
    "pad-edge": (
        "Pad",
        lambda: Lambda(lambda x: F.pad(x, (1, 1, 2, 0), mode="replicate")),
        IMAGE,
        17,
    ),
    "reduce-mean-attributes": (
        "ReduceMean",
        lambda: Lambda(lambda x: x - x.mean((2, 3), keepdim=True)),
        IMAGE,
        17,
    ),
    "reduce-mean-inputs": ("ReduceMean", lambda: Lambda(lambda x: x.mean((1, -1))), IMAGE, 18),
    "gelu": ("Gelu", nn.GELU, IMAGE, 20),
    "gelu-tanh": ("Gelu", lambda: nn.GELU(approximate="tanh"), IMAGE, 20),
    "gelu-as-erf": ("Erf", nn.GELU, IMAGE, 17),
    "layer-norm": ("LayerNormalization", lambda: nn.LayerNorm(8), IMAGE, 17),
    "layer-norm-as-pow-sqrt": ("Sqrt", lambda: nn.LayerNorm((8, 8)), IMAGE, 13),
    "slice-computed-bounds": (
        "Slice",
        lambda: Lambda(lambda x: torch.cat(x.chunk(2, dim=2)[::-1], 2)),
        IMAGE,
        17,
    ),
    "pad-attributes": ("Pad", lambda: Lambda(lambda x: F.pad(x, (1, 2, 0, 1))), IMAGE, 10),
}


@pytest.mark.parametrize("case", CASES)
def test_onnx_operator_matches_onnxruntime_and_the_original(case):
    operator, build, shape, opset = CASES[case]
    original = _seed(build)().eval()
    data = export(original, shape, opset)
    assert operator in {node.op_type for node in onnx.load_from_string(data).graph.node}
    converted = open_model(data).module
    x = torch.randn(shape, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        ours = converted(x)
        torch.testing.assert_close(ours, run_onnxruntime(data, x), rtol=RTOL, atol=ATOL)
        torch.testing.assert_close(ours, original(x), rtol=RTOL, atol=ATOL)
    weights = torch.randn(ours.shape, generator=torch.Generator().manual_seed(2))
    torch.testing.assert_close(
        input_gradient(converted, x, weights),
        input_gradient(original, x, weights),
        rtol=RTOL,
        atol=ATOL,
    )


@pytest.mark.parametrize(
    "case", ["reshape-by-shape", "gemm", "conv-groups-dilation-stride", "squeeze-unsqueeze-inputs"]
)
def test_onnx_conversion_keeps_the_batch_size_free(case):
    """Exported at batch 1, run at batch 3: shapes computed by Shape/Gather follow."""
    _, build, shape, opset = CASES[case]
    original = _seed(build)().eval()
    converted = open_model(export(original, shape, opset)).module
    x = torch.randn((3, *shape[1:]), generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        torch.testing.assert_close(converted(x), original(x), rtol=RTOL, atol=ATOL)


def test_onnx_to_torch_weight_gradients_equal_the_original():
    """The converted layers hold real parameters: training them would work too."""
    torch.manual_seed(0)
    original = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Conv2d(4, 2, 3, stride=2))
    converted = onnx_to_torch(onnx.load_from_string(export(original, IMAGE)), IMAGE)
    x = torch.randn(IMAGE, generator=torch.Generator().manual_seed(8))
    for module in (original, converted):
        (module(x) ** 2).sum().backward()
    for name in ("0", "2"):
        ours, theirs = converted.get_submodule(name), original.get_submodule(name)
        torch.testing.assert_close(ours.weight.grad, theirs.weight.grad, rtol=RTOL, atol=ATOL)
        torch.testing.assert_close(ours.bias.grad, theirs.bias.grad, rtol=RTOL, atol=ATOL)


def test_every_operator_the_issue_lists_has_a_builder():
    listed = [
        "Conv",
        "ConvTranspose",
        "BatchNormalization",
        "Relu",
        "LeakyRelu",
        "Sigmoid",
        "Tanh",
        "Clip",
        "HardSigmoid",
        "HardSwish",
        "Add",
        "Sub",
        "Mul",
        "Div",
        "MaxPool",
        "AveragePool",
        "GlobalAveragePool",
        "Gemm",
        "MatMul",
        "Flatten",
        "Reshape",
        "Squeeze",
        "Unsqueeze",
        "Concat",
        "Softmax",
        "Pad",
        "Identity",
        "Dropout",
        "Constant",
        "Shape",
        "Gather",
    ]
    assert set(listed) <= set(BUILDERS)


# Graphs built by hand ---------------------------------------------------------------------


def _graph(nodes, initializers=(), rank=4, shape=(1, 3, 9, 9), opset=17) -> bytes:
    rng = np.random.default_rng(0)
    tensors = [
        numpy_helper.from_array(rng.standard_normal(s).astype(np.float32), name)
        for name, s in initializers
    ]
    graph = helper.make_graph(
        nodes,
        "hand-made",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(shape))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", "c", "h", "w"][:rank])],
        tensors,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    return model.SerializeToString()


HAND_MADE = {
    "conv-same-upper-stride-2": (
        [helper.make_node("Conv", ["x", "w"], ["y"], auto_pad="SAME_UPPER", strides=[2, 2])],
        [("w", (4, 3, 4, 4))],
    ),
    "conv-same-lower": (
        [helper.make_node("Conv", ["x", "w", "b"], ["y"], auto_pad="SAME_LOWER")],
        [("w", (4, 3, 2, 3)), ("b", (4,))],
    ),
    "conv-valid": (
        [helper.make_node("Conv", ["x", "w"], ["y"], auto_pad="VALID", kernel_shape=[3, 3])],
        [("w", (2, 3, 3, 3))],
    ),
    "conv-uneven-pads": (
        [helper.make_node("Conv", ["x", "w"], ["y"], pads=[0, 1, 2, 1], dilations=[2, 1])],
        [("w", (2, 3, 3, 3))],
    ),
    "max-pool-uneven-pads": (
        [helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[3, 2], pads=[1, 0, 0, 1])],
        [],
    ),
    "max-pool-same-upper": (
        [
            helper.make_node(
                "MaxPool", ["x"], ["y"], kernel_shape=[2, 2], strides=[2, 2], auto_pad="SAME_UPPER"
            )
        ],
        [],
    ),
    "average-pool-uneven-pads-counted": (
        [
            helper.make_node(
                "AveragePool",
                ["x"],
                ["y"],
                kernel_shape=[3, 3],
                pads=[0, 0, 2, 2],
                count_include_pad=1,
            )
        ],
        [],
    ),
    "gemm-trans-a-alpha-beta": (
        [
            helper.make_node("Flatten", ["x"], ["f"], axis=1),
            helper.make_node("Transpose", ["f"], ["t"], perm=[1, 0]),
            helper.make_node("Gemm", ["t", "w", "c"], ["y"], transA=1, alpha=0.5, beta=2.0),
        ],
        [("w", (243, 6)), ("c", (1, 6))],
    ),
    "gemm-both-inputs-computed": (
        [
            helper.make_node("Flatten", ["x"], ["f"], axis=2),
            helper.make_node("Gemm", ["f", "f"], ["y"], transB=1, alpha=0.25),
        ],
        [],
    ),
    "dropout-identity-constant": (
        [
            helper.make_node("Constant", [], ["k"], value_float=3.0),
            helper.make_node("Dropout", ["x"], ["d"]),
            helper.make_node("Identity", ["d"], ["i"]),
            helper.make_node("Mul", ["i", "k"], ["y"]),
        ],
        [],
    ),
    "global-max-pool-cast-slice": (
        [
            helper.make_node("GlobalMaxPool", ["x"], ["g"]),
            helper.make_node("Shape", ["g"], ["s"]),
            helper.make_node("Cast", ["s"], ["sf"], to=TensorProto.FLOAT),
            helper.make_node("Slice", ["x", "starts", "ends", "axes"], ["c"]),
            helper.make_node("Gather", ["sf", "one"], ["three"], axis=0),
            helper.make_node("Mul", ["c", "g"], ["m"]),
            helper.make_node("Mul", ["m", "three"], ["y"]),
        ],
        [],
    ),
}


def _integer_initializers(name):
    """Integer inputs some hand-made graphs need (Squeeze axes, Slice bounds)."""
    values = {
        "global-max-pool-cast-slice": {"starts": [1, 2], "ends": [3, 8], "axes": [2, 3], "one": 1},
    }.get(name, {})
    return [numpy_helper.from_array(np.array(v, dtype=np.int64), k) for k, v in values.items()]


@pytest.mark.parametrize("case", HAND_MADE)
def test_hand_made_onnx_graph_matches_onnxruntime(case):
    nodes, initializers = HAND_MADE[case]
    rank = 2 if case.startswith("gemm") else 4
    model = onnx.load_from_string(_graph(nodes, initializers, rank))
    model.graph.initializer.extend(_integer_initializers(case))
    data = model.SerializeToString()
    converted = open_model(data).module
    x = torch.randn((1, 3, 9, 9), generator=torch.Generator().manual_seed(4))
    with torch.no_grad():
        torch.testing.assert_close(converted(x), run_onnxruntime(data, x), rtol=RTOL, atol=ATOL)
    assert input_gradient(converted, x, torch.ones(())).shape == x.shape


# ResNet-18 whole --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def resnet18():
    """The original, and the model opened from its export (once: exporting takes seconds)."""
    torch.manual_seed(0)
    original = models.resnet18().eval()
    return original, open_model(export(original, (1, 3, 224, 224)))


def test_onnx_resnet18_equals_the_original(resnet18):
    original, opened = resnet18
    x = torch.randn((2, 3, 224, 224), generator=torch.Generator().manual_seed(5))
    with torch.no_grad():
        torch.testing.assert_close(opened.module(x), original(x), rtol=RTOL, atol=1e-4)
    assert opened.input_size == (224, 224) and opened.classes is None
    assert opened.layers[:3] == ["conv1", "relu", "maxpool"] and opened.layers[-1] == "fc"


def test_onnx_resnet18_gradients_equal_the_original(resnet18):
    original, opened = resnet18
    converted = opened.module
    x = torch.randn((1, 3, 224, 224), generator=torch.Generator().manual_seed(6))
    weights = torch.randn((1, 1000), generator=torch.Generator().manual_seed(7))
    ours, theirs = input_gradient(converted, x, weights), input_gradient(original, x, weights)
    # The export folds each batch norm into its convolution, so values differ in the last
    # bits, and a ReLU or max pool decides differently where two values tie within that:
    # a few gradient entries move, the gradient as a whole does not.
    assert torch.linalg.norm(ours - theirs) <= 1e-3 * torch.linalg.norm(theirs)


def test_network_receptive_fields_of_onnx_resnet18_equal_the_original(resnet18):
    original, opened = resnet18
    converted = opened.module
    ours, theirs = network_receptive_fields(converted), network_receptive_fields(original)
    convs = [n for n, m in converted.named_modules() if isinstance(m, (nn.Conv2d, nn.MaxPool2d))]
    assert len(convs) == 21
    for name in [*convs, "avgpool", "fc"]:
        assert (ours[name].size, ours[name].jump, ours[name].start) == (
            theirs[name].size,
            theirs[name].jump,
            theirs[name].start,
        ), name
    assert ours["layer4.1.conv2"].size == 435


def test_network_receptive_fields_follow_shape_computed_reshapes():
    original = _seed(CASES["reshape-by-shape"][1])()
    net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.MaxPool2d(2), original)
    converted = open_model(export(net, IMAGE)).module
    fields = network_receptive_fields(converted, (8, 8))
    assert (fields["0"].size, fields["1"].size, fields["1"].jump) == (3, 4, 2)


def test_onnx_conversion_names_modules_after_the_exporter_scopes(resnet18):
    names = dict(resnet18[1].module.named_modules())
    assert isinstance(names["conv1"], nn.Conv2d)
    assert isinstance(names["layer2.0.downsample.0"], nn.Conv2d)
    assert isinstance(names["maxpool"], nn.MaxPool2d)
    assert isinstance(names["fc"], nn.Linear)
    assert {"layer1.0.relu", "layer1.0.relu_1"} <= set(names)  # one ReLU module, called twice
