"""Results sessions share (app/widgets/shared_results.py): the Convolution page computes a
sample's (or the teacher's shared picture's) feature map once per process for every
session with the same settings, and never shares anything made from a user's own upload."""

from __future__ import annotations

import io
import threading

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image
from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

from app.widgets.shared_results import SHARED, SharedResults, shared_key
from cnn_core import KERNELS
from cnn_core.colour import to_gray
from cnn_core.conv_run import ConvRun

from .conftest import assert_clean, clickable_pictures, described_pictures, run_app


@pytest.fixture
def computed(monkeypatch):
    """Every ConvRun the app computes in this test, in order."""
    runs: list[ConvRun] = []
    original = ConvRun.compute

    def counting(*args, **kwargs):
        runs.append(original(*args, **kwargs))
        return runs[-1]

    monkeypatch.setattr(ConvRun, "compute", counting)
    return runs


def shared_runs() -> list[ConvRun]:
    return [value for value in SHARED.values() if isinstance(value, ConvRun)]


def test_two_sessions_on_one_sample_and_settings_compute_the_map_once(computed):
    first = run_app(sample="astronaut", stride=2)
    second = run_app(sample="astronaut", stride=2)
    assert_clean(first)
    assert_clean(second)
    assert len(computed) == 1, "the second session takes the first one's map"
    assert shared_runs() == [computed[0]]
    # The second session received the very pictures the first one made.
    assert clickable_pictures(first).keys() == clickable_pictures(second).keys()
    for key, pixels in clickable_pictures(first).items():
        assert np.array_equal(pixels, clickable_pictures(second)[key])
    assert described_pictures(first) == described_pictures(second)
    # Other settings are another map.
    third = run_app(sample="astronaut", stride=3)
    assert_clean(third)
    assert len(computed) == 2 and computed[1] is not computed[0]
    assert computed[1].maps.shape[1:] != computed[0].maps.shape[1:]


def test_the_shared_map_is_torchs_convolution_of_the_sample():
    at = run_app(sample="astronaut", stride=2, dil=2, kernel="sobel_y", padk="amount", pad=3)
    assert_clean(at)
    (run,) = shared_runs()
    from app.widgets.sources.image_source import sample_image

    gray = to_gray(sample_image("astronaut", 512))
    expected = F.conv2d(
        torch.from_numpy(np.ascontiguousarray(gray))[None, None],
        torch.from_numpy(KERNELS["sobel_y"].copy())[None, None],
        stride=2,
        padding=3,
        dilation=2,
    )[0].numpy()
    assert run.maps.shape == expected.shape
    np.testing.assert_allclose(run.maps, expected, rtol=1e-4, atol=1e-4)
    assert not run.maps.flags.writeable, "a shared map is read-only for every session"


def png_bytes(seed: int) -> bytes:
    pixels = (np.random.default_rng(seed).random((48, 64, 3)) * 255).astype("uint8")
    data = io.BytesIO()
    Image.fromarray(pixels).save(data, format="PNG")
    return data.getvalue()


def upload(at, data: bytes) -> None:
    at.radio(key="conv_source").set_value("Upload").run()
    at.session_state["conv_upload"] = UploadedFile(
        UploadedFileRec("1", "mine.png", "image/png", data), None
    )
    at.run()


def test_a_users_own_upload_never_enters_the_shared_results(computed):
    data = png_bytes(3)
    sessions = [run_app(), run_app()]
    computed.clear()
    for at in sessions:  # the same file in two sessions
        upload(at, data)
        assert_clean(at)
        assert any("Input: your upload" in caption for _, caption in described_pictures(at))
    # Each session computed its own map of the file, and none of it was kept.
    uploaded = [run for run in computed if run.planes.shape[1:] == (48, 64)]
    assert len(uploaded) == 2 and uploaded[0] is not uploaded[1]
    assert {picture_of(key)[0] for key in SHARED._entries} == {"sample"}
    assert all(run.planes.shape[1:] != (48, 64) for run in shared_runs())
    assert "your upload" not in repr(SHARED.values())  # no picture of it, no text about it
    SHARED.clear()
    sessions[1].run()  # a run on the file keeps nothing
    assert_clean(sessions[1])
    assert len(SHARED) == 0 and SHARED.bytes == 0


def test_the_teachers_shared_picture_is_computed_once_for_the_class_not_the_upload(computed):
    teacher = run_app()
    next(b for b in teacher.button if b.label == "Start a class").click().run()
    code = teacher.session_state["_class_teaching"][0]
    upload(teacher, png_bytes(5))
    teacher.toggle(key="_class_sharing").set_value(True).run()
    students = [run_app(**{"class": code}) for _ in range(2)]
    SHARED.clear()
    computed.clear()
    for student in students:
        student.run()
        assert any("the teacher's picture" in c for _, c in described_pictures(student))
    assert len(computed) == 1, "two students of one class: one map"
    (run,) = shared_runs()
    assert run is computed[0]
    teacher.run()  # the teacher works on the upload itself: made in its own session
    assert len(computed) == 2 and shared_runs() == [run]
    assert {picture_of(key)[0] for key in SHARED._entries} == {"class picture"}


def picture_of(key: tuple) -> tuple:
    """What the picture a shared result was made from is known as (a key's first part,
    possibly inside the key of the run the result shows)."""
    while isinstance(key[0], tuple):
        key = key[0]
    return key


