"""A class opening the link together: N students join one server in the same instant.

    python -m benchmarks burst                   # 24 students: one process, two behind nginx
    python -m benchmarks burst --students 40

One headless chromium on the same two cores cannot stand in for 24 students' own
devices (drawing 24 pages, it takes the cores from the server: the load benchmark's 16
joins take 20 s even on a bare page). So the students here speak to the server exactly as
chromium does and do not draw: a real chromium opens the page once and its requests are
recorded (the page, the ~60 scripts and fonts it asks for before its websocket opens, the
message it sends on it, the ~50 scripts it asks for once the page's elements arrive);
then every student, at the same instant, asks for the same files over six connections
(as a browser does), opens its own websocket, sends the same first message, fetches the
pictures the page refers to, and is done when its feature map and the end of the script
run have arrived and every file is in. One real chromium joins in the same instant and
reports when it painted its map: what a student's own device sees during the burst,
including drawing the page.

Reported: every student's time to its first map (median and slowest), errors (must be
0), and the server CPU seconds per join. The target (DESIGN.md, the class issue): 24
students all have their first map within 10 s. Results go to
benchmarks/results/burst-<date>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import queue
import re
import statistics
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .browser import ARGS, CHROMIUM, FEATURE_MAP, PAGE_DRAWN, PAINTED, ROOT, watch_drawing
from .cluster import app_processes, nginx_in_front, process_cpu_seconds
from .saved import save_results
from .startup import APP
from .timing import table

MAP_COMPONENT = "convscope_clickable_image"
STUDENTS = 24
TARGET_SECONDS = 10.0
CONNECTIONS = 6  # chromium's parallel connections to one host
TIMEOUT = 120.0
HEADER = [
    "setup", "students", "errors", "median s", "slowest s", "chromium s", "CPU s/join", "target",
]  # fmt: skip
_MEDIA = re.compile(rb"/media/[0-9a-f]{16,64}\.[a-z0-9]{2,5}")


@dataclass
class Join:
    """What chromium asked the server for while opening the page: replayed by students."""

    page: str  # path and query of the page
    before: list[str]  # files asked for before the websocket opened
    after: list[str]  # files asked for once the elements arrived (element code)
    first_message: bytes  # the first message chromium sent on the websocket


def record_join(base: str, page: str) -> Join:
    """Open ``page`` once in chromium and keep what it asked for until the whole page was
    drawn (a new session's map is painted before the code of most of its elements is
    asked for)."""
    from playwright.sync_api import sync_playwright

    requests: list[tuple[str, bool]] = []
    sent: list[bytes] = []
    opened = threading.Event()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(watch_drawing(FEATURE_MAP))
        tab = context.new_page()

        def on_request(request) -> None:
            if request.url.startswith(base) and request.resource_type != "document":
                path = request.url[len(base) :]
                if not path.startswith(("/media/", "/_stcore/stream")):
                    requests.append((path, opened.is_set()))

        def on_websocket(socket) -> None:
            opened.set()
            socket.on("framesent", lambda payload: sent.append(bytes(payload)))

        tab.on("request", on_request)
        tab.on("websocket", on_websocket)
        tab.goto(base + page)
        tab.wait_for_function(PAINTED, arg=FEATURE_MAP, timeout=TIMEOUT * 1000, polling="raf")
        tab.wait_for_function(PAGE_DRAWN, timeout=TIMEOUT * 1000, polling="raf")
        context.close()
        browser.close()
    if not sent:
        raise RuntimeError("chromium sent nothing on its websocket")
    return Join(
        page=page,
        before=[path for path, late in requests if not late],
        after=[path for path, late in requests if late],
        first_message=sent[0],
    )


class _Cookies:
    """The cookies one student's server answers set (the proxy's replica pin)."""

    def __init__(self) -> None:
        self._values: dict[str, str] = {}
        self._lock = threading.Lock()

    def take(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            with self._lock:
                self._values[name.strip()] = rest.split(";", 1)[0]

    def header(self) -> dict[str, str]:
        with self._lock:
            pairs = "; ".join(f"{k}={v}" for k, v in self._values.items())
        return {"Cookie": pairs} if pairs else {}


def _fetch(host: str, port: int, paths: list[str], cookies: _Cookies) -> None:
    """GET every path over ``CONNECTIONS`` kept-alive connections; raises on a failure."""
    work: queue.SimpleQueue = queue.SimpleQueue()
    for path in paths:
        work.put(path)
    failures: list[str] = []

    def worker() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        try:
            while True:
                try:
                    path = work.get_nowait()
                except queue.Empty:
                    return
                connection.request("GET", path, headers=cookies.header())
                response = connection.getresponse()
                response.read()
                cookies.take(response)
                if response.status >= 400:
                    failures.append(f"{path}: HTTP {response.status}")
        except OSError as error:
            failures.append(f"{error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(min(CONNECTIONS, len(paths)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(failures[0])


@dataclass
class Student:
    seconds: float = float("nan")
    error: str = ""


class Session:
    """One student's open websocket to the app, and its way to fetch files like a browser."""

    def __init__(self, socket, fetch) -> None:
        self.socket, self.fetch = socket, fetch

    def await_run(self, deadline: float, *, need_map: bool) -> None:
        """Read until the script run has finished (and, with ``need_map``, the feature map
        has come), then fetch the pictures the run referred to."""
        media: set[bytes] = set()
        have_map, finished = not need_map, False
        while not (have_map and finished):
            try:
                frame = self.socket.recv(timeout=max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise TimeoutError("no feature map within the time limit") from None
            if isinstance(frame, str):
                continue
            message, kind = forward_message(frame, media)
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                if element.WhichOneof("type") == "bidi_component":
                    have_map |= element.bidi_component.component_name.endswith(MAP_COMPONENT)
            finished |= kind == "script_finished"
        self.fetch([path.decode() for path in sorted(media)])


def forward_message(frame: bytes, media: set[bytes]):
    """A binary websocket frame as Streamlit's ForwardMsg, and its kind; the media files
    it refers to (which a browser then fetches) are added to ``media``."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    media.update(_MEDIA.findall(frame))
    message = ForwardMsg()
    message.ParseFromString(frame)
    return message, message.WhichOneof("type")


@contextlib.contextmanager
def joined(base: str, join: Join):
    """One student joining as chromium does (the page, its files, the websocket and its
    first message, the element code and pictures); yields the ``Session`` once its feature
    map and the end of its script run have arrived and every file is in."""
    from websockets.sync.client import connect

    parts = urlsplit(base)
    host, port = parts.hostname, parts.port
    cookies = _Cookies()
    began = time.monotonic()
    fetch = lambda paths: _fetch(host, port, paths, cookies)  # noqa: E731
    fetch([join.page])
    fetch(join.before)
    late_failure: list[Exception] = []

    def fetch_late() -> None:
        try:
            fetch(join.after)
        except Exception as error:  # handed to the student, which reports it
            late_failure.append(error)

    late_files = threading.Thread(target=fetch_late)
    with connect(
        f"ws://{host}:{port}/_stcore/stream",
        subprotocols=["streamlit"],
        origin=base,
        additional_headers=cookies.header(),
        compression=None,
        max_size=None,
        open_timeout=TIMEOUT,
        proxy=None,
    ) as socket:
        socket.send(join.first_message)
        late_files.start()
        session = Session(socket, fetch)
        session.await_run(began + TIMEOUT, need_map=True)
        late_files.join()
        if late_failure:
            raise late_failure[0]
        yield session


def _student(base: str, join: Join, start: threading.Event, out: Student) -> None:
    start.wait()
    began = time.monotonic()
    try:
        with joined(base, join):
            out.seconds = time.monotonic() - began
    except Exception as error:  # reported, never hidden: a student that failed counts
        out.error = f"{type(error).__name__}: {error}"


def _browser_student(base: str, page: str, start: threading.Event, out: Student) -> None:
    """A real chromium in the burst: seconds until its feature map is painted."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.goto("about:blank")
        start.wait()
        began = time.monotonic()
        try:
            tab.goto(base + page, timeout=TIMEOUT * 1000)
            tab.wait_for_function(PAINTED, arg=FEATURE_MAP, timeout=TIMEOUT * 1000, polling="raf")
            out.seconds = time.monotonic() - began
        except Exception as error:
            out.error = f"{type(error).__name__}: {error}"
        finally:
            context.close()
            browser.close()


@dataclass
class Burst:
    setup: str
    students: int
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    browser_seconds: float = float("nan")
    cpu_seconds_per_join: float = float("nan")
    files_before_socket: int = 0  # what each student asked for: the recorded join
    files_after_socket: int = 0

    @property
    def slowest(self) -> float:
        return max(self.seconds) if self.seconds else float("nan")

    @property
    def within_target(self) -> bool:
        return not self.errors and self.slowest <= TARGET_SECONDS


def burst(base: str, join: Join, students: int, pids: list[int], setup: str) -> Burst:
    """``students`` protocol students and one chromium open ``join.page`` together."""
    start = threading.Event()
    outcomes = [Student() for _ in range(students)]
    seen = Student()
    threads = [threading.Thread(target=_student, args=(base, join, start, out)) for out in outcomes]
    threads.append(threading.Thread(target=_browser_student, args=(base, join.page, start, seen)))
    for thread in threads:
        thread.start()
    time.sleep(3)  # the browser is up and every student waits at the start line
    cpu_before = sum(process_cpu_seconds(pid) for pid in pids)
    start.set()
    for thread in threads:
        thread.join()
    cpu = sum(process_cpu_seconds(pid) for pid in pids) - cpu_before
    result = Burst(setup, students)
    result.seconds = [out.seconds for out in outcomes if not out.error]
    result.errors = [out.error for out in outcomes if out.error]
    if seen.error:
        result.errors.append(f"chromium: {seen.error}")
    result.browser_seconds = seen.seconds
    result.cpu_seconds_per_join = cpu / (students + 1)
    result.files_before_socket, result.files_after_socket = len(join.before), len(join.after)
    return result


def _warm(base: str, join: Join, pids: list[int]) -> None:
    """Each server's first session pays one-off costs (imports, caches): not a join's."""
    for _ in range(3 * len(pids)):
        out = Student()
        _student(base, join, _started(), out)
        if out.error:
            raise RuntimeError(f"warm-up join failed: {out.error}")


def _started() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


def measure(students: int = STUDENTS, page: str = "/") -> list[Burst]:
    results = []
    with app_processes(APP) as (single,):
        join = record_join(single.url, page)
        _warm(single.url, join, [single.pid])
        results.append(burst(single.url, join, students, [single.pid], "one process"))
    with app_processes(APP, 2) as pair, nginx_in_front([s.port for s in pair]) as proxy:
        join = record_join(proxy, page)
        pids = [s.pid for s in pair]
        _warm(proxy, join, pids)
        results.append(burst(proxy, join, students, pids, "two processes behind nginx"))
    return results


def report(results: list[Burst]) -> bool:
    rows = []
    for result in results:
        done = result.seconds
        rows.append(
            [
                result.setup,
                str(result.students),
                str(len(result.errors)),
                f"{statistics.median(done):.1f}" if done else "-",
                f"{result.slowest:.1f}" if done else "-",
                f"{result.browser_seconds:.1f}",
                f"{result.cpu_seconds_per_join:.2f}",
                "ok" if result.within_target else "OVER",
            ]
        )
    target = f"target: all within {TARGET_SECONDS:.0f} s"
    print(f"A class opening the link together (first feature map; {target})")
    print(table(rows, HEADER))
    for result in results:
        for error in result.errors[:3]:
            print(f"  {result.setup}: {error}")
    return all(result.within_target for result in results)


def save(results: list[Burst]) -> Path:
    return save_results("burst", {"bursts": [asdict(r) for r in results]})


def run(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(prog="python -m benchmarks burst")
    parser.add_argument("--students", type=int, default=STUDENTS)
    options = parser.parse_args(argv or [])
    if not Path(CHROMIUM).exists():
        print(f"burst benchmark skipped: no {CHROMIUM}")
        return True
    results = measure(options.students)
    within = report(results)
    print(f"results: {save(results).relative_to(ROOT)}")
    return within
