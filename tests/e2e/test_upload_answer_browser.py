"""An upload is answered before the page reruns (issue 23, item 5: under load a
student's upload sometimes never showed).

The uploader first asks the server where to send the file (``file_urls_request``) and
waits, without a time limit, for the answer. A run that starts before that answer has
left the server clears it from the session's outgoing queue (Streamlit keeps only a
run's lifecycle messages there), and the file is never sent. The upload guard used to
report every chosen file, so every upload began with a full rerun at that very moment;
under load (eight students uploading at once) one upload in a few runs was lost that way.
Recorded from the page's websocket: between the request and its answer, the page asks
for no rerun.

The same recording shows no message sent as a reference to one the browser is said to
have cached: a run can refer to a message the browser has dropped since it listed what
it holds, and the browser then stops drawing for good ("Cached ForwardMsg MISS", seen in
one of three runs of eight students once uploads no longer stalled).
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from .conftest import error_texts, upload_file, wait_for_app

pytestmark = pytest.mark.browser


def _photo() -> bytes:
    pixels = np.random.default_rng(23).integers(0, 256, (120, 160, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _record(page) -> list[tuple[str, object]]:
    """Every message on the page's websockets, in order: ("sent", BackMsg) and
    ("received", ForwardMsg)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    frames: list[tuple[str, object]] = []

    def raw(payload) -> bytes:
        return payload if isinstance(payload, bytes) else payload.encode()

    def watch(socket) -> None:
        socket.on("framesent", lambda p: frames.append(("sent", BackMsg.FromString(raw(p)))))
        socket.on(
            "framereceived", lambda p: frames.append(("received", ForwardMsg.FromString(raw(p))))
        )

    page.on("websocket", watch)
    return frames


def test_choosing_a_file_asks_for_no_rerun_before_the_upload_is_answered(page, server_url):
    frames = _record(page)
    page.goto(server_url)
    wait_for_app(page)
    photo = {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": _photo()}
    upload_file(page, photo, "Input: your upload")
    assert error_texts(page) == []
    kinds = [(way, msg.WhichOneof("type"), msg) for way, msg in frames]
    requests = [i for i, (_, kind, _) in enumerate(kinds) if kind == "file_urls_request"]
    assert requests, "the page never asked where to send the file"
    for start in requests:
        request_id = kinds[start][2].file_urls_request.request_id
        answer = next(
            (
                i
                for i, (_, kind, msg) in enumerate(kinds)
                if kind == "file_urls_response" and msg.file_urls_response.response_id == request_id
            ),
            None,
        )
        assert answer is not None, "the server's answer to the upload never came"
        between = [kind for way, kind, _ in kinds[start + 1 : answer] if way == "sent"]
        assert "rerun_script" not in between, (
            "the page asked for a rerun while its upload was waiting for the server's "
            f"answer (sent in between: {between})"
        )


def test_no_message_is_sent_as_a_reference_to_the_browsers_cache(page, server_url):
    """Full runs (the upload's) and a setting changed there and back again (the same
    feature map twice) would otherwise send the page style and the map by reference."""
    frames = _record(page)
    page.goto(server_url)
    wait_for_app(page)
    photo = {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": _photo()}
    upload_file(page, photo, "Input: your upload")
    for key in ("ArrowRight", "ArrowLeft"):
        before = page.locator("img.convscope-clickable").first.get_attribute("src")
        page.get_by_role("slider", name="Stride").first.focus()
        page.keyboard.press(key)
        page.wait_for_function(
            "(old) => { const i = document.querySelector('img.convscope-clickable');"
            " return i && i.src !== old; }",
            arg=before,
            timeout=30_000,
        )
        wait_for_app(page)
    received = [msg for way, msg in frames if way == "received"]
    assert sum(msg.WhichOneof("type") == "new_session" for msg in received) >= 3
    references = [msg.metadata.delta_path[:] for msg in received if msg.HasField("ref_hash")]
    assert references == [], f"elements sent by reference, at delta paths {references}"
    assert error_texts(page) == []
