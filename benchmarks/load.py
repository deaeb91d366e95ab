"""Many students at once: N browser sessions on one server, each with its own photo.

    python -m benchmarks load                    # N = 1, 4, 8, 16, 30 s each, app and bare page
    python -m benchmarks load --sessions 24 --seconds 20
    python -m benchmarks load --replicas 2       # two app processes behind nginx (sticky)

Every session is a context of one headless chromium on loopback. All sessions open the
Convolution page together (the "join": time to the first feature map), upload their own
12-megapixel photo, then move the Stride slider once a second and wait for the new feature
map. After each change the session reads back the input picture the page shows and checks
it is its own: every photo has its own brightness, so a picture from another session is
caught by its median grey level (a leak). Half-way through, each session opens the
Pooling page, uploads its photo there and goes on with that page's Stride slider (one
student's visit: ``load_student.py``; the round, its measurements and report: here).

The reference is a bare Streamlit page redrawing one image on a slider, under the same
number of sessions. Reported: errors and leaks (both must be 0), median and p95 latency,
server CPU seconds per change and per join (from /proc), and resident memory per session.
Results go to benchmarks/results/load-<date>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .browser import ARGS, CHROMIUM, ROOT
from .cluster import app_processes, nginx_in_front, process_cpu_seconds, process_rss_mb
from .load_student import LEVEL_TOLERANCE, STAGES, Gates, Session, _student, level, photo
from .saved import save_results
from .timing import table

__all__ = ["LEVEL_TOLERANCE", "level", "measure", "photo", "report", "run", "table"]

SESSION_COUNTS = (1, 4, 8, 16)
CPU_BUDGET = 2.0  # app CPU per change against the bare page's, same load
RSS_BUDGET_MB = 30


@dataclass
class Round:
    page: str
    sessions: int
    replicas: int
    changes: int
    errors: int
    leaks: int
    own_picture_checks: int
    presses_retried: int
    join_median_s: float
    join_max_s: float
    change_median_s: float
    change_p95_s: float
    server_cpu_per_change_ms: float
    server_cpu_per_join_s: float
    server_cpu_per_upload_s: float
    rss_start_mb: float
    rss_per_session_mb: float
    error_samples: list[str]


def _p95(values: list[float]) -> float:
    return float(np.percentile(values, 95)) if values else float("nan")


async def _all(events) -> None:
    await asyncio.gather(*(event.wait() for event in events))


async def _conduct(browser, url, pids, n, seconds, app):
    """Run the round's phases; returns the sessions and the CPU seconds of each phase."""
    cpu = lambda: sum(process_cpu_seconds(pid) for pid in pids)  # noqa: E731
    sessions = [Session(index=i, index_in_round=i) for i in range(n)]
    gates = Gates(n, len(STAGES[app]))
    spent = {"join": 0.0, "upload": 0.0, "change": 0.0}
    counted = 0
    mark = cpu()
    students = asyncio.gather(*(_student(browser, url, s, gates, app) for s in sessions))
    await _all(gates.ready[0])
    spent["join"], mark = cpu() - mark, cpu()
    for number in range(len(STAGES[app])):
        await _all(gates.ready[number + 1])
        spent["upload"] += cpu() - mark
        before, mark = sum(len(s.changes) for s in sessions), cpu()
        gates.ends[number] = time.perf_counter() + seconds / len(STAGES[app])
        gates.go[number].set()
        await _all(gates.done[number])
        spent["change"] += cpu() - mark
        counted += sum(len(s.changes) for s in sessions) - before
        mark = cpu()
    await students
    return sessions, spent, counted


async def _round(url: str, pids: list[int], n: int, seconds: float, app: bool, replicas: int):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # One session first, so one-off costs (imports, caches) are not counted per session.
        await _conduct(browser, url, pids, 1, 2, app)
        rss_start = sum(process_rss_mb(pid) for pid in pids)
        rss_peak = [rss_start]
        watching = True

        async def watch_memory() -> None:
            while watching:
                rss_peak.append(sum(process_rss_mb(pid) for pid in pids))
                await asyncio.sleep(0.5)

        watcher = asyncio.create_task(watch_memory())
        sessions, spent, counted = await _conduct(browser, url, pids, n, seconds, app)
        watching = False
        await watcher
        await browser.close()
    changes = [c for s in sessions for c in s.changes]
    joins = [s.join_seconds for s in sessions if not np.isnan(s.join_seconds)]
    uploads = n * len(STAGES[app]) if app else 0
    return Round(
        page="ConvScope" if app else "bare page",
        sessions=n,
        replicas=replicas,
        changes=len(changes),
        errors=sum(len(s.errors) for s in sessions),
        leaks=sum(s.leaks for s in sessions),
        own_picture_checks=sum(s.checks for s in sessions),
        presses_retried=sum(s.retried for s in sessions),
        join_median_s=statistics.median(joins) if joins else float("nan"),
        join_max_s=max(joins) if joins else float("nan"),
        change_median_s=statistics.median(changes) if changes else float("nan"),
        change_p95_s=_p95(changes),
        server_cpu_per_change_ms=1e3 * spent["change"] / max(1, counted),
        server_cpu_per_join_s=spent["join"] / n,
        server_cpu_per_upload_s=spent["upload"] / uploads if uploads else float("nan"),
        rss_start_mb=rss_start,
        rss_per_session_mb=(max(rss_peak) - rss_start) / n,
        error_samples=[e for s in sessions for e in s.errors + s.leak_notes][:8],
    )


