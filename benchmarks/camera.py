"""The live camera for a class: frame rate in each student's browser, server CPU per student.

One app process on loopback; one chromium with a context per student, each on the Live
camera page with chromium's fake camera. For N = 1 and N = 10 students the kernels run in
the browser (the page's default): after every page has drawn frames, the frames each page
drew in ``--seconds`` give its frame rate, and the app process's CPU time over the same
window (``/proc/<pid>/stat``) divided by N the server's cost per student. As the reference,
in the same run, one student uses the server path (WebRTC: the server decodes, filters and
encodes every frame), and one student the Network page's live digit, which stays on the
server path because the network reads every frame there.

Budgets (DESIGN.md, issue 27): >= 25 fps at 320 x 240 in the browser (one student: with
ten, every browser shares this machine's cores, which students' own machines do not), and
< 0.01 of a core of server CPU per student.

chromium's fake camera delivers 20 frames a second unless told otherwise; a webcam
delivers 30, so the camera here is ``--use-fake-device-for-media-stream=fps=30``
(``--camera-fps 20`` measures the default).

python -m benchmarks camera                       # N = 1 and 10, 20 s each, 3 kernels
python -m benchmarks camera --students 1 --seconds 10 --no-server-path
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .browser import ARGS, CHROMIUM, ROOT
from .cluster import app_processes, process_cpu_seconds
from .saved import save_results
from .timing import table

APP = ROOT / "app" / "streamlit_app.py"
PAGE = "/live_camera?kernels=sobel_x,sobel_y,laplacian"
CLASS_SIZES = (1, 10)
SECONDS = 20.0
CAMERA_FPS = 30
WARM_FRAMES = 10  # every page has drawn this many before the window opens
MIN_FPS = 25.0
MAX_CORES_PER_STUDENT = 0.01
FRAMES = "() => Number(document.querySelector('.cam')?.dataset.frames || 0)"
MS_PER_FRAME = "() => Number(document.querySelector('.cam')?.dataset.msPerFrame || 0)"


SERVER_PATHS = {  # what a student on a server path opens, and how the row is named
    "server": (PAGE + "&run=server", "on the server (WebRTC)"),
    "digit": ("/network?src=live", "live digit (Network page)"),
}


@dataclass
class Round:
    path: str  # "browser", or one of SERVER_PATHS
    students: int
    seconds: float
    fps: list[float]  # frames drawn a second, per student
    ms_per_frame: list[float]  # the browser's own time per frame (browser path)
    server_cores: float  # the app process's CPU seconds per second, all students

    @property
    def cores_per_student(self) -> float:
        return self.server_cores / self.students


def _launch(playwright, camera_fps: int):
    fake = "--use-fake-device-for-media-stream"
    camera = [f"{fake}=fps={camera_fps}" if camera_fps else fake, "--use-fake-ui-for-media-stream"]
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS + camera)


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, permissions=["camera"])
    page = context.new_page()
    page.goto(url, timeout=120_000)
    return page


def browser_round(browser, base: str, students: int, seconds: float, pid: int) -> Round:
    pages = [_open(browser, base + PAGE) for _ in range(students)]
    try:
        for page in pages:
            page.wait_for_function(f"() => ({FRAMES})() >= {WARM_FRAMES}", timeout=120_000)
        cpu, start = process_cpu_seconds(pid), time.monotonic()
        before = [page.evaluate(FRAMES) for page in pages]
        time.sleep(seconds)
        after = [page.evaluate(FRAMES) for page in pages]
        elapsed = time.monotonic() - start
        cores = (process_cpu_seconds(pid) - cpu) / elapsed
        costs = [page.evaluate(MS_PER_FRAME) for page in pages]
    finally:
        for page in pages:
            page.context.close()
    fps = [(b - a) / elapsed for a, b in zip(before, after)]
    return Round("browser", students, elapsed, fps, costs, cores)


def _server_frames(page) -> int:
    text = " ".join(page.locator('[data-testid="stCaptionContainer"]').all_inner_texts())
    found = re.search(r"\((\d+) frames so far\)", text)
    return int(found[1]) if found else 0


def server_round(browser, base: str, path: str, seconds: float, pid: int) -> Round:
    """One student on a WebRTC path: the server sees every frame."""
    page = _open(browser, base + SERVER_PATHS[path][0])
    try:
        player = page.frame_locator('iframe[title*="webrtc"]').first
        player.get_by_role("button", name="Start the camera").click(timeout=120_000)
        deadline = time.monotonic() + 120
        while _server_frames(page) < WARM_FRAMES and time.monotonic() < deadline:
            time.sleep(0.5)
        cpu, start, before = process_cpu_seconds(pid), time.monotonic(), _server_frames(page)
        time.sleep(seconds)
        after = _server_frames(page)  # the page's caption lags up to a second behind
        elapsed = time.monotonic() - start
        cores = (process_cpu_seconds(pid) - cpu) / elapsed
    finally:
        page.context.close()
    return Round(path, 1, elapsed, [(after - before) / elapsed], [], cores)


def measure(sizes, seconds: float, camera_fps: int, server_path: bool) -> list[Round]:
    from playwright.sync_api import sync_playwright

    rounds = []
    with app_processes(APP, log="camera-bench") as (server,), sync_playwright() as playwright:
        browser = _launch(playwright, camera_fps)
        try:
            _open(browser, server.url + PAGE).context.close()  # the app's first run, unmeasured
            for students in sizes:
                rounds.append(browser_round(browser, server.url, students, seconds, server.pid))
            for path in SERVER_PATHS if server_path else ():
                rounds.append(server_round(browser, server.url, path, seconds, server.pid))
        finally:
            browser.close()
    return rounds


def report(rounds: list[Round], camera_fps: int) -> bool:
    rows, within = [], True
    for r in rounds:
        fps_ok = r.path != "browser" or r.students > 1 or min(r.fps) >= MIN_FPS
        cpu_ok = r.path != "browser" or r.cores_per_student < MAX_CORES_PER_STUDENT
        within &= fps_ok and cpu_ok
        verdict = "ok" if fps_ok and cpu_ok else "OVER"
        rows.append(
            [
                "in the browser" if r.path == "browser" else SERVER_PATHS[r.path][1],
                str(r.students),
                f"{statistics.median(r.fps):.1f}",
                f"{min(r.fps):.1f}",
                f"{statistics.median(r.ms_per_frame):.1f}" if r.ms_per_frame else "-",
                f"{r.server_cores:.3f}",
                f"{r.cores_per_student:.4f}",
                verdict if r.path == "browser" else "reference",
            ]
        )
    camera = f"{camera_fps} fps" if camera_fps else "chromium's default (20 fps)"
    print(f"Live camera, 3 kernels at 320 x 240, fake camera at {camera}, one app process")
    header = ["where", "students", "fps median", "fps min", "browser ms/frame",
              "server cores", "cores/student", "budget"]  # fmt: skip
    print(table(rows, header))
    print(
        f"budget: >= {MIN_FPS:.0f} fps with one student (ten share this machine's cores), "
        f"< {MAX_CORES_PER_STUDENT} of a core of server CPU per student"
    )
    return within


def run(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(prog="python -m benchmarks camera")
    parser.add_argument("--students", type=int, nargs="+", default=list(CLASS_SIZES))
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--camera-fps", type=int, default=CAMERA_FPS, help="0: chromium's own")
    parser.add_argument("--no-server-path", dest="server_path", action="store_false")
    options = parser.parse_args(argv or [])
    if not Path(CHROMIUM).exists():
        print(f"camera benchmark skipped: no {CHROMIUM}")
        return True
    rounds = measure(options.students, options.seconds, options.camera_fps, options.server_path)
    within = report(rounds, options.camera_fps)
    records = [{**asdict(r), "cores_per_student": r.cores_per_student} for r in rounds]
    path = save_results("camera", {"camera_fps": options.camera_fps, "rounds": records})
    print(f"results: {path.relative_to(ROOT)}")
    return within
