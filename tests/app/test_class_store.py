"""The class store, in memory and in Redis: the same behaviour from both, a shared
picture within its byte cap, and a class that ends leaving nothing behind."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from app.shell.class_session import class_store
from app.shell.class_session.class_store import (
    MAX_SHARED_IMAGE_BYTES,
    SHARED_IMAGE_SIDE,
    MemoryStore,
    RedisStore,
)
from app.widgets.pictures.browser_image import encode_jpeg
from benchmarks import cluster


@pytest.fixture(scope="module")
def redis_url():
    if not shutil.which(cluster.REDIS):
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with cluster.redis_server() as url:
        yield url


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return MemoryStore()
    return RedisStore(request.getfixturevalue("redis_url"))


def test_store_refuses_a_picture_over_the_byte_cap(store):
    code, token = store.create()
    store.share_image(code, token, b"x" * MAX_SHARED_IMAGE_BYTES)  # at the cap: kept
    with pytest.raises(ValueError, match="jpeg: a shared picture may be at most 400,000"):
        store.share_image(code, token, b"x" * (MAX_SHARED_IMAGE_BYTES + 1))
    assert len(store.image(code)) == MAX_SHARED_IMAGE_BYTES


def test_the_largest_picture_the_app_shares_is_within_the_cap():
    # pure noise is the hardest picture for JPEG; the app shares at most this side
    noise = np.random.default_rng(0).integers(0, 256, (SHARED_IMAGE_SIDE, SHARED_IMAGE_SIDE, 3))
    assert len(encode_jpeg(noise.astype(np.uint8))) <= MAX_SHARED_IMAGE_BYTES


def test_memory_store_sharing_a_picture_keeps_the_class_alive(monkeypatch):
    store = MemoryStore()
    code, token = store.create()
    later = class_store.time.time() + 3600
    monkeypatch.setattr(class_store.time, "time", lambda: later)
    store.share_image(code, token, b"jpeg")
    assert store._classes[code]["touched"] == later


def test_class_ends_with_its_answers(store):
    code, token = store.create()
    store.answer(code, "q1", "ann", "b")
    store.answer(code, "q2", "bob", "c")
    assert store.answers(code, "q1") == {"ann": "b"}
    store.end(code, token)
    assert not store.exists(code) and store.view(code) is None
    assert store.answers(code, "q1") == {} and store.answers(code, "q2") == {}


def test_redis_store_ending_a_class_leaves_no_key(redis_url):
    store = RedisStore(redis_url)
    code, token = store.create()
    store.answer(code, "q1", "ann", "b")
    store.end(code, token)
    assert not list(store._redis.scan_iter(match=f"*{code}*"))


def test_redis_store_create_is_one_round_trip_and_never_takes_a_held_code(redis_url, monkeypatch):
    store = RedisStore(redis_url)
    held_code, held_token = store.create()
    codes = iter([held_code, "ABCD"])
    monkeypatch.setattr(class_store, "new_code", lambda: next(codes))
    sent = []
    execute = store._redis.execute_command
    monkeypatch.setattr(
        store._redis, "execute_command", lambda *a, **k: sent.append(a[0]) or execute(*a, **k)
    )
    code, token = store.create()
    assert code == "ABCD" and sent == ["EVAL", "EVAL"]  # one per code tried
    monkeypatch.undo()
    assert store.view(code).version == 0 and store._redis.ttl(store._key(code)) > 0
    store.publish(code, token, "pooling", {"size": 3})
    store.publish(held_code, held_token, "quiz", {})  # the first class still its own
    with pytest.raises(PermissionError):
        store.publish(held_code, token, "quiz", {})


def test_pausing_holds_the_view_and_going_on_keeps_it(store):
    code, token = store.create()
    store.publish(code, token, "pooling", {"stride": "2"})
    before = store.view(code)
    store.pause(code, token, True)
    paused = store.view(code)
    assert paused.paused and (paused.version, paused.page, paused.params) == (
        before.version,
        "pooling",
        {"stride": "2"},
    )
    store.publish(code, token, "pooling", {"stride": "3"})
    assert store.view(code).paused, "a change made while paused keeps the class paused"
    store.pause(code, token, False)
    assert not store.view(code).paused and store.view(code).params == {"stride": "3"}


def test_only_the_teachers_token_is_the_teacher(store):
    code, token = store.create()
    other_code, other_token = store.create()
    assert store.is_teacher(code, token)
    assert not store.is_teacher(code, other_token)
    assert not store.is_teacher(code, token[:-1])
    assert not store.is_teacher("QQQQ", token)
    with pytest.raises(PermissionError):
        store.pause(code, other_token, True)
    store.end(code, token)
    assert not store.is_teacher(code, token), "an ended class has no teacher"
