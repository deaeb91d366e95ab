"""Where a class session lives: the teacher's current view, a shared picture, and the
students' quiz answers.

One server keeps classes in its memory (``MemoryStore``). When the app runs as several
replicas behind a proxy, a teacher and a student may land on different processes, so
the classes live in Redis instead (``RedisStore``, chosen by ``CONVSCOPE_REDIS_URL``).
Both hold the same things under the same names and forget a class 12 hours after its
last change.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, replace

import streamlit as st

# Codes read aloud in a classroom: no 0/O, 1/I/L, 5/S or 2/Z to mix up.
CODE_LETTERS = "ABCDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 4
CLASS_HOURS = 12  # a class is forgotten this long after its last change
# The teacher's picture goes to the class fitted within SHARED_IMAGE_SIDE pixels: a photo
# is ~60 kB as JPEG and even pure noise ~250 kB, so the byte cap is never reached by the
# app, only by a client writing to the store directly.
SHARED_IMAGE_SIDE = 512
MAX_SHARED_IMAGE_BYTES = 400_000

# A new class in Redis in one round trip: claim the code only if no class holds it.
_CREATE_CLASS = """
if redis.call('exists', KEYS[1]) == 1 then return 0 end
redis.call('hset', KEYS[1], 'token', ARGV[1], 'view', ARGV[2])
redis.call('expire', KEYS[1], ARGV[3])
return 1
"""


@dataclass(frozen=True)
class View:
    version: int  # grows by one with every change the teacher makes
    page: str  # url path of the teacher's page ("" is the start page)
    params: dict  # the page's settings that differ from their defaults
    image_version: int  # grows when the teacher shares another picture (0: none)
    paused: bool = False  # the teacher paused the class: students see a notice instead


def new_code() -> str:
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))


def checked_picture(jpeg: bytes | None) -> bytes | None:
    """``jpeg`` if a class may share it (None clears the picture), else ValueError."""
    if jpeg is not None and len(jpeg) > MAX_SHARED_IMAGE_BYTES:
        raise ValueError(
            f"jpeg: a shared picture may be at most {MAX_SHARED_IMAGE_BYTES:,} bytes, "
            f"got {len(jpeg):,}"
        )
    return jpeg


def _require_teacher(stored_token: str | None, token: str) -> None:
    """Refuse (PermissionError) unless ``token`` is the class's token (None: no class)."""
    if stored_token is None or not secrets.compare_digest(stored_token, token):
        raise PermissionError("only the teacher who started this class can change it")


def normalise_code(text: str) -> str | None:
    """A typed or linked code in canonical form, or None if it cannot be one."""
    code = "".join(ch for ch in str(text).upper() if ch.isalnum())
    if len(code) != CODE_LENGTH or any(ch not in CODE_LETTERS for ch in code):
        return None
    return code


class _Store:
    """What both stores answer the same way, from their own ``_check``."""

    def _check(self, code: str, token: str) -> None:
        """PermissionError unless ``token`` is the token of class ``code``."""
        raise NotImplementedError

    def is_teacher(self, code: str, token: str) -> bool:
        try:
            self._check(code, token)
        except PermissionError:
            return False
        return True


class MemoryStore(_Store):
    """Classes in this process's memory, shared by its sessions."""

    def __init__(self):
        self._lock = threading.Lock()
        self._classes: dict[str, dict] = {}

    def create(self) -> tuple[str, str]:
        with self._lock:
            self._forget_old()
            code = new_code()
            while code in self._classes:
                code = new_code()
            token = secrets.token_urlsafe(16)
            self._classes[code] = {
                "token": token,
                "view": View(0, "", {}, 0),
                "image": None,
                "answers": {},
                "touched": time.time(),
            }
            return code, token

    def exists(self, code: str) -> bool:
        with self._lock:
            return code in self._classes

    def publish(self, code: str, token: str, page: str, params: dict) -> None:
        with self._lock:
            room = self._room(code, token)
            view = room["view"]
            room["view"] = replace(view, version=view.version + 1, page=page, params=dict(params))
            room["touched"] = time.time()

    def share_image(self, code: str, token: str, jpeg: bytes | None) -> None:
        checked_picture(jpeg)
        with self._lock:
            room = self._room(code, token)
            room["image"] = jpeg
            view = room["view"]
            room["view"] = replace(
                view, version=view.version + 1, image_version=view.image_version + 1
            )
            room["touched"] = time.time()

    def view(self, code: str) -> View | None:
        with self._lock:
            room = self._classes.get(code)
            return room["view"] if room else None

    def image(self, code: str) -> bytes | None:
        with self._lock:
            room = self._classes.get(code)
            return room["image"] if room else None

    def answer(self, code: str, question: str, student: str, value: str) -> None:
        with self._lock:
            room = self._classes.get(code)
            if room is not None:
                room["answers"].setdefault(question, {})[student] = value

    def answers(self, code: str, question: str) -> dict[str, str]:
        with self._lock:
            room = self._classes.get(code)
            return dict(room["answers"].get(question, {})) if room else {}

    def pause(self, code: str, token: str, paused: bool) -> None:
        with self._lock:
            room = self._room(code, token)
            room["view"] = replace(room["view"], paused=paused)
            room["touched"] = time.time()

    def _check(self, code: str, token: str) -> None:
        with self._lock:
            self._room(code, token)

    def end(self, code: str, token: str) -> None:
        with self._lock:
            self._room(code, token)
            del self._classes[code]

    def _room(self, code: str, token: str) -> dict:
        room = self._classes.get(code)
        _require_teacher(None if room is None else room["token"], token)
        return room

    def _forget_old(self) -> None:
        cutoff = time.time() - CLASS_HOURS * 3600
        for code in [c for c, room in self._classes.items() if room["touched"] < cutoff]:
            del self._classes[code]


