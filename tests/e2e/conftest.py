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

from app.app_pages import registry
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


# Parametrize a test over every page of the registry (the one list of pages): `info`.
every_page = pytest.mark.parametrize("info", registry.PAGES, ids=lambda info: info.name)


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


# Counts, in the page, the runs the browser asked for and the runs that answered them, read
# from the app's websocket (Streamlit's protobuf messages, their top-level fields only): a
# request is a BackMsg rerun_script (field 11, first byte 0x5A) that is not a fragment's
# timed rerun; a run starts with a ForwardMsg new_session (field 4) and ends with
# script_finished (field 6, an enum; 2 = ended early for a rerun, which answers nothing).
# A run's new_session answers every request sent before it arrived.
# tests/e2e/test_waiting_browser.py checks that it reads the app's messages.
RUN_TRACKER = """
(() => {
  const runs = (window.__convscopeRuns = { requested: 0, started: 0, answered: 0, usable: true });
  const bytesOf = (data) =>
    data instanceof ArrayBuffer ? new Uint8Array(data)
    : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : null;
  function varint(bytes, at) {
    let value = 0, scale = 1;
    for (;;) {
      const byte = bytes[at.i++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  }
  // Calls visit(field, value) for a varint field and visit(field, start, end) for a
  // length-delimited one, over the protobuf message in bytes[from, to); false if the
  // bytes are not one.
  function fields(bytes, from, to, visit) {
    const at = { i: from };
    while (at.i < to) {
      const tag = varint(bytes, at), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) visit(field, varint(bytes, at));
      else if (wire === 2) {
        const length = varint(bytes, at);  // (read first: it moves at.i)
        visit(field, at.i, at.i + length);
        at.i += length;
      } else if (wire === 1) at.i += 8;
      else if (wire === 5) at.i += 4;
      else return false;
    }
    return at.i === to;
  }
  // A rerun the browser asks for: BackMsg.rerun_script (field 11), unless its ClientState
  // says is_auto_rerun (field 6), a fragment's timer, which the server may drop.
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const bytes = bytesOf(data);
    if (bytes && bytes[0] === 0x5a) {
      let auto = false;
      fields(bytes, 0, bytes.length, (field, start, end) => {
        if (field === 11 && end !== undefined)
          fields(bytes, start, end, (inner, value) => { if (inner === 6 && value) auto = true; });
      });
      if (!auto) runs.requested += 1;
    }
    return send.call(this, data);
  };
  // ForwardMsg's fields in Streamlit 1.67 (streamlit/proto/ForwardMsg.proto).
  const FORWARD_FIELDS = new Set([1, 2, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 18, 19, 20, 21,
    22, 23, 24, 26, 27, 28]);
  function received(event) {
    const bytes = bytesOf(event.data);
    const whole = bytes && fields(bytes, 0, bytes.length, (field, value, end) => {
      if (!FORWARD_FIELDS.has(field)) runs.usable = false;
      else if (field === 4) runs.started = runs.requested;  // new_session
      else if (field === 6 && end === undefined && value !== 2) runs.answered = runs.started;
    });
    if (!whole) runs.usable = false;
  }
  const Native = window.WebSocket;
  window.WebSocket = new Proxy(Native, {
    construct(target, args) {
      const socket = Reflect.construct(target, args);
      socket.addEventListener("message", received);
      return socket;
    },
  });
})();
"""


class TrackedBrowser:
    """The browser, whose new contexts count the app's runs (see ``wait_for_app``)."""

    def __init__(self, browser):
        self._browser = browser

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.add_init_script(RUN_TRACKER)
        return context


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
        yield TrackedBrowser(instance)
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


# Streamlit's own signals on its root element (Streamlit 1.67's frontend, App.tsx):
# data-test-script-state is "initial" before the first run, then "running",
# "rerunRequested", "notRunning", ...; data-test-connection-state is "CONNECTED" while the
# websocket is up. During a run, elements the run has not drawn again are marked
# data-stale="true"; the run's end removes those it did not draw. An element whose code
# the browser loads on first use shows a placeholder (stSkeleton) meanwhile.
APP_SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== "notRunning") return false;
  if (app.dataset.testConnectionState !== "CONNECTED") return false;
  if (document.querySelector('[data-testid="stElementContainer"][data-stale="true"]'))
    return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const runs = window.__convscopeRuns;
  return !runs || !runs.usable || runs.answered === runs.requested;
}"""


def wait_for_app(page, timeout: float = 60.0) -> None:
    """Wait until Streamlit has finished running the script and painted the page, with
    the app's own page style (before it, margins are wider and pictures narrower).

    "Finished" is Streamlit's own: its root element says no script is running and the
    connection is up, no element of an older run is left, and (in contexts made by the
    ``browser`` fixture) every rerun the browser asked for has had a run that ended.
    After a change, wait for what it must show (the address, a picture) as well.
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    page.wait_for_function(PAGE_STYLE_APPLIED, timeout=timeout * 1000)
    try:
        page.wait_for_function(APP_SETTLED, timeout=timeout * 1000)
    except Exception as error:
        raise AssertionError(f"the app did not settle: {page.evaluate(APP_STATE)}") from error


# What APP_SETTLED looks at, for a failure's message.
APP_STATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {
    script: app?.dataset.testScriptState, connection: app?.dataset.testConnectionState,
    stale: document.querySelectorAll('[data-testid="stElementContainer"][data-stale="true"]')
      .length,
    loading: document.querySelectorAll('[data-testid="stSkeleton"]').length,
    runs: window.__convscopeRuns, address: location.href,
  };
}"""


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
