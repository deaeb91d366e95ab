"""The package's promise: ``import cnn_core`` loads no PyTorch, yet every public name of
DESIGN.md, the PyTorch ones included, is importable from it."""

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import cnn_core

PACKAGE = Path(cnn_core.__file__).parent
TORCH_MODULES = {"torch", "torchvision", "captum"}


def _run(code: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _module_level_imports(tree: ast.Module):
    """Import statements that run when the module is imported: at its top, or inside a
    top-level ``if`` / ``try`` / ``with`` (not inside a function or class)."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                pending.extend(getattr(node, field, []))
        elif isinstance(node, ast.ExceptHandler):
            pending.extend(node.body)


def _imported_roots(node) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name.split(".")[0] for alias in node.names}
    if node.level:  # relative: inside cnn_core, checked on its own (and for .nn below)
        return set()
    return {(node.module or "").split(".")[0]}


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_no_module_at_the_top_of_cnn_core_imports_pytorch(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in _module_level_imports(tree):
        found |= _imported_roots(node) & TORCH_MODULES
        relative = isinstance(node, ast.ImportFrom) and node.level == 1
        if relative and (node.module or "").split(".")[0] == "nn":  # from .nn... import
            found.add(f"cnn_core.{node.module}")
    assert not found, f"{path.name} imports {sorted(found)} when it is imported"


def test_import_cnn_core_loads_no_pytorch():
    loaded = _run(
        "import json, sys; import cnn_core, cnn_core.model; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{sorted(TORCH_MODULES)!r} or m.startswith('cnn_core.nn'))))"
    )
    assert loaded == []


@pytest.mark.parametrize("name", sorted(cnn_core.LAZY_EXPORTS))
def test_a_pytorch_entry_point_resolves_lazily_from_cnn_core(name):
    # Loading no torch before the first use is test_import_cnn_core_loads_no_pytorch's part.
    assert name in dir(cnn_core) and name in cnn_core.__all__
    value = getattr(cnn_core, name)
    module = importlib.import_module(cnn_core.LAZY_EXPORTS[name], "cnn_core")
    assert callable(value) and value is getattr(module, name)
    exec(f"from cnn_core import {name} as imported", {}, namespace := {})
    assert namespace["imported"] is value


def test_design_entry_points_are_all_lazy_exports():
    design = {"network_receptive_fields", "predict_digit", "digit_activations"}
    assert design | {"open_model", "ModelError"} <= set(cnn_core.LAZY_EXPORTS)


def test_model_error_is_one_value_error_for_every_model():
    from cnn_core import ModelError
    from cnn_core.nn.open_model import ModelError as open_model_error

    assert ModelError is open_model_error and issubclass(ModelError, ValueError)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_function"):
        cnn_core.no_such_function  # noqa: B018


def test_the_old_address_of_the_digit_reader_still_answers():
    from cnn_core.model import digit_activations, predict_digit
    from cnn_core.nn.digit_reader import digit_activations as activations_now
    from cnn_core.nn.digit_reader import predict_digit as predict_now

    assert predict_digit is predict_now and digit_activations is activations_now
