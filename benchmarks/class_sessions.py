"""The class_follow benchmark's protocol sessions: a teacher recorded in chromium and
replayed, students joining by the class's link, and a reader that keeps reading one
session's websocket (when each feature map arrived, the runs that ended, what the
teacher's sidebar says) and fetches the pictures a run refers to, as a browser does."""

from __future__ import annotations

import contextlib
import hashlib
import queue
import re
import threading
import time

from .browser import FEATURE_MAP, PAGE_DRAWN, Slider
from .burst import MAP_COMPONENT, TIMEOUT, Join, forward_message, joined
from .busy_class import recording_tab

_CODE = re.compile(r"Class code \*\*([A-Z0-9]{4,8})\*\*")
_FOLLOWING = re.compile(r"(\d+) students? following now")


def record_teacher(base: str, page: str = "/") -> tuple[bytes, list[bytes]]:
    """In chromium: open ``page``, press "Start a class", then move Stride twice (as the
    teacher). The message chromium sent for the press, and the two it sent for the moves."""
    with recording_tab(base, page) as (tab, sent):
        before = len(sent)
        tab.get_by_role("button", name="Start a class").click()
        tab.get_by_text(re.compile(r"^Class code [A-Z0-9]{4,8}$")).first.wait_for(
            timeout=TIMEOUT * 1000
        )
        tab.wait_for_function(PAGE_DRAWN, timeout=TIMEOUT * 1000, polling="raf")
        started = sent[before:]
        mover = Slider(tab, "Stride", FEATURE_MAP)
        mover.press()
        mover.press()
        moves = sent[before + len(started) :]
    if len(started) != 1 or len(moves) != 2:
        raise RuntimeError(
            f"chromium sent {len(started)} messages to start a class (1 expected) and "
            f"{len(moves)} for two moves of Stride (2 expected)"
        )
    return started[0], moves


