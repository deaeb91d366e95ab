"""Quiz questions drawn from random settings, and the judging of answers.

Three kinds, each reproducible from a seed so a whole class can get the same one:

- ``size``: the output size of a convolution (input, kernel, stride, padding, dilation);
  the answer and its worked formula are ``output_size_arithmetic`` (the number
  ``conv_output_size`` gives).
- ``pool``: one value of a max- or average-pooled grid of small whole numbers; the answer
  is ``pool2d`` at that cell and the worked arithmetic its ``pool_window``.
- ``kernel``: which of four library kernels made a feature map (of a picture the page
  chooses by ``picture``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .geometry import OutputSize, output_size_arithmetic
from .pool import pool2d
from .window import PoolWindow, pool_window

QUIZ_KINDS = ("size", "pool", "kernel")
# Kernels whose maps look different enough to be told apart by eye.
KERNEL_POOL = ("sobel_x", "sobel_y", "gaussian_blur", "sharpen", "laplacian", "emboss")
KERNEL_CHOICES = 4
POOL_TOLERANCE = 0.01  # an average like 37 / 9 may be typed as 4.11


@dataclass(frozen=True)
class SizeQuestion:
    size: int
    kernel: int
    stride: int
    padding: int
    dilation: int

    @property
    def answer(self) -> int:
        """The output size: the worked formula's result (``conv_output_size``'s number)."""
        return self.worked().result

    def worked(self) -> OutputSize:
        return output_size_arithmetic(
            self.size,
            self.kernel,
            stride=self.stride,
            before=self.padding,
            dilation=self.dilation,
        )


@dataclass(frozen=True)
class PoolQuestion:
    grid: np.ndarray  # (n, n) small whole numbers
    size: int  # window side (the stride too)
    mode: str  # "max" | "avg"
    row: int  # the asked cell of the pooled map
    col: int

    @property
    def answer(self) -> float:
        return float(pool2d(self.grid, self.size, mode=self.mode)[self.row, self.col])

    def worked(self) -> PoolWindow:
        return pool_window(self.grid, self.row, self.col, self.size, mode=self.mode)


@dataclass(frozen=True)
class KernelQuestion:
    kernel: str  # the kernel that made the map
    choices: tuple[str, ...]  # four names, the right one among them
    picture: int  # which picture to use (the page takes it modulo its number of pictures)

    @property
    def answer(self) -> str:
        return self.kernel


Question = SizeQuestion | PoolQuestion | KernelQuestion


def make_question(kind: str, seed: int) -> Question:
    """The question of ``kind`` that ``seed`` draws (the same seed, the same question)."""
    rng = np.random.default_rng([seed, QUIZ_KINDS.index(kind)] if kind in QUIZ_KINDS else 0)
    if kind == "size":
        return _size_question(rng)
    if kind == "pool":
        return _pool_question(rng)
    if kind == "kernel":
        choices = tuple(str(name) for name in rng.choice(KERNEL_POOL, KERNEL_CHOICES, False))
        return KernelQuestion(
            choices[int(rng.integers(KERNEL_CHOICES))], choices, int(rng.integers(1000))
        )
    raise ValueError(f"kind must be one of {', '.join(QUIZ_KINDS)}; got {kind!r}")


def _size_question(rng: np.random.Generator) -> SizeQuestion:
    while True:
        question = SizeQuestion(
            size=int(rng.integers(5, 65)),
            kernel=int(rng.choice([1, 2, 3, 3, 5, 5, 7])),
            stride=int(rng.choice([1, 1, 2, 2, 3, 4])),
            padding=int(rng.choice([0, 0, 1, 1, 2, 3])),
            dilation=int(rng.choice([1, 1, 1, 2])),
        )
        if question.answer >= 1:
            return question


def _pool_question(rng: np.random.Generator) -> PoolQuestion:
    size = int(rng.choice([2, 2, 3]))
    side = size * int(rng.integers(2, 4))
    grid = rng.integers(0, 10, (side, side)).astype(np.float32)
    cells = side // size
    return PoolQuestion(
        grid,
        size,
        str(rng.choice(["max", "avg"])),
        int(rng.integers(cells)),
        int(rng.integers(cells)),
    )


_NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*(?:/\s*(\d+(?:[.,]\d+)?))?\s*$")


def read_number(text: str) -> float | None:
    """A typed answer as a number: ``4``, ``4.11``, ``4,11`` or a fraction ``37/9``;
    None when it is not one."""
    match = _NUMBER.match(str(text))
    if not match:
        return None
    top = Fraction(match[1].replace(",", "."))
    bottom = Fraction(match[2].replace(",", ".")) if match[2] else Fraction(1)
    return None if bottom == 0 else float(top / bottom)


def is_right(question: Question, given) -> bool:
    """Whether ``given`` (typed text, or a kernel name) answers ``question``."""
    if isinstance(question, KernelQuestion):
        return given == question.answer
    value = read_number(given)
    if value is None:
        return False
    if isinstance(question, SizeQuestion):
        return value == question.answer
    return abs(value - question.answer) <= POOL_TOLERANCE


def normal_answer(question: Question, given) -> str:
    """An answer as it is counted among a class's answers: ``4.110`` and ``4,11`` alike."""
    if isinstance(question, KernelQuestion):
        return str(given)
    value = read_number(given)
    if value is None:
        return "(not a number)"
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class SpreadRow:
    answer: str
    count: int
    right: bool


def answer_spread(question: Question, answers) -> list[SpreadRow]:
    """How a class answered: each distinct answer with its count, most frequent first."""
    counts: dict[str, int] = {}
    right: dict[str, bool] = {}
    for given in answers:
        key = normal_answer(question, given)
        counts[key] = counts.get(key, 0) + 1
        right[key] = right.get(key, False) or is_right(question, given)
    order = sorted(counts, key=lambda key: (-counts[key], key))
    return [SpreadRow(key, counts[key], right[key]) for key in order]
