"""The app's icon: encoded once per server process, not in every run of every session."""

import base64

import streamlit

from app.shell import navigation

from .conftest import APP, run_app


def test_icon_is_encoded_once_per_process_and_is_the_shipped_file(monkeypatch):
    sent = []
    real = streamlit.set_page_config

    def record(*args, **kwargs):
        if "page_icon" in kwargs:
            sent.append(kwargs["page_icon"])
        return real(*args, **kwargs)

    monkeypatch.setattr(streamlit, "set_page_config", record)
    navigation.icon_data_url.cache_clear()
    at = run_app()  # one session: two runs
    at.run()
    run_app("pooling")  # another session
    calls = navigation.icon_data_url.cache_info()
    assert len(sent) == 3, "the router sets the page icon in every run"
    assert calls.misses == 1, calls  # read and encoded in the first run only
    assert calls.hits == 2, calls
    assert set(sent) == {navigation.icon_data_url()}
    header, encoded = sent[0].split(",", 1)
    assert header == "data:image/png;base64"
    shipped = (APP.parents[1] / "assets" / "icon.png").read_bytes()
    assert base64.b64decode(encoded) == shipped
