"""A class at work: N students move a slider once a second, on one process and on two.

    python -m benchmarks busy_class                       # 16, 32 and 48 students, 20 s each
    python -m benchmarks busy_class --students 24 48 --seconds 30

The load benchmark drives real pages in one chromium, which on two cores takes most of
the CPU from the server and hides what a second app process gains. Here, as in the burst
benchmark, the students speak to the server as chromium does and do not draw: each joins
(the recorded join of ``burst``), then sends, once a second, the very message chromium
sent when Stride was moved on the Convolution page (two recorded moves, 1 to 2 and 2 to
3, taken in turn, so every message is a change), and waits for the script run's end and
the pictures it refers to before its next move. The same students run against one app
process and against two behind nginx (the class set-up, ``deploy/``).

Reported per set-up and class size: changes served per second, the time from a move to
its run's end and pictures (median and p95), errors (must be 0) and the server CPU per
change. Results go to benchmarks/results/busy-class-<date>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .browser import ARGS, CHROMIUM, FEATURE_MAP, PAGE_DRAWN, PAINTED, ROOT, Slider, watch_drawing
from .burst import TIMEOUT, Join, joined, record_join
from .cluster import app_processes, nginx_in_front, process_cpu_seconds
from .saved import save_results
from .startup import APP
from .timing import table

CLASS_SIZES = (16, 32, 48)
SECONDS = 20.0
PAGE = "/"
HEADER = [
    "setup", "students", "errors", "changes/s", "change s med/p95", "CPU ms/change",
    "students' CPU",
]  # fmt: skip


@contextlib.contextmanager
def recording_tab(base: str, page: str):
    """A chromium tab on ``page`` once its map was painted and the page drawn, and the
    list of every message it sends (growing as it acts); the browser closes after."""
    from playwright.sync_api import sync_playwright

    sent: list[bytes] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(watch_drawing(FEATURE_MAP))  # the map comes before the rest
        tab = context.new_page()
        tab.on("websocket", lambda ws: ws.on("framesent", lambda data: sent.append(bytes(data))))
        tab.goto(base + page)
        tab.wait_for_function(PAINTED, arg=FEATURE_MAP, timeout=TIMEOUT * 1000, polling="raf")
        tab.wait_for_function(PAGE_DRAWN, timeout=TIMEOUT * 1000, polling="raf")
        try:
            yield tab, sent
        finally:
            browser.close()


def record_moves(base: str, page: str = PAGE, slider: str = "Stride") -> list[bytes]:
    """Move ``slider`` twice in chromium (one step right each time); the two messages
    chromium sent, each once its new feature map was painted."""
    with recording_tab(base, page) as (tab, sent):
        joined_with = len(sent)
        mover = Slider(tab, slider, FEATURE_MAP)
        mover.press()
        mover.press()
    moves = sent[joined_with:]
    if len(moves) != 2:
        raise RuntimeError(f"chromium sent {len(moves)} messages for two moves of {slider}")
    return moves


@dataclass
class Round:
    setup: str
    students: int
    seconds: float
    changes: list[float] = field(default_factory=list)  # seconds from a move to its answer
    errors: list[str] = field(default_factory=list)
    cpu_ms_per_change: float = float("nan")
    students_cpu_cores: float = float("nan")  # what the students themselves took

    @property
    def per_second(self) -> float:
        return len(self.changes) / self.seconds

    @property
    def p95(self) -> float:
        ordered = sorted(self.changes)
        return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0


def _student(base: str, join: Join, moves: list[bytes], gate: dict, out: Round) -> None:
    """Join, wait at the start line, then move once a second until the round ends."""
    lock = gate["lock"]
    try:
        with joined(base, join) as session:
            gate["ready"].release()
            gate["start"].wait()
            time.sleep(random.uniform(0.0, 1.0))  # students do not move in step
            move = 0
            while time.monotonic() < gate["end"]:
                began = time.monotonic()
                session.socket.send(moves[move % 2])
                session.await_run(began + TIMEOUT, need_map=False)
                answered = time.monotonic()
                with lock:
                    out.changes.append(answered - began)
                move += 1
                time.sleep(max(0.0, 1.0 - (answered - began)))
    except Exception as error:  # reported, never hidden: a student that failed counts
        with lock:
            out.errors.append(f"{type(error).__name__}: {error}")
        gate["ready"].release()


def class_round(base: str, join: Join, moves, students: int, seconds: float, pids, setup):
    """``students`` join, then all move together for ``seconds``."""
    out = Round(setup, students, seconds)
    gate = {
        "lock": threading.Lock(),
        "ready": threading.Semaphore(0),
        "start": threading.Event(),
        "end": float("inf"),
    }
    threads = [
        threading.Thread(target=_student, args=(base, join, moves, gate, out))
        for _ in range(students)
    ]
    for thread in threads:
        thread.start()
    for _ in threads:
        gate["ready"].acquire()
    cpu_before = sum(process_cpu_seconds(pid) for pid in pids)
    own_before = time.process_time()
    gate["end"] = time.monotonic() + seconds
    gate["start"].set()
    for thread in threads:
        thread.join()
    cpu = sum(process_cpu_seconds(pid) for pid in pids) - cpu_before
    out.students_cpu_cores = (time.process_time() - own_before) / seconds
    out.cpu_ms_per_change = 1000 * cpu / max(1, len(out.changes))
    return out


def measure(sizes=CLASS_SIZES, seconds: float = SECONDS) -> list[Round]:
    rounds = []
    with app_processes(APP) as (single,):
        join, moves = record_join(single.url, PAGE), record_moves(single.url)
        for students in sizes:
            rounds.append(
                class_round(single.url, join, moves, students, seconds, [single.pid], "one process")
            )
    with app_processes(APP, 2) as pair, nginx_in_front([s.port for s in pair]) as proxy:
        pids = [s.pid for s in pair]
        for students in sizes:
            rounds.append(
                class_round(proxy, join, moves, students, seconds, pids, "two behind nginx")
            )
    return rounds


def report(rounds: list[Round]) -> bool:
    rows = []
    for result in rounds:
        done = result.changes
        rows.append(
            [
                result.setup,
                str(result.students),
                str(len(result.errors)),
                f"{result.per_second:.1f}",
                f"{statistics.median(done):.2f} / {result.p95:.2f}" if done else "-",
                f"{result.cpu_ms_per_change:.0f}",
                f"{result.students_cpu_cores:.2f} cores",
            ]
        )
    print("A class at work: every student moves Stride once a second (protocol students)")
    print(table(rows, HEADER))
    for result in rounds:
        for error in result.errors[:3]:
            print(f"  {result.setup}, {result.students}: {error}")
    return all(not result.errors for result in rounds)


def run(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(prog="python -m benchmarks busy_class")
    parser.add_argument("--students", type=int, nargs="+", default=list(CLASS_SIZES))
    parser.add_argument("--seconds", type=float, default=SECONDS)
    options = parser.parse_args(argv or [])
    if not Path(CHROMIUM).exists():
        print(f"busy-class benchmark skipped: no {CHROMIUM}")
        return True
    rounds = measure(options.students, options.seconds)
    within = report(rounds)
    path = save_results("busy-class", {"rounds": [asdict(r) for r in rounds]})
    print(f"results: {path.relative_to(ROOT)}")
    return within
