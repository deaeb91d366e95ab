"""The colour-vision-safe palette as an app-wide setting: from the link (``palette=safe``)
or the sidebar switch, kept in the address and the share link, and followed by the maps,
their colour bars and the words that name the colours."""

from __future__ import annotations

import numpy as np

from app.shell.share import OPEN as SHARE_OPEN
from cnn_core.render import PALETTES, SAFE, STANDARD

from .conftest import assert_clean, clickable_pictures, page_path, run_app

# Paul Tol's sunset, as published: its ends and its middle (zero).
SUNSET_LOW, SUNSET_ZERO, SUNSET_HIGH = (54, 75, 154), (234, 236, 204), (165, 0, 38)
RDBU_LOW, RDBU_ZERO, RDBU_HIGH = (5, 48, 97), (247, 247, 247), (103, 0, 31)


def _step_edge_map(at) -> np.ndarray:
    """The Convolution page's feature map of the step edge (PNG: exact colours)."""
    return clickable_pictures(at)["conv_map_0"].reshape(-1, 3)


def _colours(pixels: np.ndarray) -> set[tuple[int, ...]]:
    return {tuple(int(v) for v in p) for p in np.unique(pixels, axis=0)}


def _share_in(pixels: np.ndarray, lut: np.ndarray) -> float:
    """The share of pixels that are exactly a colour of ``lut``."""
    table = {tuple(int(v) for v in c) for c in lut}
    return float(np.mean([tuple(int(v) for v in p) in table for p in pixels]))


def _colour_bar_words(at) -> list[str]:
    return [e.proto.body for e in at.get("html") if "Colour scale:" in e.proto.body]


def test_safe_palette_from_the_link_colours_the_map_and_its_bar():
    # Sobel x over a vertical step edge: zero on the flat parts, its extremes along the
    # edge; a 128 x 128 map goes as PNG, so every pixel is an exact table colour.
    at = run_app(sample="step_edge", res=128, palette="safe")
    assert_clean(at)
    pixels = _step_edge_map(at)
    colours = _colours(pixels)
    # every pixel a colour of the safe table, but for the inspector's black mark
    assert _share_in(pixels, PALETTES[SAFE].diverging) > 0.98
    assert SUNSET_ZERO in colours and (SUNSET_LOW in colours or SUNSET_HIGH in colours)
    assert not colours & {RDBU_LOW, RDBU_ZERO, RDBU_HIGH}
    bars = _colour_bar_words(at)
    signed_bar, magnitude_bar = bars  # the feature map's, then the gradient magnitude's
    assert "dark blue -3.373, pale yellow 0, dark red +3.373" in signed_bar
    assert "#364b9a" in signed_bar  # its gradient starts at sunset's dark blue
    cividis_low = "#{:02x}{:02x}{:02x}".format(*PALETTES[SAFE].sequential[0])
    assert "Colour scale: dark blue" in magnitude_bar and cividis_low in magnitude_bar


def test_without_the_setting_the_map_is_the_standard_one():
    at = run_app(sample="step_edge", res=128)
    pixels = _step_edge_map(at)
    colours = _colours(pixels)
    assert _share_in(pixels, PALETTES[STANDARD].diverging) > 0.98
    assert RDBU_ZERO in colours and SUNSET_ZERO not in colours
    signed_bar, magnitude_bar = _colour_bar_words(at)
    assert "dark blue -3.373, white 0, dark red +3.373" in signed_bar
    assert "Colour scale: dark purple" in magnitude_bar
    assert not at.toggle(key="_palette_toggle").value


def test_switch_turns_it_on_and_off_and_the_address_follows():
    at = run_app(sample="step_edge", res=128)
    at.toggle(key="_palette_toggle").set_value(True).run()
    assert at.query_params["palette"] == "safe"
    assert SUNSET_ZERO in _colours(_step_edge_map(at))
    # kept from page to page, and in the share link
    at.switch_page(page_path("pooling")).run()
    assert_clean(at)
    assert at.query_params["palette"] == "safe"
    assert at.toggle(key="_palette_toggle").value
    at.session_state[SHARE_OPEN] = True
    at.run()
    link = next(c.value for c in at.code if "pooling" in c.value)
    assert "palette=safe" in link
    at.toggle(key="_palette_toggle").set_value(False).run()
    assert "palette" not in at.query_params


def test_an_unknown_palette_in_the_link_is_the_standard_one():
    at = run_app(sample="step_edge", res=128, palette="neon")
    assert_clean(at)
    assert RDBU_ZERO in _colours(_step_edge_map(at))
    assert "palette" not in at.query_params
