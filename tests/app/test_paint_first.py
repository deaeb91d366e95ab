"""The Convolution and Pooling pages send their map before what the browser would otherwise
draw first: on a change, a short pause after the map, before the controls; on a session's
first run, also the whole sidebar, held back until the map is out and a longer pause."""

import pytest
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

from app.page_parts.convolution import outputs
from app.page_parts.pooling import settings as pool_settings
from app.shell import paint_first
from app.shell.settings import conv_settings as settings
from app.widgets.pictures import map_view

from .conftest import assert_clean, run_app


@pytest.fixture
def order(monkeypatch) -> list[str]:
    """What the Convolution page's runs do, in order: "map", "pause <seconds>",
    "controls", and "sidebar" for a run of sidebar elements as they leave for the browser."""
    events: list[str] = []

    class Clock:
        @staticmethod
        def sleep(seconds: float) -> None:
            events.append(f"pause {seconds}")

    def recorded(name, function):
        def wrapper(*args, **kwargs):
            events.append(name)
            return function(*args, **kwargs)

        return wrapper

    sent = ScriptRunContext.enqueue

    def enqueue(ctx, msg):
        path = msg.metadata.delta_path
        to_sidebar = msg.WhichOneof("type") == "delta" and path and path[0] == 1
        if to_sidebar and (not events or events[-1] != "sidebar"):
            events.append("sidebar")
        sent(ctx, msg)

    monkeypatch.setattr(ScriptRunContext, "enqueue", enqueue)
    monkeypatch.setattr(paint_first, "time", Clock)
    monkeypatch.setattr(outputs, "show_maps", recorded("map", outputs.show_maps))
    monkeypatch.setattr(settings, "settings_panel", recorded("controls", settings.settings_panel))
    # The Pooling page imports these on each run: its pooled map and its controls.
    monkeypatch.setattr(map_view, "clickable_encoded", recorded("map", map_view.clickable_encoded))
    panel = pool_settings.pool_settings_panel
    monkeypatch.setattr(pool_settings, "pool_settings_panel", recorded("controls", panel))
    return events


def sidebar_widgets(at) -> list[str]:
    return [w.label for w in (*at.sidebar.selectbox, *at.sidebar.radio, *at.sidebar.button)]


@pytest.mark.parametrize(
    ("page", "sidebar", "slider"),
    [
        (None, {"Kernel", "Colour", "Reset every setting"}, "conv_dil"),
        ("pooling", {"Pool the output of", "Reset every setting"}, "pool_stride"),
    ],
)
def test_a_sessions_first_run_sends_the_map_before_the_sidebar(order, page, sidebar, slider):
    at = run_app(page, sample="astronaut")
    assert_clean(at)
    first = f"pause {paint_first.FIRST_PAUSE_S}"
    assert order == ["map", first, "sidebar", "controls", "sidebar"]
    assert paint_first.FIRST_PAUSE_S > paint_first.PAUSE_S
    # Everything the sidebar shows arrived, in its place: a change redraws the same.
    held = sidebar_widgets(at)
    assert sidebar <= set(held)
    order.clear()
    at.slider(key=slider).set_value(3).run()
    assert_clean(at)
    assert sidebar_widgets(at) == held
    assert order == ["sidebar", "map", f"pause {paint_first.PAUSE_S}", "controls", "sidebar"]


def test_a_change_pauses_between_the_map_and_the_controls(order):
    at = run_app(sample="astronaut")
    order.clear()
    at.slider(key="conv_dil").set_value(2).run()
    assert_clean(at)
    pause = f"pause {paint_first.PAUSE_S}"
    assert order == ["sidebar", "map", pause, "controls", "sidebar"]  # nothing held


def test_without_a_map_the_sidebar_is_sent_when_the_run_ends(order, monkeypatch):
    def no_map(*args, **kwargs):
        raise ValueError("the test's settings give none")

    monkeypatch.setattr(outputs.ConvRun, "compute", no_map)
    at = run_app()
    assert "the test's settings give none" in " ".join(e.value for e in at.error)
    assert not at.exception
    assert order == ["controls", "sidebar"]  # no pause, and the sidebar complete
    assert {"Kernel", "Colour", "Reset every setting"} <= set(sidebar_widgets(at))
    order.clear()
    at.slider(key="conv_stride").set_value(2).run()
    assert not at.exception
    assert order == ["sidebar", "controls", "sidebar"]


def test_other_pages_hold_nothing(order):
    at = run_app("layer_stack")
    assert_clean(at)
    assert order[0] == "sidebar" and not any(e.startswith("pause") for e in order)
