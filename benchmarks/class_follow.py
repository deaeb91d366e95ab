"""Following the teacher: what idle followers cost the server, and how fast a teacher's
change reaches every student's feature map.

    python -m benchmarks class_follow                    # 10 and 40 students, one process and two
    python -m benchmarks class_follow --students 10 --changes 5 --idle 10
    python -m benchmarks class_follow --students 10 --setups one   # one process only

As in the burst and busy-class benchmarks, the students speak to the server as chromium
does and do not draw, so their drawing does not take the server's cores. A real chromium
opens the page once (the recorded join of ``burst``) and, as a teacher, presses "Start a
class" and moves Stride twice (1 to 2, 2 to 3): the messages it sent are replayed. The
teacher is a protocol session that joins, sends the recorded "Start a class" message and
reads its class code from the sidebar; each student opens the join link ``/?class=CODE``
(the recorded join with that address and query). Every session keeps reading its
websocket (fetching the pictures a run refers to, as a browser does).

Per set-up (one process; two behind nginx sharing Redis, as ``deploy/``) and class size:

1. Idle: the server's CPU (/proc/<pid>/stat of every app process) over ``--idle``
   seconds with nobody acting, per student per second, for N sessions that joined the
   plain page (the reference) and then for N that follow the teacher. Budget: what a
   follower adds to the reference <= 2 ms of CPU a second (the idle server's own
   housekeeping, shared by every session, is in both).
2. The teacher's change: the teacher sends a recorded Stride move ``--changes`` times,
   a few seconds apart; for each change and student, the time from the teacher's message
   to the arrival of the student's new feature map: the map element equal to the one the
   teacher's own run sent for that change (a map an earlier change left still arriving
   does not count; how often a student's first new map was such a one is reported). Budgets
   (p95 over students x changes): <= 0.5 s for 10 students on one process, <= 1.0 s for
   40 on two behind nginx. A change a student never gets counts as missed (must be 0).

The sessions themselves (the recorded teacher, the join link, the reader of each
websocket) are in ``class_sessions.py``; this module runs the rounds and reports them.

Results go to benchmarks/results/class-follow-<date>.json; the app processes' output to
test-artifacts/class-follow-<setup>-<i>.log.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .browser import CHROMIUM, ROOT
from .burst import record_join
from .class_sessions import Reader, follower_join, join_all, record_teacher, teacher_session
from .cluster import NGINX, REDIS, app_processes, nginx_in_front, process_cpu_seconds, redis_server
from .saved import save_results
from .startup import APP
from .timing import table

CLASS_SIZES = (10, 40)
SETUPS = ("one", "nginx")  # one process; two behind nginx
IDLE_SECONDS = 20.0
CHANGES = 10
GAP_SECONDS = 2.5  # between the teacher's changes (longer when the last is still arriving)
CHANGE_TIMEOUT = 10.0  # a student without its new map this long after a change missed it
SETTLE_SECONDS = 2.0  # after the joins, before the idle measurement (and a quiet second)
QUIET_CPU_S = 0.03  # server CPU in a second that counts as quiet
IDLE_BUDGET_MS = 2.0  # server CPU a second per idle follower
CHANGE_BUDGETS = {("one process", 10): 0.5, ("two behind nginx", 40): 1.0}  # p95 seconds
HEADER = [
    "setup", "students", "errors", "idle ms/s/student ref / follow / added",
    "change s med / p95",
    "got / missed", "budget",
]  # fmt: skip


@dataclass
class Round:
    setup: str
    students: int
    idle_seconds: float
    reference_ms_per_student_s: float = float("nan")  # N plain sessions, nobody acting
    follow_ms_per_student_s: float = float("nan")  # N followers, nobody acting
    reference_runs_while_idle: int = 0
    follow_runs_while_idle: int = 0  # script runs of followers while nobody acted
    teacher_saw_following: int | None = None  # "N students following now"
    teacher_runs_while_idle: int = 0
    changes: list[list[float]] = field(default_factory=list)  # per change: each student's s
    missed: int = 0  # (student, change) pairs without the teacher's new map in CHANGE_TIMEOUT
    first_map_not_teachers: int = 0  # a student's first new map was another (an earlier one)
    pictures_missing: int = 0  # pictures a student's run referred to that were gone (404)
    wall_seconds: float = float("nan")
    teacher_seconds: list[float] = field(default_factory=list)  # the teacher's own new map
    runs_per_change: float = float("nan")  # script runs a student made per change
    change_cpu_ms_per_student: float = float("nan")  # server CPU per change per student
    server_cores_during_changes: float = float("nan")  # the app processes' CPU share
    students_cpu_cores: float = float("nan")  # what this process (the students) took
    errors: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> list[float]:
        return [s for change in self.changes for s in change]

    @property
    def p95(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else float("nan")

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def added_ms_per_student_s(self) -> float:
        """What following adds to an idle session's server CPU, ms a second."""
        return self.follow_ms_per_student_s - self.reference_ms_per_student_s

    @property
    def change_budget(self) -> float | None:
        return CHANGE_BUDGETS.get((self.setup, self.students))

    @property
    def within_budget(self) -> bool:
        ok = not self.errors and self.missed == 0
        ok &= self.added_ms_per_student_s <= IDLE_BUDGET_MS
        if self.change_budget is not None:
            ok &= self.p95 <= self.change_budget
        return ok


