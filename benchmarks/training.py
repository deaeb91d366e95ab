"""Training budget: the Training page trains the digits no slower than 1.5x the same loop
without a page.

With the page: a server runs the Training page in chromium; after Start, the step count
the page shows is read twice, SECONDS apart (the page redraws its curves, kernels and maps
every second meanwhile). Without: the same network, data, settings and held-out checks
(every 25 steps) built by the page's own ``build_run``, stepped in this process on one
thread, as the server does.
"""

from __future__ import annotations

import os
import re
import time

from .browser import ARGS, CHROMIUM, ROOT, _settle, serve
from .timing import table

SECONDS = 20
BUDGET = 1.5
_STEP = re.compile(r"step ([\d,]+), epoch")


def _page_steps(page) -> int:
    text = page.get_by_text(_STEP).first.inner_text()
    return int(_STEP.search(text).group(1).replace(",", ""))


def with_page() -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, serve(ROOT / "app" / "streamlit_app.py") as url:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "/training")
        _settle(page)
        page.get_by_role("button", name="Start", exact=True).click()
        page.get_by_text(_STEP).first.wait_for(timeout=60_000)
        time.sleep(5)  # past the first steps' warm-up
        first, start = _page_steps(page), time.perf_counter()
        time.sleep(SECONDS)
        last, end = _page_steps(page), time.perf_counter()
        browser.close()
    return (last - first) / (end - start)


def without_page() -> float:
    import torch

    from app.page_parts.training.run import RunRecipe, build_run
    from cnn_core.nn.live_run import EVALUATE_EVERY
    from cnn_core.nn.training_loop import TrainSettings

    torch.set_num_threads(1)
    trainer = build_run(RunRecipe("digitnet", "", TrainSettings(), watched=3)).trainer
    for _ in range(20):  # the same warm-up the page gets
        trainer.step()
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        trainer.step()
        steps += 1
        if trainer.steps_done % EVALUATE_EVERY == 0:
            trainer.evaluate()
    return steps / (time.perf_counter() - start)


def run() -> bool:
    if not os.path.exists(CHROMIUM):
        print(f"training benchmark skipped: no {CHROMIUM}")
        return True
    page_rate = with_page()
    loop_rate = without_page()
    ratio = loop_rate / page_rate
    verdict = f"<= {BUDGET} " + ("ok" if ratio <= BUDGET else "OVER")
    print("Training the digit network (steps per second, batch 64, one thread)")
    rows = [[f"{loop_rate:.1f}", f"{page_rate:.1f}", f"{ratio:.2f}", verdict]]
    print(table(rows, ["loop alone", "on the Training page", "time ratio", "budget"]))
    return ratio <= BUDGET
