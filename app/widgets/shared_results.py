"""Results every session of this server process may share: what a page computes and
encodes from a picture that is the same for everyone (a sample, the teacher's shared
picture) and the same settings. A class following its teacher wakes twenty sessions of
one process on the same view; each would compute the same feature map and encode the same
pictures. Here the first session makes them and the others take them.

Never for a user's own picture: its results are keyed ``None`` and made in the session
(``shared(None, make)`` is ``make()``), so an upload never enters this memory and no
session can reach another's picture through it. Values are read-only for everyone:
numpy arrays in them are made unwritable when they are stored.

Bounded by the bytes its values hold (``cnn_core.limits.MAX_SHARED_RESULTS_MB``), the
least recently used dropped first. Sessions run in threads: a result asked for by several
sessions at once is made once, by the first, while the others wait for it.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import numpy as np

from cnn_core.limits import MAX_SHARED_RESULTS_MB

T = TypeVar("T")


def shared_key(identity: Hashable | None, *parts: Hashable) -> tuple | None:
    """The key of a result made from the picture known as ``identity`` and ``parts`` (the
    settings it depends on); ``None`` (never shared) when the picture has no identity."""
    return None if identity is None else (identity, *parts)


def array_key(values: np.ndarray) -> tuple:
    """A small array (a kernel) as a key: its shape, type and bytes."""
    values = np.ascontiguousarray(values)
    return (values.shape, values.dtype.str, values.tobytes())


class _Entry:
    __slots__ = ("done", "value", "size", "failed")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value = None
        self.size = 0
        self.failed = False


class SharedResults:
    """A process-wide, thread-safe memo bounded by the bytes of its values."""

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable | None, make: Callable[[], T]) -> T:
        """``make()``'s value for ``key``, made once in the process; ``key`` None: made
        here and kept nowhere."""
        if key is None:
            return make()
        with self._lock:
            entry = self._entries.get(key)
            mine = entry is None
            if mine:
                entry = self._entries[key] = _Entry()
            else:
                self._entries.move_to_end(key)
        if not mine:
            entry.done.wait()
            return make() if entry.failed else entry.value
        try:
            value = make()
            _freeze(value)
            entry.value, entry.size = value, _size(value, set())
        except BaseException:
            entry.failed = True
            with self._lock:
                if self._entries.get(key) is entry:
                    del self._entries[key]
            raise
        finally:
            # Only now may waiting sessions go on: the value is in place (or, on failure,
            # they make it themselves).
            entry.done.set()
        with self._lock:
            if self._entries.get(key) is entry:
                self._bytes += entry.size
                self._trim()
        return value

    def _trim(self) -> None:
        """Drop the least recently used finished results until the bytes fit."""
        for key in list(self._entries):
            if self._bytes <= self.limit_bytes:
                return
            entry = self._entries[key]
            if entry.done.is_set():
                del self._entries[key]
                self._bytes -= entry.size

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    @property
    def bytes(self) -> int:
        with self._lock:
            return self._bytes

    def values(self) -> list:
        """The finished values (for tests and checks)."""
        with self._lock:
            entries = list(self._entries.values())
        return [e.value for e in entries if e.done.is_set() and not e.failed]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def _parts(value) -> list:
    """The values held inside ``value`` (tuples, lists, dicts, dataclasses)."""
    if isinstance(value, (tuple, list)):
        return list(value)
    if isinstance(value, dict):
        return list(value.values())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [getattr(value, f.name) for f in dataclasses.fields(value)]
    return [getattr(value, name, None) for name in getattr(type(value), "__slots__", ())]


def _freeze(value) -> None:
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    for part in _parts(value):
        _freeze(part)


def _size(value, seen: set[int]) -> int:
    """Bytes of the arrays, bytes and text ``value`` holds, each object counted once."""
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, (bytes, str)):
        return len(value)
    return sum(_size(part, seen) for part in _parts(value))


SHARED = SharedResults(MAX_SHARED_RESULTS_MB * 1024 * 1024)


def shared(key: Hashable | None, make: Callable[[], T]) -> T:
    """``make()``, shared by every session of the process under ``key`` (see the module's
    docstring); ``key`` None for anything made from a user's own picture."""
    return SHARED.get(key, make)
