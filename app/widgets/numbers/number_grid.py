"""Small arrays drawn as tables of numbers on coloured cells.

Used for kernels, the pixel inspector and the sliding window: every number a student is
asked to check is printed, and the cell colour follows the same diverging colour map as
the feature maps (so a kernel's negative weights look like a map's negative values).
Only numbers and fixed labels reach the HTML, never user text.
"""

from __future__ import annotations

import html

import numpy as np
import streamlit as st

from cnn_core.render import image_to_rgb, signed_to_rgb

from ..pictures.browser_image import Markup


def ink_on(red: int, green: int, blue: int) -> str:
    """Black or white text, whichever contrasts more with the background (WCAG 2.1's
    relative luminance): at least 4.58:1 on any colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return "#000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#fff"


_STYLE = """
<style>
.cs-grid { border-collapse: collapse; margin: 0.2rem 0 0.6rem 0; }
.cs-grid td { border: 1px solid #bbb; text-align: center; font-variant-numeric: tabular-nums;
  font-family: ui-monospace, SFMono-Regular, Menlo, monospace; padding: 0.15em 0.3em; }
.cs-grid td.pad { background-image: repeating-linear-gradient(45deg, transparent 0 4px,
  rgba(127,127,127,0.3) 4px 6px); color: inherit; }
.cs-grid td.hit { outline: 3px solid #ff8c00; outline-offset: -3px; font-weight: 700; }
.cs-grid td.empty { background: #fafafa; color: #6b6b6b; }
.cs-grid caption { caption-side: bottom; font-size: 0.85em; color: inherit;
  opacity: 0.85; padding-top: 0.2em; }
</style>
"""


def format_value(value: float, digits: int = 3) -> str:
    """Compact, readable numbers: integers without decimals, others to ``digits`` places."""
    if not np.isfinite(value):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e6:
        return str(int(value))
    if abs(value) < 0.5 * 10.0**-digits:
        return f"{value:.2g}"  # a small value is not shown as 0
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """ "1 value", "3 values": a number with its noun in the right form."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def grid_html(
    values: np.ndarray,
    *,
    limit: float | None = None,
    padded: np.ndarray | None = None,
    highlight: np.ndarray | None = None,
    empty: np.ndarray | None = None,
    caption: str = "",
    digits: int = 3,
    font_size: str | None = None,
    gray: bool = False,
    row_labels: list[str] | None = None,
    palette: str | None = None,
    label: str = "",
) -> str:
    """HTML for a 2-D array: coloured cells, hatched ``padded`` cells, outlined ``highlight``.

    ``empty`` cells are drawn blank (an output not computed yet). ``limit`` fixes the
    colour range (default: the array's own largest absolute value). ``gray`` colours cells
    as pixel intensities in [0, 1] instead, for image values. ``palette``: the name of
    the palette to colour with (default: the reader's, ``cnn_core.render``).
    """
    values = np.asarray(values, dtype=np.float64)
    rows, cols = values.shape
    if gray:
        colours = image_to_rgb(np.nan_to_num(values).astype(np.float32))
    else:
        colours = signed_to_rgb(
            np.nan_to_num(values).astype(np.float32), limit=limit, palette=palette
        )
    if font_size is None:
        font_size = "1.0rem" if cols <= 8 else "0.85rem" if cols <= 12 else "0.72rem"
    body = []
    for r in range(rows):
        cells = (
            [f'<th style="padding: 0 0.3em">{html.escape(row_labels[r])}</th>']
            if row_labels
            else []
        )
        for c in range(cols):
            classes = []
            if padded is not None and padded[r, c]:
                classes.append("pad")
            if highlight is not None and highlight[r, c]:
                classes.append("hit")
            if empty is not None and empty[r, c]:
                cells.append('<td class="empty">&middot;</td>')
                continue
            red, green, blue = (int(v) for v in colours[r, c])
            ink = ink_on(red, green, blue)
            style = f"background-color: rgb({red},{green},{blue}); color: {ink};"
            if "pad" in classes:
                style = f"background-color: rgb({red},{green},{blue});"
            cells.append(
                f'<td class="{" ".join(classes)}" style="{style}">'
                f"{format_value(values[r, c], digits)}</td>"
            )
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption_html = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    # ``label`` names a table that has no visible caption, for a screen reader.
    named = f' aria-label="{html.escape(label)}"' if label and not caption else ""
    return (
        f'<table class="cs-grid"{named} style="font-size: {font_size}">{caption_html}'
        + "".join(body)
        + "</table>"
    )


def show_grid(values: np.ndarray, **options) -> None:
    """Draw one grid (see ``grid_html`` for the options)."""
    show_html(grid_html(values, **options))


def row_html(
    *pieces: str, gap: str | None = "0.9rem", align: str | None = "center", wrap: bool = True
) -> str:
    """HTML pieces side by side, wrapping on a narrow screen.

    The defaults suit an equation of grids with signs between them; ``gap`` is the CSS
    space between pieces, ``align`` their vertical alignment (``None``: the CSS default).
    """
    style = ["display:flex"]
    if gap:
        style.append(f"gap:{gap}")
    if align:
        style.append(f"align-items:{align}")
    if wrap:
        style.append("flex-wrap:wrap")
    return '<div style="' + "; ".join(style) + '">' + "".join(pieces) + "</div>"


# How a screen reader should say an operator between grids (it says "asterisk" for ∗).
SPOKEN_SIGNS = {
    "&lowast;": "convolved with",
    "&times;": "times",
    "=": "equals",
    "&rarr;": "gives",
}


def sign_html(symbol: str, *, size: str = "1.5rem") -> str:
    """A large operator between the grids of a row (an HTML entity such as ``&times;``),
    named in words for a screen reader when it is a sign."""
    spoken = SPOKEN_SIGNS.get(symbol)
    named = f' role="img" aria-label="{spoken}"' if spoken else ""
    return f'<span style="font-size:{size}"{named}>{symbol}</span>'


def show_html(fragment: str) -> None:
    """Draw HTML made of ``grid_html`` pieces and fixed text, with the grid styles."""
    st.html(Markup(_STYLE + fragment))
