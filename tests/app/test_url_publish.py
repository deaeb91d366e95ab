"""The link in the address bar follows the page even when two runs cross: a URL sent by
one run can reach the browser after the browser asked for the next run with its old URL
(keys pressed quickly on the lesson left ``step=4`` in the address bar under step 3)."""

from __future__ import annotations

import pytest
from streamlit.runtime.state.query_params import QueryParams
from streamlit.testing.v1 import AppTest

from app.shell.url_state import LAST_URL_SENT

SENT: list[str] = []


def _page() -> None:
    import streamlit as st

    from app.shell.url_state import PageState, integer

    state = PageState("demo", [integer("step", 1, 9, 1)])
    state.restore()
    st.number_input("Step", 1, 9, key=state.key("step"))
    state.publish()


@pytest.fixture
def sent(monkeypatch):
    """The query strings the app sends to the browser, in order."""
    original = QueryParams._send_query_param_msg

    def record(self):
        SENT.append("&".join(f"{k}={v}" for k, v in self._query_params.items()))
        original(self)

    SENT.clear()
    monkeypatch.setattr(QueryParams, "_send_query_param_msg", record)
    return SENT


def test_a_url_that_crossed_the_browsers_request_is_sent_again(sent):
    at = AppTest.from_function(_page)
    at.query_params["step"] = "4"
    at.run()
    assert sent[-1:] == ["step=4"]  # the first run says what the page shows
    sent.clear()
    at.run()
    assert sent == []  # nothing changed, nothing is sent

    # Step 3 is chosen while the browser still holds step=4 ... and then the run that
    # sent step=4 is answered by a request that carries step=3: this run must send it.
    at.number_input(key="demo_step").set_value(3)
    at.run()
    assert sent == ["step=3"]
    sent.clear()
    at.session_state[LAST_URL_SENT] = ("demo", {"step": "4"})
    at.query_params["step"] = "3"
    at.run()
    assert sent == ["step=3"]
    sent.clear()
    at.run()
    assert sent == []
