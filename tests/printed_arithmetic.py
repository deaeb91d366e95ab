"""Evaluate the arithmetic a page prints, as a reader would, and check its printed result.

A page prints formulas such as ``(0.0062 + 0.05 + 0) / 6 = 0.0244`` or
``⌊(128 + 2 + 2 − 1·(3 − 1) − 1) / 3⌋ + 1 = 44`` (as HTML). ``check_printed`` reads the
expression left of the last "=", evaluates it with every printed number widened by half a
unit of its last printed digit (interval arithmetic, so rounding for display never fails
a test), and asserts the printed result lies in that interval, itself widened by its own
rounding. A formula whose terms do not make its result (the bug this guards against:
terms over 9 printed, the sum over 6 computed) fails.
"""

from __future__ import annotations

import ast
import html
import math
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    @classmethod
    def of(cls, text: str, rounding: float = 0.0) -> Interval:
        """A printed number: ``rounding`` is the most display rounding may have moved it
        (a page printing 3 decimals passes 0.0005; "1.000" is printed as "1")."""
        value = float(text)
        decimals = len(text.split(".")[1]) if "." in text else 0
        radius = max(0.5 * 10.0**-decimals if decimals else 0.0, rounding)
        return cls(value - radius, value + radius)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.low + other.low, self.high + other.high)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.low - other.high, self.high - other.low)

    def __mul__(self, other: Interval) -> Interval:
        products = [a * b for a in (self.low, self.high) for b in (other.low, other.high)]
        return Interval(min(products), max(products))

    def __truediv__(self, other: Interval) -> Interval:
        if other.low <= 0 <= other.high:
            raise ZeroDivisionError("divisor interval contains zero")
        return self * Interval(1 / other.high, 1 / other.low)

    def __pow__(self, exponent: Interval) -> Interval:
        assert exponent.low == exponent.high == 2, "only squares are printed"
        ends = sorted([self.low**2, self.high**2])
        low = 0.0 if self.low <= 0 <= self.high else ends[0]
        return Interval(low, ends[1])

    def __neg__(self) -> Interval:
        return Interval(-self.high, -self.low)

    def contains(self, other: Interval) -> bool:
        return other.high >= self.low - 1e-12 and other.low <= self.high + 1e-12


def _sqrt(x: Interval) -> Interval:
    return Interval(math.sqrt(max(x.low, 0.0)), math.sqrt(max(x.high, 0.0)))


def _floor(x: Interval) -> Interval:
    return Interval(math.floor(x.low), math.floor(x.high))


def _ceil(x: Interval) -> Interval:
    return Interval(math.ceil(x.low), math.ceil(x.high))


def _max(*xs: Interval) -> Interval:
    return Interval(max(x.low for x in xs), max(x.high for x in xs))


_FUNCTIONS = {"sqrt": _sqrt, "floor": _floor, "ceil": _ceil, "max": _max}
_FRACTION = re.compile(
    r'<span class="br">([⌊⌈])</span><span class="fr"><span>(.*?)</span>'
    r'<span>(.*?)</span></span><span class="br">[⌋⌉]</span>'
)


def plain_expression(text: str) -> str:
    """Printed HTML arithmetic as a Python expression over numbers."""
    text = _FRACTION.sub(
        lambda m: f"{'floor' if m.group(1) == '⌊' else 'ceil'}(({m.group(2)}) / ({m.group(3)}))",
        text,
    )
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # thousands separators: 43,776,000
    replacements = {"−": "-", "·": "*", "×": "*", "√": "sqrt", "²": "**2", "\u00a0": " "}
    replacements.update({"⌊": "floor(", "⌋": ")", "⌈": "ceil(", "⌉": ")"})  # plain text
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text.strip()


def _evaluate(node: ast.AST, rounding: float) -> Interval:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, rounding)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return Interval.of(node.src, rounding)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_evaluate(node.operand, rounding)
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Pow):
            return _evaluate(node.left, rounding) ** Interval(2, 2)
        left, right = _evaluate(node.left, rounding), _evaluate(node.right, rounding)
        operations = {ast.Add: "__add__", ast.Sub: "__sub__", ast.Mult: "__mul__"}
        operations[ast.Div] = "__truediv__"
        return getattr(left, operations[type(node.op)])(right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _FUNCTIONS[node.func.id](*[_evaluate(a, rounding) for a in node.args])
    raise ValueError(f"unexpected element in printed arithmetic: {ast.dump(node)}")


def _with_sources(tree: ast.AST, source: str) -> ast.AST:
    """Keep each number's printed text, so its rounding (decimals shown) is known."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            node.src = ast.get_source_segment(source, node)
    return tree


def evaluate(expression: str, rounding: float = 0.0) -> Interval:
    tree = ast.parse(expression, mode="eval")
    return _evaluate(_with_sources(tree, expression), rounding)


def check_printed(text: str, *, rounding: float = 0.0) -> float:
    """Assert the printed ``... = expression = result`` holds; return the printed result.

    Only the part after the first "=" (if there are two) and before the last is evaluated,
    so a left-hand side such as ``H_out`` or ``r_3 = r_2 + (k - 1)·j_2`` is skipped.
    """
    parts = [part.strip() for part in plain_expression(text).split("=")]
    expression, printed = parts[-2], parts[-1].split()[0].rstrip(".,;")
    interval = evaluate(expression, rounding)
    result = Interval.of(printed, rounding)
    assert interval.contains(result), (
        f"printed {expression} = {printed}, but the terms give "
        f"{interval.low:.6g} .. {interval.high:.6g}"
    )
    return float(printed)
