"""A newcomer's main path with the keyboard only (issue 25): on the Convolution page choose
a sample picture and a kernel, change the stride, inspect a pixel of the feature map;
then open the Lesson and step it forward; then the Quiz and answer its question.

Only ``page.keyboard`` drives the app (Tab, Shift+Tab, Enter, arrow keys, typing): no
click, no ``fill``. The focus is followed through ``document.activeElement``, and every
control the walk stops on must draw a visible focus ring (an outline or a box-shadow,
read from the computed style of the element that shows the control). Each step checks
what the user would see change: the address, the feature map's text alternative, the
inspector's fields, the lesson's step heading, the quiz's verdict.
"""

from __future__ import annotations

import re

import pytest

from app.shell.settings.kernel_choice import pretty_name
from app.widgets.sources.image_source import sample_keys
from cnn_core.quiz import make_question

from .conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

# The focused element, and whether the element that shows it draws a ring: the element
# itself, or (a hidden radio, checkbox or slider input; a text field inside its box) the
# nearest visible ancestor, at most three levels up, that draws one.
FOCUS = """() => {
  const active = document.activeElement;
  const ring = (e) => {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    if (r.width < 8 || r.height < 8) return false;
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
    return outline || s.boxShadow !== "none";
  };
  let shown = null, e = active;
  for (let i = 0; e && i < 4; i++, e = e.parentElement) if (ring(e)) { shown = e; break; }
  const label = active.getAttribute("aria-label") ||
    (active.labels && active.labels[0] && active.labels[0].textContent) ||
    active.textContent || active.alt || "";
  return { tag: active.tagName, role: active.getAttribute("role"),
           type: active.getAttribute("type"), label: label.trim().slice(0, 80),
           alt: active.alt || "", ring: !!shown };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUS)


def settle(page) -> None:
    wait_for_app(page, timeout=90)


def tab_to(page, wanted, *, back: bool = False, limit: int = 150) -> dict:
    """Press Tab (Shift+Tab with ``back``) until ``wanted(focus)`` holds; every stop on
    the way must show a focus ring. Returns the focus reached."""
    key = "Shift+Tab" if back else "Tab"
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if now["tag"] not in ("BODY", "MAIN"):  # the skip link's target draws no ring
            assert now["ring"], f"no visible focus on {now}"
        seen.append(now["label"] or now["tag"])
        if wanted(now):
            return now
    raise AssertionError(f"never reached the control; the focus went through {seen}")


def labelled(text: str, tag: str | None = None):
    return lambda f: f["label"] == text and (tag is None or f["tag"] == tag)


def feature_map_alt(page) -> str:
    return page.locator("img.convscope-clickable").first.get_attribute("alt")


def wait_for_url(page, pattern: str) -> None:
    page.wait_for_url(re.compile(pattern), timeout=60_000)


def choose_in_selectbox(page, option: str) -> None:
    """A focused selectbox: type the start of the option's label, Enter takes it."""
    page.keyboard.type(option[:12])
    page.get_by_role("option", name=option).first.wait_for(timeout=10_000)
    page.keyboard.press("Enter")


def test_newcomer_path_by_keyboard_only(page, server_url):
    page.goto(server_url + "/")
    page.locator("h1").first.wait_for(timeout=90_000)
    page.locator("img.convscope-clickable").first.wait_for(timeout=90_000)
    settle(page)
    first = feature_map_alt(page)
    assert first.startswith("Gray feature map, 341 x 512"), first

    # The first Tab reaches the skip link.
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Skip to main content"

    # A sample picture: the sidebar's Sample selectbox.
    sample = "checkerboard"
    assert sample in sample_keys()
    tab_to(page, lambda f: f["role"] == "combobox" and f["label"] == "Sample")
    choose_in_selectbox(page, "Checkerboard")
    wait_for_url(page, rf"sample={sample}")
    settle(page)
    after_sample = feature_map_alt(page)
    assert after_sample != first and "feature map" in after_sample

    # A kernel: the Kernel selectbox, further down the sidebar.
    kernel = "laplacian"
    tab_to(page, lambda f: f["role"] == "combobox" and f["label"] == "Kernel")
    choose_in_selectbox(page, pretty_name(kernel))
    wait_for_url(page, rf"kernel={kernel}")
    settle(page)
    after_kernel = feature_map_alt(page)
    assert after_kernel != after_sample

    # The stride: its slider in the main content, one step right.
    size = re.search(r"(\d+) x (\d+)", after_kernel).groups()
    tab_to(page, lambda f: f["type"] == "range" and f["label"] == "Stride")
    page.keyboard.press("ArrowRight")
    wait_for_url(page, r"stride=2")
    settle(page)
    after_stride = feature_map_alt(page)
    halved = tuple(str((int(n) + 1) // 2) for n in size)  # same padding: ceil(n / 2)
    assert re.search(r"(\d+) x (\d+)", after_stride).groups() == halved, after_stride

    # A pixel of the map: the map is a Tab stop, the arrows move a cursor, Enter inspects.
    on_map = tab_to(page, lambda f: f["tag"] == "IMG" and "feature map" in f["alt"])
    marked = re.search(r"the box marks row (\d+), column (\d+)", on_map["alt"])
    row, col = (int(n) for n in marked.groups())
    cursor = page.locator(".convscope-where").first
    assert f"row {row}, column {col}" in cursor.inner_text()  # shown while focused
    # Up and left: the marked pixel can sit on the map's last column, never on row 0.
    assert row >= 2 and col >= 3, (row, col)
    for key in ("ArrowUp", "ArrowUp", "ArrowLeft", "ArrowLeft", "ArrowLeft"):
        page.keyboard.press(key)
    row, col = row - 2, col - 3
    assert f"row {row}, column {col}" in cursor.inner_text()
    page.keyboard.press("Enter")
    wait_for_url(page, r"view=inspector")
    settle(page)
    wait_for_url(page, rf"row={row}(&|$)")
    assert f"col={col}" in page.url
    inspected = feature_map_alt(page)
    assert f"the box marks row {row}, column {col}:" in inspected, inspected
    assert page.get_by_label("Output row").first.input_value() == str(row)
    assert page.get_by_label("Output column").first.input_value() == str(col)
    screenshot(page, "keyboard-walk-inspector")

    # The Lesson: back up to the page menu, Enter on its link; Next steps it forward.
    tab_to(page, labelled("schoolLesson", "A"), back=True)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Lesson", level=1).wait_for(timeout=60_000)
    settle(page)
    step_one = page.get_by_role("heading", level=2).first.inner_text()
    assert step_one.startswith("1. "), step_one
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["label"].endswith("Next"))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile(r"^2\. ")).wait_for(timeout=60_000)
    wait_for_url(page, r"step=2")
    settle(page)

    # The Quiz: its link, then type the answer and Enter on Check.
    tab_to(page, labelled("quizQuiz", "A"), back=True)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Quiz", level=1).wait_for(timeout=60_000)
    settle(page)
    question = make_question("size", 1)  # the page's first question (kind size, q=1)
    tab_to(page, lambda f: f["tag"] == "INPUT" and f["label"] == "Your answer")
    page.keyboard.type(str(question.answer))
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["label"] == "Check")
    page.keyboard.press("Enter")
    verdict = page.get_by_text(f"Right: {question.answer}.")
    verdict.wait_for(timeout=60_000)
    screenshot(page, "keyboard-walk-quiz")
