"""Every use ConvScope makes of Streamlit beyond its documented API, in one place.

Streamlit's documented API does not cover these; each was measured to be worth it, and
each depends on how the releases in the tested range behave. The range is the one
``pyproject.toml`` declares for ``streamlit`` (read from the installed package's
metadata, so there is one definition). Outside it, ``IN_TESTED_RANGE`` is False: the
workarounds that touch internals switch themselves off (the app then draws in
Streamlit's own order) and a warning names the range;
``tests/app/test_streamlit_internals.py`` fails on such a release.

What each workaround buys (measured on 2 cores in chromium; docs/performance.md has the
runs) and what it relies on:

- The sidebar held back on a session's first run (``paint_first``): a new session's map
  painted at 1.44 s instead of 2.12 s (12 sessions). Relies on ``ScriptRunContext.enqueue``,
  ``ForwardMsg.metadata.delta_path`` and ``RootContainer.SIDEBAR``.
- A pause after the map on a change (``paint_first``): the map painted at 80-88 ms instead
  of 123-131 ms (3 x 17 changes). Relies on the browser painting in gaps between messages.
- ``gc.freeze`` after a page's first run (``warm_start``): ~70 ms off every change; a
  drawn digit's maps in 99 ms instead of 215 ms. Relies on the full ``gc.collect`` that
  Streamlit runs after every script run (``runner.postScriptGC``).
- A keyed widget's default is the session's value (``widgets/controls/keyed``): a link's
  ``res=512`` no longer comes back as 128 (1 browser run in 12 before). Relies on the
  widget's ``set_value`` reaching the browser only on the run that set it.
- New widget keys on a run that takes the settings from the URL (``url_state``): a click
  made as a teacher's change arrives no longer undoes the change (4 tries in 5 before).
  Relies on the browser's widget values being matched to widgets by key.
- Page style selectors (``page_style``, ``presenter``, ``navigation``): Streamlit's
  ``data-testid`` names below.
- Another session rerun on request (``class_signal``): a student following a class is
  woken when the teacher acts instead of asking twice a second (8-14 ms of server CPU a
  second per idle student before). Relies on ``Runtime``'s session manager and
  ``AppSession.request_rerun`` with the session's last client state, the way Streamlit's
  own run-on-save does it, called on the session's event loop.
- An upload's answer kept when a run starts (``keep_upload_answers``): with 8 students
  uploading at once, 27 of 88 requests for an upload's URLs went unanswered (8 runs; in 2
  of them a student's picture never came, even after choosing the file three times).
  Relies on ``ForwardMsgQueue.clear(retain_lifecycle_msgs=...)`` and its ``_queue`` list.
- Streamlit's forward-message cache off (``global.minCachedMessageSize``, a hidden option,
  in ``.streamlit/config.toml``): a run that refers to a message the browser has dropped
  stops the page for good ("Cached ForwardMsg MISS": one student of 136 in 17 runs of 8
  uploading at once). Costs a repeated element sent again in full (a map is ~60 kB).
- A fragment keeps its id, and a change in a fragment the session no longer holds runs
  the whole page (``rerun_lost_fragments_in_full``): with three students uploading at
  once and then pressing Stride on the Pooling page (the load test's round), Streamlit
  dropped a student's first key after the upload in 5 of 12 rounds (its page kept the
  old map and link; the next key, back to the old stride, drew the same map and the
  round waited 60 s for a picture). The cause: the note above the fragment while Upload
  had no file went, and the fragment, drawn one place higher, got a new id. Now every
  line a page shows only sometimes above a fragment (the link's notice, the image's
  messages, a class's lines, ...) sits in a slot drawn on every run
  (``page_frame.fixed_slot``), so the id stays (tests/app/test_fragment_names.py,
  tests/e2e/test_fragment_name_browser.py). The whole-page run stays as a safety net
  for any change of place left (with it alone, 10 rounds: such a key in 5, each run as
  a whole page, all 60 changes of every round drawn). Relies on fragment ids that
  follow where a fragment is drawn, ``AppSession.request_rerun`` and ``has_fragment``,
  ``ScriptRunner._run_script`` and ``RerunData.fragment_id_queue``.
"""

from __future__ import annotations

import logging
from importlib import metadata

import streamlit as st
from packaging.requirements import Requirement
from packaging.version import Version
from streamlit.proto.RootContainer_pb2 import RootContainer
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

