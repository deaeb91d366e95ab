"""The upload limit is said twice: Streamlit refuses larger files before the app sees
them (``.streamlit/config.toml``), and the page names the limit in its messages
(``cnn_core.limits``). The two must be the same number."""

import re
from pathlib import Path

from cnn_core.limits import MAX_UPLOAD_MB

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_upload_limit_matches_the_server_setting():
    # The [server] table's maxUploadSize line, as Streamlit reads it.
    server = CONFIG.read_text().split("[server]", 1)[1].split("\n[", 1)[0]
    found = re.search(r"^maxUploadSize\s*=\s*(\d+)\s*(#.*)?$", server, flags=re.MULTILINE)
    assert found, "[server] maxUploadSize is set in .streamlit/config.toml"
    assert int(found.group(1)) == MAX_UPLOAD_MB
