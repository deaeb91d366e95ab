"""The keyed widgets pass the session's value as default only when the widget can take
it: Streamlit stops the page on a default outside the bounds or options, but quietly
replaces a session value it cannot take (a map that shrank under a remembered row)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _number_held_above_its_bound():
    import streamlit as st

    from app.widgets.controls import keyed

    st.session_state.setdefault("row", 10)
    keyed.number_input("Row", 0, 5, key="row")


def _choice_held_outside_its_options():
    import streamlit as st

    from app.widgets.controls import keyed

    st.session_state.setdefault("size", 7)
    st.session_state.setdefault("pics", ["gone"])
    st.session_state.setdefault("view", "gone")
    keyed.select_slider("Size", (1, 2, 3), key="size")
    keyed.multiselect("Pictures", ("a", "b"), key="pics")
    keyed.segmented_control("View", ("x", "y"), key="view")


@pytest.mark.parametrize("script", [_number_held_above_its_bound, _choice_held_outside_its_options])
def test_a_value_the_widget_cannot_take_is_replaced_not_an_error(script):
    at = AppTest.from_function(script)
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_a_value_within_bounds_becomes_the_default():
    def script():
        import streamlit as st

        from app.widgets.controls import keyed

        st.session_state.setdefault("row", 4)
        keyed.number_input("Row", 0, 5, key="row")

    at = AppTest.from_function(script)
    at.run()
    assert at.number_input[0].proto.default == 4 and at.number_input[0].value == 4