# Streamlit's DOM, as the page style addresses it.
MAIN_BLOCK = '[data-testid="stMainBlockContainer"]'
SIDEBAR_HEADER = '[data-testid="stSidebarHeader"]'
SIDEBAR_CONTENT = '[data-testid="stSidebarUserContent"]'
HEADER = '[data-testid="stHeader"]'
CAPTION = '[data-testid="stCaptionContainer"]'
WIDGET_LABEL = 'label[data-testid="stWidgetLabel"]'
SKELETON = '[data-testid="stSkeleton"]'
SLIDER = '[data-testid="stSlider"]'
SLIDER_SHOWN_VALUES = '[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBar"]'
PRIMARY_BUTTON = '[data-testid^="stBaseButton-primary"]'  # also a form's primary submit
SELECTED_TAG = '[data-testid="stMultiSelect"] span[title]'  # a multiselect's chosen option


def tested_range() -> str:
    """The Streamlit releases ConvScope declares (and was tested on), e.g. ">=1.60,<1.68"."""
    for line in metadata.requires("convscope") or ():
        requirement = Requirement(line)
        if requirement.name == "streamlit" and not requirement.marker:
            return str(requirement.specifier)
    raise LookupError("convscope's metadata names no streamlit requirement")


def version_problem(version: str) -> str | None:
    """Why Streamlit ``version`` is not one the workarounds here were tested on, or None."""
    wanted = tested_range()
    if Requirement(f"streamlit{wanted}").specifier.contains(Version(version), prereleases=True):
        return None
    return (
        f"ConvScope was tested with Streamlit {wanted} and this is {version}: the speed-ups "
        "that rely on Streamlit's internals are off. Install a tested release "
        "(make app does, from requirements/constraints.txt)."
    )


_PROBLEM = version_problem(st.__version__)
IN_TESTED_RANGE = _PROBLEM is None
if _PROBLEM:
    logging.getLogger(__name__).warning(_PROBLEM)


def run_context():
    """The script run in progress (None outside one, or outside the tested range)."""
    return get_script_run_ctx() if IN_TESTED_RANGE else None


def run_value(ctx, name: str):
    """A value this app keeps on a script run's context for that run (None if unset)."""
    return getattr(ctx, f"convscope_{name}", None)


def set_run_value(ctx, name: str, value) -> None:
    setattr(ctx, f"convscope_{name}", value)


def is_sidebar_element(msg) -> bool:
    """Whether a message leaving for the browser draws an element in the sidebar."""
    path = msg.metadata.delta_path
    return msg.WhichOneof("type") == "delta" and bool(path) and path[0] == RootContainer.SIDEBAR


class SidebarHold:
    """Keeps one run's sidebar elements back until released, then sends them in order
    (by standing in for the run context's ``enqueue`` for that run only)."""

    def __init__(self, ctx) -> None:
        self._ctx = ctx
        self._held = []
        self._send = ctx.enqueue  # the context's own method
        ctx.enqueue = self._enqueue

    def _enqueue(self, msg) -> None:
        if is_sidebar_element(msg):
            self._held.append(msg)
        else:
            self._send(msg)

    def release(self) -> None:
        if self._ctx.__dict__.get("enqueue") == self._enqueue:
            del self._ctx.enqueue
        held, self._held = self._held, []
        for msg in held:
            self._send(msg)


# A session that is running its script when asked to rerun is asked again this often
# until it is idle (a rerun then would replay client state older than the browser's).
BUSY_RETRY_S = 0.1
BUSY_RETRIES = 600


def session_id() -> str | None:
    """The id of the session whose script is running in this thread."""
    ctx = run_context()
    return ctx.session_id if ctx is not None else None


def rerun_session(session_id: str) -> bool:
    """Ask the session ``session_id`` of this process to run its script again, as the
    browser last asked it to; False when no such session is connected."""
    if not IN_TESTED_RANGE or not Runtime.exists():
        return False
    sessions = getattr(Runtime.instance(), "_session_mgr", None)  # absent under AppTest
    info = sessions.get_active_session_info(session_id) if sessions is not None else None
    if info is None:
        return False
    session = info.session
    session._event_loop.call_soon_threadsafe(_rerun_when_idle, session, BUSY_RETRIES)
    return True


