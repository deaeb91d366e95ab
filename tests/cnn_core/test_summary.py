"""The layer table: shapes, parameters and receptive fields worked out by hand for a small
network, the same table for its ONNX export, ResNet-18's published total, and the
command line that prints it."""

import io
import warnings

import pytest
import torch
from torch import nn

from cnn_core.nn.__main__ import format_summary, main
from cnn_core.nn.open_model import LoadedModel, open_model
from cnn_core.nn.summary import LayerRow, model_summary


def small_net() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1),  # 8 * 3 * 3 * 3 + 8 = 224 parameters
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 4, 3, stride=2),  # 4 * 8 * 3 * 3 + 4 = 292
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(4, 2),  # 4 * 2 + 2 = 10
    ).eval()


def onnx_bytes(module: nn.Module) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, torch.zeros(1, 3, 16, 16), buffer, dynamo=False)
    return buffer.getvalue()


def loaded(module: nn.Module) -> LoadedModel:
    names = [str(i) for i in range(len(module))]
    return LoadedModel(module, (16, 16), None, names, "by hand")


def test_model_summary_of_a_small_network_by_hand():
    table = model_summary(loaded(small_net()))
    assert table.rows[0] == LayerRow("0", "Conv2d", (1, 8, 16, 16), 224, (3, 3), (1, 1))
    assert table.rows[2] == LayerRow("2", "MaxPool2d", (1, 8, 8, 8), 0, (4, 4), (2, 2))
    # 3 x 3 at jump 2 on a field of 4: 4 + 2 * 2 = 8, jump 2 * 2 = 4.
    assert table.rows[3] == LayerRow("3", "Conv2d", (1, 4, 3, 3), 292, (8, 8), (4, 4))
    assert table.rows[6].output_shape == (1, 2) and table.rows[6].parameters == 10
    # A fully connected unit sees everything: the 16 pixels and the first layer's padding.
    assert table.rows[6].field_size == (17, 17)
    assert table.total_parameters == 224 + 292 + 10 and table.note == ""


def test_model_summary_of_the_onnx_export_equals_the_original():
    net = small_net()
    assert model_summary(open_model(onnx_bytes(net))).rows == model_summary(loaded(net)).rows


def test_model_summary_of_resnet18_by_name():
    table = model_summary(open_model("resnet18"))
    assert table.total_parameters == 11_689_512  # torchvision's published count
    first = table.rows[0]
    assert (first.name, first.output_shape, first.field_size, first.field_jump) == (
        "conv1",
        (1, 64, 112, 112),
        (7, 7),
        (2, 2),
    )
    last_conv = next(r for r in table.rows if r.name == "layer4.1.conv2")
    assert last_conv.field_size == (435, 435) and last_conv.field_jump == (32, 32)


class Untraceable(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 2, 3)

    def forward(self, x):
        return self.conv(x) if x.sum() >= 0 else -self.conv(x)  # torch.fx cannot follow this


def test_model_summary_without_fields_says_why():
    table = model_summary(LoadedModel(Untraceable(), (16, 16), None, ["conv"], ""))
    assert table.rows == [LayerRow("conv", "Conv2d", (1, 2, 14, 14), 56, None, None)]
    assert "torch.fx" in table.note
    assert "-" in format_summary(table).splitlines()[2]


def test_summary_command_prints_the_table(capsys, tmp_path):
    path = tmp_path / "small.onnx"
    path.write_bytes(onnx_bytes(small_net()))
    assert main(["summary", str(path)]) == 0
    out = capsys.readouterr().out
    assert "small.onnx: ONNX model" in out
    lines = out.splitlines()
    assert lines[1].split() == ["Layer", "Type", "Output", "shape", "Parameters", "Field", "Jump"]
    assert lines[3].split() == ["0", "Conv2d", "1", "x", "8", "x", "16", "x", "16", "224", "3", "1"]
    assert lines[-1] == "Total parameters: 526"


def test_summary_command_reports_a_bad_model(capsys):
    assert main(["summary", "resnet81"]) == 2
    assert "Did you mean resnet18" in capsys.readouterr().err


def test_summary_help_names_every_kind_of_model(capsys):
    with pytest.raises(SystemExit) as done:
        main(["summary", "--help"])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps the lines
    assert ".safetensors model file downloaded from ConvScope" in text
    assert "an .onnx file" in text and "torchvision or timm architecture name" in text
