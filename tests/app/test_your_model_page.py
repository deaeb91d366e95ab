"""The Your model page through AppTest: a torchvision architecture by name (random weights
offline, said in the note), an uploaded ONNX file with the user's class names, every
view, the layer table against the model itself, the bad files a user may give, and two
sessions with different models that never see each other's."""

import io
import json
import re

import pytest
import torch
from safetensors.torch import save
from torch import nn
from torchvision import models

from cnn_core import limits

from .conftest import assert_clean, described_pictures, run_app

ONNX_KEY = "yours_model_file"
WEIGHTS_KEY = "yours_weights_file"
NAMES_KEY = "yours_names_file"


def tiny_onnx(classes: int, seed: int = 0) -> bytes:
    torch.manual_seed(seed)
    net = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(8, classes),
    ).eval()
    buffer = io.BytesIO()
    torch.onnx.export(net, torch.zeros(1, 3, 32, 32), buffer, dynamo=False, input_names=["x"])
    return buffer.getvalue()


pytestmark = pytest.mark.usefixtures("no_pretrained_weights")


def upload(at, key: str, name: str, data: bytes):
    at.file_uploader(key=key).set_value((name, data, "application/octet-stream"))
    return at.run()


def onnx_page(classes: int = 4, seed: int = 0, **params):
    at = run_app("your_model", kind="file", res=128, **params)
    return upload(at, ONNX_KEY, "tiny.onnx", tiny_onnx(classes, seed))


def texts(elements) -> str:
    return " ".join(e.value for e in elements)


def answer_heading(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("## "))


def test_a_named_architecture_opens_with_random_weights_said():
    at = run_app("your_model", res=256)
    assert_clean(at)
    assert "resnet18 with random weights" in texts(at.caption)
    assert re.fullmatch(r"## class \d+", answer_heading(at))
    stages = [m.value for m in at.markdown if "maps of" in m.value]
    assert len(stages) == 5 and "(`layer2.1.relu`): 128 maps of 28 x 28" in stages[2]
    assert "each unit sees 99 x 99 input pixels" in stages[2]


def test_an_onnx_file_opens_and_its_input_size_is_taken():
    at = onnx_page()
    assert_clean(at)
    assert "ONNX model" in texts(at.caption) and "3 x 32 x 32" in texts(at.caption)
    assert at.number_input(key=next(k for k in _keys(at) if "height" in k)).value == 32
    assert "of its 4 classes" in texts(at.markdown)
    stages = [m.value for m in at.markdown if "maps of" in m.value]
    assert len(stages) == 2
    assert "4 maps of 32 x 32" in stages[0] and "8 maps of 16 x 16" in stages[1]


def _keys(at):
    return [w.key for w in at.number_input]


def test_class_names_name_the_answer_and_a_wrong_count_is_explained():
    at = onnx_page()
    at = upload(at, NAMES_KEY, "names.txt", b"cat\ndog\nfox\nowl\n")
    assert_clean(at)
    assert answer_heading(at)[3:] in {"cat", "dog", "fox", "owl"}
    at = upload(at, NAMES_KEY, "names.json", json.dumps(["cat", "dog"]).encode())
    assert "2 names but the model gives 4 scores" in texts(at.error)
    assert re.fullmatch(r"## class \d", answer_heading(at)), "the page keeps working"


def test_the_layer_table_counts_what_the_model_has():
    at = onnx_page(view="table")
    assert_clean(at)
    table = at.dataframe[0].value
    # Conv 3->4 (3x3): 4*3*9 + 4 = 112; conv 4->8: 8*4*9 + 8 = 296; linear 8->4: 36.
    assert table["parameters"].tolist()[:1] == [112]
    assert sorted(p for p in table["parameters"] if p) == [36, 112, 296]
    assert "444 parameters in total" in texts(at.markdown)
    first = table.iloc[0]
    assert first["output shape"] == "1 x 4 x 32 x 32" and first["receptive field"] == "3"
    assert "Total parameters: 444" in at.code[0].value


@pytest.mark.parametrize("view", ["filters", "field", "why", "wants", "table"])
def test_every_view_opens_for_an_architecture(view):
    at = run_app("your_model", res=128, view=view)
    assert_clean(at)


def test_explanations_and_channel_pictures_run_for_an_onnx_model():
    at = onnx_page(view="why")
    at.button(key="yours_explained_button").click().run()
    assert_clean(at)
    assert "**Grad-CAM**" in texts(at.caption)
    at = onnx_page(view="wants", steps=32)
    at.button(key="yours_visual_button").click().run()
    assert_clean(at)
    assert "The three samples that excite this channel most" in texts(at.caption)


def test_the_effective_field_of_an_onnx_model_is_inside_the_theoretical_one():
    at = onnx_page(view="field")
    assert_clean(at)
    text = texts(at.markdown)
    effective = int(re.search(r"effective field is \*\*(\d+) pixels\*\*", text).group(1))
    theoretical = int(re.search(r"against a theoretical \*\*(\d+)\*\*", text).group(1))
    assert 0 < effective <= theoretical


def resnet_weights_of(name: str) -> bytes:
    return save(models.get_model(name).state_dict())


