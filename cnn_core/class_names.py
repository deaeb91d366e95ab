"""A user's class names for their model: a ``.txt`` file with one name a line, or a
``.json`` file holding a list of names or an object from class index to name (as
``{"0": "cat", "1": "dog"}``, or Keras' ``{"0": ["n01440764", "tench"]}``).

Every refusal is a ``ClassNamesError`` (a ``ValueError``) saying what to change; the
limits are in ``cnn_core.limits``.

>>> parse_class_names(b"cat\\ndog\\n", "names.txt")
['cat', 'dog']
>>> parse_class_names(b'{"1": "dog", "0": "cat"}', "names.json")
['cat', 'dog']
>>> try:
...     check_class_count(["cat", "dog"], 3)
... except ClassNamesError as error:
...     print(str(error).split(";")[0])
The names file has 2 names but the model gives 3 scores
"""

from __future__ import annotations

import json

from . import limits


class ClassNamesError(ValueError):
    """A class-names file that cannot be used, with a message a person can act on."""


def parse_class_names(data: bytes, filename: str = "") -> list[str]:
    """The names in ``data``, in class order. JSON when ``filename`` ends in ``.json`` or
    the text starts with ``[`` or ``{``, else one name a line (blank lines at the end
    ignored)."""
    if len(data) > limits.MAX_CLASS_NAMES_FILE_KB * 1024:
        raise ClassNamesError(
            f"The names file is {len(data) / 1024:.0f} kB; ConvScope reads names files of up "
            f"to {limits.MAX_CLASS_NAMES_FILE_KB} kB (MAX_CLASS_NAMES_FILE_KB in "
            "cnn_core/limits.py)."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ClassNamesError(
            "The names file is not UTF-8 text; save it as plain text (.txt, one name a line) "
            "or JSON."
        ) from None
    stripped = text.strip()
    if not stripped:
        raise ClassNamesError("The names file is empty; put one class name on each line.")
    if filename.lower().endswith(".json") or stripped[0] in "[{":
        names = _from_json(stripped)
    else:
        names = _from_lines(text)
    if len(names) > limits.MAX_CLASS_NAMES:
        raise ClassNamesError(
            f"The names file has {len(names)} names; ConvScope takes up to "
            f"{limits.MAX_CLASS_NAMES} (MAX_CLASS_NAMES in cnn_core/limits.py)."
        )
    for index, name in enumerate(names):
        if len(name) > limits.MAX_CLASS_NAME_LENGTH:
            raise ClassNamesError(
                f"Class {index}'s name is {len(name)} characters long; names may have up to "
                f"{limits.MAX_CLASS_NAME_LENGTH} (MAX_CLASS_NAME_LENGTH in cnn_core/limits.py)."
            )
    return names


def check_class_count(names: list[str], outputs: int) -> None:
    """A ``ClassNamesError`` unless there is exactly one name per model output."""
    if len(names) != outputs:
        raise ClassNamesError(
            f"The names file has {len(names)} names but the model gives {outputs} scores; "
            "give one name per output, in order."
        )


def _from_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    for number, line in enumerate(lines, start=1):
        if not line:
            raise ClassNamesError(
                f"Line {number} of the names file is empty; every class needs a name (one a "
                "line, in class order)."
            )
    return lines


def _from_json(text: str) -> list[str]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ClassNamesError(
            f"The names file is not valid JSON ({error.msg} at line {error.lineno}, column "
            f"{error.colno}); give a list of names or an object from index to name."
        ) from None
    if isinstance(value, list):
        return [_name(item, str(index)) for index, item in enumerate(value)]
    if not isinstance(value, dict):
        raise ClassNamesError(
            "The names file holds neither a list of names nor an object from index to name."
        )
    by_index = {}
    for key, item in value.items():
        try:
            index = int(key)
        except ValueError:
            raise ClassNamesError(
                f"The names file's key {key!r} is not a class index; use 0, 1, 2, ..."
            ) from None
        by_index[index] = _name(item, key)
    missing = next((i for i in range(len(by_index)) if i not in by_index), None)
    if missing is not None:
        raise ClassNamesError(
            f"The names file has no name for class {missing}; number the classes 0 to "
            f"{len(by_index) - 1} without gaps."
        )
    return [by_index[i] for i in range(len(by_index))]


def _name(item, where: str) -> str:
    """A name, or the last text of a list such as ``["n01440764", "tench"]``."""
    if isinstance(item, list) and item and all(isinstance(part, str) for part in item):
        item = item[-1]
    if not isinstance(item, str) or not item.strip():
        raise ClassNamesError(f"The names file's entry {where} is not a name (text): {item!r}.")
    return item.strip()
