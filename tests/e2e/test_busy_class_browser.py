"""The busy-class benchmark's short version: three protocol students move Stride on one
process and on two behind nginx; every move is answered (speed is for `make bench`)."""

from __future__ import annotations

import concurrent.futures
import math

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from benchmarks import busy_class, cluster

pytestmark = pytest.mark.browser


def _stride(message: bytes) -> list[float]:
    back = BackMsg()
    back.ParseFromString(message)
    (widget,) = [w for w in back.rerun_script.widget_states.widgets if w.id.endswith("stride")]
    return list(widget.double_array_value.data)


def test_the_recorded_moves_are_two_steps_of_stride(browser):
    with (
        cluster.app_processes(busy_class.APP) as (server,),
        concurrent.futures.ThreadPoolExecutor(1) as worker,
    ):
        moves = worker.submit(busy_class.record_moves, server.url).result()
    assert [_stride(move) for move in moves] == [[2.0], [3.0]]


def test_three_students_moving_together_are_all_answered(browser):
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        rounds = worker.submit(busy_class.measure, (3,), 3.0).result()
    busy_class.report(rounds)
    assert [r.setup for r in rounds] == ["one process", "two behind nginx"]
    for result in rounds:
        assert result.errors == []
        # three students, about one move a second each for three seconds
        assert len(result.changes) >= 6
        assert all(math.isfinite(s) and 0 < s < busy_class.TIMEOUT for s in result.changes)
        assert result.cpu_ms_per_change > 0
