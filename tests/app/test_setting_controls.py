"""A control drawn from its setting offers exactly what a link may hold: a slider spans the
whole numbers the setting accepts, a radio its choices (app/shell/settings/setting_controls)."""

import pytest

from app.shell.settings.conv_settings import PADDING_KINDS
from app.shell.url_state import choice, int_choice, integer
from cnn_core.limits import MAX_DILATION, MAX_PADDING, MAX_POOL_WINDOW, MAX_STRIDE

from .conftest import assert_clean, run_app


def test_a_setting_keeps_what_it_accepts():
    assert integer("n", -3, 3, 0).bounds == (-3, 3)
    assert choice("c", ("a", "b"), "a").choices == ("a", "b")
    assert int_choice("k", (1, 3, 5), 3).choices == (1, 3, 5)
    setting = integer("n", -3, 3, 0)
    assert setting.parse("-3") == -3 and setting.parse("3") == 3
    for outside in ("-4", "4"):
        with pytest.raises(ValueError):
            setting.parse(outside)


@pytest.mark.parametrize(
    ("page", "prefix", "ranges"),
    [
        (
            None,
            "conv",
            {"stride": (1, MAX_STRIDE), "dil": (1, MAX_DILATION), "pad": (0, MAX_PADDING)},
        ),
        ("pooling", "pool", {"size": (1, MAX_POOL_WINDOW), "stride": (1, MAX_POOL_WINDOW)}),
        (
            "transposed",
            "transposed",
            {"stride": (1, 3), "pad": (0, 2), "outpad": (0, 2), "dil": (1, 2)},
        ),
    ],
)
def test_sliders_span_what_the_link_accepts(page, prefix, ranges):
    at = run_app(page)
    assert_clean(at)
    for name, (low, high) in ranges.items():
        slider = at.slider(key=f"{prefix}_{name}")
        assert (slider.min, slider.max) == (low, high), name


def test_the_padding_radio_offers_the_padding_kinds_a_link_accepts():
    at = run_app()
    assert tuple(at.radio(key="conv_padk").options) == PADDING_KINDS
