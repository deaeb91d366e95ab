"""The load benchmark's short version: three students at once for 20 seconds, each with
its own 12-megapixel photo, on one server. Every change must come back without an error
and every picture a student gets back must be its own (speed is for `make bench`)."""

from __future__ import annotations

import concurrent.futures

import pytest

from benchmarks import load

pytestmark = pytest.mark.browser


def test_three_students_at_once_see_only_their_own_pictures(browser):
    # The benchmark drives its own async Playwright; the sync one of the ``browser``
    # fixture (asked for so the test skips or fails like every browser test) keeps an
    # event loop in this thread, so the round runs in another.
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        result = worker.submit(load.measure, 3, 20).result()
    print(load.table(load._rows([result]), load.HEADER))
    assert result.errors == 0, result.error_samples
    assert result.leaks == 0
    # Each student checked its picture after its upload and after every change, on both
    # pages (a round that measured nothing would pass the two checks above).
    assert result.own_picture_checks >= result.changes + 2 * 3
    assert result.changes >= 3 * 6


def test_the_leak_check_catches_another_students_picture():
    """The photos are told apart by their grey level, further apart than the tolerance."""
    levels = [load.level(i) for i in range(30)]
    assert len(set(levels)) == 30
    assert min(b - a for a, b in zip(levels, levels[1:])) > load.LEVEL_TOLERANCE
