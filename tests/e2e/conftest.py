"""Real-browser fixtures: a Streamlit server on a free port and Debian's chromium.

Browser tests skip (with the reason printed) when chromium or Playwright is missing,
unless CONVSCOPE_REQUIRE_BROWSER=1, which CI sets: then they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_port() -> int:
    return _free_port()


@contextlib.contextmanager
def app_server(env: dict | None = None, name: str = "streamlit-server"):
    """A Streamlit server of the app on a free loopback port; yields its URL."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app" / "streamlit_app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"{name}.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wait_healthy(url: str, process=None, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"the server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"the server at {url} did not start within {timeout:.0f} s")


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


def wait_for_app(page, timeout: float = 60.0) -> None:
    """Wait until Streamlit has finished running the script and painted the page."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    page.wait_for_selector('[data-testid="stMainBlockContainer"]', timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    time.sleep(0.3)
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count()
        if not running:
            break
        time.sleep(0.1)
    time.sleep(0.3)


def error_texts(page) -> list[str]:
    selector = '[data-testid="stException"], [data-testid="stAlertContentError"]'
    return page.locator(selector).all_inner_texts()
