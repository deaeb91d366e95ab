"""The first-paint comparison tool: each version runs its own code, and a short run gives
every version and the bare page a time (speed itself is for the benchmarks)."""

from __future__ import annotations

import concurrent.futures
import math
import os
import subprocess
import sys

import pytest

from benchmarks import first_paint_ab

from .conftest import ROOT

WHERE = "import app, cnn_core; print(app.__file__); print(cnn_core.__file__)"


def _imported_from(env: dict, folder) -> list[str]:
    """Where ``app`` and ``cnn_core`` come from for a script in ``folder/app``, as for the
    app's own script under ``streamlit run`` (its folder, not the repository, leads
    ``sys.path``)."""
    script = folder / "app" / "_where.py"
    script.write_text(WHERE)
    found = subprocess.run(
        [sys.executable, str(script)], cwd=folder, env=env, capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr
    return found.stdout.split()


def test_a_checked_out_version_imports_its_own_packages_and_is_removed_after():
    with first_paint_ab.checkouts(["HEAD"]) as found:
        ((name, folder),) = found
        assert name == "HEAD" and (folder / "app" / "streamlit_app.py").exists()
        env = {**os.environ, **first_paint_ab.version_env(folder)}
        assert all(path.startswith(str(folder)) for path in _imported_from(env, folder))
        # Why the tool sets it: the editable install serves this tree to any folder.
        plain = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        assert all(path.startswith(str(ROOT)) for path in _imported_from(plain, folder))
    assert not folder.exists()
    listed = subprocess.run(["git", "worktree", "list"], cwd=ROOT, capture_output=True, text=True)
    assert str(folder) not in listed.stdout


@pytest.mark.browser
def test_one_round_times_every_version_and_the_bare_page(browser):
    # The tool's own sync Playwright runs in another thread, as in the load test.
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        times = worker.submit(first_paint_ab.measure, ["HEAD", str(ROOT)], 1, "").result()
    assert list(times) == ["HEAD", str(ROOT), "bare page"]
    for pairs in times.values():
        ((painted, drawn),) = pairs
        assert math.isfinite(painted) and 0 < painted <= drawn < painted + 60
    lines = first_paint_ab.report(times).splitlines()
    assert len(lines) == 2 + 3 and lines[-1].startswith("bare page")
