"""WCAG 2.1 A and AA, checked by axe-core (bundled by axe-playwright-python) in chromium on
every page of the registry as it opens and in the states a class uses (the inspector
open, a lesson step, presenter mode, a phone, the class panel open) and after a result
(a training run, Your classes trained, an uploaded picture, a quiz answer). Serious and critical
violations fail the test; the full report of each (moderate and minor ones too, and the
headings in reading order) is saved as JSON under test-artifacts/axe/. Also: the page
menu by keyboard, and a screen reader's view (Playwright's aria snapshot) of the
Convolution and Lesson pages saved under test-artifacts/aria/, checked to read in order.
docs/accessibility.md has the results."""

from __future__ import annotations

import json
import re

import pytest

from app.app_pages import registry
from app.shell.streamlit_internals import SKELETON

from .conftest import ARTIFACTS, every_page, upload_file, wait_for_app

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = ("serious", "critical")


# Every heading in reading order: where it is (sidebar or main) and its level.
HEADINGS = """() => [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
  .filter((h) => h.getClientRects().length || h.closest('[data-testid="stSidebar"]'))
  .map((h) => [h.closest('[data-testid="stSidebar"]') ? "sidebar" : "main",
               Number(h.tagName[1]), h.textContent.trim().slice(0, 60)])"""


