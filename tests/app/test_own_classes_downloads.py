"""The Your classes page through AppTest: no download before a model is trained; after
training, the .safetensors weights, the .json card and the .onnx model are offered, the
ONNX file made only when its button is clicked."""

from ..shapes_folder import CLASSES, make_shapes_folder
from .conftest import assert_clean, run_app
from .test_training_pages import _upload_class, button

LABELS = ["Weights (.safetensors)", "Model card (.json)", "Model (.onnx)"]


def test_downloads_appear_after_training(tmp_path):
    folder = make_shapes_folder(tmp_path / "shapes", per_class=3)
    at = run_app("own_classes", names=",".join(CLASSES))
    for name in CLASSES:
        _upload_class(at, name, folder, 3)
    assert [d.proto.label for d in at.get("download_button")] == []
    button(at, "Train").click().run()
    assert_clean(at)
    downloads = {d.proto.label: d.proto for d in at.get("download_button")}
    assert list(downloads) == LABELS
    onnx = downloads["Model (.onnx)"]
    assert onnx.deferred_file_id and not onnx.url  # made on the click, not on every run
    assert onnx.ignore_rerun  # a click downloads without running the page again
    assert downloads["Weights (.safetensors)"].url.endswith(".bin")
    assert any("Either file opens on the Your model page" in c.value for c in at.caption)
