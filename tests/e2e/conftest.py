"""Real-browser fixtures: a Streamlit server on a free port and Debian's chromium.

Browser tests skip (with the reason printed) when chromium or Playwright is missing,
unless CONVSCOPE_REQUIRE_BROWSER=1, which CI sets: then they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

import pytest

from benchmarks import cluster

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CONVSCOPE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str):
    if os.environ.get("CONVSCOPE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required here but {reason}")
    print(f"\nskipping browser tests: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    return cluster.free_port()


@contextlib.contextmanager
def app_server(env: dict | None = None, name: str = "streamlit-server"):
    """A Streamlit server of the app on a free loopback port, its output in
    test-artifacts/<name>.log; yields its URL."""
    ARTIFACTS.mkdir(exist_ok=True)
    script = ROOT / "app" / "streamlit_app.py"
    server = cluster.start_app(script, env=env, log=ARTIFACTS / f"{name}.log")
    try:
        yield server.url
    finally:
        server.stop()


@contextlib.contextmanager
def redis_url():
    """A throwaway Redis server; yields its URL."""
    if not shutil.which(cluster.REDIS):
        _unavailable("redis-server is not installed (apt-get install redis-server)")
    with cluster.redis_server() as url:
        yield url


@pytest.fixture(scope="session")
def server_url():
    with app_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        _unavailable(f"no chromium at {CHROMIUM} (install Debian's chromium package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a screenshot under test-artifacts/ (kept by CI) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


PAGE_STYLE_APPLIED = """() => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  return main && getComputedStyle(main).getPropertyValue("--cs-page-style").trim() === "applied";
}"""


def wait_for_app(page, timeout: float = 60.0) -> None:
    """Wait until Streamlit has finished running the script and painted the page, with
    the app's own page style (before it, margins are wider and pictures narrower)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    page.wait_for_function(PAGE_STYLE_APPLIED, timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    time.sleep(0.3)
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count()
        if not running:
            break
        time.sleep(0.1)
    time.sleep(0.3)


def upload_file(page, files, shows: str, timeout: float = 60.0) -> None:
    """Switch the page's source to Upload, wait until its uploader is in place, send
    ``files`` (a path or Playwright's name/mimeType/buffer dict) and wait for ``shows``.

    A file set while the rerun that brought the uploader is still being painted can land
    in an input that is then replaced (no person is that fast); such a file is sent again.
    """
    # By its role: a click on the text could land on a neighbour (the working-size slider)
    # if the layout shifts while the page's widgets finish painting.
    page.get_by_role("radio", name="Upload", exact=True).first.dispatch_event("click")
    page.locator('[data-testid="stFileUploaderDropzone"]').first.wait_for(timeout=30_000)
    wait_for_app(page)
    deadline = time.monotonic() + timeout
    for attempt in range(3):
        page.locator('input[type="file"]').first.set_input_files(files)
        wait = 10.0 if attempt < 2 else max(1.0, deadline - time.monotonic())
        try:
            page.get_by_text(shows).first.wait_for(timeout=wait * 1000)
            break
        except Exception:
            if attempt == 2 or page.locator('[data-testid="stFileUploaderFile"]').count():
                screenshot(page, "upload-file-failed")
                raise
    wait_for_app(page)


def error_texts(page) -> list[str]:
    selector = '[data-testid="stException"], [data-testid="stAlertContentError"]'
    return page.locator(selector).all_inner_texts()
