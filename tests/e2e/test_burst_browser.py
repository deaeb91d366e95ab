"""The burst benchmark's short version: three students and one chromium open the link in
the same instant, on one process and on two behind nginx. Every student must get its
feature map and the end of its script run (speed is for `make bench`)."""

from __future__ import annotations

import concurrent.futures
import math

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from benchmarks import burst, cluster

from .conftest import ROOT

pytestmark = pytest.mark.browser


def test_three_students_joining_together_all_get_their_map(browser):
    # Like the load test: the benchmark's own sync Playwright runs in another thread.
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        results = worker.submit(burst.measure, 3).result()
    burst.report(results)
    assert [r.setup for r in results] == ["one process", "two processes behind nginx"]
    for result in results:
        assert result.errors == []
        assert len(result.seconds) == 3
        assert all(math.isfinite(s) and s > 0 for s in result.seconds)
        assert math.isfinite(result.browser_seconds)


def test_a_recorded_join_is_what_chromium_asked_for(browser, server_url):
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        join = worker.submit(burst.record_join, server_url, "/").result()
    # Streamlit's scripts before the websocket, the element code after it.
    assert any(path.startswith("/static/js/index.") for path in join.before)
    assert any("Slider" in path for path in join.after)
    message = BackMsg()
    message.ParseFromString(join.first_message)
    assert message.WhichOneof("type") == "rerun_script"


def test_a_student_whose_page_has_no_feature_map_fails(browser, server_url, monkeypatch):
    """The replayed join sent to the bare page (one slider, one image, no clickable map)
    must end in an error, not count as a student who got the map."""
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        join = worker.submit(burst.record_join, server_url, "/").result()
    monkeypatch.setattr(burst, "TIMEOUT", 8.0)
    with cluster.app_processes(ROOT / "benchmarks" / "bare_app.py") as (bare,):
        out = burst.Student()
        burst._student(bare.url, join, burst._started(), out)
    assert "no feature map" in out.error
    assert math.isnan(out.seconds)
