"""The Your model page offline: a named architecture's random weights are the same in
every session (drawn from one seed), so two students, the teacher and the projector see
the same answer and the same maps for the same settings; the page says so."""

import pytest
import torch

from .conftest import assert_clean, described_pictures, run_app

pytestmark = pytest.mark.usefixtures("no_pretrained_weights")


def test_two_sessions_see_the_same_maps_of_a_model_with_random_weights():
    torch.manual_seed(1)
    first = run_app("your_model", res=128)
    torch.manual_seed(2)  # whatever the server's random state, the weights are the same
    second = run_app("your_model", res=128)
    for at in (first, second):
        assert_clean(at)
    note = " ".join(c.value for c in first.caption)
    assert "resnet18 with random weights" in note
    assert "fixed (drawn from the same seed everywhere)" in note
    # The text alternative of every picture gives its size, range and extremes in numbers.
    maps = described_pictures(first)
    assert len(maps) >= 5
    assert maps == described_pictures(second)
    answers = [
        [m.value for m in at.markdown if m.value.startswith("## ")] for at in (first, second)
    ]
    assert answers[0] and answers[0] == answers[1]
