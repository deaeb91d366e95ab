"""Formulas as plain HTML: fractions and floor brackets from CSS, no TeX engine.

KaTeX typesets beautifully but took ~10 ms of the browser's time on every slider move
of the Convolution page, a tenth of its speed budget; these formulas need only a
fraction bar and brackets.
"""

from __future__ import annotations

import html

STYLE = """
<style>
.cs-formula { font-family: "Cambria Math", "Times New Roman", serif; font-size: 1.3rem;
  line-height: 1.25; margin: 0.2rem 0 0.4rem 0; }
.cs-formula > div { margin: 0.25rem 0; white-space: nowrap; }
.cs-formula .fr { display: inline-flex; flex-direction: column; vertical-align: middle;
  text-align: center; margin: 0 0.1em; }
.cs-formula .fr > span:first-child { border-bottom: 1.5px solid currentColor;
  padding: 0 0.25em 0.05em 0.25em; }
.cs-formula .br { font-size: 2.1em; vertical-align: middle; font-weight: 300; }
.cs-formula .note { font-family: sans-serif; font-size: 0.85rem; color: #555;
  white-space: normal; }
</style>
"""


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


def formula_block(lines: list[str], note: str = "") -> str:
    """Lines of formula HTML, and a plain-text note under them, as one HTML block."""
    body = "".join(f"<div>{line}</div>" for line in lines)
    if note:
        body += f'<div class="note">{html.escape(note)}</div>'
    return STYLE + f'<div class="cs-formula">{body}</div>'