def _idle_cpu(pids: list[int], seconds: float) -> float:
    """Server CPU seconds of ``pids`` over ``seconds`` with nobody acting."""
    before = sum(process_cpu_seconds(pid) for pid in pids)
    time.sleep(seconds)
    return sum(process_cpu_seconds(pid) for pid in pids) - before


def _one_change(teacher: Reader, readers: list[Reader], move: bytes):
    """The teacher sends ``move``. Returns when it was sent; each student's arrival time of
    the teacher's new map (None: not within CHANGE_TIMEOUT); how many students' first new
    map was another one (an earlier change's, still arriving); the teacher's own map time."""
    sent = time.monotonic()
    olds = [reader.map_at(sent) for reader in readers]
    teacher_old = teacher.map_at(sent)
    teacher.session.socket.send(move)
    deadline = sent + CHANGE_TIMEOUT
    teacher.wait(lambda: teacher.new_map_after(sent, teacher_old) is not None, CHANGE_TIMEOUT)
    own = teacher.new_map_after(sent, teacher_old)
    arrivals: list[float | None] = [None] * len(readers)
    while True:
        for k, reader in enumerate(readers):
            if arrivals[k] is None:
                if own is not None:
                    arrivals[k] = reader.map_after(sent, own[1])
                else:  # the teacher's map did not come: any new map counts
                    first = reader.new_map_after(sent, olds[k])
                    arrivals[k] = first[0] if first else None
        if all(arrival is not None for arrival in arrivals) or time.monotonic() > deadline:
            break
        time.sleep(0.02)  # the readers note each map's arrival themselves
    others = 0
    if own is not None:
        for reader, old in zip(readers, olds, strict=True):
            first = reader.new_map_after(sent, old)
            others += first is not None and first[1] != own[1]
    return sent, arrivals, others, (own[0] - sent if own else None)


def _settle(pids: list[int], seconds: float = 10.0) -> None:
    """Wait (at most ``seconds``) for a quiet second on the server: the joins' and the
    last sessions' leaving work done, so it is not counted as idle cost."""
    deadline = time.monotonic() + seconds
    time.sleep(SETTLE_SECONDS)
    while time.monotonic() < deadline:
        before = sum(process_cpu_seconds(pid) for pid in pids)
        time.sleep(1.0)
        if sum(process_cpu_seconds(pid) for pid in pids) - before <= QUIET_CPU_S:
            return


