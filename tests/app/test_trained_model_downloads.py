"""The downloads of a trained model, through AppTest, the same on the two pages that train
one (Your classes and Training): none before training; after it the .safetensors model
(its configuration and card inside: it opens by itself with the card's class names), the
.json card and the .onnx model, the ONNX file made only when its button is clicked."""

import json

import pytest

from app.widgets.networks import model_buttons
from cnn_core.nn.open_model import open_model

from ..shapes_folder import CLASSES, make_shapes_folder
from .conftest import assert_clean, run_app
from .test_training_pages import _upload_class, button, live_run

LABELS = ["Model (.safetensors)", "Model card (.json)", "Model (.onnx)"]


@pytest.fixture
def made(monkeypatch) -> list[bytes]:
    """The .safetensors files the download buttons were given, in order."""
    files: list[bytes] = []
    real = model_buttons.weights_bytes

    def keep(model, card):
        files.append(real(model, card))
        return files[-1]

    monkeypatch.setattr(model_buttons, "weights_bytes", keep)
    return files


def check_downloads(at, made: list[bytes]) -> dict:
    """The three downloads are there as on every trained model; the .safetensors file
    holds the card the .json download gives. Returns that card."""
    assert_clean(at)
    downloads = {d.proto.label: d.proto for d in at.get("download_button")}
    assert list(downloads) == LABELS
    onnx = downloads["Model (.onnx)"]
    assert onnx.deferred_file_id and not onnx.url  # made on the click, not on every run
    assert onnx.ignore_rerun  # a click downloads without running the page again
    assert downloads["Model (.safetensors)"].url.endswith(".bin")
    assert any("Either model file opens on the Your model page" in c.value for c in at.caption)
    opened = open_model(made[-1])
    card = opened.metadata and json.loads(opened.metadata["model_card"])
    assert card and opened.classes == card["class_names"]
    return card


def test_your_classes_downloads_appear_after_training(tmp_path, made):
    folder = make_shapes_folder(tmp_path / "shapes", per_class=3)
    at = run_app("own_classes", names=",".join(CLASSES))
    for name in CLASSES:
        _upload_class(at, name, folder, 3)
    assert [d.proto.label for d in at.get("download_button")] == []
    button(at, "Train").click().run()
    card = check_downloads(at, made)
    assert card["class_names"] == list(CLASSES)


def test_training_offers_the_same_downloads_with_the_card(made):
    at = run_app("training")
    assert [d.proto.label for d in at.get("download_button")] == []
    button(at, "Start").click().run()
    assert live_run(at).wait_for_steps(3, timeout=60)
    at.run()
    button(at, "Stop").click().run()
    steps = live_run(at).trainer.steps_done
    card = check_downloads(at, made)
    assert card["class_names"] == [str(d) for d in range(10)]
    assert card["name"] == f"Digits, trained live ({steps} steps)"
    assert card["training"]["steps"] == steps
