"""A classifier's answer as bars: one row per class, the winner in dark blue."""

from __future__ import annotations

import html

import numpy as np


def class_bars_html(
    labels: list[str],
    values,
    *,
    compare=None,
    compare_name: str = "before",
    legend: str = "",
    label_width: str = "1.2em",
) -> str:
    """HTML bars of ``values`` (probabilities, 0 to 1) labelled ``labels``; with
    ``compare``, a grey bar under each blue one (``legend`` says which is which), and
    its value said to a screen reader after the shown one ("92.4%, before 95.1%")."""
    values = np.asarray(values, np.float64)
    winner = int(values.argmax())
    rows = []
    for index, (label, value) in enumerate(zip(labels, values)):
        bars = _bar(float(compare[index]), "#b5b5b5") if compare is not None else ""
        bars += _bar(float(value), "#1f5fbf" if index == winner else "#7aa3e0")
        rows.append(
            '<div style="display:flex; align-items:center; gap:0.5rem; margin:1px 0">'
            f'<span style="width:{label_width}; font-weight:700; overflow-wrap:anywhere">'
            f"{html.escape(label)}</span>"
            f'<div style="flex:1; min-width:3rem">{bars}</div>'
            '<span style="width:3.6em; text-align:right; font-variant-numeric:tabular-nums">'
            f"{value:.1%}{_unseen(compare, index, compare_name)}</span></div>"
        )
    note = (
        f'<div style="font-size:0.8rem; color:#555">{html.escape(legend)}</div>' if legend else ""
    )
    return '<div class="cs-probs" style="font-size:0.9rem">' + "".join(rows) + note + "</div>"


# Read by a screen reader, not drawn: the grey bar's value is seen only as its length.
_UNSEEN = "position:absolute; width:1px; height:1px; overflow:hidden; clip-path:inset(50%)"


def _unseen(compare, index: int, name: str) -> str:
    if compare is None:
        return ""
    return f'<span style="{_UNSEEN}">, {html.escape(name)} {float(compare[index]):.1%}</span>'


def _bar(value: float, colour: str) -> str:
    width = max(0.0, min(1.0, value)) * 100
    return (
        f'<div style="height:0.55rem; width:{width:.1f}%; min-width:2px; '
        f'background:{colour}; border-radius:2px; margin:1px 0"></div>'
    )
