"""The Training page tells the training speed only as measured: after a single step it
once said "0 steps per second" (a rate that had never been measured)."""

import re

from .conftest import assert_clean, run_app


def test_one_step_shows_the_rate_of_that_step():
    at = run_app("training")
    next(b for b in at.button if b.label == "Step once").click().run()
    assert_clean(at)
    status = next(m.value for m in at.markdown if "step 1," in m.value)
    rate = re.search(r"([\d.e+-]+) steps per second", status)
    assert rate is not None and float(rate.group(1)) > 0, status  # that step's own time
    assert "held-out accuracy" in status