def test_results_are_made_once_by_one_session_while_others_wait():
    results = SharedResults(1 << 20)
    started, release, made = threading.Event(), threading.Event(), []

    def make():
        made.append(1)
        started.set()
        release.wait(5)
        return np.arange(4.0)

    seen = []
    threads = [threading.Thread(target=lambda: seen.append(results.get("k", make)))]
    threads[0].start()
    started.wait(5)
    threads += [threading.Thread(target=lambda: seen.append(results.get("k", make)))]
    threads[1].start()
    release.set()
    for thread in threads:
        thread.join(5)
    assert made == [1] and len(seen) == 2 and seen[0] is seen[1]
    assert not seen[0].flags.writeable


def test_no_key_is_never_kept_and_the_bytes_stay_bounded():
    results = SharedResults(100)
    assert results.get(None, lambda: b"x" * 10) == b"x" * 10
    assert len(results) == 0
    assert shared_key(None, "conv", 1) is None
    results.get("a", lambda: b"a" * 60)
    results.get("b", lambda: b"b" * 30)
    assert results.bytes == 90 and len(results) == 2
    results.get("a", lambda: b"never made")  # "a" is now the most recent
    results.get("c", lambda: b"c" * 30)  # 120 > 100: the least recent ("b") goes
    assert results.get("b", lambda: b"made again") == b"made again"
    assert results.bytes <= 100


def test_a_failed_result_is_not_kept():
    results = SharedResults(1000)

    def broken():
        raise ValueError("no map")

    with pytest.raises(ValueError):
        results.get("k", broken)
    assert len(results) == 0
    assert results.get("k", lambda: "made") == "made"


def shared_of_kind(kind: str) -> list:
    """The shared values whose key names ``kind`` ("pooled", "conv", ...)."""
    return [e.value for key, e in SHARED._entries.items() if key[1] == kind and e.done.is_set()]


def test_the_pooling_page_pools_a_sample_once_for_every_session(monkeypatch):
    from cnn_core import pool

    calls = []
    original = pool.pool2d
    monkeypatch.setattr(pool, "pool2d", lambda *a, **k: calls.append(1) or original(*a, **k))
    params = dict(sample="astronaut", src="image", size=3, stride=2, mode="max")
    first, second = run_app("pooling", **params), run_app("pooling", **params)
    assert_clean(first)
    assert_clean(second)
    assert len(calls) == 1
    assert clickable_pictures(first).keys() == clickable_pictures(second).keys()
    for key, pixels in clickable_pictures(first).items():
        assert np.array_equal(pixels, clickable_pictures(second)[key])
    (pooled,) = shared_of_kind("pooled")
    from app.widgets.sources.image_source import sample_image

    gray = torch.from_numpy(np.ascontiguousarray(to_gray(sample_image("astronaut", 256))))
    expected = F.max_pool2d(gray[None, None], 3, stride=2)[0, 0].numpy()
    np.testing.assert_array_equal(pooled, expected)
    run_app("pooling", **{**params, "mode": "avg"})
    assert len(calls) == 2
    (averaged,) = [p for p in shared_of_kind("pooled") if p is not pooled]
    np.testing.assert_allclose(
        averaged, F.avg_pool2d(gray[None, None], 3, stride=2)[0, 0].numpy(), rtol=1e-5, atol=1e-6
    )


def test_a_pooled_upload_is_never_shared():
    at = run_app("pooling")
    at.radio(key="pool_source").set_value("Upload").run()
    SHARED.clear()
    at.session_state["pool_upload"] = UploadedFile(
        UploadedFileRec("1", "mine.png", "image/png", png_bytes(7)), None
    )
    at.run()
    assert_clean(at)
    assert any(c == "Before pooling: 48 x 64" for _, c in described_pictures(at)), "the upload"
    assert len(SHARED) == 0 and SHARED.bytes == 0


def test_a_waiting_session_gets_the_value_not_an_empty_place(monkeypatch):
    """The session that makes a result sets it in place before the waiting ones go on: a
    waiter woken between the making and the storing would get None."""
    from app.widgets import shared_results

    results = SharedResults(1 << 20)
    made = threading.Event()
    waiter_done = threading.Event()
    got: list = []
    freeze = shared_results._freeze

    def slow_freeze(value):
        # While the maker is still storing its value, give a wrongly woken waiter the
        # chance to read the place (it must not be woken yet, so this wait runs out).
        waiter_done.wait(timeout=1)
        freeze(value)

    monkeypatch.setattr(shared_results, "_freeze", slow_freeze)

    def make():
        made.set()
        return np.arange(4.0)

    def waiter():
        made.wait()
        got.append(results.get("k", lambda: pytest.fail("the waiter made it again")))
        waiter_done.set()

    thread = threading.Thread(target=waiter)
    thread.start()
    value = results.get("k", make)
    thread.join()
    assert got and got[0] is value
    assert np.array_equal(got[0], np.arange(4.0))


def test_sessions_with_other_palettes_share_the_map_but_not_its_pictures(computed):
    standard = run_app(sample="step_edge", res=128)
    safe = run_app(sample="step_edge", res=128, palette="safe")
    assert_clean(safe)
    assert len(computed) == 1, "one map for both"
    ours, theirs = (
        clickable_pictures(standard)["conv_map_0"],
        clickable_pictures(safe)["conv_map_0"],
    )
    assert ours.shape == theirs.shape and not np.array_equal(ours, theirs)
    centre = tuple(int(v) for v in theirs[64, 10])  # a flat part: zero in the safe palette
    assert centre == (234, 236, 204), centre
