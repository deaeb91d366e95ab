"""The one rule of the layout: imports go one way, pages -> page packages -> widgets and
shell -> cnn_core, never back; cnn_core imports no UI library; widgets know no page, no
shell and so no setting name (settings are declared by pages through the shell's
PageState)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UI_LIBRARIES = {"streamlit", "plotly", "streamlit_webrtc", "av", "aiortc"}


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, relative imports resolved to dotted names."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join((*base, *(node.module.split(".") if node.module else ())))
            names.add(module)
    return names


def files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def page_packages() -> set[str]:
    parts = ROOT / "app" / "page_parts"
    return {p.name for p in parts.iterdir() if p.is_dir() and p.name != "__pycache__"}


def test_the_layout_has_the_parts_the_rule_names():
    assert len(files("cnn_core")) > 20 and len(files("app/widgets")) > 15
    assert {"convolution", "pooling", "network", "lesson"} <= page_packages()


@pytest.mark.parametrize("path", files("cnn_core"), ids=lambda p: p.name)
def test_cnn_core_imports_no_ui_and_no_app(path):
    tops = {name.split(".")[0] for name in imported(path)}
    assert not tops & (UI_LIBRARIES | {"app"}), path


@pytest.mark.parametrize("path", files("app/widgets"), ids=lambda p: p.name)
def test_widgets_import_only_widgets_and_cnn_core(path):
    inside_app = {name for name in imported(path) if name.split(".")[0] == "app"}
    assert all(name.startswith("app.widgets") for name in inside_app), (path, inside_app)


@pytest.mark.parametrize("path", files("app/shell"), ids=lambda p: p.name)
def test_the_shell_knows_no_page(path):
    for name in imported(path):
        parts = name.split(".")
        if parts[0] == "app" and len(parts) > 1:
            assert parts[1] in {"shell", "widgets"}, (path, name)


def test_page_packages_never_import_pages():
    for package in page_packages():
        for path in files(f"app/page_parts/{package}"):
            assert not {n for n in imported(path) if n.startswith("app.app_pages")}, path


def test_the_import_reader_sees_relative_imports():
    # a check on the checker: a widget's relative import resolves to its absolute name
    names = imported(ROOT / "app" / "widgets" / "pictures" / "map_view.py")
    assert "app.widgets.pictures.clickable_image" in names
    assert "app.widgets.numbers.number_grid" in names


def test_a_page_package_imports_no_other_page_package():
    for package in page_packages():
        for path in files(f"app/page_parts/{package}"):
            others = {
                name
                for name in imported(path)
                if name.startswith("app.page_parts.") and name.split(".")[2] != package
            }
            assert not others, (path, others)


def test_each_page_package_serves_one_page():
    users: dict[str, set[Path]] = {}
    for path in files("app/app_pages"):
        for name in imported(path):
            if name.startswith("app.page_parts."):
                users.setdefault(name.split(".")[2], set()).add(path)
    shared = {package: pages for package, pages in users.items() if len(pages) > 1}
    assert not shared, shared
