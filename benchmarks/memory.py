"""Server memory: ten sessions with a 12-megapixel upload each, and one long session.

The budget (DESIGN.md): ten sessions that each upload a 12 MP JPEG and view every page
stay under 1.5 GB resident; one session moving a slider 200 times grows less than 10%.
Memory is read from /proc for the Streamlit server process.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import numpy as np
from PIL import Image

from cnn_core.samples import SAMPLES_DIR

from .browser import ARGS, CHROMIUM, ROOT, _settle, serve
from .cluster import process_rss_mb
from .timing import table

SESSIONS = 10
RERUNS = 200
PAGES = ("pooling", "layer_stack", "receptive_field", "network")
BUDGET_MB = 1536


def _photo_12mp() -> Path:
    path = ROOT / "test-artifacts" / "bench-12mp.jpg"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        rng = np.random.default_rng(0)
        base = Image.open(SAMPLES_DIR / "coffee.jpg").convert("RGB")
        big = np.asarray(base.resize((4000, 3000), Image.BICUBIC), np.int16)
        noisy = np.clip(big + rng.integers(-12, 13, big.shape), 0, 255).astype(np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(noisy).save(buffer, format="JPEG", quality=90)
        path.write_bytes(buffer.getvalue())
    return path


def _server_pid(port: int) -> int:
    """The Streamlit process listening on ``port`` (found through /proc)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(command) and str(port).encode() in command:
            return int(entry.name)
    raise RuntimeError(f"no streamlit process on port {port}")


def run() -> bool:
    if not os.path.exists(CHROMIUM):
        print(f"memory benchmark skipped: no {CHROMIUM}")
        return True
    from playwright.sync_api import sync_playwright

    photo = _photo_12mp()
    with sync_playwright() as playwright, serve(ROOT / "app" / "streamlit_app.py") as url:
        pid = _server_pid(int(url.rsplit(":", 1)[1]))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        start_mb = process_rss_mb(pid)
        pages = []
        for _ in range(SESSIONS):
            page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            page.goto(url + "/")
            _settle(page)
            page.get_by_text("Upload", exact=True).first.click()
            _settle(page)
            page.locator('input[type="file"]').first.set_input_files(str(photo))
            page.get_by_text("Input: your upload").first.wait_for(timeout=120_000)
            for name in PAGES:
                page.goto(f"{url}/{name}")
                _settle(page)
            pages.append(page)
        sessions_mb = process_rss_mb(pid)
        for page in pages[1:]:
            page.context.close()
        long_page = pages[0]
        long_page.goto(url + "/?sample=astronaut&res=512")
        _settle(long_page)
        slider = long_page.get_by_role("slider", name="Dilation")
        for press in range(20):  # warm up caches before taking the baseline
            slider.focus()
            long_page.keyboard.press("ArrowRight" if (press // 4) % 2 == 0 else "ArrowLeft")
            time.sleep(0.1)
        _settle(long_page)
        baseline_mb = process_rss_mb(pid)
        for press in range(RERUNS):
            slider.focus()
            long_page.keyboard.press("ArrowRight" if (press // 4) % 2 == 0 else "ArrowLeft")
            time.sleep(0.08)
        _settle(long_page)
        after_mb = process_rss_mb(pid)
        browser.close()
    growth = (after_mb - baseline_mb) / baseline_mb
    rows = [
        ["server at start", f"{start_mb:.0f} MB", ""],
        [
            f"{SESSIONS} sessions, 12 MP upload, every page",
            f"{sessions_mb:.0f} MB",
            f"<= {BUDGET_MB} MB " + ("ok" if sessions_mb <= BUDGET_MB else "OVER"),
        ],
        [
            f"one session, {RERUNS} slider moves",
            f"{baseline_mb:.0f} -> {after_mb:.0f} MB",
            f"{growth:+.1%} (< 10% " + ("ok)" if growth < 0.10 else "OVER)"),
        ],
    ]
    print("Server memory (resident set of the Streamlit process)")
    print(table(rows, ["case", "memory", "budget"]))
    return sessions_mb <= BUDGET_MB and growth < 0.10
