"""A new session's first paint, version against version: is a change to the app faster?

    python -m benchmarks first_paint_ab HEAD~1 HEAD           # two commits
    python -m benchmarks first_paint_ab HEAD /tmp/my-copy     # a commit and a copied tree
    python -m benchmarks first_paint_ab HEAD --sessions 21 --path "pooling?present=1"

Each version (a git revision, checked out as a detached worktree under a temporary
folder, or a folder holding a copy of the repository) is served by its own Streamlit
process from its own folder. New browser sessions take turns on every version and on the
bare page, so machine noise hits all alike, and the table gives each version's median,
quartiles and ratio to the bare page (the start-up budget's ratio), and when the whole
page was drawn: the last element in place, with none still waiting for its code (a
version that paints its map sooner by sending the rest later shows what that costs).

Each process runs with ``PYTHONPATH`` set to its folder. Without it, the editable install
of this repository in ``.venv`` serves ``app`` and ``cnn_core`` from this tree to every
copy: only a copy's page files and ``app/streamlit_app.py`` would be its own, and a change
elsewhere would measure as no change at all.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from .browser import ARGS, CHROMIUM, FEATURE_MAP, PAGE_DRAWN, PLAIN_IMAGE, ROOT, watch_drawing
from .cluster import app_processes, start_app
from .startup import first_paint, painted_after
from .timing import table


def painted_and_drawn(browser, url: str, selector: str) -> tuple[float, float]:
    """A new session on ``url``: seconds to the selector's picture painted (as the start-up
    benchmark counts them) and to the whole page drawn, on the same clock."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(watch_drawing(selector))
    try:
        page = context.new_page()
        painted = painted_after(page, url, selector, time.monotonic())
        page.wait_for_function(PAGE_DRAWN, timeout=120_000, polling="raf")
        drawn = page.evaluate("window.__drawn")
        return painted, painted + max(0.0, drawn["last"] - drawn["painted"]) / 1000
    finally:
        context.close()


BARE = ROOT / "benchmarks" / "bare_app.py"


def version_env(folder: Path) -> dict[str, str]:
    """The environment that makes a process import ``app`` and ``cnn_core`` from ``folder``."""
    return {"PYTHONPATH": str(folder)}


@contextlib.contextmanager
def checkouts(versions: list[str]):
    """Yield (name, folder) per version: a folder as it is, a git revision as a detached
    worktree that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="convscope-ab-") as scratch:
        made, found = [], []
        try:
            for index, version in enumerate(versions):
                if Path(version).is_dir():
                    found.append((version, Path(version).resolve()))
                    continue
                folder = Path(scratch) / f"v{index}"
                subprocess.run(
                    ["git", "worktree", "add", "--detach", "--quiet", str(folder), version],
                    cwd=ROOT,
                    check=True,
                )
                made.append(folder)
                found.append((version, folder))
            yield found
        finally:
            for folder in made:
                subprocess.run(
                    ["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=False
                )


def measure(versions: list[str], sessions: int, path: str) -> dict[str, list[tuple[float, float]]]:
    """Seconds to the first map painted and to the page drawn, per new session, for every
    version and the bare page (under "bare page")."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[tuple[float, float]]] = {}
    with checkouts(versions) as found, contextlib.ExitStack() as stack:
        urls = {}
        for name, folder in found:
            server = start_app(
                folder / "app" / "streamlit_app.py", env=version_env(folder), root=folder
            )
            stack.callback(server.stop)
            urls[name] = (f"{server.url}/{path}", FEATURE_MAP)
        bare = stack.enter_context(app_processes(BARE))[0]
        urls["bare page"] = (f"{bare.url}/?side=512", PLAIN_IMAGE)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for url, selector in urls.values():
                first_paint(browser, url, selector)  # each server's first session warms it
            for _ in range(sessions):
                for name, (url, selector) in urls.items():
                    times.setdefault(name, []).append(painted_and_drawn(browser, url, selector))
            browser.close()
    return times


def report(times: dict[str, list[tuple[float, float]]]) -> str:
    bare = statistics.median(painted for painted, _ in times["bare page"])
    rows = []
    for name, pairs in times.items():
        values = [painted for painted, _ in pairs]
        middle = statistics.median(values)
        low, _, high = statistics.quantiles(values, n=4) if len(values) > 1 else values * 3
        drawn = statistics.median(drawn for _, drawn in pairs)
        ratio = f"{middle / bare:.2f}"
        rows.append([name, f"{middle:.2f}", f"{low:.2f}-{high:.2f}", ratio, f"{drawn:.2f}"])
        rows[-1].append(len(values))
    headers = ["version", "map painted s", "quartiles", "ratio to bare", "page drawn s"]
    return table(rows, [*headers, "sessions"])


def run(argv: list[str]) -> bool:
    parser = argparse.ArgumentParser(prog="python -m benchmarks first_paint_ab")
    parser.add_argument("versions", nargs="+", help="git revisions or folders")
    parser.add_argument("--sessions", type=int, default=15)
    parser.add_argument("--path", default="", help='page and query, e.g. "pooling?present=1"')
    options = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"first-paint comparison skipped: no {CHROMIUM}")
        return True
    print("New session -> first map painted, and the whole page drawn (medians, seconds)")
    print(report(measure(options.versions, options.sessions, options.path)))
    return True
