"""Formulas read by a screen reader: each line is labelled with its arithmetic in words."""

import re

from app.widgets.numbers.formula import formula_block, output_size_line, spoken
from cnn_core.geometry import output_size_arithmetic


def test_the_output_size_formula_is_said_in_words():
    size = output_size_arithmetic(7, 3, stride=2, before=1)
    line = output_size_line("H", size)
    assert spoken(line) == (
        "H out = floor of ((7 + 1 + 1 minus 1 times (3 minus 1) minus 1) over 2) + 1 = 4"
    )
    block = formula_block([line], "a note")
    (label,) = re.findall(r'<div role="img" aria-label="([^"]*)"><div>', block)
    assert label == spoken(line)


def test_a_written_division_is_said_as_one():
    # the Lesson's ratio line (a screen reader says "slash" for "/")
    assert spoken("ratio = 43,776,000 / 400 = 109,440") == (
        "ratio = 43,776,000 divided by 400 = 109,440"
    )