def audit(page, name: str) -> dict[str, int]:
    """Run axe on the page as it is now, save its report as test-artifacts/axe/<name>.json
    and return the serious and critical violations: rule -> number of elements."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    violations = results.response["violations"]
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    report = {
        "url": page.url,
        "headings": page.evaluate(HEADINGS),
        "axe": results.response.get("testEngine", {}).get("version"),
        "counts": {v["id"]: [v["impact"], len(v["nodes"])] for v in violations},
        "violations": violations,
    }
    (folder / f"{name}.json").write_text(json.dumps(report, indent=1))
    return {v["id"]: len(v["nodes"]) for v in violations if v["impact"] in FAILING}


def settled(page) -> None:
    """Wait for the app to finish drawing: its script run, and every element whose code
    the browser loads on first use (Streamlit shows a placeholder meanwhile)."""
    wait_for_app(page, timeout=90)
    page.locator("h1").first.wait_for(timeout=90_000)
    page.wait_for_function(f"() => !document.querySelector('{SKELETON}')", timeout=60_000)
    wait_for_app(page)


def open_page(page, url: str) -> None:
    page.goto(url)
    settled(page)


# Pages whose main content may skip a heading level (none now: Layer stack and Your
# classes, the last two, have level-2 sections since 2026-12-07).
HEADING_LEVEL_SKIPS: set[str] = set()


def main_heading_levels(page) -> list[int]:
    return [level for where, level, _ in page.evaluate(HEADINGS) if where == "main"]


@every_page
def test_page_as_it_opens(page, server_url, info):
    open_page(page, f"{server_url}/{info.url_path}")
    assert audit(page, info.name) == {}
    assert page.title() == f"{info.title} · ConvScope"  # each page named (WCAG 2.4.2)
    assert page.evaluate("() => document.documentElement.lang") == "en"
    levels = main_heading_levels(page)
    assert levels[:1] == [1] and levels.count(1) == 1, levels  # one h1, first
    if info.name not in HEADING_LEVEL_SKIPS:  # each heading at most one level deeper
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}

# The states a class uses, each opened from its link: (name, address, browser context).
STATES = [
    ("convolution-inspector", "/?view=inspector", {}),
    ("lesson-step-3", "/lesson?step=3", {}),
    ("convolution-presenter", "/?present=1", {}),
    ("lesson-presenter", "/lesson?present=1&step=2", {}),
    ("convolution-phone", "/", PHONE),
    ("lesson-phone", "/lesson?step=2", PHONE),
    # Pages whose pictures come after a run: a result on open from the link.
    ("real-networks-result", "/real_networks?net=resnet18&trained=0", {}),
    ("real-networks-filters", "/real_networks?net=resnet18&trained=0&view=filters", {}),
    ("network-why", "/network?view=why", {}),
    ("network-wants", "/network?view=wants", {}),
]


@pytest.mark.parametrize(("name", "address", "options"), STATES, ids=[s[0] for s in STATES])
def test_state_a_class_uses(browser, server_url, name, address, options):
    context = browser.new_context(**({"viewport": {"width": 1280, "height": 720}} | options))
    page = context.new_page()
    try:
        open_page(page, server_url + address)
        if name == "convolution-inspector":
            page.get_by_label("Output row").first.wait_for(timeout=30_000)
        assert audit(page, name) == {}
    finally:
        context.close()


def test_class_panel_open(page, server_url):
    open_page(page, server_url + "/lesson")
    page.get_by_role("button", name="Start a class").click()
    page.get_by_text("Class code", exact=False).first.wait_for(timeout=30_000)
    settled(page)
    assert audit(page, "class-panel") == {}


def _picture_png() -> bytes:
    """A small photo-like picture (a gradient with a bright square) as PNG bytes."""
    import cv2
    import numpy as np

    ramp = np.tile(np.linspace(0, 255, 160, dtype=np.uint8), (120, 1))
    ramp[40:80, 60:100] = 255
    ok, data = cv2.imencode(".png", np.dstack([ramp, ramp[::-1], np.full_like(ramp, 128)]))
    assert ok
    return data.tobytes()


def test_convolution_with_an_upload(page, server_url):
    open_page(page, server_url + "/")
    photo = {"name": "photo.png", "mimeType": "image/png", "buffer": _picture_png()}
    upload_file(page, photo, "Input: your upload")
    settled(page)
    assert audit(page, "convolution-upload") == {}


@pytest.mark.parametrize("right", [True, False], ids=["right", "wrong"])
def test_quiz_after_an_answer(page, server_url, right):
    from cnn_core.quiz import make_question

    open_page(page, server_url + "/quiz?kind=size&q=1")
    answer = make_question("size", 1).answer
    page.get_by_label("Your answer").fill(str(answer if right else answer + 1))
    page.get_by_role("button", name="Check").click()
    verdict = f"Right: {answer}." if right else f"the answer is {answer}."
    page.get_by_text(verdict).first.wait_for(timeout=30_000)
    settled(page)
    assert audit(page, f"quiz-answered-{'right' if right else 'wrong'}") == {}


def test_training_after_a_short_run(page, server_url):
    open_page(page, server_url + "/training")
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_text(re.compile(r"^Training: step")).first.wait_for(timeout=30_000)
    page.wait_for_function(  # a few steps drawn: curves and pictures of a trained network
        "() => Number((document.body.innerText.match(/step (\\d+), epoch/) || [0, 0])[1]) > 20",
        timeout=90_000,
    )
    page.get_by_role("button", name="Stop").click()
    page.get_by_text(re.compile(r"^Stopped: step")).first.wait_for(timeout=30_000)
    settled(page)
    assert audit(page, "training-after-run") == {}


def test_your_classes_after_training(page, server_url, tmp_path):
    from ..shapes_folder import CLASSES, make_shapes_folder

    folder = make_shapes_folder(tmp_path / "shapes", per_class=3)
    open_page(page, server_url + "/own_classes?names=" + ",".join(CLASSES))
    for name in CLASSES:
        page.get_by_role("radio", name=name, exact=True).first.dispatch_event("click")
        wait_for_app(page)
        page.locator('input[type="file"]').first.set_input_files(
            sorted(str(p) for p in (folder / name).iterdir())
        )
        page.get_by_text(re.compile(rf"^{name}: 3 pictures$")).first.wait_for(timeout=30_000)
        wait_for_app(page)
    page.get_by_role("button", name="Train").click()
    page.get_by_text("Held-out accuracy").first.wait_for(timeout=120_000)
    settled(page)
    assert audit(page, "own-classes-trained") == {}


def test_menu_marks_the_current_page_and_skips_to_the_content(page, server_url):
    open_page(page, server_url + "/pooling")
    menu = page.get_by_role("navigation", name="Pages")
    current = menu.locator('a[aria-current="page"]')
    assert current.count() == 1 and current.inner_text().strip().endswith("Pooling")
    assert menu.get_by_role("link").count() == len(registry.PAGES)
    # The first Tab reaches the skip link (Streamlit's own); following it puts the focus
    # on the main content, the next Tab on its first control.
    page.locator("body").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.tagName === 'MAIN'", timeout=10_000)
    # A link of the menu opens its page by keyboard, and the mark moves with it.
    menu.get_by_role("link", name="Lesson").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Lesson", level=1).wait_for(timeout=60_000)
    marked = "() => document.querySelector('a[aria-current=page]')?.textContent.endsWith('Lesson')"
    page.wait_for_function(marked, timeout=30_000)


@pytest.mark.parametrize("path", ["", "lesson"], ids=["convolution", "lesson"])
def test_screen_reader_view_is_saved_and_reads_in_order(page, server_url, path):
    """Playwright's aria snapshot (what a screen reader is given) saved as
    test-artifacts/aria/<page>.yml: the skip link first, the page's one level-1 heading
    before its content, the menu a navigation landmark."""
    open_page(page, f"{server_url}/{path}")
    snapshot = page.locator("body").aria_snapshot()
    folder = ARTIFACTS / "aria"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{path or 'convolution'}.yml").write_text(snapshot)
    lines = snapshot.splitlines()
    assert 'link "Skip to main content"' in lines[0]
    assert any('navigation "Pages"' in line for line in lines)
    headings = [line for line in lines if "heading " in line and "[level=1]" in line]
    assert len(headings) == 1, headings
    # Streamlit's sliders said their name twice ("Stride Stride"): app/shell/navigation.py
    doubled = [line for line in lines if re.search(r'slider "(.+) \1"', line)]
    assert not doubled, doubled
    # The main content reads in the order it is seen, each thing named: the title, the
    # labelled controls, the pictures described in numbers, the arithmetic in words.
    main = lines[lines.index("- main:") :]
    expected = READING_ORDER[path or "convolution"]
    found = [next((i for i, line in enumerate(main) if re.search(p, line)), None) for p in expected]
    missing = [p for p, i in zip(expected, found) if i is None]
    assert not missing, (missing, main)
    assert found == sorted(found), list(zip(expected, found))


NUMBERS = r"\d+ x \d+, from -?[\d.]+ to -?[\d.]+"  # "341 x 512, from -3.28 to 3.12"
READING_ORDER = {
    "convolution": [
        r'heading "Convolution" \[level=1\]',
        r'slider "Stride',
        r'slider "Dilation',
        r'radiogroup "Padding"',
        r'combobox "Padding mode"',
        r'img "Input, .*\d+ x \d+, gray, mean brightness [\d.]+',
        r'table "Kernel 3 x 3"',
        rf'img "Gray feature map, {NUMBERS}; strongest response at row \d+, column \d+',
        r'img "Colour scale: dark blue -[\d.]+, white 0, dark red \+[\d.]+"',
        r'img "H out = floor of \(\(341 \+ 1 \+ 1 minus 1 times \(3 minus 1\) minus 1\) over 1\)'
        r" \+ 1 = 341",
        r'radiogroup "Look closer"',
    ],
    "lesson": [
        r'heading "Lesson" \[level=1\]',
        r'heading "1\. .+" \[level=2\]',
        r'button "Next"',
        r'img "Picture, \d+ x \d+, gray, mean brightness [\d.]+',
        r'img "fully connected weights = \d+ times \d+ times 1000 = [\d,]+"',
    ],
}


def test_less_motion_when_the_reader_asks_for_it(browser, server_url):
    """prefers-reduced-motion: the sidebar stops sliding (and nothing else animates)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, reduced_motion="reduce")
    page = context.new_page()
    try:
        open_page(page, server_url + "/?present=1")
        durations = page.evaluate(
            """() => getComputedStyle(document.querySelector('[data-testid="stSidebar"]'))
                       .transitionDuration.split(", ")"""
        )
        seconds = [float(d[:-2]) / 1000 if d.endswith("ms") else float(d[:-1]) for d in durations]
        assert max(seconds) <= 0.001, durations
    finally:
        context.close()


