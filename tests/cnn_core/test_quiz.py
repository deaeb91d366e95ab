"""Quiz questions judged against torch, for many random seeds."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnn_core.quiz import (
    KERNEL_POOL,
    QUIZ_KINDS,
    answer_spread,
    is_right,
    make_question,
    read_number,
)

SEEDS = range(300)


def torch_size(q) -> int:
    x = torch.zeros(1, 1, q.size, q.size)
    w = torch.zeros(1, 1, q.kernel, q.kernel)
    out = F.conv2d(x, w, stride=q.stride, padding=q.padding, dilation=q.dilation)
    return out.shape[-1]


def torch_pooled(q) -> float:
    x = torch.from_numpy(q.grid)[None, None]
    pool = F.max_pool2d if q.mode == "max" else F.avg_pool2d
    return float(pool(x, q.size)[0, 0, q.row, q.col])


def test_output_size_questions_are_judged_by_torchs_shape():
    for seed in SEEDS:
        q = make_question("size", seed)
        expected = torch_size(q)
        assert expected >= 1
        assert is_right(q, str(expected))
        assert is_right(q, f" {expected} ")
        assert not is_right(q, str(expected + 1))
        assert not is_right(q, str(expected - 1))
        assert q.worked().result == expected


def test_pooled_value_questions_are_judged_by_torchs_pool():
    for seed in SEEDS:
        q = make_question("pool", seed)
        expected = torch_pooled(q)
        assert is_right(q, f"{expected:.2f}")
        assert is_right(q, f"{expected:.2f}".replace(".", ","))
        assert not is_right(q, f"{expected + 0.25:.2f}")
        window = q.worked()
        assert window.result == pytest.approx(expected)
        rows = slice(q.row * q.size, (q.row + 1) * q.size)
        cols = slice(q.col * q.size, (q.col + 1) * q.size)
        assert sorted(window.terms.tolist()) == sorted(q.grid[rows, cols].ravel().tolist())
        assert window.divisor == (1 if q.mode == "max" else q.size**2)


def test_an_average_typed_as_a_fraction_is_right():
    q = next(
        make_question("pool", s)
        for s in range(1000)
        if make_question("pool", s).mode == "avg" and make_question("pool", s).size == 3
    )
    total = int(q.worked().terms.sum())
    assert is_right(q, f"{total}/9")
    assert not is_right(q, f"{total + 1}/9")


def test_kernel_questions_offer_four_names_with_the_answer():
    answers = set()
    for seed in SEEDS:
        q = make_question("kernel", seed)
        assert len(set(q.choices)) == 4 and set(q.choices) <= set(KERNEL_POOL)
        assert q.kernel in q.choices
        assert is_right(q, q.kernel)
        assert not any(is_right(q, other) for other in q.choices if other != q.kernel)
        answers.add(q.kernel)
    assert answers == set(KERNEL_POOL)  # every kernel comes up


@pytest.mark.parametrize("kind", QUIZ_KINDS)
def test_the_same_seed_draws_the_same_question(kind):
    first, again = make_question(kind, 7), make_question(kind, 7)
    if kind == "pool":
        assert np.array_equal(first.grid, again.grid) and first.row == again.row
    else:
        assert first == again


def test_answers_that_are_not_numbers_are_wrong_not_errors():
    q = make_question("size", 0)
    for text in ("", "twelve", "1e400x", "3/0", "--2", "1,2,3"):
        assert not is_right(q, text)
    assert read_number("37/9") == pytest.approx(37 / 9)
    assert read_number("4,25") == 4.25
    with pytest.raises(ValueError, match="kind must be one of"):
        make_question("nope", 1)


def test_the_spread_counts_equal_answers_together_and_marks_the_right_one():
    q = make_question("size", 3)
    right = str(q.answer)
    rows = answer_spread(q, [right, f"{right}.0", "2", "x", right])
    assert rows[0].answer == right and rows[0].count == 3 and rows[0].right
    assert {(r.answer, r.count, r.right) for r in rows[1:]} == {
        ("2", 1, q.answer == 2),
        ("(not a number)", 1, False),
    }