def class_round(base, join, teacher, moves, students, pids, setup, *, idle, changes) -> Round:
    out = Round(setup, students, idle)
    round_began = time.monotonic()
    # The reference: the same number of sessions on the plain page, nobody acting.
    with contextlib.ExitStack() as stack:
        readers, failures = join_all(stack, base, join, students, "reference")
        out.errors += failures
        _settle(pids)
        start = time.monotonic()
        cpu = _idle_cpu(pids, idle)
        out.reference_ms_per_student_s = 1000 * cpu / students / idle
        out.reference_runs_while_idle = sum(r.runs_between(start, start + idle) for r in readers)
        out.errors += [r.error for r in readers if r.error]
    # The class: every student opens the join link.
    with contextlib.ExitStack() as stack:
        readers, failures = join_all(
            stack, base, follower_join(join, teacher.code), students, "student"
        )
        out.errors += failures
        # Students of an earlier round that have gone may still be counted: at least N.
        teacher.wait(lambda: (teacher.following or 0) >= students, 15)
        out.teacher_saw_following = teacher.following
        _settle(pids)
        start = time.monotonic()
        cpu = _idle_cpu(pids, idle)
        out.follow_ms_per_student_s = 1000 * cpu / students / idle
        out.follow_runs_while_idle = sum(r.runs_between(start, start + idle) for r in readers)
        out.teacher_runs_while_idle = teacher.runs_between(start, start + idle)
        # The teacher's changes.
        cpu_before = sum(process_cpu_seconds(pid) for pid in pids)
        own_before = time.process_time()
        began = time.monotonic()
        runs = 0
        for index in range(changes):
            try:
                sent, arrivals, others, own = _one_change(
                    teacher, readers, moves[index % len(moves)]
                )
            except Exception as error:  # the teacher's connection is gone: the round ends
                out.errors.append(f"change {index + 1}: {type(error).__name__}: {error}")
                break
            if own is not None:
                out.teacher_seconds.append(own)
            out.changes.append([arrival - sent for arrival in arrivals if arrival is not None])
            out.missed += sum(arrival is None for arrival in arrivals)
            out.first_map_not_teachers += others
            # The next change a few seconds after this one (at least half a second after
            # the last student's map).
            time.sleep(max(0.5, sent + GAP_SECONDS - time.monotonic()))
            runs += sum(r.runs_between(sent, time.monotonic()) for r in readers)
        elapsed = time.monotonic() - began
        cpu = sum(process_cpu_seconds(pid) for pid in pids) - cpu_before
        out.students_cpu_cores = (time.process_time() - own_before) / elapsed
        out.change_cpu_ms_per_student = 1000 * cpu / max(1, changes * students)
        out.server_cores_during_changes = cpu / elapsed
        out.runs_per_change = runs / max(1, changes * len(readers))
        out.pictures_missing = sum(r.pictures_missing for r in readers)
        out.errors += [r.error for r in readers if r.error]
    if teacher.error:
        out.errors.append(teacher.error)
    out.wall_seconds = time.monotonic() - round_began
    return out


def _setup_rounds(base, join, start, moves, pids, setup, sizes, idle, changes) -> list[Round]:
    rounds = []
    for students in sizes:  # a class of its own for each size
        print(f"  {setup}: {students} students ...", flush=True)
        with teacher_session(base, join, start) as teacher:
            rounds.append(
                class_round(
                    base, join, teacher, moves, students, pids, setup, idle=idle, changes=changes
                )
            )
    return rounds


