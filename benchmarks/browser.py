"""Browser budget: slider change to new feature map painted, against a bare Streamlit page.

Both pages run on their own local server; chromium (Playwright) presses an arrow key on a
slider and waits, frame by frame, until the new image is in the DOM and decoded. The
Convolution page is measured at 512 x 512 (the astronaut sample) and 1024 x 1024 (an
enlarged copy uploaded through the page), the bare page with images of the same sizes.
"""

from __future__ import annotations

import io
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

from .timing import table

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PRESSES = 24
FEATURE_MAP = "img.convscope-clickable"
PLAIN_IMAGE = '[data-testid="stImage"] img'

# Finds the watched image: the n-th element matching a CSS selector.
_FIND_IMAGE = """
(selector, index) => document.querySelectorAll(selector)[index]
"""

# Resolves once the watched image shows a new, fully decoded picture.
_WAIT_FOR_NEW_IMAGE = f"""
([old, selector, index]) => new Promise(resolve => {{
  const find = {_FIND_IMAGE};
  const check = () => {{
    const img = find(selector, index);
    if (img && img.src !== old && img.complete && img.naturalWidth > 0) resolve(img.src);
    else requestAnimationFrame(check);
  }};
  check();
}})
"""

_CURRENT_SRC = f"""
([selector, index]) => {{
  const img = ({_FIND_IMAGE})(selector, index);
  return img ? img.src : '';
}}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(script: Path):
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


class _Slider:
    """One page whose slider is pressed, and the image that must change in answer."""

    def __init__(self, page, slider_name: str, selector: str):
        self.page, self.selector = page, selector
        self.slider = page.get_by_role("slider", name=slider_name)
        self.presses = 0
        self.timings: list[float] = []

    def press(self) -> None:
        old = self.page.evaluate(_CURRENT_SRC, [self.selector, 0])
        self.slider.focus()
        key = "ArrowRight" if (self.presses // 3) % 2 == 0 else "ArrowLeft"
        self.presses += 1
        start = time.perf_counter()
        self.page.keyboard.press(key)
        self.page.evaluate(_WAIT_FOR_NEW_IMAGE, [old, self.selector, 0])
        self.timings.append(time.perf_counter() - start)
        time.sleep(0.2)  # let the rest of the page settle before the next press


def _race(first: _Slider, second: _Slider) -> tuple[float, float]:
    """Median ms of each, pressing them in turn so machine noise hits both alike."""
    for _ in range(PRESSES):
        first.press()
        second.press()
    warm = 3  # the first presses warm caches on both sides
    return (
        statistics.median(first.timings[warm:]) * 1e3,
        statistics.median(second.timings[warm:]) * 1e3,
    )


def _settle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]')
    time.sleep(1.0)
    for _ in range(200):
        if not page.locator('[data-testid="stStatusWidget"]').count():
            break
        time.sleep(0.1)
    time.sleep(1.5)


def _big_photo() -> Path:
    path = ROOT / "test-artifacts" / "bench-1024.png"
    path.parent.mkdir(exist_ok=True)
    photo = Image.open(ROOT / "assets" / "samples" / "astronaut.jpg").convert("RGB")
    buffer = io.BytesIO()
    photo.resize((1024, 1024), Image.LANCZOS).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    _settle(page)
    return page


def run() -> bool:
    if not os.path.exists(CHROMIUM):
        print(f"browser benchmark skipped: no {CHROMIUM}")
        return True
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        # Two browsers, so both pages count as visible and paint at full speed.
        launch = lambda: playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)  # noqa: E731
        app_browser, bare_browser = launch(), launch()
        with (
            serve(ROOT / "app" / "streamlit_app.py") as app,
            serve(ROOT / "benchmarks" / "bare_app.py") as bare,
        ):
            cases = {
                "512 x 512, default view": ("?sample=astronaut&res=512", 512),
                "512 x 512, inspector open": ("?sample=astronaut&res=512&view=inspector", 512),
                "1024 x 1024, upload": ("?res=1024", 1024),
            }
            for label, (query, side) in cases.items():
                app_page = _open(app_browser, app + "/" + query)
                if side == 1024:
                    app_page.get_by_text("Upload", exact=True).first.click()
                    _settle(app_page)
                    app_page.locator('input[type="file"]').first.set_input_files(str(_big_photo()))
                    _settle(app_page)
                bare_page = _open(bare_browser, f"{bare}/?side={side}")
                results[label] = (
                    side,
                    *_race(
                        _Slider(app_page, "Dilation", FEATURE_MAP),
                        _Slider(bare_page, "Value", PLAIN_IMAGE),
                    ),
                )
                app_page.close()
                bare_page.close()
        app_browser.close()
        bare_browser.close()
    rows, within = [], True
    for label, (side, app_ms, bare_ms) in results.items():
        budget = 1.5 if side == 512 else 2.0
        ratio = app_ms / bare_ms
        within &= ratio <= budget
        verdict = f"<= {budget} ok" if ratio <= budget else f"> {budget} OVER"
        rows.append([label, f"{app_ms:.0f}", f"{bare_ms:.0f}", f"{ratio:.2f}", verdict])
    print("Convolution page: slider change to new feature map painted (median ms)")
    print(table(rows, ["case", "page", "bare page", "ratio", "budget"]))
    return within