def _rerun_when_idle(session, tries: int) -> None:
    """On the session's event loop: rerun it now if its script is idle, else look again
    shortly (its own run may have read the class before the change)."""
    if session._scriptrunner is None:
        session.request_rerun(session._client_state)
    elif tries > 0:
        session._event_loop.call_later(BUSY_RETRY_S, _rerun_when_idle, session, tries - 1)


def _is_upload_answer(msg) -> bool:
    return msg.WhichOneof("type") == "file_urls_response"


def keep_upload_answers() -> None:
    """Keep the server's answer to an upload's request for its URLs when a run starts.

    The uploader asks for the URLs to send a chosen file to (``file_urls_request``) and
    waits, without a time limit, for the answer. Streamlit puts the answer in the
    session's outgoing queue, and a run that starts before the queue is next sent clears
    it of everything but the run's own lifecycle messages: the answer is lost, the file
    is never sent, and the page keeps its old picture for good. Under load (eight
    students uploading at once on 2 cores) a run often starts in that gap: any rerun
    the browser asks for as the file is chosen (the upload guard's report, another
    click, a teacher's page change). The answer belongs to no run, so it is kept, in
    its place, like the lifecycle messages. Installed once per process; off outside the
    tested range."""
    if not IN_TESTED_RANGE:
        return
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

    original = ForwardMsgQueue.clear
    if getattr(original, "keeps_upload_answers", False):
        return

    def clear(self, retain_lifecycle_msgs: bool = False, fragment_ids_this_run=None) -> None:
        before = list(self._queue) if retain_lifecycle_msgs else []
        original(self, retain_lifecycle_msgs, fragment_ids_this_run)
        if not any(_is_upload_answer(msg) for msg in before):
            return
        kept = {id(msg) for msg in self._queue}
        self._queue[:] = [m for m in before if id(m) in kept or _is_upload_answer(m)]

    clear.keeps_upload_answers = True
    ForwardMsgQueue.clear = clear


def _lost_fragment(holds, fragment_ids, is_auto_rerun: bool) -> bool:
    """Whether a rerun of ``fragment_ids`` changes something the session cannot draw:
    a fragment it no longer holds, asked for by the user (a fragment's own timer that
    names a lost fragment is dropped, as Streamlit does)."""
    named = [fragment_id for fragment_id in fragment_ids if fragment_id]
    return bool(named) and not is_auto_rerun and not all(map(holds, named))


def rerun_lost_fragments_in_full() -> None:
    """Run the whole page for a change made in a fragment the session no longer holds.

    Streamlit names a fragment by where the page draws it: when an element above it
    comes or goes, the next run of the whole page draws the fragment under a new name
    and forgets the old one. The lines pages show only sometimes above a fragment (the
    note while Upload has no file yet, a message about the image, a link's notice on a
    session's first run) sit in slots drawn on every run (``page_frame.fixed_slot``), so
    this no longer happens there; this is the safety net for any other change of place. A change
    made in the browser before that run has reached it (a Stride key pressed while the
    page redraws after an upload) names the old fragment, and Streamlit drops the
    request without a word: when it arrives, or, if it arrives during that run, when its
    turn comes. The browser keeps its new value and the server never runs it: the page
    shows the old picture, the old formula and the old link for good. Such a change is
    run as a change outside a fragment is: a run of the whole page with the browser's
    widget values. Installed once per process; off outside the tested range."""
    if not IN_TESTED_RANGE:
        return
    import dataclasses

    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    request_rerun, run_script = AppSession.request_rerun, ScriptRunner._run_script
    if getattr(request_rerun, "reruns_lost_fragments", False):
        return

    def request(self, client_state) -> None:
        if client_state is not None and _lost_fragment(
            self.has_fragment, [client_state.fragment_id], client_state.is_auto_rerun
        ):
            whole = ClientState()
            whole.CopyFrom(client_state)
            whole.fragment_id = ""
            client_state = whole
        request_rerun(self, client_state)

    def run(self, rerun_data) -> None:
        queue = rerun_data.fragment_id_queue
        if _lost_fragment(self._fragment_storage.contains, queue, rerun_data.is_auto_rerun):
            rerun_data = dataclasses.replace(
                rerun_data, fragment_id_queue=[], is_fragment_scoped_rerun=False
            )
        run_script(self, rerun_data)

    request.reruns_lost_fragments = True
    AppSession.request_rerun = request
    ScriptRunner._run_script = run
