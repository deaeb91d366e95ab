"""What the app relies on beyond Streamlit's documented API lives in one module, which
knows the releases it was tested on: a release outside them fails here, loudly."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st
from packaging.version import Version

from app.shell import streamlit_internals as internals

APP = Path(__file__).resolve().parents[2] / "app"
PRIVATE = re.compile(
    r"streamlit\.(runtime|proto|web|elements|delta_generator|testing)|get_script_run_ctx"
    r"|data-testid"
)


def test_the_installed_streamlit_is_a_tested_release():
    assert internals.version_problem(st.__version__) is None, internals.version_problem(
        st.__version__
    )
    assert internals.IN_TESTED_RANGE


def test_a_release_outside_the_range_is_named_with_the_range():
    low, high = _bounds(internals.tested_range())
    newer = f"{high.major}.{high.minor}.0"
    problem = internals.version_problem(newer)
    assert problem and newer in problem and internals.tested_range() in problem
    older = f"{low.major}.{low.minor - 1}.0" if low.minor else "0.99.0"
    assert internals.version_problem(older)
    assert internals.version_problem(f"{low.major}.{low.minor}.0") is None


def test_only_the_internals_module_touches_streamlits_internals():
    users = sorted(
        str(path.relative_to(APP)) for path in APP.rglob("*.py") if PRIVATE.search(path.read_text())
    )
    assert users == ["shell/streamlit_internals.py"]


def test_the_sidebar_hold_keeps_sidebar_elements_until_released():
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.proto.RootContainer_pb2 import RootContainer

    sent = []

    class Context:
        def enqueue(self, msg):
            sent.append(msg)

    def delta(container: int) -> ForwardMsg:
        msg = ForwardMsg()
        msg.delta.new_element.markdown.body = str(container)
        msg.metadata.delta_path[:] = [container, 0]
        return msg

    ctx = Context()
    hold = internals.SidebarHold(ctx)
    ctx.enqueue(delta(RootContainer.SIDEBAR))
    ctx.enqueue(delta(RootContainer.MAIN))
    assert [m.metadata.delta_path[0] for m in sent] == [RootContainer.MAIN]
    hold.release()
    assert [m.metadata.delta_path[0] for m in sent] == [RootContainer.MAIN, RootContainer.SIDEBAR]
    assert "enqueue" not in ctx.__dict__  # the context's own method again


def _bounds(specifier: str) -> tuple[Version, Version]:
    low = re.search(r">=\s*([\d.]+)", specifier)
    high = re.search(r"<\s*([\d.]+)", specifier)
    assert low and high, f"the streamlit range {specifier!r} has a floor and a cap"
    return Version(low.group(1)), Version(high.group(1))
