"""Training end to end: digits and a folder of pictures run, write loadable files with
their cards, are repeatable, and flags a data set does not use are refused by name."""

import json

import numpy as np
import pytest
import torch

from cnn_core.nn.augment import augment_digits, augment_pictures
from cnn_core.nn.digit_net import probabilities
from cnn_core.nn.digit_training import TrainConfig, train_digits
from cnn_core.nn.saved_models import list_models, load_model, prepare_input
from cnn_core.nn.train import main

from ..shapes_folder import CLASSES, draw_shape, make_shapes_folder


def test_train_one_short_epoch_writes_loadable_weights_and_card(tmp_path):
    card = train_digits(TrainConfig(epochs=1, subset=200, seed=5), tmp_path / "out", tmp_path)
    out = tmp_path / "out"
    model = load_model(out / "digits.safetensors")
    probs = probabilities(model, np.zeros((28, 28), np.float32))
    assert probs.shape == (10,)
    written = json.loads((out / "digits.json").read_text())
    assert written == card
    assert written["train_digits"] == 200 and written["heldout_digits"] == 1000
    assert sum(map(sum, written["confusion_matrix"])) == 1000
    held = np.load(out / "digits_heldout.npz")
    assert held["images"].shape == (1000, 28, 28)


def test_train_is_deterministic_for_a_seed(tmp_path):
    for run in ("a", "b"):
        main(["--epochs", "1", "--subset", "128", "--seed", "9", "--out", str(tmp_path / run)])
    first = (tmp_path / "a" / "digits.safetensors").read_bytes()
    assert first == (tmp_path / "b" / "digits.safetensors").read_bytes()


def test_augment_keeps_values_in_range_and_varies_the_pictures():
    generator = torch.Generator().manual_seed(0)
    batch = torch.zeros(16, 1, 28, 28)
    batch[:, :, 8:20, 13:15] = 1.0
    for augment in (augment_digits, augment_pictures):
        out = augment(batch, generator)
        assert out.shape == batch.shape
        assert out.min() >= 0 and out.max() <= 1
        assert not torch.allclose(out[0], out[1])


def test_a_folder_of_shapes_trains_a_model_the_app_can_list_and_run(tmp_path):
    folder = make_shapes_folder(tmp_path / "shapes", per_class=20)
    out = tmp_path / "models"
    assert main(["--images", str(folder), "--size", "32", "--out", str(out)]) == 0
    (entry,) = list_models(out)
    card = entry.card
    assert entry.name == "shapes" and entry.class_names == list(CLASSES)
    assert card["input"] == {"side": 32, "colour": "rgb", "preparation": "resize-crop"}
    assert card["heldout_pictures"] == 12 and card["train_pictures"] == 48  # 20% of each class
    # Three classes: chance is a third; the shapes are easy.
    assert card["heldout_accuracy"] > 0.6
    model = load_model(entry.weights)
    assert model.config.in_channels == 3 and model.config.classes == 3
    picture = draw_shape("circle", np.random.default_rng(99)) / 255.0
    probs = probabilities(model, prepare_input(entry, picture))
    assert probs.shape == (3,)


def test_a_gray_model_and_its_card(tmp_path):
    folder = make_shapes_folder(tmp_path / "shapes", per_class=6)
    out = tmp_path / "models"
    main(
        [
            "--images",
            str(folder),
            "--epochs",
            "2",
            "--size",
            "16",
            "--colour",
            "gray",
            "--name",
            "tiny",
            "--out",
            str(out),
        ]
    )
    card = json.loads((out / "tiny.json").read_text())
    assert card["config"]["in_channels"] == 1 and card["config"]["side"] == 16
    assert card["warnings"] and "Only 6 pictures" in card["warnings"][0]


@pytest.mark.parametrize(
    "argv, meant",
    [
        (["--data-dir", "/tmp/pictures"], "--images PATH"),
        (["--images", "x", "--dataset", "mnist"], "leave out --dataset"),
        (["--size", "64"], "goes with --images"),
        (["--images", "x", "--subset", "5"], "--subset goes with the digits"),
    ],
)
def test_a_flag_the_data_does_not_use_is_refused_by_name(argv, meant, capsys):
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    assert meant in capsys.readouterr().err


def test_a_folder_that_is_not_class_folders_is_explained(tmp_path):
    (tmp_path / "only").mkdir()
    with pytest.raises(SystemExit, match="at least two subfolders"):
        main(["--images", str(tmp_path)])
