"""The Receptive field page through AppTest."""

import json
import re

import pytest

from cnn_core.receptive_field import GEOMETRY_PRESETS

from ..printed_arithmetic import check_printed
from .conftest import assert_clean, run_app


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


@pytest.mark.parametrize("preset", sorted(GEOMETRY_PRESETS))
def test_receptive_field_presets_render_with_their_table(preset):
    at = run_app("receptive_field", layers=GEOMETRY_PRESETS[preset], res=256)
    assert_clean(at)
    assert at.dataframe, "the size/jump/start table is shown"
    assert "Theoretical field of unit" in captions(at)


def test_receptive_field_vgg16_last_layer_is_212_pixels():
    at = run_app("receptive_field", layers=GEOMETRY_PRESETS["vgg16"], res=512, sample="coffee")
    table = next(d.value for d in at.dataframe if "field size" in d.value.columns)
    last = table.iloc[-1]
    assert (last["field size"], last["jump"], last["start"]) == (212, 32, -90)
    assert "212 x 212 pixels" in captions(at)


def test_receptive_field_picking_a_unit_moves_its_box():
    at = run_app("receptive_field", layers="c3p1,c3p1,c3p1", res=128, sample="step_edge")
    at.number_input(key="rf_row").set_value(10).run()
    at.number_input(key="rf_col").set_value(20).run()
    assert_clean(at)
    # Three 3x3 convs with padding 1: field 7, start -3, so unit (10, 20) sees rows 7..13.
    assert "rows 7 to 13, columns 17 to 23 (7 x 7 pixels)" in captions(at)
    # The picture says the same box in its text alternative.
    alts = [json.loads(e.proto.json or "{}").get("alt", "") for e in at.get("bidi_component")]
    assert (
        "Input with the field of unit (10, 20) boxed: rows 7 to 13, columns 17 to 23 "
        "(7 x 7 pixels)" in alts
    )


def test_receptive_field_effective_share_is_concentrated():
    at = run_app("receptive_field", layers=GEOMETRY_PRESETS["dilated"], res=128)
    share = float(re.search(r"holds (\d+)% of it", captions(at)).group(1))
    assert share > 25  # a flat field would put 25% in its middle quarter


def test_receptive_field_random_weights_and_bad_links():
    at = run_app("receptive_field", weights="random", seed=3, res=128)
    assert_clean(at)
    at = run_app("receptive_field", layers="c99,zzz", res=128)
    assert_clean(at)
    assert any("`layers`" in w.value for w in at.warning)


def test_receptive_field_layers_that_do_not_fit_are_left_out_of_the_unit_picker():
    layers = ",".join(["c15"] * 10)
    at = run_app("receptive_field", layers=layers, res=128, sample="step_edge")
    assert_clean(at)
    # 128 pixels lose 14 per layer: layer 9 still has 2, layer 10 has none.
    assert at.selectbox(key="rf_layer").options[-1] == "9"
    table = next(d.value for d in at.dataframe if "field size" in d.value.columns)
    assert table.iloc[-1]["output on this image"] == "0 x 0"


def test_receptive_field_no_layer_fitting_is_explained(tmp_path):
    from PIL import Image

    path = tmp_path / "tiny.png"
    Image.new("RGB", (6, 6), (50, 90, 10)).save(path)
    at = run_app("receptive_field", layers="c7,c3")
    at.radio(key="rf_source").set_value("Upload").run()
    at.file_uploader(key="rf_upload").set_value(("tiny.png", path.read_bytes(), "image/png"))
    at.run()
    assert not at.exception
    assert any("No layer has any output" in e.value for e in at.error)


@pytest.mark.parametrize("value", ["-5", "4096", "ten"])
def test_receptive_field_bad_unit_position_in_a_link_is_named_plainly(value):
    at = run_app("receptive_field", row=value, res=128)
    assert_clean(at)
    notice = " ".join(w.value for w in at.warning)
    assert "`row` must be a pixel position, a whole number from 0 to 4095" in notice
    assert "-1" not in notice


def test_receptive_field_a_preset_selects_its_last_layer():
    """Choosing VGG-16 after the 6-layer default shows VGG-16's last layer (18), not the
    previous preset's layer 6 (which would explain VGG's second pooling layer)."""
    at = run_app("receptive_field", res=256)
    at.selectbox(key="rf_layer").set_value(6).run()
    at.button(key="rf_preset_vgg16").click().run()
    assert_clean(at)
    assert at.selectbox(key="rf_layer").value == 18
    assert "212 x 212 pixels" in captions(at)


def test_receptive_field_printed_update_rules_evaluate_to_the_table():
    at = run_app("receptive_field", layers="c5p2,m2,c3p2d2", res=128)
    assert_clean(at)
    block = next(h.value for h in at.get("html") if "cs-formula" in h.value)
    lines = re.findall(r"<div>(.*?)</div>", block)[:3]
    # Layer 3: r = 6 + (5 - 1)·2 = 14, j = 2·1 = 2, start = -2 - 2·2 = -6 (worked by hand).
    assert [check_printed(line) for line in lines] == [14, 2, -6]
    table = next(d.value for d in at.dataframe if "field size" in d.value.columns)
    assert tuple(table.iloc[-1][["field size", "jump", "start"]]) == (14, 2, -6)
