"""The Layer stack page through AppTest."""

import re

import numpy as np
import pytest

from cnn_core.stack import PRESETS

from .conftest import assert_clean, run_app


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_layer_stack_presets_show_every_layer(preset):
    at = run_app("layer_stack", layers=PRESETS[preset], res=128)
    assert_clean(at)
    headers = [h.value for h in at.header]  # level 2 under the title
    layers = PRESETS[preset].count(",") + 1
    assert sum(h.startswith("Layer ") for h in headers) == layers
    assert "Weights, layer by layer" in headers


def test_layer_stack_lenet_counts_weights_like_torch():
    at = run_app("layer_stack", layers=PRESETS["lenet"], res=128)
    text = captions(at)
    # 6 filters of 1 x 5 x 5 = 150 weights; 16 filters of 6 x 5 x 5 = 2,400.
    assert "150 weights" in text and "2,400 weights" in text
    assert "In all: 2,550 weights" in text


def test_layer_stack_preset_buttons_replace_the_stack():
    at = run_app("layer_stack", res=128)
    at.button(key="stack_preset_kirsch").click().run()
    assert_clean(at)
    assert at.query_params["layers"] in (PRESETS["kirsch"], [PRESETS["kirsch"]])
    # The preset pads its Kirsch layer by 1: the heading says so.
    headers = [h.value for h in at.header]  # level 2 under the title
    assert "Layer 1: Kirsch compass, 8 kernels (each map), padding 1" in headers


def test_layer_stack_rows_edit_the_stack():
    at = run_app("layer_stack", layers="act.relu", res=128)
    at.button(key="stack_add").click().run()
    assert_clean(at)
    assert at.query_params["layers"] in ("act.relu,act.relu", ["act.relu,act.relu"])
    kind = next(s for s in at.selectbox if s.label == "Layer 2")
    kind.set_value("pool").run()
    assert_clean(at)
    assert "pool.max.2" in str(at.query_params["layers"])


def test_layer_stack_bad_link_and_impossible_stack_are_explained():
    at = run_app("layer_stack", layers="conv.nonsense", res=128)
    assert_clean(at)
    assert any("`layers`" in w.value for w in at.warning)
    at = run_app("layer_stack", layers="pool.max.8,pool.max.8,pool.max.8", res=128)
    assert not at.exception
    assert any("Layer 3" in e.value and "No output" in e.value for e in at.error)


def test_layer_stack_fully_connected_comparison_matches_the_arithmetic():
    at = run_app("layer_stack", layers="rand.8.5.p2", res=128, sample="step_edge")
    text = captions(at)
    pixels = 128 * 128
    assert "200 weights" in text
    assert f"{pixels * 8 * pixels:,}" in text
    assert np.isclose(
        pixels * 8 * pixels / 200, float(text.split("(")[1].split(" times")[0].replace(",", ""))
    )


def test_layer_stack_shows_the_lecture_notes_examples():
    at = run_app("layer_stack")
    assert_clean(at)
    table = next(frame.value for frame in at.dataframe if "ratio" in frame.value.columns)
    assert list(table["fully connected"]) == ["2,097,160", "3,200,000,000"]
    assert list(table["convolution"]) == ["200", "12,800"]
    assert list(table["ratio"]) == ["10,486 x", "250,000 x"]


def test_layer_stack_printed_weight_products_hold_and_read_well():
    at = run_app("layer_stack", layers="kirsch.p1,rand.4.3.p1,conv.sobel_x", res=128)
    assert_clean(at)
    text = captions(at)
    products = re.findall(r"(\d+) kernels? x (\d+) maps? x (\d+) x (\d+) = ([\d,]+) weights", text)
    # Kirsch: 8 kernels on 1 map; random: 4 filters over 8 maps; Sobel: 1 kernel on 4 maps.
    assert [tuple(map(int, p[:4])) for p in products] == [(8, 1, 3, 3), (4, 8, 3, 3), (1, 4, 3, 3)]
    for *factors, total in products:
        assert np.prod([int(f) for f in factors]) == int(total.replace(",", ""))
    assert "8 kernels x 1 map x" in text and "1 kernel x 4 maps x" in text
