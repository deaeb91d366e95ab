"""The page registry is the one list of pages: every page file is in it once, addresses
and settings prefixes are unique, and what it says of a page is what the page does."""

import ast
import importlib
from pathlib import Path

from app.app_pages import registry

APP = Path(__file__).resolve().parents[2] / "app"
PAGE_FILES = sorted(
    str(path.relative_to(APP))
    for path in (APP / "app_pages").glob("*/*.py")
    if path.name != "__init__.py"
)


def calls(script: str) -> set[str]:
    """The names of the functions a page file calls."""
    tree = ast.parse((APP / script).read_text())
    return {
        node.func.id if isinstance(node.func, ast.Name) else node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
    }


def test_every_page_file_is_registered_once():
    assert sorted(page.script for page in registry.PAGES) == PAGE_FILES


def test_addresses_titles_and_prefixes_are_unique():
    for field in ("name", "url_path", "title", "prefix"):
        values = [getattr(page, field) for page in registry.PAGES]
        assert len(set(values)) == len(values), field


def test_exactly_one_start_page_at_the_root():
    (start,) = [page for page in registry.PAGES if page.default]
    assert start.url_path == "" and start.name == "convolution"


def test_every_section_has_pages_and_every_page_a_known_section():
    assert {page.section for page in registry.PAGES} == set(registry.SECTIONS)


def test_a_page_takes_its_prefix_and_title_from_its_row():
    for page in registry.PAGES:
        source = (APP / page.script).read_text()
        assert f'registry.BY_NAME["{page.name}"]' in source, page.script
        assert "PAGE.prefix" in source and "PAGE.title" in source, page.script


def test_pages_painted_map_first_are_the_pages_that_pause_for_it():
    for page in registry.PAGES:
        assert page.map_first == ("pause_for_paint" in calls(page.script)), page.script


def test_a_page_with_views_offers_those_of_its_row_the_first_at_first():
    pages = [page for page in registry.PAGES if page.views]
    assert len(pages) >= 7
    for page in pages:
        module = importlib.import_module("app." + page.script.removesuffix(".py").replace("/", "."))
        setting = module.STATE.settings["view"]
        assert setting.default == next(iter(page.views)), page.script
        assert [setting.parse(view) for view in page.views] == list(page.views), page.script
        assert "look_closer" in calls(page.script), page.script


def test_a_page_heads_itself_with_the_summary_of_its_row_if_it_has_one():
    for page in registry.PAGES:
        source = (APP / page.script).read_text()
        assert ("PAGE.summary" in source) == bool(page.summary), page.script
