"""Real networks budget: a new photo to its top-5 and stage maps painted, on a warm server,
no slower than twice the network's own forward pass plus the bare-page floor.

The photo changes by a step of the working size (the page resizes the photo, runs the
network and redraws the answer and every stage's maps); the measure ends when every
picture on the page is new and decoded. The forward pass is timed in this process on one
thread (as the server runs it), for the same network with random weights (the machine
is offline, the page runs them too); the floor is the bare page redrawing one image.
"""

from __future__ import annotations

import os
import statistics
import time

from .browser import (
    _SNAPSHOT,
    _WAIT_FOR_ALL_NEW,
    APP_PICTURES,
    ARGS,
    CHROMIUM,
    PLAIN_IMAGE,
    ROOT,
    Slider,
    _settle,
    serve,
)
from .timing import table

NETWORKS = ("alexnet", "resnet18")
PRESSES = 12
BUDGET = 2.0


def _forward_ms(name: str) -> float:
    import torch
    import torchvision

    torch.set_num_threads(1)
    model = getattr(torchvision.models, name)(weights=None).eval()
    batch = torch.rand(1, 3, 224, 224)
    timings = []
    with torch.no_grad():
        for _ in range(3):
            model(batch)
        for _ in range(15):
            start = time.perf_counter()
            model(batch)
            timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1e3


def _photo_changes_ms(page) -> float:
    """Median ms from a working-size step to every picture new and decoded."""
    slider = page.get_by_role("slider", name="Working size (longest side, px)")
    timings = []
    for press in range(PRESSES):
        old = page.evaluate(_SNAPSHOT)
        slider.focus()
        start = time.perf_counter()
        page.keyboard.press("ArrowLeft" if press % 2 == 0 else "ArrowRight")
        page.evaluate(_WAIT_FOR_ALL_NEW, old)
        timings.append(time.perf_counter() - start)
        time.sleep(0.5)
    return statistics.median(timings[2:]) * 1e3


def run() -> bool:
    if not os.path.exists(CHROMIUM):
        print(f"real-networks benchmark skipped: no {CHROMIUM}")
        return True
    from playwright.sync_api import sync_playwright

    rows, within = [], True
    with (
        sync_playwright() as playwright,
        serve(ROOT / "app" / "streamlit_app.py") as app,
        serve(ROOT / "benchmarks" / "bare_app.py") as bare,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        floor_page = browser.new_page(viewport={"width": 1280, "height": 900})
        floor_page.goto(f"{bare}/?side=512")
        _settle(floor_page)
        floor = Slider(floor_page, "Value", PLAIN_IMAGE)
        for _ in range(PRESSES):
            floor.press()
        floor_ms = statistics.median(floor.timings[2:]) * 1e3
        for name in NETWORKS:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{app}/real_networks?net={name}&trained=0&res=512")
            page.locator(APP_PICTURES).first.wait_for(timeout=180_000)
            _settle(page)
            page_ms = _photo_changes_ms(page)
            forward = _forward_ms(name)
            limit = BUDGET * (forward + floor_ms)
            within &= page_ms <= limit
            verdict = f"<= {limit:.0f} " + ("ok" if page_ms <= limit else "OVER")
            rows.append([name, f"{page_ms:.0f}", f"{forward:.0f}", f"{floor_ms:.0f}", verdict])
            page.close()
        browser.close()
    print("Real networks: a new photo to top-5 and stage maps painted (median ms)")
    print(table(rows, ["network", "page", "forward pass", "bare floor", "budget 2x (sum)"]))
    return within
