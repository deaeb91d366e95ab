"""The Pooling page's settings keep the name the browser knows them by when an upload
comes in.

Streamlit names a fragment (here the Pooling page's settings and maps, which a change
reruns alone) by where the page draws it, and the browser names the fragment in every
change it sends. While Upload has no file yet, a note stands above the fragment; when
it stood there alone, the upload's run drew the fragment one place higher, under a new
name, and a key pressed before the browser had that run named the old one (Streamlit
dropped it; ``tests/e2e/test_lost_fragment_browser.py`` shows the page's answer to
that). The note now sits in a slot drawn on every run, so the name stays.

Here the names are read from the browser's own messages on the app's websocket: a
Stride key pressed before the upload and one pressed after it name the same fragment.
The whole-page run stays as a safety net for a change that names a fragment the session
no longer holds; the second test makes one by renaming the key's request on its way.
``tests/app/test_fragment_names.py`` checks more pages and states through AppTest.
"""

from __future__ import annotations

import re

import pytest

from .conftest import error_texts, screenshot, wait_for_app
from .test_lost_fragment_browser import SIZE, _photo  # a 90 x 120 picture of noise

pytestmark = pytest.mark.browser


class FragmentNames:
    """Passes the app's websocket messages through, noting the fragment each change the
    page asks the server to run names (a timer's reruns left out). With ``rename_to``,
    such a change names that fragment instead (one the session never had, as a change
    made before a redraw that moved its fragment would)."""

    def __init__(self, page, rename_to: str | None = None):
        self.named: list[str] = []
        self.rename_to = rename_to
        page.route_web_socket(re.compile(r"/_stcore/stream"), self._route)

    def _route(self, socket) -> None:
        server = socket.connect_to_server()

        def from_page(message) -> None:
            from streamlit.proto.BackMsg_pb2 import BackMsg

            if isinstance(message, bytes):
                request = BackMsg.FromString(message)
                rerun = request.rerun_script
                if request.WhichOneof("type") == "rerun_script" and not rerun.is_auto_rerun:
                    self.named.append(rerun.fragment_id)
                    if rerun.fragment_id and self.rename_to:
                        rerun.fragment_id = self.rename_to
                        message = request.SerializeToString()
            server.send(message)

        socket.on_message(from_page)
        server.on_message(socket.send)


def _press_stride(page, names: FragmentNames, to: int) -> str:
    """Press the Stride slider's right arrow; the fragment the change named."""
    stride = page.get_by_role("slider", name="Stride").first
    assert stride.input_value() == str(to - 1)
    sent = len(names.named)
    stride.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => location.href.includes('stride={to}')", timeout=30_000)
    wait_for_app(page)
    assert page.get_by_role("slider", name="Stride").first.input_value() == str(to)
    (named,) = names.named[sent:]
    return named


def test_the_pooling_settings_keep_their_name_when_the_upload_comes(page, server_url):
    names = FragmentNames(page)
    page.goto(server_url + "/pooling")
    wait_for_app(page)
    page.get_by_role("radio", name="Upload", exact=True).first.dispatch_event("click")
    page.get_by_text("until you upload an image").first.wait_for(timeout=30_000)
    wait_for_app(page)
    screenshot(page, "pooling-upload-waiting")
    before = _press_stride(page, names, 3)
    assert before, "the Stride key asked for a run of the settings' fragment"
    assert page.get_by_text("until you upload an image").count() == 1

    page.locator('input[type="file"]').first.set_input_files(
        {"name": "photo.png", "mimeType": "image/png", "buffer": _photo()}
    )
    page.get_by_text(f"Before pooling: {SIZE[0]} x {SIZE[1]}").first.wait_for(timeout=30_000)
    wait_for_app(page)
    assert page.get_by_text("until you upload an image").count() == 0
    screenshot(page, "pooling-upload-in")
    after = _press_stride(page, names, 4)
    assert after == before
    assert error_texts(page) == []


def test_a_change_naming_a_fragment_the_session_lost_is_run_as_a_whole_page(page, server_url):
    """The safety net behind the slots (``rerun_lost_fragments_in_full``): Streamlit drops
    such a change without a word; the app runs the whole page with the browser's values."""
    names = FragmentNames(page, rename_to="0" * 32)
    page.goto(server_url + "/pooling")
    wait_for_app(page)
    assert _press_stride(page, names, 3), "the Stride key asked for a run of its fragment"
    # The cat's 170 x 256 map pooled by 2 at stride 3: (170 - 2) // 3 + 1, (256 - 2) // 3 + 1.
    page.get_by_text("After pooling: 57 x 85").first.wait_for(timeout=10_000)
    assert error_texts(page) == []
