"""A class in real browsers: a teacher and three students, the students' screens following
the teacher's page and settings; in one server's memory, and through a real Redis shared
by two app processes (teacher and students on different replicas)."""

from __future__ import annotations

import json
import re
import time

import pytest

from .conftest import (
    ARTIFACTS,
    app_server,
    error_texts,
    redis_url,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.browser
FOLLOW_WAIT = 20.0  # seconds a student may take before the test calls it lost


def wait_until(check, what: str, timeout: float = FOLLOW_WAIT) -> float:
    """Seconds until ``check()`` held; fails naming ``what`` after ``timeout``."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout:
            pytest.fail(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(0.05)
    return time.monotonic() - start


def href(page) -> str:
    """The tab's address now (``page.url`` only updates while Playwright is called)."""
    return page.evaluate("() => location.href")


def start_class(teacher) -> str:
    teacher.get_by_role("button", name="Start a class").click()
    line = teacher.get_by_text(re.compile(r"^Class code [A-Z]{4}$")).first
    line.wait_for(timeout=30_000)
    wait_for_app(teacher)
    return line.inner_text().split()[-1]


def join(browser, base: str, code: str, *, phone: bool = False):
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 800}
    context = browser.new_context(viewport=viewport, is_mobile=phone)
    student = context.new_page()
    student.goto(f"{base}/?class={code}")
    wait_for_app(student)
    student.get_by_text(f"Following the teacher (class {code})").first.wait_for(timeout=30_000)
    return student


def run_a_class(browser, teacher_base: str, student_bases: list[str], name: str) -> dict:
    teacher_context = browser.new_context(viewport={"width": 1280, "height": 800})
    teacher = teacher_context.new_page()
    teacher.goto(teacher_base + "/")
    wait_for_app(teacher)
    code = start_class(teacher)
    students = [
        join(browser, base, code, phone=index == 2) for index, base in enumerate(student_bases)
    ]
    delays = {}

    # The teacher moves the stride slider: every student's page takes stride 2.
    wait_for_app(teacher)
    teacher.get_by_role("slider", name="Stride").first.focus()
    teacher.keyboard.press("ArrowRight")
    wait_until(lambda: "stride=2" in href(teacher), "the teacher's stride change")
    delays["stride"] = [
        wait_until(lambda s=s: "stride=2" in href(s), "a student following the stride")
        for s in students
    ]
    # The teacher opens the lesson and goes one step on: every student is on step 2.
    teacher.get_by_role("link", name="Lesson").first.click()
    wait_for_app(teacher)
    teacher.get_by_role("button", name="Next").first.click()
    wait_for_app(teacher)
    delays["lesson"] = [
        wait_until(lambda s=s: "/lesson" in href(s) and "step=2" in href(s), "following the lesson")
        for s in students
    ]
    # One student leaves to explore; the others keep following; the leaver rejoins.
    leaver = students[0]
    leaver.get_by_role("button", name="Leave, explore on my own").click()
    wait_for_app(leaver)
    teacher.get_by_role("button", name="Next").first.click()
    wait_for_app(teacher)
    for student in students[1:]:
        wait_until(lambda s=student: "step=3" in href(s), "following after another left")
    time.sleep(1.5)
    assert "step=2" in href(leaver)  # the leaver stays where they were
    leaver.get_by_role("button", name=f"Rejoin class {code}").click()
    delays["rejoin"] = [wait_until(lambda: "step=3" in href(leaver), "the rejoined student")]
    for index, student in enumerate(students):
        wait_for_app(student)
        assert error_texts(student) == []
        screenshot(student, f"{name}-student-{index + 1}")
    screenshot(teacher, f"{name}-teacher")
    assert error_texts(teacher) == []
    teacher_context.close()
    for student in students:
        student.context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}-follow-seconds.json").write_text(json.dumps(delays, indent=1))
    return delays


def test_three_students_follow_the_teacher_on_one_server(browser, server_url):
    delays = run_a_class(browser, server_url, [server_url] * 3, "class-memory")
    print("follow delays (s):", delays)


def test_students_on_another_replica_follow_through_redis(browser):
    with redis_url() as url:
        env = {"CONVSCOPE_REDIS_URL": url}
        with app_server(env, "replica-a") as first, app_server(env, "replica-b") as second:
            delays = run_a_class(browser, first, [second, second, first], "class-redis")
    print("follow delays through Redis (s):", delays)
