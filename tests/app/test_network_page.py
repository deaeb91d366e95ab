"""The Network page through AppTest (the canvas cannot be driven here: see tests/e2e)."""

import re

import numpy as np
import pytest

from cnn_core.nn.digit_reader import predict_digit
from cnn_core.nn.saved_models import HELDOUT_PATH

from .conftest import assert_clean, described_pictures, run_app

HELDOUT = np.load(HELDOUT_PATH)


def markdown(at) -> str:
    return " ".join(m.value for m in at.markdown)


def image_captions(at) -> str:
    return " ".join(caption for _, caption in described_pictures(at))


@pytest.mark.parametrize("index", [0, 7, 123, 999])
def test_network_page_reads_a_held_out_digit(index):
    at = run_app("network", idx=index)
    assert_clean(at)
    expected = int(predict_digit(HELDOUT["images"][index] / 255.0).argmax())
    assert f"## {expected}" in [m.value for m in at.markdown]
    label = int(HELDOUT["labels"][index])
    assert ("(right)" in markdown(at)) == (label == expected)
    labels = " ".join(h.value for h in at.get("html"))
    for layer, shape in (
        ("conv1", "8 x 28 x 28"),
        ("pool1", "8 x 14 x 14"),
        ("conv2", "16 x 14 x 14"),
        ("pool2", "16 x 7 x 7"),
        ("fc2", "10"),
    ):
        assert f"<b>{layer}</b><br>{shape}<br>" in labels


@pytest.mark.parametrize("view", ["map", "kernels", "surgery", "why", "card"])
def test_network_page_every_closer_look_renders(view):
    at = run_app("network", view=view, idx=5)
    assert_clean(at)


def test_network_page_confusion_matrix_has_its_counts_in_words_and_a_table():
    """The model card's confusion matrix: counts in the cells, a summary in numbers and
    every count as a table, all from the card the weights came with."""
    import json

    from cnn_core.nn.saved_models import CARD_PATH

    confusion = np.array(json.loads(CARD_PATH.read_text())["confusion_matrix"])
    at = run_app("network", view="card", idx=5)
    assert_clean(at)
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert figure["data"][0]["texttemplate"] == "%{text}"
    assert figure["data"][0]["text"] == confusion.tolist()
    summary = next(c.value for c in at.caption if "answered right" in c.value)
    total, right = int(confusion.sum()), int(sum(confusion[d, d] for d in range(10)))
    assert f"{total:,} pictures: {right:,} answered right" in summary
    mistakes = [(confusion[t, a], t, a) for t in range(10) for a in range(10) if t != a]
    count, true, answer = max(mistakes)
    assert f"most confused: true {true} answered {answer}: {count} times" in summary
    table = at.table[0].value
    assert table.to_numpy().tolist() == confusion.tolist()
    assert list(table.columns) == [f"answer {d}" for d in range(10)]


def _grad_cam_is_empty(index: int) -> bool:
    """Whether Grad-CAM of the predicted class is zero everywhere for a held-out digit,
    recomputed by hand from relu2 and the gradient of the class score."""
    import torch

    from cnn_core.digits import preprocess_digit
    from cnn_core.nn.saved_models import load_model

    model = load_model()
    x = torch.from_numpy(preprocess_digit(HELDOUT["images"][index] / 255.0))[None, None]
    x = x.float().requires_grad_(True)
    relu2 = torch.relu(model.conv2(model.pool1(torch.relu(model.conv1(x)))))
    scores = model.fc2(torch.relu(model.fc1(model.pool2(relu2).flatten(1))))
    (gradient,) = torch.autograd.grad(scores[0, scores.argmax()], relu2)
    cam = (gradient.mean(dim=(2, 3), keepdim=True) * relu2).sum(dim=1)
    return bool((cam <= 0).all())


