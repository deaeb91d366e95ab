"""Receptive fields: the Distill formulas, VGG-16, and the gradient's real footprint."""

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnn_core.layers import Layer
from cnn_core.nn.erf import effective_receptive_field
from cnn_core.nn.stack_torch import layers_to_torch
from cnn_core.receptive_field import (
    VGG16,
    ReceptiveField,
    receptive_field,
    receptive_field_steps,
)


def test_receptive_field_vgg16_after_pool5_is_212_with_jump_32():
    last = receptive_field(VGG16)[-1]
    assert (last.size, last.jump) == (212, 32)
    # Five paddings of 1 at jumps 1, 2, 4, 8, 16 (x2 or x3 layers each) push the start left.
    assert last.start == -(2 * 1 + 2 * 2 + 3 * 4 + 3 * 8 + 3 * 16)


def test_receptive_field_lecture_example_conv5_pool2_doubles_roughly():
    """Grosse: 5x5 filters with stride-2 pooling give ~5, ~10, ~20 pixel fields."""
    layers = [{"kernel": 5}, {"kernel": 2, "stride": 2}] * 3
    sizes = [f.size for f in receptive_field(layers)]
    assert sizes[0] == 5 and sizes[2] == 14 and sizes[4] == 32


def test_receptive_field_three_3x3_convs_equal_one_7x7():
    """VGG's insight: stacked 3x3 convolutions see as far as one larger kernel."""
    assert receptive_field([{"kernel": 3}] * 3)[-1].size == receptive_field([{"kernel": 7}])[0].size


def test_receptive_field_dilation_widens_without_more_weights():
    fields = receptive_field([{"kernel": 3, "dilation": d} for d in (1, 2, 4)])
    assert [f.size for f in fields] == [3, 7, 15]


def test_receptive_field_ignores_other_keys_such_as_a_layer_kind():
    plain = receptive_field([{"kernel": 3}, {"kernel": 2, "stride": 2}])
    named = receptive_field(
        [{"kernel": 3, "name": "conv"}, {"kernel": 2, "stride": 2, "pool": "max"}]
    )
    assert plain == named


def test_receptive_field_box_of_a_unit():
    field = ReceptiveField(size=5, jump=2, start=-1)
    assert field.box(0) == (-1, 3) and field.box(3) == (5, 9) and field.centre(3) == 7.0


@pytest.mark.parametrize(
    "layers, match",
    [
        ([{"kernel": 0}], "kernel must be at least 1"),
        ([{"stride": 1.5}], "stride must be an integer"),
        ([3], "must be a mapping"),
    ],
)
def test_receptive_field_rejects_bad_layers(layers, match):
    with pytest.raises(ValueError, match=match):
        receptive_field(layers)


@st.composite
def stacks(draw):
    """Convolutions (one filter, any dilation) and average pools, as the page builds them."""
    layers = []
    for _ in range(draw(st.integers(1, 4))):
        kernel = draw(st.integers(1, 4))
        stride = draw(st.integers(1, 3))
        padding = draw(st.integers(0, kernel // 2))
        if draw(st.booleans()):
            layers.append(Layer("pool", "avg", size=kernel, stride=stride, padding=padding))
        else:
            dilation = draw(st.integers(1, 3))
            layers.append(
                Layer("rand", size=kernel, stride=stride, padding=padding, dilation=dilation)
            )
    return layers


def _field(layers):
    return receptive_field([layer.geometry() for layer in layers])[-1]


@settings(max_examples=80, deadline=None)
@given(stacks(), st.data())
def test_gradient_footprint_equals_the_theoretical_box(layers, data):
    """With all weights positive, a unit's input gradient is non-zero across its whole
    theoretical field: the bounding box of the gradient is exactly the field. For units
    whose field reaches past the image edge, the gradient stays inside the clipped field
    (its first in-image pixel may fall in a dilation gap, so equality is not required),
    or is zero when every tap lands in the padding."""
    height, width = 40, 43
    model = layers_to_torch(layers, 1, uniform=True)
    try:
        with torch.no_grad():
            out = model(torch.zeros(1, 1, height, width))
    except RuntimeError:
        assume(False)  # the layers leave no output on this image
    field = _field(layers)
    row = data.draw(st.integers(0, out.shape[2] - 1))
    col = data.draw(st.integers(0, out.shape[3] - 1))
    image = np.random.default_rng(0).random((height, width)).astype(np.float32)
    gradient = effective_receptive_field(model, image, (0, row, col))
    rows = np.flatnonzero(gradient.any(axis=1))
    cols = np.flatnonzero(gradient.any(axis=0))
    (top, bottom), (left, right) = field.box(row), field.box(col)
    inside = top >= 0 and left >= 0 and bottom < height and right < width
    if inside:
        assert (rows.min(), rows.max(), cols.min(), cols.max()) == (top, bottom, left, right)
    elif rows.size:  # every tap of a unit may fall in the padding: then no gradient at all
        assert rows.min() >= max(top, 0) and rows.max() <= min(bottom, height - 1)
        assert cols.min() >= max(left, 0) and cols.max() <= min(right, width - 1)


def test_effective_field_is_smaller_than_the_theoretical_one_and_peaks_in_the_middle():
    layers = [Layer("rand", size=3, padding=1)] * 8
    model = layers_to_torch(layers, 1, uniform=True)
    gradient = effective_receptive_field(model, np.ones((41, 41), np.float32), (0, 20, 20))
    profile = gradient[20] / gradient[20].max()
    assert profile.argmax() == 20
    assert _field(layers).size == 17
    # The theoretical field is 17 wide, but the rim pixels carry a tiny share of the weight.
    assert profile[20 - 8] < 0.01 and profile[20 - 2] > 0.5


def test_receptive_field_steps_follow_the_three_rules_by_hand():
    # conv 5x5 pad 2, then max pool 2 stride 2, then conv 3x3 dilation 2 pad 2:
    # r: 1 + 4*1 = 5, 5 + 1*1 = 6, 6 + (5 - 1)*2 = 14; j: 1, 2, 2; start: -2, -2, -2 - 2*2 = -6.
    steps = receptive_field_steps(
        [{"kernel": 5, "padding": 2}, {"kernel": 2, "stride": 2}, {"dilation": 2, "padding": 2}]
    )
    assert [(s.after.size, s.after.jump, s.after.start) for s in steps] == [
        (5, 1, -2),
        (6, 2, -2),
        (14, 2, -6),
    ]
    third = steps[2]
    assert (third.before.size, third.span, third.before.jump) == (6, 5, 2)
