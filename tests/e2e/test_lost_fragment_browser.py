"""A setting changed while the page redraws after an upload is not lost (issue 23, item 5:
under load a student's Stride key on the Pooling page brought no new picture, and the
page's address did not change either).

The Pooling page's settings and maps are a fragment, which Streamlit names by where the
page draws it. While Upload had no file yet, a note ("The sample is shown ... until you
upload a picture") stood above it; the upload's run of the whole page drew the fragment
one place higher, under another name, and forgot the old one. A key pressed before the
browser had that run's elements named the old fragment, and Streamlit dropped the
request without a word (in the server's log: "The fragment with id ... does not exist
anymore", or, if it came during that run, "Couldn't find fragment with id ..."). The
slider kept its new value and nothing was drawn for it, for good. Under load (three
students uploading at once) a student's first key after an upload often landed in that
gap. The note now sits in a slot drawn on every run (``page_frame.fixed_slot``), so the
fragment keeps its name (tests/app/test_fragment_names.py,
test_fragment_name_browser.py); a change naming a fragment the session lost anyway runs
the whole page (``rerun_lost_fragments_in_full``, tested on its own in
test_fragment_name_browser.py).

Here the gap is made on purpose, and the key must still reach the page: the server's
messages to the page are held from the moment the page asks for the upload's run, the
key is pressed (on the slider drawn before the upload) and only then is the page given
the server's messages.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from cnn_core import conv_output_size

from .conftest import error_texts, screenshot, wait_for_app

pytestmark = pytest.mark.browser

SIZE = (90, 120)  # the upload's height and width: stride 2 and 3 give different maps


def _photo() -> bytes:
    pixels = np.random.default_rng(5).integers(0, 256, (*SIZE, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


class HeldReplies:
    """Stands between the page and the server on the app's websocket. Once armed, the
    page's next request for a run of the whole page starts holding the server's
    messages to the page (in order) until ``release``. With ``after_the_run``, the
    page's requests to run a fragment made meanwhile reach the server only once that
    run has ended (else at once, during it)."""

    def __init__(self, page, *, after_the_run: bool):
        self.after_the_run = after_the_run
        self.armed = self.holding = False
        self.held: list = []
        self._requests: list = []
        self._page = self._server = None
        page.route_web_socket(re.compile(r"/_stcore/stream"), self._route)

    def _route(self, socket) -> None:
        self._page, self._server = socket, socket.connect_to_server()
        socket.on_message(self._from_page)
        self._server.on_message(self._from_server)

    def _from_page(self, message) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        if isinstance(message, bytes) and (self.armed or self.holding):
            request = BackMsg.FromString(message)
            if request.WhichOneof("type") == "rerun_script":
                if not request.rerun_script.fragment_id:
                    self.armed, self.holding = False, True
                elif self.after_the_run:
                    self._requests.append(message)
                    return
        self._server.send(message)

    def _from_server(self, message) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if not (self.holding or self.held):
            self._page.send(message)
            return
        self.held.append(message)
        if isinstance(message, bytes) and ForwardMsg.FromString(message).HasField(
            "script_finished"
        ):
            while self._requests:
                self._server.send(self._requests.pop(0))

    def release(self) -> None:
        # Messages that arrive while these are sent join the end of the list.
        while self.held:
            self._page.send(self.held.pop(0))
        self.holding = False


def _requests(page) -> int:
    """The runs the page has asked for (conftest.RUN_TRACKER counts them)."""
    return page.evaluate("() => window.__convscopeRuns.requested")


@pytest.mark.parametrize("after_the_run", [False, True], ids=["during", "after"])
def test_a_key_pressed_as_the_upload_redraws_the_page_is_run(page, server_url, after_the_run):
    """The key's request reaches the server during the upload's run (Streamlit kept it
    for after the run, then found no such fragment) or after it (dropped on arrival)."""
    replies = HeldReplies(page, after_the_run=after_the_run)
    page.goto(server_url + "/pooling")
    wait_for_app(page)
    page.get_by_role("radio", name="Upload", exact=True).first.dispatch_event("click")
    page.get_by_text("until you upload an image").first.wait_for(timeout=30_000)
    wait_for_app(page)
    stride = page.get_by_role("slider", name="Stride").first
    assert stride.input_value() == "2"

    asked = _requests(page)
    replies.armed = True
    page.locator('input[type="file"]').first.set_input_files(
        {"name": "photo.png", "mimeType": "image/png", "buffer": _photo()}
    )
    # The page has asked for the upload's run; none of its elements has come.
    page.wait_for_function("(n) => window.__convscopeRuns.requested > n", arg=asked)
    assert replies.holding
    stride.focus()
    page.keyboard.press("ArrowRight")  # the slider sends its value on the key press
    page.wait_for_function("(n) => window.__convscopeRuns.requested > n + 1", arg=asked)
    assert page.get_by_text("until you upload an image").count() == 1  # still the old page
    replies.release()

    # The page runs with stride 3: its address, slider and pooled map say so.
    page.wait_for_function("() => location.href.includes('stride=3')", timeout=30_000)
    wait_for_app(page)
    screenshot(page, "pooling-key-during-upload")
    assert page.get_by_role("slider", name="Stride").first.input_value() == "3"
    height, width = (conv_output_size(side, 2, stride=3) for side in SIZE)
    page.get_by_text(f"After pooling: {height} x {width}").first.wait_for(timeout=10_000)
    assert page.get_by_text(f"Before pooling: {SIZE[0]} x {SIZE[1]}").count() == 1
    assert error_texts(page) == []
