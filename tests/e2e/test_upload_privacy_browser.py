"""An upload is never written to disk or logged, and the page asks nothing of other hosts.

A server runs with its own empty HOME and TMPDIR and its log captured; a browser uploads a
photo whose file name and bytes carry a random marker, views it on two pages and uploads
a file over the size limit. Afterwards no file the server could have written (its HOME,
its TMPDIR, the project tree, anything new under /tmp) and not its log holds the marker,
the file name, or the photo's bytes.
"""

from __future__ import annotations

import io
import os
import secrets
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, PngImagePlugin

from .conftest import (
    ARTIFACTS,
    ROOT,
    app_server,
    error_texts,
    screenshot,
    upload_file,
    wait_for_app,
)

pytestmark = pytest.mark.browser
SKIP = (".git", ".venv", ".ruff_cache", ".hypothesis", "__pycache__", ".pytest_cache")


def marked_photo(marker: str) -> bytes:
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, (96, 128, 3), dtype=np.uint8)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", marker)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def files_written_since(folder: Path, since: float):
    for top, folders, names in os.walk(folder):
        folders[:] = [f for f in folders if f not in SKIP and "playwright" not in f]
        for name in names:
            path = Path(top) / name
            try:
                if path.is_file() and path.stat().st_mtime >= since:
                    yield path
            except OSError:
                continue


def test_an_upload_leaves_no_trace_on_disk_or_in_the_log(browser):
    marker = "convscope-private-" + secrets.token_hex(12)
    name = f"{marker}.png"
    data = marked_photo(marker)
    start = time.time() - 1
    with (
        tempfile.TemporaryDirectory(prefix="cs-home-") as home,
        tempfile.TemporaryDirectory(prefix="cs-tmp-") as tmp,
    ):
        env = {"HOME": home, "TMPDIR": tmp, "XDG_CACHE_HOME": f"{home}/.cache"}
        with app_server(env, "privacy-server") as url:
            page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            for path, caption in (("/", "Input: your upload"), ("/pooling", "Before pooling")):
                page.goto(url + path)
                wait_for_app(page, timeout=120)
                upload_file(page, {"name": name, "mimeType": "image/png", "buffer": data}, caption)
                assert not error_texts(page)
            # Over the limit: refused where the user looks, and not stored either.
            too_big = data + secrets.token_bytes(21 * 1024 * 1024)
            page.locator('input[type="file"]').first.set_input_files(
                {"name": name, "mimeType": "image/png", "buffer": too_big}
            )
            page.get_by_text("is larger than the 20 MB upload limit").first.wait_for()
            message = page.locator('[data-testid="stMain"] [data-testid="stAlertContentError"]')
            assert message.first.is_visible()
            screenshot(page, "upload-over-limit")
            page.context.close()
        # The browser asks nothing of any other host (no font, icon or analytics service
        # learns that the page was opened, and the photo goes nowhere else).
        elsewhere = [u for u in requested if not u.startswith((url, "data:", "blob:"))]
        assert requested and not elsewhere, elsewhere
        log = (ARTIFACTS / "privacy-server.log").read_text(errors="replace")
        suspects = [Path(home), Path(tmp), ROOT, Path(tempfile.gettempdir())]
        written = {p for folder in suspects for p in files_written_since(folder, start)}
        leaks = []
        for path in written:
            try:
                content = path.read_bytes()
            except OSError:
                continue
            if marker.encode() in content or data[-200:] in content:
                leaks.append(str(path))
    assert marker not in log and name not in log
    assert not leaks, f"the upload was written to {leaks}"
    assert written, "the scan saw no new file at all (the server log, at least, is new)"
