"""Captions name the colours of the palette in use, from the palette's own words, and say
the sign in words and numbers too: under the colour-vision-safe palette (sunset: dark blue,
pale yellow at zero, dark red) the Training and Digit network captions once named the
standard map's colours (white at zero) or left zero's colour out."""

import re

import numpy as np
import pytest

from .conftest import assert_clean, run_app

# The words, as cnn_core.render's palettes define them (Tol's sunset, RdBu; cividis, viridis).
WORDS = {
    "safe": (
        "dark blue below zero (-), pale yellow at zero, dark red above zero (+)",
        "dark blue low to yellow high",
    ),
    "standard": (
        "dark blue below zero (-), white at zero, dark red above zero (+)",
        "dark purple low to yellow high",
    ),
}


def _texts(at) -> str:
    return " ".join([m.value for m in at.markdown] + [h.proto.body for h in at.get("html")])


def _step_once(palette: str):
    at = run_app("training", palette=palette)
    next(b for b in at.button if b.label == "Step once").click().run()
    assert_clean(at)
    return at


@pytest.mark.parametrize("palette", ["safe", "standard"])
def test_training_kernels_caption_names_the_palettes_colours(palette):
    at = _step_once(palette)
    heading = next(m.value for m in at.markdown if "First-layer kernels" in m.value)
    assert WORDS[palette][0] in heading
    other = "white" if palette == "safe" else "pale yellow"
    assert other not in heading


def test_training_kernels_carry_their_sign_in_numbers():
    at = _step_once("safe")
    kernels = at.session_state["train_run"][0].snapshot().kernels[:, 0]
    bar = next(
        h.proto.body for h in at.get("html") if "All the kernels on one scale" in h.proto.body
    )
    # the shared scale: its ends with their signs, named in the safe palette's words
    scale = re.search(r"dark blue -([\d.]+), pale yellow 0, dark red \+([\d.]+)", bar)
    low, high = re.search(r"values from (-?[\d.]+) to (-?[\d.]+)\.", bar).groups()
    limit = np.abs(kernels).max()
    assert float(scale.group(1)) == float(scale.group(2)) == pytest.approx(limit, abs=5e-4)
    assert float(low) == pytest.approx(kernels[:16].min(), abs=5e-4)
    assert float(high) == pytest.approx(kernels[:16].max(), abs=5e-4)
    assert float(low) < 0 < float(high)  # fresh kernels have both signs


@pytest.mark.parametrize("palette", ["safe", "standard"])
def test_digit_network_caption_names_the_palettes_colours(palette):
    at = run_app("network", palette=palette)
    assert_clean(at)
    signed, unsigned = WORDS[palette]
    assert f"Colours: {signed} (conv layers); {unsigned} for values" in _texts(at)