def measure(
    sizes=CLASS_SIZES, *, idle: float = IDLE_SECONDS, changes: int = CHANGES, setups=SETUPS
):
    rounds: list[Round] = []
    with app_processes(APP, log="class-follow-one") as (single,):
        join = record_join(single.url, "/")
        start, moves = record_teacher(single.url)
        if "one" in setups:
            rounds += _setup_rounds(
                single.url, join, start, moves, [single.pid], "one process", sizes, idle, changes
            )
    if "nginx" not in setups:
        return rounds
    with (
        redis_server() as redis_url,
        app_processes(
            APP, 2, env={"CONVSCOPE_REDIS_URL": redis_url}, log="class-follow-nginx"
        ) as pair,
        nginx_in_front([s.port for s in pair]) as proxy,
    ):
        pids = [s.pid for s in pair]
        rounds += _setup_rounds(
            proxy, join, start, moves, pids, "two behind nginx", sizes, idle, changes
        )
    return rounds


def report(rounds: list[Round]) -> bool:
    rows = []
    for result in rounds:
        budget = result.change_budget
        rows.append(
            [
                result.setup,
                str(result.students),
                str(len(result.errors)),
                f"{result.reference_ms_per_student_s:.2f} / {result.follow_ms_per_student_s:.2f}"
                f" / {result.added_ms_per_student_s:+.2f}",
                f"{result.median:.2f} / {result.p95:.2f}",
                f"{len(result.seconds)} / {result.missed}",
                ("ok" if result.within_budget else "OVER")
                + (f" (p95 <= {budget})" if budget else ""),
            ]
        )
    print(
        "Following the teacher (protocol students): idle server CPU per student, and a "
        f"teacher's Stride change to every student's new map (added <= {IDLE_BUDGET_MS} ms/s)"
    )
    print(table(rows, HEADER))
    for result in rounds:
        print(
            f"  {result.setup}, {result.students} ({result.wall_seconds:.0f} s): teacher saw "
            f"{result.teacher_saw_following} following; runs while idle "
            f"{result.reference_runs_while_idle} (ref) / {result.follow_runs_while_idle} "
            f"(followers) / {result.teacher_runs_while_idle} (teacher); "
            f"{result.first_map_not_teachers} first new maps were an earlier change's; "
            f"{result.pictures_missing} pictures gone (404); {result.runs_per_change:.1f} runs per "
            f"student per change; {result.change_cpu_ms_per_student:.0f} ms server CPU per "
            f"student per change (server busy {result.server_cores_during_changes:.2f} "
            f"cores); teacher's own map {_median(result.teacher_seconds):.2f} s; "
            f"students' CPU {result.students_cpu_cores:.2f} cores"
        )
        for error in result.errors[:3]:
            print(f"  {result.setup}, {result.students}: {error}")
    return all(result.within_budget for result in rounds)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def save(rounds: list[Round]) -> Path:
    records = []
    for result in rounds:
        record = asdict(result)
        record.update(
            added_ms_per_student_s=result.added_ms_per_student_s,
            median=result.median,
            p95=result.p95,
            within_budget=result.within_budget,
        )
        records.append(record)
    # Streamlit options given through the environment (an experiment's, e.g.
    # STREAMLIT_RUNNER_POST_SCRIPT_GC=false) reach the app processes: keep them with the run.
    options = {name: value for name, value in os.environ.items() if name.startswith("STREAMLIT_")}
    return save_results(
        "class-follow",
        {"load_average": os.getloadavg(), "streamlit_environment": options, "rounds": records},
    )


def run(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(prog="python -m benchmarks class_follow")
    parser.add_argument("--students", type=int, nargs="+", default=list(CLASS_SIZES))
    parser.add_argument("--idle", type=float, default=IDLE_SECONDS)
    parser.add_argument("--changes", type=int, default=CHANGES)
    parser.add_argument("--setups", nargs="+", choices=SETUPS, default=list(SETUPS))
    options = parser.parse_args(argv or [])
    for tool in (CHROMIUM, NGINX, REDIS):
        if not Path(tool).exists():
            print(f"class-follow benchmark skipped: no {tool}")
            return True
    rounds = measure(
        options.students, idle=options.idle, changes=options.changes, setups=options.setups
    )
    within = report(rounds)
    print(f"results: {save(rounds).relative_to(ROOT)}")
    return within