def measure(
    sessions: int, seconds: float, *, app: bool = True, replicas: int = 1, server_args=()
) -> Round:
    """One round on fresh servers: ``sessions`` students for about ``seconds``."""
    script = ROOT / ("app/streamlit_app.py" if app else "benchmarks/bare_app.py")
    log = f"load-server-{'app' if app else 'bare'}-{sessions}"
    with app_processes(script, replicas, extra_args=server_args, log=log) as servers:
        pids = [server.pid for server in servers]
        if replicas == 1:
            return asyncio.run(_round(servers[0].url, pids, sessions, seconds, app, replicas))
        with nginx_in_front([server.port for server in servers]) as proxy:
            return asyncio.run(_round(proxy, pids, sessions, seconds, app, replicas))


def _rows(rounds: list[Round]) -> list[list[str]]:
    return [
        [
            r.page,
            str(r.sessions),
            str(r.replicas),
            str(r.changes),
            f"{r.errors} ({r.presses_retried})",
            f"{r.leaks}/{r.own_picture_checks}",
            f"{r.join_median_s:.1f} / {r.join_max_s:.1f}",
            f"{r.change_median_s:.2f} / {r.change_p95_s:.2f}",
            f"{r.server_cpu_per_change_ms:.0f}",
            f"{r.server_cpu_per_join_s:.2f}",
            f"{r.server_cpu_per_upload_s:.2f}",
            f"{r.rss_start_mb:.0f} + {r.rss_per_session_mb:.1f}",
        ]
        for r in rounds
    ]


HEADER = [
    "page",
    "N",
    "procs",
    "changes",
    "errors (keys again)",
    "leaks/checks",
    "join s med/max",
    "change s med/p95",
    "CPU ms/change",
    "CPU s/join",
    "CPU s/upload",
    "RSS MB start + per session",
]


def report(rounds: list[Round]) -> bool:
    print("Many students: N sessions at once, each with its own photo, a change a second")
    print(table(_rows(rounds), HEADER))
    ok = all(r.errors == 0 and r.leaks == 0 for r in rounds)
    for app_round in (r for r in rounds if r.page == "ConvScope"):
        bare = [
            r
            for r in rounds
            if r.page == "bare page"
            and r.sessions == app_round.sessions
            and r.replicas == app_round.replicas
        ]
        if bare:
            ratio = app_round.server_cpu_per_change_ms / bare[0].server_cpu_per_change_ms
            verdict = "ok" if ratio <= CPU_BUDGET else "OVER"
            print(
                f"N={app_round.sessions}: CPU per change {ratio:.2f}x the bare page's "
                f"(budget <= {CPU_BUDGET}x) {verdict}"
            )
            ok &= ratio <= CPU_BUDGET
        if app_round.sessions >= 4:
            ok &= app_round.rss_per_session_mb <= RSS_BUDGET_MB
    single = [r for r in rounds if r.page == "ConvScope" and r.replicas == 1]
    if single:
        busiest = max(single, key=lambda r: r.sessions)
        per_core = 1000 / max(busiest.server_cpu_per_change_ms, 1e-9)
        print(
            f"One core carries about {per_core:.0f} changes a second at N={busiest.sessions}: "
            f"that many students each changing a setting every second."
        )
    return ok


def save(rounds: list[Round], name: str = "load") -> Path:
    return save_results(name, {"rounds": [asdict(r) for r in rounds]})


def run(argv: list[str] | None = None) -> bool:
    if not os.path.exists(CHROMIUM):
        print(f"load benchmark skipped: no {CHROMIUM}")
        return True
    parser = argparse.ArgumentParser(prog="python -m benchmarks load")
    parser.add_argument("--sessions", type=int, nargs="*", default=list(SESSION_COUNTS))
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--no-bare", action="store_true", help="skip the bare-page rounds")
    parser.add_argument(
        "--server-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Streamlit option for the app servers, e.g. runner.postScriptGC=false",
    )
    options = parser.parse_args(argv or [])
    rounds = []
    for n in options.sessions:
        server_args = [
            part
            for option in options.server_option
            for part in ("--" + option.split("=", 1)[0], option.split("=", 1)[1])
        ]
        rounds.append(
            measure(n, options.seconds, replicas=options.replicas, server_args=server_args)
        )
        if not options.no_bare:
            rounds.append(measure(n, options.seconds, app=False, replicas=options.replicas))
        print(table(_rows(rounds[-2:]), HEADER), flush=True)
    ok = report(rounds)
    print(f"written to {save(rounds).relative_to(ROOT)}")
    return ok
