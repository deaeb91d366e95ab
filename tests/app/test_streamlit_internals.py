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


def test_an_uploads_answer_survives_a_run_that_starts_before_it_is_sent():
    """The server's answer to an upload's request for URLs is in the session's outgoing
    queue when a new run starts (the browser asked for a rerun as the file was chosen, and
    under load the queue was not sent in between). The run's start clears the queue of
    the earlier run's elements but must keep the answer: the browser waits for it without
    a time limit, and without it the file is never sent (issue 23, item 5)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

    internals.keep_upload_answers()
    internals.keep_upload_answers()  # installed once, however often it is called
    element = ForwardMsg()
    element.delta.new_element.markdown.body = "from the run that is ending"
    element.metadata.delta_path[:] = [0, 0]
    answer = ForwardMsg()
    answer.file_urls_response.response_id = "upload-1"
    finished = ForwardMsg()
    finished.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    queue = ForwardMsgQueue()
    for msg in (element, answer, finished):
        queue.enqueue(msg)
    queue.clear(retain_lifecycle_msgs=True)  # what a starting run does to the queue
    kept = queue.flush()
    assert [msg.WhichOneof("type") for msg in kept] == ["file_urls_response", "script_finished"]
    assert kept[0].file_urls_response.response_id == "upload-1"
    queue.enqueue(answer)
    queue.clear()  # a full clear (the session's end) still empties it
    assert queue.is_empty()


def test_a_change_in_a_fragment_the_session_no_longer_holds_runs_the_whole_page():
    """Which reruns ``rerun_lost_fragments_in_full`` turns into a run of the whole page:
    one the user asked for (not a fragment's timer) naming a fragment the session does
    not hold. The browser test test_fragment_name_browser.py shows it on the page."""
    held = {"kept"}.__contains__
    assert internals._lost_fragment(held, ["gone"], False)
    assert internals._lost_fragment(held, ["kept", "gone"], False)
    assert not internals._lost_fragment(held, ["kept"], False)
    assert not internals._lost_fragment(held, ["gone"], True)  # a timer: dropped, as before
    assert not internals._lost_fragment(held, [""], False)  # a run of the whole page already
    assert not internals._lost_fragment(held, [], False)
