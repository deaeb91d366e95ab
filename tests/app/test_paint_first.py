"""A change's run pauses right after the feature map, before the controls and the rest, so
the browser can paint the map first; a session's first run does not pause."""

import pytest

from app.convolution import outputs, settings
from app.shell import paint_first

from .conftest import assert_clean, run_app


@pytest.fixture
def order(monkeypatch) -> list[str]:
    """What the Convolution page's runs do, in order: "map", "pause", "controls"."""
    events: list[str] = []

    class Clock:
        @staticmethod
        def sleep(seconds: float) -> None:
            events.append("pause")
            assert seconds == paint_first.PAUSE_S

    def recorded(name, function):
        def wrapper(*args, **kwargs):
            events.append(name)
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(paint_first, "time", Clock)
    monkeypatch.setattr(outputs, "show_maps", recorded("map", outputs.show_maps))
    monkeypatch.setattr(settings, "settings_panel", recorded("controls", settings.settings_panel))
    return events


def test_a_change_pauses_between_the_map_and_the_controls(order):
    at = run_app(sample="astronaut")
    assert_clean(at)
    assert order == ["map", "controls"]  # the first run: no pause
    order.clear()
    at.slider(key="conv_dil").set_value(2).run()
    assert_clean(at)
    assert order == ["map", "pause", "controls"]


def test_no_pause_when_there_is_no_map(order):
    at = run_app(kernel="custom")
    at.text_input(key="conv_custom").set_value("edge please").run()  # a message, no map
    assert "not a number" in " ".join(e.value for e in at.error)
    order.clear()
    at.slider(key="conv_stride").set_value(2).run()
    assert not at.exception
    assert order == ["controls"]
