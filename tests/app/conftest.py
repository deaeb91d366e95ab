"""AppTest helpers: run the real app script with chosen URL parameters."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py"
PAGES = APP.parent / "app_pages"


def page_path(page: str) -> str:
    """The router-relative path of a page file, e.g. "app_pages/basics/pooling.py"."""
    (found,) = PAGES.glob(f"*/{page}.py")
    return str(found.relative_to(APP.parent))


def run_app(page: str | None = None, **params) -> AppTest:
    """Run the app (on ``page``, e.g. "pooling", or the Convolution page) with URL params."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    if page is not None:
        at.switch_page(page_path(page))
    for name, value in params.items():
        at.query_params[name] = str(value)
    at.run()
    return at


def assert_clean(at: AppTest) -> None:
    """No exception element and no error box on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