def test_network_page_says_when_grad_cam_is_empty_and_only_then():
    empty = next(i for i in range(50) if _grad_cam_is_empty(i))
    full = next(i for i in range(50) if not _grad_cam_is_empty(i))
    at = run_app("network", view="why", idx=empty)
    assert_clean(at)
    assert any("Empty: weighted by the score's gradients" in c.value for c in at.caption)
    at = run_app("network", view="why", idx=full)
    assert_clean(at)
    assert not any("Empty: weighted" in c.value for c in at.caption)


def test_network_page_shows_five_attribution_methods_and_ig_completeness():
    at = run_app("network", view="why", idx=3, cam="conv2")
    assert_clean(at)
    captions = " ".join(c.value for c in at.caption)
    for name in ("Saliency", "SmoothGrad", "Integrated gradients", "Grad-CAM", "Occlusion"):
        assert f"**{name}**" in captions
    total = float(re.search(r"add up to (-?[0-9.e+-]+);", captions).group(1))
    difference = float(re.search(r"is (-?[0-9.e+-]+) above the black", captions).group(1))
    assert total == pytest.approx(difference, rel=0.05)


def test_network_page_map_detail_shows_a_units_receptive_field():
    at = run_app("network", view="map", layer="pool2", map=3, row=2, col=5, idx=11)
    assert_clean(at)
    captions = image_captions(at)
    # conv 5 (pad 2) > pool 2 > conv 5 (pad 2) > pool 2: size 16, jump 4, start -6, so
    # unit (2, 5) sees rows -6 + 2*4 = 2 to 17 and columns -6 + 5*4 = 14 to 29.
    assert "rows 2 to 17, columns 14 to 29 (16 x 16" in captions


def test_network_page_kernel_surgery_changes_the_answer_and_reset_restores_it():
    at = run_app("network", view="surgery", idx=42)
    before = [m.value for m in at.markdown if m.value.startswith("## ")]
    bars = next(h.value for h in at.get("html") if "cs-probs" in h.value)
    shown_before = re.findall(r"(\d+\.\d%)<", bars)
    assert len(shown_before) == 10, bars
    for index in range(8):
        at.selectbox(key="net_surgery_index").set_value(index).run()
        at.selectbox(key="net_surgery_with").set_value("zeros").run()
        next(b for b in at.button if b.label == "Apply").click().run()
    assert_clean(at)
    assert "Replaced kernels: 0, 1, 2, 3, 4, 5, 6, 7" in " ".join(c.value for c in at.caption)
    assert "The probabilities above compare both networks" in " ".join(c.value for c in at.caption)
    # With every first-layer kernel zeroed only the biases speak: the answer is the same
    # for any input, and the page shows exactly that answer.
    from cnn_core.nn.digit_net import probabilities, with_first_layer_kernels
    from cnn_core.nn.saved_models import load_model

    silenced = with_first_layer_kernels(load_model(), {i: np.zeros((5, 5)) for i in range(8)})
    constant = int(probabilities(silenced, np.zeros((28, 28), np.float32)).argmax())
    assert [m.value for m in at.markdown if m.value.startswith("## ")] == [f"## {constant}"]
    # the grey bars (the trained network) are said too, not only drawn: each class's
    # probability with the trained weights, the ones the page showed before the surgery
    bars = next(h.value for h in at.get("html") if "cs-probs" in h.value)
    assert re.findall(r", trained weights (\d+\.\d%)</span>", bars) == shown_before
    next(b for b in at.button if b.label == "Reset to the trained weights").click().run()
    assert_clean(at)
    assert [m.value for m in at.markdown if m.value.startswith("## ")] == before


def test_network_page_custom_surgery_kernel_with_a_bad_cell():
    at = run_app("network", view="surgery", idx=1)
    at.selectbox(key="net_surgery_with").set_value("custom").run()
    at.text_input(key="net_surgery_text").set_value("1 2 3; 4 five 6").run()
    assert not at.exception
    assert any("Row 2, column 2: 'five' is not a number" in e.value for e in at.error)


