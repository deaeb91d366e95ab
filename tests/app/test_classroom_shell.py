"""Around every page: presenter mode kept in the URL, the share link and its QR code, and
class sessions (start, join by link or code, follow, leave, rejoin, share a picture)."""

from __future__ import annotations

import io
import re

import numpy as np
from PIL import Image

from app.shell.class_session.class_store import CODE_LETTERS, MemoryStore, normalise_code
from app.shell.share import OPEN as SHARE_OPEN

from ..qr_reading import read_qr
from .conftest import assert_clean, described_pictures, page_path, page_title, run_app, setting

PRESENTER_CSS = "font-size: 133%"


def presenter_css(at) -> bool:
    return any(PRESENTER_CSS in e.proto.body for e in at.get("html"))


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_presenter_mode_stays_in_the_url_from_page_to_page():
    at = run_app("lesson", present=1)
    assert presenter_css(at)
    at.switch_page(page_path("pooling")).run()
    assert_clean(at)
    assert page_title(at) == "Pooling"
    assert at.query_params["present"] == "1"
    assert presenter_css(at)
    at.toggle(key="_present_toggle").set_value(False).run()
    assert "present" not in at.query_params
    assert not presenter_css(at)


def test_without_presenter_mode_the_style_is_the_ordinary_one():
    at = run_app("quiz")
    assert not presenter_css(at)
    at.toggle(key="_present_toggle").set_value(True).run()
    assert at.query_params["present"] == "1" and presenter_css(at)


def test_share_link_holds_this_views_settings_and_its_qr_code_reads_back():
    at = run_app("pooling", size=3, mode="avg")
    # closed, the panel sends neither the link nor its QR code
    assert not [c for c in at.code if "pooling" in c.value]
    assert not [e for e in at.get("html") if "cs-qr" in e.proto.body]
    at.session_state[SHARE_OPEN] = True
    at.run()
    link = next(c.value for c in at.code if "pooling" in c.value)
    assert link.startswith("http") and "/pooling?" in link
    assert "size=3" in link and "mode=avg" in link
    svg = next(e.proto.body for e in at.get("html") if "cs-qr" in e.proto.body)
    assert read_qr(svg) == link  # decoded by OpenCV, not by the library that drew it


def test_codes_are_short_readable_and_typed_codes_normalised():
    store = MemoryStore()
    codes = {store.create()[0] for _ in range(50)}
    assert all(len(code) == 4 and set(code) <= set(CODE_LETTERS) for code in codes)
    assert not set("0O1IL5S2Z") & set(CODE_LETTERS)
    code = next(iter(codes))
    assert normalise_code(f" {code.lower()[:2]}-{code.lower()[2:]} ") == code
    assert normalise_code("AB") is None and normalise_code("ABC0") is None


def start_class(page: str = "convolution", **params):
    at = run_app(None if page == "convolution" else page, **params)
    button(at, "Start a class").click().run()
    code = at.session_state["_class_teaching"][0]
    qr = [e.proto.body for e in at.get("html") if "cs-qr" in e.proto.body]
    assert any(read_qr(svg).endswith(f"/?class={code}") for svg in qr)
    return at, code


def test_a_student_joining_by_link_sees_the_teachers_page_and_settings():
    teacher, code = start_class("pooling")
    teacher.slider(key="pool_size").set_value(3).run()
    student = run_app(**{"class": code})
    student.run()  # the follow fragment switches to the teacher's view
    for _ in range(10):
        if page_title(student) == "Pooling":
            break
        student.run()
    assert page_title(student) == "Pooling"
    assert setting(student, "pool", "size") == 3
    assert any(f"Following the teacher (class {code})" in c.value for c in student.caption)


def test_a_student_joining_by_code_then_leaving_and_rejoining():
    teacher, code = start_class()
    student = run_app("quiz")
    form_input = next(t for t in student.text_input if t.label == "Class code")
    form_input.input(code.lower())
    button(student, "Join").click().run()
    assert student.session_state["_class_following"]["code"] == code
    button(student, "Leave, explore on my own").click().run()
    assert "_class_following" not in student.session_state
    button(student, f"Rejoin class {code}").click().run()
    assert student.session_state["_class_following"]["code"] == code


def test_joining_a_class_that_does_not_exist_says_so():
    student = run_app()
    next(t for t in student.text_input if t.label == "Class code").input("QQQQ")
    button(student, "Join").click().run()
    assert not student.exception
    assert "There is no class 'QQQQ' running here." in [e.value for e in student.error]


def test_the_teachers_upload_stays_private_until_shared():
    teacher, code = start_class()
    picture = Image.fromarray((np.random.default_rng(0).random((64, 80, 3)) * 255).astype("uint8"))
    data = io.BytesIO()
    picture.save(data, format="PNG")
    from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

    teacher.radio(key="conv_source").set_value("Upload").run()
    teacher.session_state["conv_upload"] = UploadedFile(
        UploadedFileRec("1", "mine.png", "image/png", data.getvalue()), None
    )
    teacher.run()
    assert any("Input: your upload" in c for c in image_captions(teacher))
    student = run_app(**{"class": code})
    student.run()
    assert not any("teacher's picture" in c for c in image_captions(student))
    teacher.toggle(key="_class_sharing").set_value(True).run()
    student.run()
    assert any("Input: the teacher's picture" in c for c in image_captions(student))


def image_captions(at) -> list[str]:
    return [caption for _, caption in described_pictures(at)]


def test_ending_the_class_tells_the_students():
    teacher, code = start_class()
    student = run_app(**{"class": code})
    button(teacher, "End the class").click().run()
    student.run()
    assert any(f"Class {code} has ended." in w.value for w in student.warning)
    assert re.fullmatch(r"[A-Z]{4}", code)


def test_a_paused_class_shows_its_students_a_notice_instead_of_the_page():
    teacher, code = start_class("pooling")
    student = run_app(**{"class": code})
    assert page_title(student) == "Pooling"
    teacher.toggle(key="_class_paused").set_value(True).run()
    student.run()
    assert any("paused the class" in i.value for i in student.info)
    assert page_title(student) == "Pooling" and not student.slider, "only the title is drawn"
    assert any(b.label == "Leave, explore on my own" for b in student.button)
    teacher.toggle(key="_class_paused").set_value(False).run()
    student.run()
    assert not any("paused the class" in i.value for i in student.info)
    assert page_title(student) == "Pooling"
    assert_clean(student)


def test_the_teacher_sees_how_many_follow_now_and_how_many_left():
    teacher, code = start_class()
    students = [run_app(**{"class": code}) for _ in range(2)]
    teacher.run()
    assert any(c.value == "2 students following now." for c in teacher.caption)
    button(students[0], "Leave, explore on my own").click().run()
    teacher.run()
    assert any(c.value == "1 student following now, 1 left to explore." for c in teacher.caption)


def test_a_student_never_gets_the_teachers_controls():
    teacher, code = start_class()
    student = run_app(**{"class": code})
    labels = {b.label for b in student.button} | {t.label for t in student.toggle}
    assert not labels & {"End the class", "Pause the class", "Share my picture with the class"}
    assert "_class_teaching" not in student.session_state