# The Your model page with a result: a model opened by name (ResNet-18, random weights)
# on the sample photo, in each view named here, and a small ONNX file uploaded.
YOUR_MODEL_VIEWS = {
    "stages": "of its 1,000 classes",  # the top classes and every stage's maps
    "table": "parameters in total",  # the layer table
}


@pytest.mark.parametrize("view", list(YOUR_MODEL_VIEWS))
def test_your_model_by_name_with_a_result(page, server_url, view):
    open_page(page, f"{server_url}/your_model?arch=resnet18&view={view}")
    page.get_by_text(YOUR_MODEL_VIEWS[view]).first.wait_for(timeout=90_000)
    settled(page)
    assert audit(page, f"your-model-{view}") == {}


def test_your_model_after_an_onnx_upload(page, server_url, tmp_path):
    import torch
    from torch import nn

    torch.manual_seed(0)
    net = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(4, 3),
    ).eval()
    model = tmp_path / "tiny.onnx"
    torch.onnx.export(net, torch.zeros(1, 3, 32, 32), str(model), dynamo=False)
    open_page(page, f"{server_url}/your_model?kind=file")
    zone = page.locator('[data-testid="stFileUploader"]').filter(has_text="Model file")
    zone.locator('input[type="file"]').set_input_files(str(model))
    page.get_by_text("of its 3 classes").first.wait_for(timeout=90_000)
    settled(page)
    assert audit(page, "your-model-onnx") == {}
