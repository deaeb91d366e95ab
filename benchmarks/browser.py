"""Browser budget: slider change to new feature map painted, against a bare Streamlit page.

Both pages run on their own local server; chromium (Playwright) presses an arrow key on a
slider and waits, frame by frame, until the new image is in the DOM and decoded. The
Convolution page is measured at 512 x 512 (the astronaut sample) and 1024 x 1024 (an
enlarged copy uploaded through the page), the bare page with images of the same sizes.

The bare page runs on Streamlit's defaults, from a folder with no `.streamlit/config.toml`:
the app's own config turns off the full garbage collection after every run
(`runner.postScriptGC = false`, a saving of ours), and the reference must not get our
savings. Against a bare page with that
setting too, the ratios were 1.89 / 2.61 / 2.32 / 3.65 on 2026-12-07 (the bare page 26-38
ms, ours unchanged at 68-115 ms): see docs/performance.md.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

from cnn_core.samples import SAMPLES_DIR

from .cluster import start_app
from .timing import budget_rows, table

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
PRESSES = 40
FEATURE_MAP = "img.convscope-clickable"
PLAIN_IMAGE = '[data-testid="stImage"] img'
# The app's own pictures (app/widgets/pictures/described.py: an <img> with a text
# alternative in a <figure>), and any left drawn by st.image.
APP_PICTURES = '[data-testid="stImage"] img, figure.cs-picture img'
# Resolves once an image matching the selector is decoded and has a size on the page.
PAINTED = """
(selector) => {
  const img = document.querySelector(selector);
  return !!img && img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width > 0;
}
"""

SETTLED_MS = 1000  # no element arriving or resolving for this long: the page is drawn


def watch_drawing(selector: str) -> str:
    """A script for every animation frame, on the page's clock: when the selector's
    picture was first painted, and when the page's elements (with the placeholders
    Streamlit draws for those whose code has not arrived) last changed in number."""
    return f"""
window.__drawn = {{ painted: null, last: 0, seen: "" }};
(function frame() {{
  const now = performance.now(), drawn = window.__drawn;
  const img = document.querySelector({json.dumps(selector)});
  if (drawn.painted === null && img && img.complete && img.naturalWidth > 0)
    drawn.painted = now;
  const seen = document.querySelectorAll('[data-testid="stElementContainer"]').length + "/" +
    document.querySelectorAll('[data-testid="stSkeleton"]').length;
  if (seen !== drawn.seen) {{ drawn.seen = seen; drawn.last = now; }}
  requestAnimationFrame(frame);
}})();
"""


PAGE_DRAWN = f"""() => {{
  const drawn = window.__drawn;
  return drawn.painted !== null && drawn.seen.endsWith("/0") &&
    performance.now() - drawn.last > {SETTLED_MS};
}}"""


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


@contextmanager
def server_root(*, defaults: bool = False):
    """The folder a Streamlit server runs from: the repository (the app's
    ``.streamlit/config.toml``), or with ``defaults`` an empty folder (Streamlit's
    defaults for every option, as a bare reference page must have them)."""
    if not defaults:
        yield ROOT
        return
    with tempfile.TemporaryDirectory(prefix="convscope-bare-") as empty:
        yield Path(empty)


@contextmanager
def serve(script: Path, *, defaults: bool = False):
    """One Streamlit server of ``script`` on a free loopback port; yields its URL. With
    ``defaults``, it runs from an empty folder: Streamlit's defaults, not the app's config."""
    with server_root(defaults=defaults) as root:
        server = start_app(script, root=root)
        try:
            yield server.url
        finally:
            server.stop()


class Slider:
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


# Every picture on the page as one comparable snapshot. (The probability bars come before
# the layer pictures in the page, so once these are painted the bars are too; their text
# can stay the same when the answer is already 100%.)
_SNAPSHOT = """() => [...document.querySelectorAll('PICTURES')]
  .map(i => i.src)"""

# Resolves once every picture differs from the snapshot and is decoded: the drawing's
# activation maps are on screen. Gives up (rejects) after 20 seconds.
_WAIT_FOR_ALL_NEW = """(old) => new Promise((resolve, reject) => {
  const deadline = performance.now() + 20000;
  const check = () => {
    const images = [...document.querySelectorAll('PICTURES')];
    const fresh = images.length === old.length && images.every((i, k) => i.src !== old[k]);
    if (fresh && images.every(i => i.complete && i.naturalWidth > 0)) resolve(true);
    else if (performance.now() > deadline) reject(new Error("the pictures did not change"));
    else requestAnimationFrame(check);
  };
  check();
})"""
_SNAPSHOT = _SNAPSHOT.replace("PICTURES", APP_PICTURES)
_WAIT_FOR_ALL_NEW = _WAIT_FOR_ALL_NEW.replace("PICTURES", APP_PICTURES)


class _Drawer:
    """The Network page's drawing pad: each press draws one more short stroke."""

    def __init__(self, page):
        self.page = page
        box = page.locator("canvas").first.bounding_box()
        self.x, self.y = box["x"], box["y"]
        self.presses = 0
        self.timings: list[float] = []
        self._stroke(140, 40, 140, 240)  # a first digit-like stroke, so maps are showing
        page.mouse.up()
        page.locator(".cs-probs").first.wait_for(timeout=60_000)
        time.sleep(1.0)

    def _stroke(self, x0, y0, x1, y1) -> None:
        self.page.mouse.move(self.x + x0, self.y + y0)
        self.page.mouse.down()
        self.page.mouse.move(self.x + x1, self.y + y1, steps=4)

    def press(self) -> None:
        old = self.page.evaluate(_SNAPSHOT)
        offset = 10 * (self.presses % 16)
        self._stroke(60 + offset, 60, 80 + offset, 120)
        self.presses += 1
        start = time.perf_counter()
        self.page.mouse.up()
        self.page.evaluate(_WAIT_FOR_ALL_NEW, old)
        self.timings.append(time.perf_counter() - start)
        time.sleep(0.3)


