"""Who follows a class right now, and waking them when the teacher acts.

A following student's page no longer asks the server for news on a clock: each process
remembers which of its sessions follow which class, and when the teacher's view changes
the teacher's process announces it. With one process the announcement goes straight to
its followers; with replicas it goes through Redis pub/sub (``CONVSCOPE_REDIS_URL``), one
message per change, and each process wakes its own followers
(``streamlit_internals.rerun_session``). A woken page takes the teacher's view at the top
of its run (``classroom.follow_teacher``). An idle follower costs the server nothing.

Presence (how many follow now, how many left) is counted from the same records: a
session that has gone away is dropped the next time its class is announced.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import defaultdict

from .. import streamlit_internals as internals
from .class_store import CLASS_HOURS

CHANNEL = "convscope:class-changes"  # Redis pub/sub: messages "<who>:<code>"
STUDENTS, TEACHER = "students", "teacher"
RECONNECT_S = 1.0  # a lost Redis subscription is retried this often
PRESENCE_TTL_S = CLASS_HOURS * 3600  # as long as the class itself is kept

_lock = threading.Lock()
# (class code, who) -> {member: its session id in this process}; who is STUDENTS or
# TEACHER, a member is the person's id in the class (classroom.student_id).
_members: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
_left: dict[str, set[str]] = defaultdict(set)  # class code -> members who left it
_subscriber: threading.Thread | None = None


def watch(code: str, who: str, member: str) -> None:
    """This session, of ``member``, follows (STUDENTS) or teaches (TEACHER) ``code``."""
    session = internals.session_id()
    if session is None:
        return
    with _lock:
        known = _members[(code, who)].get(member) == session
        _members[(code, who)][member] = session
        _left[code].discard(member)
    if who == STUDENTS and not known:
        _mark(code, member, FOLLOWING)
        announce(code, TEACHER)  # the teacher's count changed
    _listen()


def leave(code: str, member: str) -> None:
    """``member`` stopped following ``code`` (and counts as having left)."""
    with _lock:
        _members[(code, STUDENTS)].pop(member, None)
        _left[code].add(member)
    _mark(code, member, LEFT)
    announce(code, TEACHER)


def presence(code: str) -> tuple[int, int]:
    """(students following class ``code`` now, students who left it), over every process."""
    client = _redis()
    if client is not None:
        try:
            states = list(client.hgetall(_presence_key(code)).values())
            return states.count(FOLLOWING.encode()), states.count(LEFT.encode())
        except OSError:
            pass
    with _lock:
        return len(_members[(code, STUDENTS)]), len(_left[code])


FOLLOWING, LEFT = "following", "left"


def _presence_key(code: str) -> str:
    return f"convscope:class:{code}:presence"  # removed with the class (RedisStore.end)


def _mark(code: str, member: str, state: str | None) -> None:
    """Record a student's presence where every process sees it (with Redis)."""
    client = _redis()
    if client is None:
        return
    try:
        if state is None:
            client.hdel(_presence_key(code), member)
        else:
            client.hset(_presence_key(code), member, state)
            client.expire(_presence_key(code), PRESENCE_TTL_S)
    except OSError:
        pass


def announce(code: str, who: str = STUDENTS) -> None:
    """Wake every session of class ``code`` in the role ``who``, in every process."""
    client = _redis()
    if client is None:
        _wake(code, who)
        return
    try:
        client.publish(CHANNEL, f"{who}:{code}")
    except OSError:
        _wake(code, who)  # Redis is away: at least this process's sessions hear it


def _wake(code: str, who: str) -> None:
    with _lock:
        members = dict(_members[(code, who)])
    woken = {session: internals.rerun_session(session) for session in set(members.values())}
    gone = [member for member, session in members.items() if not woken[session]]
    if gone:
        with _lock:
            for member in gone:
                _members[(code, who)].pop(member, None)
        if who == STUDENTS:
            for member in gone:
                _mark(code, member, None)


def _redis():
    url = os.environ.get("CONVSCOPE_REDIS_URL")
    if not url:
        return None
    import redis

    return _client(url, redis)


_clients: dict[str, object] = {}


def _client(url: str, redis):
    with _lock:
        if url not in _clients:
            _clients[url] = redis.Redis.from_url(url, socket_connect_timeout=2)
        return _clients[url]


def _listen() -> None:
    """Start this process's Redis subscription once (nothing to do without Redis)."""
    global _subscriber
    client = _redis()
    if client is None:
        return
    with _lock:
        if _subscriber is not None:
            return
        _subscriber = threading.Thread(
            target=_subscribe, args=(client,), name="convscope-class-signal", daemon=True
        )
        _subscriber.start()


def _subscribe(client) -> None:
    stop = threading.Event()
    while not stop.is_set():
        try:
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(CHANNEL)
            for message in pubsub.listen():
                who, _, code = message["data"].decode().partition(":")
                _wake(code, who)
        except Exception:  # noqa: BLE001 - a lost connection: subscribe again
            logging.getLogger(__name__).warning("class signal: Redis subscription lost")
            stop.wait(RECONNECT_S)
