"""Training end to end on a few digits: it runs, writes a loadable file, and is repeatable."""

import json

import numpy as np
import torch

from cnn_core.model import load_model, probabilities
from cnn_core.train import TrainConfig, augment, main, train


def test_train_one_short_epoch_writes_loadable_weights_and_card(tmp_path):
    card = train(TrainConfig(epochs=1, subset=200, seed=5), tmp_path / "out", tmp_path)
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


def test_augment_keeps_values_in_range_and_varies_the_digits():
    generator = torch.Generator().manual_seed(0)
    batch = torch.zeros(16, 1, 28, 28)
    batch[:, :, 8:20, 13:15] = 1.0
    out = augment(batch, generator)
    assert out.shape == batch.shape
    assert out.min() >= 0 and out.max() <= 1
    assert not torch.allclose(out[0], out[1])