@pytest.mark.parametrize(
    "kind, key, filename, data, words",
    [
        ("file", ONNX_KEY, "noise.onnx", bytes(range(256)) * 40, "not an ONNX model"),
        ("file", ONNX_KEY, "cut.onnx", None, "not an ONNX model, or the file is cut short"),
        ("arch", WEIGHTS_KEY, "w.safetensors", b"\x00" * 64, "not a readable .safetensors"),
        ("arch", WEIGHTS_KEY, "squeeze.safetensors", "squeezenet1_0", "do not fit resnet18"),
    ],
)
def test_a_bad_file_is_named_and_the_page_keeps_working(kind, key, filename, data, words):
    if data is None:
        data = tiny_onnx(4)[:700]
    elif isinstance(data, str):
        data = resnet_weights_of(data)
    at = upload(run_app("your_model", kind=kind, res=128), key, filename, data)
    assert not at.exception
    assert words in texts(at.error), texts(at.error)
    assert len(at.sidebar.file_uploader) >= 1, "the sidebar is still there to try again"


def test_a_file_over_the_limit_is_refused_with_the_limit_named(monkeypatch):
    monkeypatch.setattr(limits, "MAX_MODEL_FILE_MB", 1)
    at = upload(run_app("your_model", kind="file", res=128), ONNX_KEY, "big.onnx", b"x" * (2 << 20))
    assert not at.exception
    assert "MAX_MODEL_FILE_MB" in texts(at.error)


def test_a_bad_names_file_is_explained_and_the_answer_stays():
    at = upload(onnx_page(), NAMES_KEY, "names.txt", b"cat\n\ndog\nfox\n")
    assert "Line 2 of the names file is empty" in texts(at.error)
    assert answer_heading(at).startswith("## class ")


def test_two_sessions_with_different_models_never_see_each_others():
    first = onnx_page(classes=3, seed=1)
    second = onnx_page(classes=6, seed=2)
    assert "of its 3 classes" in texts(first.markdown)
    assert "of its 6 classes" in texts(second.markdown)
    first.run()  # the first session again, after the second opened its model
    assert "of its 3 classes" in texts(first.markdown)
    assert "of its 6 classes" not in texts(first.markdown)
    named = upload(run_app("your_model", res=128), NAMES_KEY, "n.txt", b"a\n" * 1000)
    assert "resnet18 with random weights" in texts(named.caption)
    assert "ONNX model" not in texts(named.caption)


@pytest.mark.parametrize("form", ["safetensors", "onnx"])
def test_a_grey_model_from_your_classes_opens_with_its_names_and_normalisation(form):
    from cnn_core.nn.digit_net import DigitNet, DigitNetConfig
    from cnn_core.nn.export import to_onnx
    from cnn_core.nn.saved_models import weights_bytes

    torch.manual_seed(0)
    net = DigitNet(DigitNetConfig(classes=3, in_channels=1, side=32)).eval()
    card = {"kind": "pictures", "class_names": ["apple", "pear", "plum"]}
    data = weights_bytes(net, card) if form == "safetensors" else to_onnx(net, card)
    at = upload(run_app("your_model", kind="file", res=128), ONNX_KEY, f"fruit.{form}", data)
    assert_clean(at)
    assert answer_heading(at)[3:] in {"apple", "pear", "plum"}
    # Its metadata's normalisation (the network reads pictures as they are) and size.
    fields = {t.label: t.value for t in at.text_input}
    assert fields["Mean (grey)"] == "0" and fields["Std (grey)"] == "1"
    seen = [alt for alt, caption in described_pictures(at) if "What the model sees" in caption]
    assert seen and seen[0].startswith("What the network sees, 32 x 32, gray")
    filters = run_app("your_model", kind="file", res=128, view="filters")
    filters = upload(filters, ONNX_KEY, f"fruit.{form}", data)
    assert_clean(filters)
    assert "their 1 input channel(s) summed, in grey" in texts(filters.caption)


def test_bad_link_settings_fall_back_with_a_notice():
    at = run_app("your_model", arch="gpt", height="99999", mean="a,b", stage="<b>", res=128)
    assert_clean(at)
    notice = texts(at.warning)
    for name in ("arch", "height", "mean", "stage"):
        assert f"`{name}`" in notice, notice
    assert "resnet18 with random weights" in texts(at.caption)


class Branching(nn.Module):
    """A model torch.fx cannot trace: its forward branches on a tensor's value."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.body = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 3))

    def forward(self, x):
        maps = self.body(x)
        return self.head(maps) if maps.mean() >= 0 else -self.head(maps)


def test_what_a_channel_wants_works_on_a_model_fx_cannot_trace(monkeypatch):
    # No source of the page gives such a model today (torchvision, ONNX and ConvScope
    # files all trace), but a user's architecture may: it is opened here by hand.
    from app.page_parts.your_model import opening
    from cnn_core.nn.open_model import _finish

    def open_branching(source, weights=None):
        return _finish(Branching(), (32, 32), None, "A hand-built model.", 3)

    monkeypatch.setattr(opening, "open_model", open_branching)
    at = run_app("your_model", res=128, view="wants", steps=32)
    assert_clean(at)
    at.button(key="yours_visual_button").click().run()
    assert_clean(at)
    alts = [alt for alt, _ in described_pictures(at)]
    assert any(alt.startswith("The input channel 0 of body.2 wants most") for alt in alts), alts
    assert "The three samples that excite this channel most" in texts(at.caption)
    at = run_app("your_model", res=128)  # its answer and stages, the fields said missing
    assert_clean(at)
    assert "Receptive fields need a model torch.fx can trace" in texts(at.caption)
    assert any("maps of 16 x 16" in m.value for m in at.markdown)
