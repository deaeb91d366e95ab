"""Formulas as plain HTML: fractions and floor brackets from CSS, no TeX engine.

KaTeX typesets beautifully but took ~10 ms of the browser's time on every slider move
of the Convolution page, a tenth of its speed budget; these formulas need only a
fraction bar and brackets. Every number in a formula comes from the object a
``cnn_core`` function returned; nothing is computed here.
"""

from __future__ import annotations

import html
import re

from cnn_core.geometry import OutputSize
from cnn_core.window import PoolWindow

from .number_grid import format_value

# On a phone a formula keeps its shape and scrolls inside its own box, never the page.
STYLE = """
<style>
.cs-formula { font-family: "Cambria Math", "Times New Roman", serif; font-size: 1.3rem;
  line-height: 1.25; margin: 0.2rem 0 0.4rem 0; max-width: 100%; overflow-x: auto; }
.cs-formula > div { margin: 0.25rem 0; white-space: nowrap; }
.cs-formula .fr { display: inline-flex; flex-direction: column; vertical-align: middle;
  text-align: center; margin: 0 0.1em; }
.cs-formula .fr > span:first-child { border-bottom: 1.5px solid currentColor;
  padding: 0 0.25em 0.05em 0.25em; }
.cs-formula .br { font-size: 2.1em; vertical-align: middle; font-weight: 300; }
.cs-formula .note { font-family: sans-serif; font-size: 0.85rem; color: inherit; opacity: 0.8;
  white-space: normal; }
@media (max-width: 640px) { .cs-formula { font-size: 1.0rem; } }
</style>
"""
MINUS = "\u2212"


def symbol(name: str, subscript: str = "") -> str:
    """An italic variable, optionally with a subscript."""
    sub = f"<sub>{html.escape(subscript)}</sub>" if subscript else ""
    return f"<i>{html.escape(name)}</i>{sub}"


def rounded_fraction(numerator: str, denominator: str, *, ceil: bool = False) -> str:
    """⌊numerator / denominator⌋ (or ⌈ ⌉) with a real fraction bar. Arguments are HTML."""
    left, right = ("⌈", "⌉") if ceil else ("⌊", "⌋")
    return (
        f'<span class="br">{left}</span><span class="fr"><span>{numerator}</span>'
        f'<span>{denominator}</span></span><span class="br">{right}</span>'
    )


_SPOKEN = {
    MINUS: " minus ",
    " / ": " divided by ",
    "·": " times ",
    "×": " times ",
    "√": "square root of ",
    "²": " squared",
    "⌊": "floor of (",
    "⌋": ")",
    "⌈": "ceiling of (",
    "⌉": ")",
}


def spoken(line: str) -> str:
    """A formula line (HTML) as a screen reader should say it: a fraction as "(top) over
    bottom", floor brackets, signs and subscripts in words.

    >>> spoken(output_size_general())
    'n out = floor of ((n + p 1 + p 2 minus d times (k minus 1) minus 1) over s) + 1'
    """
    text = re.sub(
        r'<span class="fr"><span>(.*?)</span><span>(.*?)</span></span>', r"(\1) over \2", line
    )
    text = html.unescape(re.sub(r"<[^>]+>", "", text.replace("<sub>", " ")))
    for sign, words in _SPOKEN.items():
        text = text.replace(sign, words)
    return re.sub(r"\s+", " ", text).strip()


def formula_block(lines: list[str], note: str = "") -> str:
    """Lines of formula HTML, and a plain-text note under them, as one HTML block. Each
    line is a picture of its arithmetic to a screen reader, labelled with it in words."""
    body = "".join(
        f'<div role="img" aria-label="{html.escape(spoken(line))}"><div>{line}</div></div>'
        for line in lines
    )
    if note:
        body += f'<div class="note">{html.escape(note)}</div>'
    return STYLE + f'<div class="cs-formula">{body}</div>'


def output_size_general(*, ceil: bool = False, pooling: bool = False) -> str:
    """The output-size formula in symbols: n, padding p1 and p2 (or p each side for
    pooling), kernel k, dilation d (convolution only), stride s."""
    if pooling:
        numerator = f"{symbol('n')} + 2{symbol('p')} {MINUS} {symbol('k')}"
    else:
        numerator = (
            f"{symbol('n')} + {symbol('p', '1')} + {symbol('p', '2')} {MINUS} "
            f"{symbol('d')}·({symbol('k')} {MINUS} 1) {MINUS} 1"
        )
    fraction = rounded_fraction(numerator, symbol("s"), ceil=ceil)
    return f"{symbol('n', 'out')} = {fraction} + 1"


def output_size_line(axis_symbol: str, size: OutputSize, *, pooling: bool = False) -> str:
    """One axis of the formula with its numbers, from ``output_size_arithmetic``; ceil mode
    that drops a window starting in the padding shows the "− 1" it takes away."""
    if pooling:
        numerator = f"{size.size} + 2·{size.before} {MINUS} {size.kernel}"
    else:
        numerator = (
            f"{size.size} + {size.before} + {size.after} {MINUS} "
            f"{size.dilation}·({size.kernel} {MINUS} 1) {MINUS} 1"
        )
    fraction = rounded_fraction(numerator, str(size.stride), ceil=size.ceil_mode)
    dropped = f" {MINUS} 1" if size.dropped_last else ""
    return f"{symbol(axis_symbol, 'out')} = {fraction} + 1{dropped} = <b>{size.result}</b>"


MAX_TERMS_WRITTEN = 16  # a 4 x 4 window is written out term by term; larger ones in words


def pool_formula(window: PoolWindow) -> str:
    """The arithmetic of one pooled value, from its terms and divisor (HTML)."""
    result = f"<b>{format_value(window.result, 4)}</b>"
    terms = [format_value(float(t), 4) for t in window.terms]
    if len(terms) > MAX_TERMS_WRITTEN:
        what = {"max": "the largest", "avg": "the mean", "l2": "the L2 norm"}[window.mode]
        return f"{what} of the {len(terms)} cells = {result}"
    if window.mode == "max":
        return f"max({', '.join(terms)}) = {result}"
    if window.mode == "avg":
        return f"({' + '.join(terms)}) / {window.divisor} = {result}"
    squares = " + ".join(f"{t}²" for t in terms)
    if not window.cut_short:
        return f"√({squares}) = {result}"
    return f"√({window.window_cells} × ({squares}) / {window.divisor}) = {result}"


def output_size_block(rows: OutputSize, cols: OutputSize, note: str, *, pooling=False) -> str:
    """The output-size formula in symbols, then rows (H) and columns (W) with their numbers
    filled in, and ``note`` under them."""
    lines = [
        output_size_general(ceil=rows.ceil_mode, pooling=pooling),
        output_size_line("H", rows, pooling=pooling),
        output_size_line("W", cols, pooling=pooling),
    ]
    return formula_block(lines, note)
