"""The class-follow benchmark's short version: a protocol teacher and three protocol
students who follow it, on one process and on two behind nginx with Redis. The teacher
sees all three follow, idle followers run nothing, and every change of the teacher's
reaches every student as the teacher's own new map (speed is for `make bench`)."""

from __future__ import annotations

import concurrent.futures
import math
import shutil

import pytest

from benchmarks import class_follow, cluster

from .conftest import _unavailable

pytestmark = pytest.mark.browser


def test_three_followers_get_every_change_of_the_teacher(browser):
    for tool in (cluster.NGINX, cluster.REDIS):
        if not shutil.which(tool):
            _unavailable(f"{tool} is not installed (apt-get install nginx redis-server)")
    # Like the burst test: the benchmark's own sync Playwright runs in another thread.
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        rounds = worker.submit(class_follow.measure, (3,), idle=2.0, changes=2).result()
    class_follow.report(rounds)
    assert [r.setup for r in rounds] == ["one process", "two behind nginx"]
    for result in rounds:
        assert result.errors == []
        assert result.teacher_saw_following == 3
        assert result.follow_runs_while_idle == 0  # woken by the teacher, not by a clock
        assert result.missed == 0
        assert len(result.seconds) == 3 * 2
        assert all(math.isfinite(s) and 0 < s < class_follow.CHANGE_TIMEOUT for s in result.seconds)
        assert math.isfinite(result.follow_ms_per_student_s)
