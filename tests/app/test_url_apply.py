"""A page that takes its settings from the URL (a student following the teacher, a link
that opens another page) keeps them when the browser answers with its widgets' values
from before: a click made while that run was going, or before its widgets were drawn,
carries the old values (a student who left the class during the teacher's step change
landed on the step before)."""

from __future__ import annotations

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.testing.v1 import AppTest

from app.shell.url_state import APPLY_URL_KEY


def _page() -> None:
    import streamlit as st

    from app.shell.url_state import PageState, integer

    state = PageState("demo", [integer("step", 1, 9, 1), integer("size", 1, 9, 5)])
    state.restore()
    st.number_input("Step", 1, 9, key=state.key("step"))
    st.number_input("Size", 1, 9, key=state.key("size"))
    st.button("Leave")
    state.publish()


def _page_with_a_fragment() -> None:
    """The same page with its settings drawn in a fragment (as Convolution and Pooling)."""
    import streamlit as st

    from app.shell.url_state import PageState, integer

    state = PageState("demo", [integer("step", 1, 9, 1), integer("size", 1, 9, 5)])
    state.restore()

    @st.fragment
    def settings() -> None:
        st.number_input("Step", 1, 9, key=state.key("step"))
        st.number_input("Size", 1, 9, key=state.key("size"))
        st.button("Leave")
        state.publish()

    settings()


def _switched_to_step_2(page=_page) -> tuple[AppTest, WidgetStates]:
    """A session on step 1 that a follow switch has just moved to step 2 by its URL, and
    what a browser that has not yet drawn the switched run's widgets sends: the widget
    states of the run before it (their ids and values)."""
    at = AppTest.from_function(page)
    at.run()
    assert at.number_input(key="demo_step").value == 1
    stale = at._tree.get_widget_states()
    at.session_state[APPLY_URL_KEY] = True
    at.query_params["step"] = "2"
    at.run()
    assert [w.value for w in at.number_input] == [2, 5]
    return at, stale


def _stale_click(at: AppTest, stale: WidgetStates) -> None:
    """Press Leave from a browser still showing the widgets from before the switch."""
    at.button[0].click()
    pressed = [w for w in at._tree.get_widget_states().widgets if w.trigger_value]
    states = WidgetStates()
    states.widgets.extend(w for w in stale.widgets if not w.HasField("trigger_value"))
    states.widgets.extend(pressed)
    at._run(states)


@pytest.mark.parametrize("page", [_page, _page_with_a_fragment], ids=["plain", "fragment"])
def test_a_click_right_after_a_switch_keeps_the_urls_settings(page):
    at, before = _switched_to_step_2(page)
    _stale_click(at, before)
    assert [w.value for w in at.number_input] == [2, 5]
    assert at.query_params["step"] == "2"
    # The widgets drawn after the switch are the user's: a change to them is kept.
    at.number_input[0].set_value(1).run()
    assert at.number_input[0].value == 1
    assert "step" not in at.query_params


def test_a_change_made_after_the_page_was_drawn_is_kept():
    at, _ = _switched_to_step_2()
    at.number_input[0].set_value(3).run()
    assert at.number_input[0].value == 3
    assert at.query_params["step"] == "3"


def test_a_change_on_a_page_the_url_did_not_set_is_kept():
    at = AppTest.from_function(_page)
    at.run()
    at.number_input(key="demo_step").set_value(4).run()
    at.number_input(key="demo_step").set_value(1).run()
    assert at.number_input(key="demo_step").value == 1