class RedisStore(_Store):
    """Classes in Redis, shared by every replica of the app."""

    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._ttl = CLASS_HOURS * 3600

    def _key(self, code: str, part: str = "") -> str:
        return f"convscope:class:{code}{':' + part if part else ''}"

    def create(self) -> tuple[str, str]:
        token = secrets.token_urlsafe(16)
        first_view = json.dumps([0, "", {}, 0])
        while True:
            code = new_code()
            if self._redis.eval(_CREATE_CLASS, 1, self._key(code), token, first_view, self._ttl):
                return code, token

    def exists(self, code: str) -> bool:
        return bool(self._redis.exists(self._key(code)))

    def _check(self, code: str, token: str) -> None:
        stored = self._redis.hget(self._key(code), "token")
        _require_teacher(None if stored is None else stored.decode(), token)

    def _update(self, code: str, page=None, params=None, image_changed=False) -> None:
        # One teacher writes a class, so read-modify-write needs no transaction.
        old = View(*json.loads(self._redis.hget(self._key(code), "view")))
        view = [
            old.version + 1,
            old.page if page is None else page,
            old.params if params is None else params,
            old.image_version + int(image_changed),
            old.paused,
        ]
        self._redis.hset(self._key(code), "view", json.dumps(view))
        self._redis.expire(self._key(code), self._ttl)

    def publish(self, code: str, token: str, page: str, params: dict) -> None:
        self._check(code, token)
        self._update(code, page, dict(params))

    def share_image(self, code: str, token: str, jpeg: bytes | None) -> None:
        checked_picture(jpeg)
        self._check(code, token)
        if jpeg is None:
            self._redis.hdel(self._key(code), "image")
        else:
            self._redis.hset(self._key(code), "image", jpeg)
        self._update(code, image_changed=True)

    def view(self, code: str) -> View | None:
        raw = self._redis.hget(self._key(code), "view")
        return View(*json.loads(raw)) if raw else None

    def image(self, code: str) -> bytes | None:
        return self._redis.hget(self._key(code), "image")

    def answer(self, code: str, question: str, student: str, value: str) -> None:
        key = self._key(code, f"answers:{question}")
        self._redis.hset(key, student, value)
        self._redis.expire(key, self._ttl)

    def answers(self, code: str, question: str) -> dict[str, str]:
        raw = self._redis.hgetall(self._key(code, f"answers:{question}"))
        return {k.decode(): v.decode() for k, v in raw.items()}

    def pause(self, code: str, token: str, paused: bool) -> None:
        self._check(code, token)
        old = View(*json.loads(self._redis.hget(self._key(code), "view")))
        view = [old.version, old.page, old.params, old.image_version, paused]
        self._redis.hset(self._key(code), "view", json.dumps(view))

    def end(self, code: str, token: str) -> None:
        self._check(code, token)
        parts = list(self._redis.scan_iter(match=self._key(code, "*")))  # answers, presence
        self._redis.delete(self._key(code), *parts)


@st.cache_resource(show_spinner=False)
def class_store():
    """The server's class store: Redis when ``CONVSCOPE_REDIS_URL`` is set, else memory."""
    url = os.environ.get("CONVSCOPE_REDIS_URL")
    return RedisStore(url) if url else MemoryStore()