def _race(first, second) -> tuple[float, float]:
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
    photo = Image.open(SAMPLES_DIR / "astronaut.jpg").convert("RGB")
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
            serve(ROOT / "benchmarks" / "bare_app.py", defaults=True) as bare,
        ):
            for label, (query, side) in SLIDER_CASES.items():
                app_page = _open(app_browser, app + "/" + query)
                if side == 1024:
                    _upload(app_page, _big_photo())
                bare_page = _open(bare_browser, f"{bare}/?side={side}")
                timings = _race(
                    Slider(app_page, "Dilation", FEATURE_MAP),
                    Slider(bare_page, "Value", PLAIN_IMAGE),
                )
                results[label] = (*timings, 1.5 if side == 512 else 2.0)
                app_page.close()
                bare_page.close()
            drawing_page = _open(app_browser, app + "/network?src=draw")
            bare_page = _open(bare_browser, f"{bare}/?side=512")
            timings = _race(_Drawer(drawing_page), Slider(bare_page, "Value", PLAIN_IMAGE))
            results["Network page: draw a stroke"] = (*timings, 2.0)
        app_browser.close()
        bare_browser.close()
    rows, within = budget_rows(results, "{:.0f}")
    print(
        "Change to result painted (median ms), against a bare Streamlit page redrawing one "
        "image of the same size on a slider"
    )
    print(table(rows, ["case", "page", "bare page", "ratio", "budget"]))
    return within


SLIDER_CASES = {
    "Convolution 512 x 512, default view": ("?sample=astronaut&res=512", 512),
    "Convolution 512 x 512, inspector open": ("?sample=astronaut&res=512&view=inspector", 512),
    "Convolution 1024 x 1024 upload": ("?res=1024", 1024),
}


def _upload(page, path: Path) -> None:
    page.get_by_text("Upload", exact=True).first.click()
    _settle(page)
    for _ in range(3):  # a file set while the uploader is being replaced is sent again
        chooser = page.locator('input[type="file"]').first
        chooser.wait_for(state="attached", timeout=60_000)
        chooser.set_input_files(str(path))
        try:
            page.get_by_text("Input: your upload").first.wait_for(timeout=20_000)
            break
        except Exception:  # noqa: BLE001 - Playwright's timeout: try once more
            continue
    _settle(page)
