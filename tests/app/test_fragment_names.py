"""A page's fragments keep their names from run to run while what stands above them
comes and goes.

Streamlit names a fragment (the part of a page a change reruns alone) by where the page
draws it. When a note, a message or a notice above it came or went, the next run of the
whole page drew it one place higher or lower, under a new name, and a change made in it
before the browser had that run named the old one and was dropped (it is now run as a
whole page, ``streamlit_internals.rerun_lost_fragments_in_full``). Such lines are drawn
in slots that are on the page on every run, full or empty (``page_frame.fixed_slot``).

Each test runs a page into a state with such a line and out of it, and compares the ids
Streamlit made for the page's fragments (read where Streamlit makes them) on both runs.
The browser test ``tests/e2e/test_fragment_name_browser.py`` reads them where the
browser sends them, on the Pooling page.
"""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest
from PIL import Image
from streamlit.runtime import fragment

from app.shell.url_state import generation_key, setting_key

from .conftest import assert_clean, run_app
from .test_classroom_shell import button, start_class


@pytest.fixture
def made(monkeypatch) -> dict[str, list[str]]:
    """The ids Streamlit gives the fragments drawn, by the fragment's function name, in
    the order drawn, since the last ``clear()``.

    Read where a session stores a fragment under its id (``MemoryFragmentStorage.register``,
    called by the wrapper ``st.fragment`` puts around the page's function, which holds
    that function as ``non_optional_func``): the same in every Streamlit of the tested
    range (1.66 computes the id inline, 1.67 in a helper of its own)."""
    ids: dict[str, list[str]] = {}
    original = fragment.MemoryFragmentStorage.register

    def recorded(storage, key, *args, **kwargs):
        drawn = sys._getframe(1).f_locals["non_optional_func"]
        ids.setdefault(drawn.__qualname__, []).append(key)
        return original(storage, key, *args, **kwargs)

    monkeypatch.setattr(fragment.MemoryFragmentStorage, "register", recorded)
    return ids


def run_ids(at, made) -> dict[str, list[str]]:
    """Run ``at`` once (the whole page) and return the fragment ids that run made."""
    made.clear()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return dict(made)


def photo_png(height: int = 30, width: int = 40) -> bytes:
    pixels = np.random.default_rng(1).integers(0, 256, (height, width, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def key(at, page: str, name: str) -> str:
    """The widget key of setting ``name`` of ``page`` in this session now."""
    return setting_key(page, name, at.session_state.get(generation_key(page), 0))


@pytest.mark.parametrize(("page", "prefix"), [("pooling", "pool"), ("convolution", "conv")])
def test_the_workspace_keeps_its_name_when_the_upload_comes(made, page, prefix):
    """With Upload chosen and no file yet, a note stands above the workspace; the
    upload's run has none."""
    at = run_app(page)
    at.radio(key=f"{prefix}_source").set_value("Upload")
    waiting = run_ids(at, made)
    assert any("until you upload an image" in i.value for i in at.info)
    at.file_uploader(key=f"{prefix}_upload").set_value(("photo.png", photo_png(), "image/png"))
    uploaded = run_ids(at, made)
    assert not at.info
    assert_clean(at)
    assert len(waiting["_workspace"]) == 1
    assert uploaded["_workspace"] == waiting["_workspace"]


def test_the_workspace_keeps_its_name_after_a_message_about_the_image(made):
    """A file that is no image gets an error above the workspace; a good one none."""
    at = run_app()
    at.radio(key="conv_source").set_value("Upload").run()
    at.file_uploader(key="conv_upload").set_value(("photo.png", b"%PDF-1.4", "image/png"))
    refused = run_ids(at, made)
    assert any("Showing the sample instead" in e.value for e in at.error)
    at.file_uploader(key="conv_upload").set_value(("photo.png", photo_png(), "image/png"))
    used = run_ids(at, made)
    assert_clean(at)
    assert used["_workspace"] == refused["_workspace"]


def test_the_workspace_keeps_its_name_after_the_links_notice(made):
    """A link with a setting that cannot be used gets a notice on its first run only."""
    made.clear()
    at = run_app("pooling", size=9)
    first = dict(made)
    assert any("could not be used" in w.value for w in at.warning)
    again = run_ids(at, made)
    assert not at.warning
    assert first["_workspace"] and again == first


def test_the_sliding_windows_stepper_keeps_its_name_when_the_grid_changes(made):
    """A crop of the image brings its sliders above the stepper; the lecture grid none."""
    at = run_app(view="sliding", sw="crop", res=128)
    made.clear()
    at.run()
    crop = dict(made)
    assert any(s.label == "Crop size" for s in at.slider)
    at.radio(key=key(at, "conv", "sw")).set_value("lecture")
    lecture = run_ids(at, made)
    assert not any(s.label == "Crop size" for s in at.slider)
    assert_clean(at)
    assert len(crop["_stepper"]) == 1
    assert lecture == crop


def test_trainings_live_part_keeps_its_name_when_the_settings_change(made):
    """A setting changed after the run was built gets a note above the live part."""
    at = run_app("training")
    made.clear()
    at.run()
    built = dict(made)
    at.select_slider(key=key(at, "train", "lr")).set_value("0.01")
    changed = run_ids(at, made)
    assert any("The settings changed" in i.value for i in at.info)
    assert len(built["_draw"]) == 1
    assert changed == built


def test_a_students_workspace_keeps_its_name_when_the_student_leaves(made):
    """Following a class puts a line above every page; leaving takes it away."""
    teacher, code = start_class()
    student = run_app(**{"class": code})
    student.run()  # the follow takes the teacher's view
    following = run_ids(student, made)
    assert any(f"Following the teacher (class {code})" in c.value for c in student.caption)
    button(student, "Leave, explore on my own").click()
    left = run_ids(student, made)
    assert not any("Following the teacher" in c.value for c in student.caption)
    assert following["_workspace"] and left == following


def test_a_students_workspace_keeps_its_name_when_the_class_ends(made):
    """The run after a class ends says so above the page; the next one does not."""
    teacher, code = start_class()
    student = run_app(**{"class": code})
    student.run()
    button(teacher, "End the class").click().run()
    ended = run_ids(student, made)
    assert any(f"Class {code} has ended." in w.value for w in student.warning)
    after = run_ids(student, made)
    assert not student.warning
    assert ended["_workspace"] and after == ended
