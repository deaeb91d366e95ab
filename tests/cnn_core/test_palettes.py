"""The colour-vision-safe palette measured against simulated colour-vision deficiency
(tests/cnn_core/colour_vision.py: Machado et al. 2009, CIELAB, CIEDE2000), and the
standard palette shown to be worse where it is."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core import render
from cnn_core.render import PALETTES, SAFE, STANDARD, colour_stops, signed_to_rgb, unsigned_to_rgb

from .colour_vision import MACHADO_2009, VISIONS, ciede2000, lab_from_linear, linear_rgb, seen_lab

DEFICIENCIES = tuple(MACHADO_2009)
# Two colours this far apart (CIEDE2000) are told apart at a glance; 2.3 is a "just
# noticeable difference" (Sharma 2003), and 20 is about the step between neighbouring
# named colours of a colour bar.
DISTINCT = 25.0


# --- the colour science itself, against published numbers -------------------------


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [  # Sharma, Wu & Dalal 2005, Table 1: pairs 1, 7, 17 and 25
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_sharma_table(lab1, lab2, expected):
    assert float(ciede2000(lab1, lab2)) == pytest.approx(expected, abs=1e-4)


def test_lab_of_srgb_primaries():
    # CIELAB of sRGB white and red (D65), as colour references list them.
    white, red = lab_from_linear(linear_rgb([[255, 255, 255], [255, 0, 0]]))
    assert white == pytest.approx([100.0, 0.0, 0.0], abs=0.05)
    assert red == pytest.approx([53.24, 80.09, 67.20], abs=0.1)


@pytest.mark.parametrize("vision", DEFICIENCIES)
def test_machado_keeps_greys_and_confuses_its_own_axis(vision):
    # Every row sums to 1: a grey stays the same grey.
    assert MACHADO_2009[vision].sum(axis=1) == pytest.approx([1, 1, 1], abs=2e-3)
    # A dichromat's confusion pair is closer for them than for a normal viewer.
    pair = {
        "protanopia": ([200, 60, 60], [110, 110, 60]),  # red vs olive
        "deuteranopia": ([60, 160, 60], [170, 120, 60]),  # green vs brown
        "tritanopia": ([60, 60, 220], [40, 130, 130]),  # blue vs teal
    }[vision]
    normal = ciede2000(*seen_lab(pair, "normal"))
    deficient = ciede2000(*seen_lab(pair, vision))
    assert deficient < 0.6 * normal


# --- the palettes ------------------------------------------------------------------


def _symmetric_distances(name: str, vision: str) -> np.ndarray:
    """CIEDE2000 between stop i below zero and stop i above it (i = 1..5 of 11 stops)."""
    lab = seen_lab(np.array(colour_stops(signed=True, palette=name)), vision)
    return ciede2000(lab[:5], lab[::-1][:5])


@pytest.mark.parametrize("vision", VISIONS)
def test_safe_diverging_halves_stay_apart(vision):
    distances = _symmetric_distances(SAFE, vision)
    assert distances[0] > 35  # the two ends
    assert distances.min() > DISTINCT  # every pair, the pale ones next to zero too


@pytest.mark.parametrize("vision", ["protanopia", "deuteranopia"])
def test_standard_diverging_is_worse_for_red_green_deficiency(vision):
    # RdBu's pale blue and pale red next to zero come within DISTINCT for a red-green
    # deficient viewer (16.5 for a protanope), and its ends are closer than sunset's.
    standard = _symmetric_distances(STANDARD, vision)
    safe = _symmetric_distances(SAFE, vision)
    assert standard.min() < DISTINCT < safe.min()
    assert standard[0] < safe[0]


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("name", [STANDARD, SAFE])
def test_sequential_lightness_rises(name, vision):
    # At the 16 stops a reader can tell apart, lightness climbs at every one.
    lightness = seen_lab(PALETTES[name].sequential[::17], vision)[:, 0]
    assert np.all(np.diff(lightness) > 2.0)
    assert lightness[-1] - lightness[0] > 70


@pytest.mark.parametrize("vision", ["protanopia", "deuteranopia"])
def test_cividis_looks_the_same_to_red_green_deficient_viewers(vision):
    # The safe sequential map means the same colours to everyone (mean CIEDE2000 between
    # the normal and the simulated view 0.6-1.2); viridis shifts by about 16.
    def shift(name: str) -> float:
        lut = PALETTES[name].sequential
        return float(ciede2000(seen_lab(lut), seen_lab(lut, vision)).mean())

    assert shift(SAFE) < 2.0
    assert shift(STANDARD) > 10.0


# --- choosing a palette ------------------------------------------------------------


def test_palette_argument_and_source_choose_the_lut():
    values = np.array([[-2.0, 0.0, 2.0]], np.float32)
    safe = PALETTES[SAFE].diverging
    assert np.array_equal(signed_to_rgb(values, palette=SAFE)[0], safe[[0, 127, 254]])
    ramp = np.array([[0.0, 1.0]], np.float32)
    assert np.array_equal(
        unsigned_to_rgb(ramp, palette=SAFE)[0], PALETTES[SAFE].sequential[[0, 255]]
    )
    try:
        render.follow_palette(lambda: SAFE)
        assert np.array_equal(signed_to_rgb(values)[0], safe[[0, 127, 254]])
        assert colour_stops(signed=False, stops=2) == [
            tuple(int(v) for v in PALETTES[SAFE].sequential[i]) for i in (0, 255)
        ]
        render.follow_palette(lambda: "no such palette")
        assert render.current_palette() is PALETTES[STANDARD]
    finally:
        render.follow_palette(lambda: STANDARD)
    assert np.array_equal(signed_to_rgb(values)[0], PALETTES[STANDARD].diverging[[0, 127, 254]])
    assert not np.array_equal(safe[[0, 127, 254]], PALETTES[STANDARD].diverging[[0, 127, 254]])
