"""The Your model page in chromium: a tiny ONNX file (exported here) uploaded through the
sidebar, then its class names; the page shows the model's top classes with those names,
its stages, and the layer table with the parameters counted by hand."""

from __future__ import annotations

import re

import pytest
import torch
from playwright.sync_api import expect
from torch import nn

from .conftest import error_texts, screenshot, wait_for_app

pytestmark = pytest.mark.browser
CLASSES = ["cat", "dog", "fox", "owl"]


@pytest.fixture
def tiny_files(tmp_path):
    torch.manual_seed(0)
    net = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1),  # 4 * 3 * 9 + 4 = 112 parameters
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3, padding=1),  # 8 * 4 * 9 + 8 = 296
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(8, len(CLASSES)),  # 8 * 4 + 4 = 36
    ).eval()
    model = tmp_path / "tiny.onnx"
    torch.onnx.export(net, torch.zeros(1, 3, 32, 32), str(model), dynamo=False)
    names = tmp_path / "names.txt"
    names.write_text("\n".join(CLASSES) + "\n")
    return model, names


def upload(page, label: str, path) -> None:
    zone = page.locator('[data-testid="stFileUploader"]').filter(has_text=label)
    zone.locator('input[type="file"]').set_input_files(str(path))


def test_an_uploaded_onnx_model_answers_and_shows_its_layer_table(server_url, page, tiny_files):
    model, names = tiny_files
    page.goto(f"{server_url}/your_model?kind=file&res=256")
    wait_for_app(page, 120)
    upload(page, "Model file", model)
    expect(page.get_by_text("of its 4 classes")).to_be_visible(timeout=60_000)
    wait_for_app(page)
    upload(page, "Class names", names)
    heading = page.locator('[data-testid="stMain"] h2').first
    expect(heading).to_have_text(re.compile(r"^(cat|dog|fox|owl)$"), timeout=60_000)
    wait_for_app(page)
    for name in CLASSES:
        expect(page.get_by_text(name, exact=True).first).to_be_visible()
    expect(page.get_by_text("stage 2: 16 x 16")).to_be_visible()
    screenshot(page, "your-model-answer")
    page.get_by_role("radio", name="Layer table").or_(
        page.get_by_role("button", name="Layer table")
    ).first.click()
    expect(page.get_by_text("444 parameters in total")).to_be_visible(timeout=60_000)
    wait_for_app(page)
    page.get_by_text("The table as text").click()
    text = page.locator('[data-testid="stCode"]').first
    expect(text).to_contain_text("Total parameters: 444")
    expect(text).to_contain_text("Conv2d")
    screenshot(page, "your-model-layer-table")
    assert error_texts(page) == []


def test_a_model_file_over_the_limit_is_refused_with_a_message(server_url, page, tmp_path):
    from app.page_parts.your_model.sources import MAX_MODEL_FILE_MB
    from tests.e2e.conftest import ROOT

    config = (ROOT / ".streamlit" / "config.toml").read_text()
    server_limit = int(re.search(r"^maxUploadSize\s*=\s*(\d+)", config, re.M).group(1))
    limit = min(MAX_MODEL_FILE_MB, server_limit)
    big = tmp_path / "big.onnx"
    big.write_bytes(b"\0" * ((limit + 1) << 20))
    page.goto(f"{server_url}/your_model?kind=file&res=128")
    wait_for_app(page, 120)
    upload(page, "Model file", big)
    expect(page.get_by_text(f"over the {limit} MB upload limit of model files")).to_be_visible(
        timeout=60_000
    )
    wait_for_app(page)
    expect(page.get_by_text("Upload an .onnx model file")).to_be_visible()


def test_a_picture_and_a_model_file_are_each_held_to_their_own_limit(server_url, page, tmp_path):
    # Two guards on one page (the picture's and the model file's): each answers for its
    # own uploader, with its own limit and wording.
    from cnn_core.limits import MAX_UPLOAD_MB

    page.goto(f"{server_url}/your_model?kind=file&res=128")
    wait_for_app(page, 120)
    sources = page.locator('[data-testid="stRadio"]').filter(has_text="Source")
    sources.get_by_text("Upload", exact=True).click()
    wait_for_app(page)
    big = tmp_path / "big.png"
    big.write_bytes(b"\0" * ((MAX_UPLOAD_MB + 1) << 20))
    upload(page, "Your image", big)
    expect(page.get_by_text(f"larger than the {MAX_UPLOAD_MB} MB upload limit")).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_text("upload limit of model files")).to_have_count(0)


def test_a_small_timm_model_is_picked_by_keyboard_and_opened(server_url, page):
    pytest.importorskip("timm")
    page.goto(f"{server_url}/your_model?res=128")
    wait_for_app(page, 120)
    picker = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text="Architecture"
    )
    picker.locator("input").focus()
    page.keyboard.type("timm:resnet10t")
    page.keyboard.press("Enter")
    expect(page.get_by_text("timm:resnet10t with random weights")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("fixed (drawn from the same seed everywhere)")).to_be_visible()
    page.wait_for_function(
        "() => decodeURIComponent(location.href).includes('arch=timm:resnet10t')"
    )
    wait_for_app(page)
    expect(page.get_by_text("stage 1: 88 x 88").first).to_be_visible()
    screenshot(page, "your-model-timm")
    assert error_texts(page) == []


def test_two_students_see_the_same_maps_of_a_model_with_random_weights(server_url, browser):
    pytest.importorskip("timm")
    seen = []
    for _ in range(2):  # two sessions, as two students' browsers
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        page.goto(f"{server_url}/your_model?arch=timm:lcnet_050&res=128")
        wait_for_app(page, 120)
        expect(page.get_by_text("timm:lcnet_050 with random weights")).to_be_visible(timeout=60_000)
        pictures = page.locator('[data-testid="stMain"] figure.cs-picture img')
        expect(pictures.first).to_be_visible()
        seen.append([pictures.nth(i).get_attribute("src") for i in range(pictures.count())])
        assert error_texts(page) == []
        context.close()
    assert len(seen[0]) >= 5
    assert seen[0] == seen[1]
