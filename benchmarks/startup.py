"""Start-up budgets: a cold start and a new session's first paint, against a bare page.

Cold start: the clock starts when ``streamlit run`` is launched and stops when the first
page's picture is painted in chromium (the Convolution page's feature map; the bare
page's one image). First paint: on servers that already run and have served a session,
a new browser context opens the page and the clock stops at the same picture. The app and
the bare page take turns, so machine noise hits both alike; the medians are compared.

The bare page runs on Streamlit's defaults, from an empty folder (``browser.server_root``),
as in the browser benchmark: the app's ``.streamlit/config.toml`` holds savings of ours
(``runner.postScriptGC = false``) that the reference must not get.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from .browser import ARGS, CHROMIUM, FEATURE_MAP, PAINTED, PLAIN_IMAGE, ROOT, serve, server_root
from .cluster import launch_app
from .timing import budget_rows, table

APP = ROOT / "app" / "streamlit_app.py"
BARE = ROOT / "benchmarks" / "bare_app.py"
ROUNDS = 5  # cold starts vary by +-0.4 s here: five of each before a median
SESSIONS = 7


def painted_after(page, url: str, selector: str, started: float) -> float:
    """Load ``url`` (retrying while the server is not up yet); seconds since ``started``
    until ``selector`` is painted."""
    while True:
        try:
            page.goto(url, timeout=60_000)
            break
        except Exception:  # the server is not listening yet
            if time.monotonic() - started > 120:
                raise
            time.sleep(0.05)
    page.wait_for_function(PAINTED, arg=selector, timeout=120_000, polling="raf")
    return time.monotonic() - started


def _cold(browser, script: Path, selector: str, query: str, root: Path) -> float:
    """Seconds from launching ``script`` (run from ``root``) to ``selector`` painted."""
    started = time.monotonic()
    server = launch_app(script, root=root)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        return painted_after(context.new_page(), server.url + query, selector, started)
    finally:
        context.close()
        server.stop()


def first_paint(browser, url: str, selector: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        return painted_after(context.new_page(), url, selector, time.monotonic())
    finally:
        context.close()


def measure() -> dict[str, tuple[float, float, float]]:
    """Median seconds (app, bare) and the budget for each case."""
    from playwright.sync_api import sync_playwright

    cold_app, cold_bare, warm_app, warm_bare = [], [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with server_root(defaults=True) as empty:
            for _ in range(ROUNDS):
                cold_app.append(_cold(browser, APP, FEATURE_MAP, "/", ROOT))
                cold_bare.append(_cold(browser, BARE, PLAIN_IMAGE, "/?side=512", empty))
        with serve(APP) as app, serve(BARE, defaults=True) as bare:
            app_url, bare_url = app + "/", bare + "/?side=512"
            first_paint(browser, app_url, FEATURE_MAP)  # the server's first session warms it
            first_paint(browser, bare_url, PLAIN_IMAGE)
            for _ in range(SESSIONS):
                warm_app.append(first_paint(browser, app_url, FEATURE_MAP))
                warm_bare.append(first_paint(browser, bare_url, PLAIN_IMAGE))
        browser.close()
    median = statistics.median
    return {
        "cold start: launch -> first map painted": (median(cold_app), median(cold_bare), 1.5),
        "new session -> first map painted": (median(warm_app), median(warm_bare), 1.25),
    }


def run() -> bool:
    if not Path(CHROMIUM).exists():
        print(f"start-up benchmark skipped: no {CHROMIUM}")
        return True
    rows, within = budget_rows(measure(), "{:.2f}")
    print("Start-up (median seconds), against a bare Streamlit page with one 512 x 512 image")
    print(table(rows, ["case", "app", "bare page", "ratio", "budget"]))
    return within