def follower_join(join: Join, code: str) -> Join:
    """The recorded join, opening the class's join link ``/?class=CODE`` instead."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    message.ParseFromString(join.first_message)
    message.rerun_script.query_string = f"class={code}"
    return Join(f"/?class={code}", join.before, join.after, message.SerializeToString())


class Reader:
    """Keeps reading one session's websocket in a thread: when each feature map arrived
    (and a digest of it), the runs that finished, the text the teacher's sidebar shows;
    fetches the pictures each run refers to, as a browser does."""

    def __init__(self, session, label: str) -> None:
        self.session, self.label = session, label
        # Chromium sends no pings of its own: neither does this session after the one
        # already planned, and it never gives up on a late answer to it.
        session.socket.ping_timeout = None
        session.socket.ping_interval = 24 * 3600.0
        self.maps: list[tuple[float, str]] = []  # (arrival, digest of the map's picture)
        self.runs: list[float] = []  # when each script run's end arrived
        self.code: str | None = None
        self.following: int | None = None  # the teacher's "N students following now"
        self.error = ""
        self.pictures_missing = 0  # pictures a run referred to that were gone (404)
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._pictures: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._read, name=f"reader-{label}", daemon=True)
        self._fetcher = threading.Thread(target=self._fetch, name=f"fetch-{label}", daemon=True)
        self._thread.start()
        self._fetcher.start()

    def _read(self) -> None:
        media: set[bytes] = set()
        try:
            while not self._stop.is_set():
                try:
                    frame = self.session.socket.recv(timeout=0.5)
                except TimeoutError:
                    continue
                arrived = time.monotonic()
                if isinstance(frame, str):
                    continue
                message, kind = forward_message(frame, media)
                with self._changed:
                    if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                        self._element(message.delta.new_element, arrived)
                    elif kind == "script_finished":
                        self.runs.append(arrived)
                    self._changed.notify_all()
                if kind == "script_finished" and media:
                    self._pictures.put(sorted(path.decode() for path in media))
                    media.clear()
        except Exception as error:  # reported with the session's results
            if not self._stop.is_set():
                self.error = f"{self.label}: {type(error).__name__}: {error}"

    def _fetch(self) -> None:
        """The pictures of each finished run, fetched beside the reading (as a browser
        fetches them while it keeps its websocket open). A picture of a run that a later
        run has replaced can be gone (404): counted, not an error."""
        while (paths := self._pictures.get()) is not None:
            for path in paths:
                try:
                    self.session.fetch([path])
                except RuntimeError as error:
                    if "HTTP 404" not in str(error):
                        self.error = self.error or f"{self.label}: {error}"
                    self.pictures_missing += 1
                except OSError as error:
                    self.error = self.error or f"{self.label}: {error}"

    def _element(self, element, arrived: float) -> None:
        kind = element.WhichOneof("type")
        if kind == "bidi_component":
            component = element.bidi_component
            if component.component_name.endswith(MAP_COMPONENT):
                # The picture and its description, not the element's id (which carries
                # the session's widget generation).
                data = component.WhichOneof("data")
                payload = (
                    component.json.encode()
                    if data == "json"
                    else repr(getattr(component, data) if data else None).encode()
                )
                digest = hashlib.sha1(payload).hexdigest()
                self.maps.append((arrived, digest))
        elif kind == "markdown":
            text = element.markdown.body
            if found := _CODE.search(text):
                self.code = found[1]
            if found := _FOLLOWING.search(text):
                self.following = int(found[1])

    def wait(self, test, seconds: float) -> bool:
        """Wait until ``test()`` holds (checked whenever a message arrives)."""
        deadline = time.monotonic() + seconds
        with self._changed:
            while not test():
                left = deadline - time.monotonic()
                if left <= 0 or self.error:
                    return test()
                self._changed.wait(min(left, 0.5))
            return True

    def map_at(self, moment: float) -> str | None:
        """The digest of the last map that had arrived by ``moment``."""
        with self._changed:
            before = [digest for arrived, digest in self.maps if arrived <= moment]
        return before[-1] if before else None

    def new_map_after(self, moment: float, old: str | None) -> tuple[float, str] | None:
        """The first map after ``moment`` that differs from ``old``."""
        with self._changed:
            for arrived, digest in self.maps:
                if arrived > moment and digest != old:
                    return arrived, digest
        return None

    def map_after(self, moment: float, digest: str) -> float | None:
        """When the map ``digest`` first arrived after ``moment``."""
        with self._changed:
            for arrived, seen in self.maps:
                if arrived > moment and seen == digest:
                    return arrived
        return None

    def runs_between(self, start: float, end: float) -> int:
        with self._changed:
            return sum(start <= t <= end for t in self.runs)

    def stop(self) -> None:
        self._stop.set()
        self._pictures.put(None)
        self._thread.join(timeout=2)
        self._fetcher.join(timeout=10)


@contextlib.contextmanager
def teacher_session(base: str, join: Join, start: bytes):
    """A protocol teacher: joins, sends the recorded "Start a class" message; yields its
    ``Reader`` once the class code has arrived."""
    with joined(base, join) as session:
        reader = Reader(session, "teacher")
        try:
            session.socket.send(start)
            if not reader.wait(lambda: reader.code is not None, TIMEOUT):
                raise RuntimeError(f"the teacher got no class code ({reader.error or 'no error'})")
            yield reader
        finally:
            reader.stop()


def join_all(stack: contextlib.ExitStack, base: str, join: Join, count: int, label: str):
    """``count`` sessions join ``join.page`` together; their readers once all are in."""
    sessions: list = [None] * count
    failures: list[str] = []
    ready = threading.Semaphore(0)
    release = threading.Event()

    def one(index: int) -> None:
        try:
            with joined(base, join) as session:
                sessions[index] = session
                ready.release()
                release.wait()
        except Exception as error:  # reported, never hidden
            failures.append(f"{label} {index}: {type(error).__name__}: {error}")
            ready.release()

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for _ in threads:
        ready.acquire()

    def leave() -> None:
        release.set()
        for thread in threads:
            thread.join(timeout=10)

    stack.callback(leave)
    readers = [Reader(s, f"{label} {i}") for i, s in enumerate(sessions) if s is not None]
    for reader in readers:
        stack.callback(reader.stop)
    return readers, failures
