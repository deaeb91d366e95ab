"""The upload limit is said twice: Streamlit refuses larger files before the app sees
them (``.streamlit/config.toml``), and the page names the limit in its messages
(``cnn_core.limits``). The two must be the same number."""

import tomllib
from pathlib import Path

from cnn_core.limits import MAX_UPLOAD_MB

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_upload_limit_matches_the_server_setting():
    server = tomllib.loads(CONFIG.read_text())["server"]
    assert server["maxUploadSize"] == MAX_UPLOAD_MB
