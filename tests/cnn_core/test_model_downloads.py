"""The Your classes page's downloads: a trained small CNN as ONNX and as a .safetensors
file carrying its configuration and card, each opened again by open_model with the same
outputs as the original (and onnxruntime agreeing on the ONNX bytes), the class names,
input size and colour read back; the summary command on the exported file; and damaged
or foreign .safetensors files refused with a message naming the problem."""

import json
import re
import subprocess
import sys

import numpy as np
import onnxruntime
import pytest
import torch
from safetensors.torch import save

from cnn_core.nn.digit_net import DigitNet, DigitNetConfig
from cnn_core.nn.export import to_onnx
from cnn_core.nn.open_model import ModelError, open_model
from cnn_core.nn.picture_training import PictureConfig, train_on_pictures
from cnn_core.nn.saved_models import CARD_KEY, CONFIG_KEY, weights_bytes, write_model

CLASSES = ["rock", "paper", "scissors"]


def trained(colour: str = "rgb", side: int = 16):
    """A small CNN trained for two epochs on random pictures, and its card."""
    rng = np.random.default_rng(0)
    channels = 3 if colour == "rgb" else 1
    images = rng.random((18, channels, side, side), dtype=np.float32)
    labels = np.arange(18) % 3
    config = PictureConfig(side=side, colour=colour, epochs=2)
    model, card = train_on_pictures(
        images[:12], labels[:12], images[12:], labels[12:], CLASSES, config
    )
    return model.eval(), card


def pictures(model, batch: int = 4) -> torch.Tensor:
    c = model.config
    generator = torch.Generator().manual_seed(7)
    return torch.rand((batch, c.in_channels, c.side, c.side), generator=generator)


@pytest.mark.parametrize("colour", ["rgb", "gray"])
def test_onnx_download_opens_like_the_original_and_onnxruntime_agrees(colour):
    model, card = trained(colour)
    data = to_onnx(model, card)
    x = pictures(model)
    with torch.no_grad():
        expected = model(x).numpy()
    opened = open_model(data)
    with torch.no_grad():
        got = opened.module(x).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    (reference,) = session.run(None, {session.get_inputs()[0].name: x.numpy()})
    np.testing.assert_allclose(reference, expected, rtol=1e-4, atol=1e-5)
    assert opened.classes == CLASSES
    assert opened.input_size == (16, 16)
    assert opened.channels == (3 if colour == "rgb" else 1)
    assert opened.metadata["colour"] == colour
    assert opened.metadata["mean"] == ",".join(["0"] * opened.channels)
    assert opened.metadata["std"] == ",".join(["1"] * opened.channels)
    assert json.loads(opened.metadata["model_card"]) == card
    assert opened.layers == ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2"] + [
        "flatten",
        "fc1",
        "relu3",
        "fc2",
    ]


def test_onnx_download_leaves_the_model_as_it_was():
    model, card = trained()
    model.train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    to_onnx(model, card)
    assert model.training
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_safetensors_download_opens_like_the_original_with_its_card():
    model, card = trained()
    opened = open_model(weights_bytes(model, card))
    x = pictures(model).requires_grad_(True)
    np.testing.assert_allclose(
        opened.module(x).detach().numpy(), model(x).detach().numpy(), rtol=1e-5, atol=1e-5
    )
    assert opened.classes == CLASSES
    assert (opened.input_size, opened.channels) == ((16, 16), 3)
    assert "trained on Your classes (rock, paper, scissors)" in opened.note
    assert f"held-out accuracy {card['heldout_accuracy']:.0%}" in opened.note
    # gradients reach the picture through the opened model as through the original
    x_a = pictures(model).requires_grad_(True)
    x_b = pictures(model).requires_grad_(True)
    opened.module(x_a)[:, 1].sum().backward()
    model(x_b)[:, 1].sum().backward()
    np.testing.assert_allclose(x_a.grad.numpy(), x_b.grad.numpy(), rtol=1e-5, atol=1e-7)


def test_a_model_on_disk_takes_its_card_from_beside_it(tmp_path):
    model, card = trained("gray", side=12)
    write_model(tmp_path, "shapes", model, card)
    opened = open_model(tmp_path / "shapes.safetensors")
    assert opened.classes == CLASSES and (opened.input_size, opened.channels) == ((12, 12), 1)
    assert opened.note.startswith("shapes.safetensors: a small CNN trained on Your classes")


def test_a_file_without_its_card_opens_without_class_names():
    model, _ = trained()
    opened = open_model(weights_bytes(model))
    assert opened.classes is None and "class names are not known" in opened.note


