"""The bytes of what Streamlit's uploader and camera hold in session state.

Session state can hold a placeholder with no contents instead of a file: when a browser
reconnects to another app process (its own was stopped, behind the class proxy) or to a
restarted one, it sends back the ids of files that process never received.
"""

from __future__ import annotations

LOST_FILE = (
    "Your {what} is no longer on the server (the app restarted or moved you to another "
    "server). {again}"
)


def held_bytes(value) -> bytes | None:
    """The file's bytes; None for no file and for a placeholder of a lost one."""
    read = getattr(value, "getvalue", None)
    return read() if callable(read) else None


def is_lost(value) -> bool:
    """True for a placeholder left where a file was."""
    return value is not None and held_bytes(value) is None
