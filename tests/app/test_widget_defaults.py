"""A browser that first draws a widget after a later run starts from the widget's default
(Streamlit sends the session's value only on the run that set it), and sends that default
back. So every keyed widget's default must be the value the session holds: a link's
``res=512`` once became 128 after a quick click on Upload (see
app/widgets/controls/keyed.py).

The pages are opened with links whose values differ from the widgets' own first options
and lowest numbers, then run a second time (a run that sets nothing anew)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import run_app

ROOT = Path(__file__).resolve().parents[2]
KINDS = (
    "slider",
    "select_slider",
    "radio",
    "selectbox",
    "checkbox",
    "toggle",
    "number_input",
    "text_input",
    "multiselect",
    "button_group",
)
LINKS = [
    (None, {"res": 512, "kernel": "box_blur", "stride": 2, "dil": 2, "act": "relu"}),
    (None, {"colour": "summed", "show": "brightness", "padk": "amount", "pad": 2}),
    ("pooling", {"mode": "avg", "size": 3, "stride": 3, "ceil": 1, "res": 256}),
    ("matrix", {"stride": 2, "pad": 1, "dil": 2}),
    ("transposed", {"stride": 2, "pad": 1, "outpad": 1}),
    ("lesson", {"step": 3}),
    ("quiz", {"kind": "size"}),
    ("training", {"lr": "0.01", "batch": 32, "opt": "adam", "aug": 1, "seed": 7}),
    ("compare", {"res": 512}),
]


def browser_default(widget):
    """What the browser starts from if it never saw a run that set the value."""
    proto = widget.proto
    kind = type(widget).__name__
    if kind in ("Radio", "Selectbox"):
        return proto.default, widget.index
    if kind in ("Multiselect", "ButtonGroup"):
        return list(proto.default), list(widget.indices)
    if kind == "SelectSlider":
        return [proto.options[int(i)] for i in proto.default], [str(widget.value)]
    if kind == "Slider":
        value = widget.value if isinstance(widget.value, tuple) else (widget.value,)
        return list(proto.default), [float(v) for v in value]
    return proto.default, widget.value


@pytest.mark.parametrize(("page", "params"), LINKS, ids=lambda x: x if isinstance(x, str) else None)
def test_every_keyed_widget_starts_in_the_browser_from_the_session_value(page, params):
    at = run_app(page, **params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    checked = 0
    for kind in KINDS:
        for widget in at.get(kind):
            if not widget.key:
                continue
            default, value = browser_default(widget)
            assert default == value, (widget.key, default, value)
            checked += 1
    # The links above move widgets away from their first option or lowest number, so
    # the check covers widgets whose own default would have been wrong.
    assert checked >= 2, checked


WIDGETS = {kind for kind in KINDS if kind != "button_group"} | {"segmented_control"}


def keyed_calls_outside_the_wrapper() -> list[str]:
    found = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        if path.name == "keyed.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WIDGETS
                and any(k.arg == "key" for k in node.keywords)
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "keyed")
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_keyed_widget_goes_through_the_keyed_module():
    assert keyed_calls_outside_the_wrapper() == []