def test_summary_command_on_the_exported_onnx_file(tmp_path):
    model, card = trained()
    path = tmp_path / "my-classes.onnx"
    path.write_bytes(to_onnx(model, card))
    done = subprocess.run(
        [sys.executable, "-m", "cnn_core.nn", "summary", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines() if line}
    # conv 5 x 5 on 3 channels, 8 maps: 3 * 8 * 25 + 8 weights; field 5, jump 1
    assert rows["conv1"][1:] == ["Conv2d", "1", "x", "8", "x", "16", "x", "16", "608", "5", "1"]
    # after conv 5, pool 2, conv 5, pool 2: field 5 + 1 + 4 * 2 + 1 * 2 = 16, jump 4
    assert rows["pool2"][-2:] == ["16", "4"]
    total = sum(p.numel() for p in model.parameters())
    assert f"Total parameters: {total:,}" in done.stdout
    assert "Class names from its metadata: rock, paper, scissors." in done.stdout


# Files that are not a model ConvScope made --------------------------------------------------


def small_file(config: dict | str | None = None, card=None, state=None, extra=None) -> bytes:
    model = DigitNet(DigitNetConfig(classes=3, in_channels=3, side=16))
    metadata = dict(extra or {})
    if config is not None:
        metadata[CONFIG_KEY] = config if isinstance(config, str) else json.dumps(config)
    if card is not None:
        metadata[CARD_KEY] = card if isinstance(card, str) else json.dumps(card)
    return save(state if state is not None else model.state_dict(), metadata=metadata or None)


GOOD = {"classes": 3, "in_channels": 3, "side": 16}


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (small_file(), "weights file, not a model: it has no ConvScope configuration"),
        (small_file("{not json"), "'convscope.config' is not JSON"),
        (small_file("[1, 2]"), "configuration is not a JSON object"),
        (small_file({**GOOD, "layers": 9}), "unknown setting 'layers'"),
        (small_file({**GOOD, "kernel": -5}), "'kernel' is -5, not a positive whole number"),
        (small_file({**GOOD, "hidden": 2.5}), "'hidden' is 2.5"),
        (small_file({**GOOD, "side": 18}), "input side 18 is not a multiple of 4"),
        (small_file({**GOOD, "side": 4096}), "'side' is 4096"),
        (small_file({**GOOD, "in_channels": 7}), "'in_channels' is 7"),
        # fc1 alone: 16 maps of 128 x 128 to 65,536 units, 17,179.9 million weights; refused
        # before anything is allocated
        (small_file({**GOOD, "hidden": 65_536, "side": 512}), "17180.1 million parameters"),
        (small_file({**GOOD, "classes": 4}), "'fc2.weight' has shape (3, 32) in the file"),
        (small_file({**GOOD, "side": 20}), "'fc1.weight' has shape (32, 256)"),
        (small_file(GOOD, card="{"), "'convscope.card' is not JSON"),
        (small_file(GOOD, card="[]"), "is not a model card"),
        (
            small_file(GOOD, card={"class_names": ["a", "b"]}),
            "names 2 classes but the network has 3",
        ),
        (small_file(GOOD, card={"class_names": "abc"}), "class_names is not a list of names"),
        (small_file(GOOD, state={"conv1.weight": torch.zeros(8, 3, 5, 5)}), "needs a weight"),
    ],
)
def test_damaged_or_foreign_safetensors_files_are_refused_by_name(file, message):
    with pytest.raises(ModelError, match=re.escape(message)):
        open_model(file)


def test_a_card_without_a_configuration_entry_still_rebuilds_the_network():
    card = {"config": GOOD, "class_names": ["a", "b", "c"], "kind": "pictures"}
    opened = open_model(small_file(card=card))
    assert opened.classes == ["a", "b", "c"] and opened.input_size == (16, 16)


@pytest.mark.parametrize(
    ("classes", "remark"),
    [
        ("not json", "'classes' is not a JSON list of names: not used"),
        ('{"a": 1}', "'classes' is not a JSON list of names: not used"),
        ('["a", "b"]', "Its 2 class names do not match its 3 outputs: not used"),
    ],
)
def test_onnx_class_names_that_do_not_fit_are_left_out_and_said(classes, remark):
    import onnx

    model, card = trained()
    proto = onnx.load_from_string(to_onnx(model, card))
    entry = next(p for p in proto.metadata_props if p.key == "classes")
    entry.value = classes
    opened = open_model(proto.SerializeToString())
    assert opened.classes is None
    assert remark in opened.note
