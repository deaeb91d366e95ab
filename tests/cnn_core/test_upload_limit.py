"""The upload limits are said in two places: Streamlit refuses files larger than
``server.maxUploadSize`` (``.streamlit/config.toml``) before the app sees them, and each
uploader carries its own, lower limit (``max_upload_size``) taken from ``cnn_core.limits``,
which the page also names in its messages. The server's must be the largest of them (model
files), and no uploader may fall back to it."""

import ast
import io
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cnn_core import ImageError, load_image
from cnn_core.limits import MAX_MODEL_FILE_MB, MAX_UPLOAD_MB

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".streamlit" / "config.toml"


def _server_limit() -> int:
    # The [server] table's maxUploadSize line, as Streamlit reads it.
    server = CONFIG.read_text().split("[server]", 1)[1].split("\n[", 1)[0]
    found = re.search(r"^maxUploadSize\s*=\s*(\d+)\s*(#.*)?$", server, flags=re.MULTILINE)
    assert found, "[server] maxUploadSize is set in .streamlit/config.toml"
    return int(found.group(1))


def test_the_server_takes_the_largest_file_the_app_accepts():
    assert _server_limit() == max(MAX_UPLOAD_MB, MAX_MODEL_FILE_MB)


def _uploader_calls():
    for path in sorted((ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "file_uploader"
            ):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node


def test_every_uploader_names_its_own_limit():
    calls = list(_uploader_calls())
    assert len(calls) >= 6  # pictures on five pages, model files, class names
    missing = [
        where for where, node in calls if "max_upload_size" not in {k.arg for k in node.keywords}
    ]
    assert not missing, f"uploaders falling back to the server's {_server_limit()} MB: {missing}"


def test_a_picture_over_the_limit_is_refused_with_its_size():
    # A valid PNG padded past the limit: the size alone refuses it, before decoding.
    buffer = io.BytesIO()
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(buffer, format="PNG")
    data = buffer.getvalue()
    assert load_image(data).shape == (8, 8, 3)
    padded = data + b"\0" * (MAX_UPLOAD_MB * 1024 * 1024 + 1 - len(data))
    with pytest.raises(ImageError, match=rf"is 21\.0 MB; pictures of up to {MAX_UPLOAD_MB} MB"):
        load_image(padded)
    at_limit = data + b"\0" * (MAX_UPLOAD_MB * 1024 * 1024 - len(data))
    assert load_image(at_limit).shape == (8, 8, 3)  # PNG ignores bytes after its end