def test_network_page_blank_upload_says_there_is_no_ink(tmp_path):
    from PIL import Image

    path = tmp_path / "blank.png"
    Image.new("RGB", (200, 200), (250, 250, 250)).save(path)
    at = run_app("network", src="upload")
    at.file_uploader(key="net_upload").set_value(("blank.png", path.read_bytes(), "image/png"))
    at.run()
    assert_clean(at)
    assert any("No ink found" in i.value for i in at.info)


def test_network_page_photo_of_a_digit_is_read(tmp_path):
    from PIL import Image

    digit = HELDOUT["images"][77]
    photo = Image.fromarray(255 - digit).resize((300, 300)).convert("RGB")
    path = tmp_path / "photo.jpg"
    photo.save(path, quality=90)
    at = run_app("network", src="upload")
    at.file_uploader(key="net_upload").set_value(("photo.jpg", path.read_bytes(), "image/jpeg"))
    at.run()
    assert_clean(at)
    assert f"## {HELDOUT['labels'][77]}" in [m.value for m in at.markdown]


def test_network_page_missing_weights_give_a_message_and_other_pages_still_work(
    monkeypatch, tmp_path
):
    import shutil

    from cnn_core.nn.saved_models import CARD_PATH

    monkeypatch.setenv("CONVSCOPE_MODEL_DIR", str(tmp_path))
    at = run_app("network")
    assert not at.exception
    assert any("no model in" in e.value and "make train" in e.value for e in at.error)
    # A damaged weights file beside its card is named, with how to rebuild it.
    shutil.copy(CARD_PATH, tmp_path / "digits.json")
    (tmp_path / "digits.safetensors").write_bytes(b"not safetensors")
    at = run_app("network")
    assert not at.exception
    assert any("damaged" in e.value and "make train" in e.value for e in at.error)
    other = run_app("pooling")
    assert_clean(other)


def test_network_page_opens_a_model_trained_on_a_folder_of_pictures(monkeypatch, tmp_path):
    """A small CNN trained with --images on three classes of shapes: listed beside the
    digit reader, with its class names, input size and colour taken from its card."""
    import shutil

    from cnn_core.nn.saved_models import CARD_PATH, WEIGHTS_PATH
    from cnn_core.nn.train import main

    from ..shapes_folder import CLASSES, make_shapes_folder

    folder = make_shapes_folder(tmp_path / "shapes", per_class=12)
    models = tmp_path / "models"
    main(["--images", str(folder), "--epochs", "10", "--out", str(models)])
    shutil.copy(WEIGHTS_PATH, models)
    shutil.copy(CARD_PATH, models)
    monkeypatch.setenv("CONVSCOPE_MODEL_DIR", str(models))
    at = run_app("network", model="shapes")
    assert_clean(at)
    assert at.selectbox(key="net_picked").value == "shapes"
    assert at.radio(key="net_src").options == ["Upload a photo", "Camera", "Live camera"]
    picture = tmp_path / "circle.png"
    shutil.copy(folder / "circle" / "000.png", picture)
    at.file_uploader(key="net_upload").set_value(("circle.png", picture.read_bytes(), "image/png"))
    at.run()
    assert_clean(at)
    answer = next(m.value for m in at.markdown if m.value.startswith("## "))
    assert answer[3:] in CLASSES
    labels = " ".join(h.value for h in at.get("html"))
    assert "<b>conv1</b><br>8 x 32 x 32<br>8 kernels, each 3 x 5 x 5" in labels
    assert "3 class scores" in labels
    at.segmented_control(key="net_view").set_value("card").run()
    assert_clean(at)


def _confusion_of_a_card_naming_too_many_classes():
    import numpy as np

    from app.page_parts.network.lab import confusion_view

    confusion_view(np.array([[3, 1], [0, 4]]), ["a", "b", "c"])


def test_a_card_whose_names_do_not_fit_its_confusion_matrix_still_shows_it():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_confusion_of_a_card_naming_too_many_classes).run()
    assert_clean(at)
    summary = " ".join(c.value for c in at.caption)
    assert "8 pictures: 7 answered right, 7 / 8 = 87.5%" in summary
    assert "true 0 answered 1: 1 time" in summary
