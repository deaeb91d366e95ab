"""Training live in a real browser: the curves and the step count move while it trains,
and stop moving when it stops; the trained network downloads with its card and as ONNX."""

import json
import re
from pathlib import Path

import pytest

from .conftest import error_texts, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _steps(page) -> int:
    text = page.get_by_text(re.compile(r"step \d+, epoch")).first.inner_text()
    return int(re.search(r"step (\d+),", text).group(1))


def _wait_for_steps_above(page, count: int) -> None:
    """Wait until the page's status line shows more than ``count`` steps."""
    page.wait_for_function(
        "n => { const m = document.body.innerText.match(/step (\\d+), epoch/);"
        " return m !== null && Number(m[1]) > n; }",
        arg=count,
        timeout=60_000,
    )


def test_training_starts_stops_and_resumes(page, server_url):
    page.goto(server_url + "/training")
    wait_for_app(page, timeout=90)
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_text(re.compile(r"^Training: step")).first.wait_for(timeout=30_000)
    _wait_for_steps_above(page, _steps(page))  # the page redraws every second while training
    page.get_by_role("button", name="Stop").click()
    page.get_by_text(re.compile(r"^Stopped: step")).first.wait_for(timeout=30_000)
    stopped = _steps(page)
    wait_for_app(page)
    assert _steps(page) == stopped
    screenshot(page, "training-stopped")
    page.get_by_role("button", name="Resume").click()
    page.get_by_text(re.compile(r"^Training: step")).first.wait_for(timeout=30_000)
    _wait_for_steps_above(page, stopped)
    page.get_by_role("button", name="Stop").click()
    page.get_by_text(re.compile(r"^Stopped: step")).first.wait_for(timeout=30_000)
    assert _steps(page) > stopped
    assert error_texts(page) == []


def test_the_trained_network_downloads_with_its_card_and_as_onnx(page, server_url):
    """After a short run the network downloads as .safetensors (its card inside) and as
    ONNX (made on the click), as on Your classes; both open with open_model with the
    digits as class names and give the same scores."""
    import numpy as np
    import torch

    from cnn_core.nn.open_model import open_model

    page.goto(server_url + "/training")
    wait_for_app(page, timeout=90)
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_text(re.compile(r"^Training: step")).first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Stop").click()
    page.get_by_text(re.compile(r"^Stopped: step")).first.wait_for(timeout=30_000)
    steps = _steps(page)
    wait_for_app(page)
    files = {}
    for label in ("Model (.safetensors)", "Model (.onnx)", "Model card (.json)"):
        with page.expect_download(timeout=60_000) as started:
            page.get_by_role("button", name=label).click()
        files[label] = Path(started.value.path()).read_bytes()
    assert error_texts(page) == []
    card = json.loads(files["Model card (.json)"])
    assert card["name"] == f"Digits, trained live ({steps} steps)"
    weights, onnx = open_model(files["Model (.safetensors)"]), open_model(files["Model (.onnx)"])
    assert weights.classes == onnx.classes == card["class_names"] == [str(d) for d in range(10)]
    assert json.loads(weights.metadata["model_card"]) == card
    x = torch.rand((2, 1, 28, 28), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        np.testing.assert_allclose(
            onnx.module(x).numpy(), weights.module(x).numpy(), rtol=1e-5, atol=1e-5
        )
