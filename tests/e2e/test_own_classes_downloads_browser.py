"""The Your classes page's downloads in a real browser: after training, the model downloads
as .safetensors (its card inside) and as ONNX, and both files open with open_model with
the page's class names and the same answers."""

import re
from pathlib import Path

import numpy as np
import pytest
import torch

from cnn_core.nn.open_model import open_model

from ..shapes_folder import CLASSES, make_shapes_folder
from .conftest import error_texts, screenshot, wait_for_app
from .own_classes_steps import upload_and_train

pytestmark = pytest.mark.browser


def _download(page, label: str) -> bytes:
    with page.expect_download(timeout=60_000) as started:
        page.get_by_role("button", name=label).click()
    return Path(started.value.path()).read_bytes()


def test_trained_model_downloads_as_safetensors_and_onnx_and_both_open(page, server_url, tmp_path):
    folder = make_shapes_folder(tmp_path / "shapes", per_class=3)
    page.goto(server_url + "/own_classes?names=" + ",".join(CLASSES))
    wait_for_app(page, timeout=90)
    upload_and_train(page, folder, CLASSES)
    wait_for_app(page)
    weights = _download(page, "Model (.safetensors)")
    model_file = _download(page, "Model (.onnx)")
    page.get_by_role("button", name="Model (.onnx)").scroll_into_view_if_needed()
    screenshot(page, "own-classes-downloads")
    assert error_texts(page) == []

    from_weights, from_onnx = open_model(weights), open_model(model_file)
    assert from_weights.classes == from_onnx.classes == list(CLASSES)
    assert from_weights.input_size == from_onnx.input_size == (32, 32)  # the page's default
    assert "trained on Your classes (circle, square, triangle)" in from_weights.note
    x = torch.rand((3, 3, 32, 32), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        np.testing.assert_allclose(
            from_onnx.module(x).numpy(), from_weights.module(x).numpy(), rtol=1e-5, atol=1e-5
        )

    # Each file opens on the Your model page, which names the classes it answers with.
    for name, data in (("my-classes.onnx", model_file), ("my-classes.safetensors", weights)):
        page.goto(server_url + "/your_model")
        wait_for_app(page, timeout=90)
        page.get_by_role("radio", name="A model file", exact=True).first.dispatch_event("click")
        page.locator('[data-testid="stFileUploaderDropzone"]').first.wait_for(timeout=30_000)
        wait_for_app(page)
        page.locator('input[type="file"]').first.set_input_files(
            {"name": name, "mimeType": "application/octet-stream", "buffer": data}
        )
        page.get_by_text(re.compile("^The uploaded file: ")).first.wait_for(timeout=60_000)
        wait_for_app(page)
        assert error_texts(page) == []
        shown = page.locator('[data-testid="stMain"]').inner_text()
        assert all(c in shown for c in CLASSES), shown[:2000]
        screenshot(page, f"your-model-{name.replace('.', '-')}")
