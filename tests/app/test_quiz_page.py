"""The Quiz page: answers judged on the page, the worked answer's arithmetic, the score,
and a class: students answer the teacher's question, the teacher sees the spread."""

from __future__ import annotations

import re

import pytest
import torch
import torch.nn.functional as F

from cnn_core.kernels import kernel_label
from cnn_core.quiz import make_question

from ..printed_arithmetic import check_printed
from .conftest import assert_clean, described_pictures, run_app


def html_text(at, marker: str) -> str:
    return next(e.proto.body for e in at.get("html") if marker in e.proto.body)


def answer(at, text):
    at.text_input[0].input(text)
    at.button[0].click().run()  # the form's Check button comes first
    return at


@pytest.mark.parametrize("seed", [0, 5, 11, 23])
def test_output_size_answered_right_with_the_worked_formula(seed):
    q = make_question("size", seed)
    expected = F.conv2d(
        torch.zeros(1, 1, q.size, q.size),
        torch.zeros(1, 1, q.kernel, q.kernel),
        stride=q.stride,
        padding=q.padding,
        dilation=q.dilation,
    ).shape[-1]
    at = answer(run_app("quiz", kind="size", q=seed), str(expected))
    assert_clean(at)
    assert at.success[0].value == f"Right: {expected}."
    formula = html_text(at, "cs-formula")
    line = re.findall(r"<div>(.*?= <b>\d+</b>)</div>", formula)[-1]
    assert check_printed(line) == expected
    assert "This session: 1 of 1 answered right." in [c.value for c in at.caption]


@pytest.mark.parametrize("seed", [1, 2, 8])
def test_pooled_value_answered_wrong_shows_the_right_value_and_its_sum(seed):
    q = make_question("pool", seed)
    pool = F.max_pool2d if q.mode == "max" else F.avg_pool2d
    expected = float(pool(torch.from_numpy(q.grid)[None, None], q.size)[0, 0, q.row, q.col])
    at = answer(run_app("quiz", kind="pool", q=seed), f"{expected + 1:.2f}")
    assert_clean(at)
    warning = at.warning[0].value
    shown = float(re.search(r"the answer is ([\d.]+)", warning)[1])
    assert shown == pytest.approx(expected, abs=0.005)
    sum_line = re.search(r'<p class="cs-quiz-pool"[^>]*>(.*?)</p>', html_text(at, "cs-quiz-pool"))[
        1
    ]
    assert check_printed(sum_line) == pytest.approx(expected, abs=0.005)
    assert "This session: 0 of 1 answered right." in [c.value for c in at.caption]


def test_kernel_question_answered_on_the_page():
    q = make_question("kernel", 4)
    at = run_app("quiz", kind="kernel", q=4)
    at.radio[0].set_value(q.kernel)
    at.button[0].click().run()
    assert_clean(at)
    assert at.success[0].value == f"Right: {kernel_label(q.kernel)}."
    # the picture, its map, and the four candidates' maps
    assert len(described_pictures(at)) == 6


def test_nonsense_answers_get_a_message_and_the_page_goes_on():
    at = run_app("quiz", kind="size", q=3)
    at = answer(at, "twelve")
    assert_clean(at)
    assert "is not a number" in at.info[0].value
    at = answer(at, "")
    assert "Choose or type an answer first." in at.info[0].value
    right = make_question("size", 3).answer
    at = answer(at, str(right))
    assert at.success[0].value == f"Right: {right}."


def test_new_question_changes_the_seed_in_the_url():
    at = run_app("quiz", kind="pool", q=3)
    [b for b in at.button if b.label == "New question"][0].click().run()
    assert at.query_params.get("q") != "3"
    assert at.query_params["kind"] == "pool"


def test_bad_quiz_links_fall_back_with_a_notice():
    at = run_app("quiz", kind="nonsense", q="-4")
    assert_clean(at)
    assert "`kind` must be one of" in at.warning[0].value
    assert "`q` must be a whole number" in at.warning[0].value


def test_students_answers_reach_the_teachers_spread():
    teacher = run_app("quiz", kind="size", q=9)
    [b for b in teacher.button if b.label == "Start a class"][0].click().run()
    code = teacher.session_state["_class_teaching"][0]
    teacher.run()
    assert "No answers from the class yet." in [i.value for i in teacher.info]
    right = str(make_question("size", 9).answer)
    for given in (right, right, "1"):
        student = run_app("quiz", kind="size", q=9, **{"class": code})
        assert student.session_state["_class_following"]["code"] == code
        answer(student, given)
    teacher.run()
    assert_clean(teacher)
    markdown = " ".join(m.value for m in teacher.markdown)
    assert "**3 answered**, 2 right." in markdown
    bars = html_text(teacher, "cs-probs")
    assert f"✓ {right}" in bars and "66.7%" in bars and "33.3%" in bars
