"""The pages that need no PyTorch never load it, so a server that has served only them
starts fast and stays small (PyTorch is ~800 MB resident and seconds to import).

Run in a fresh interpreter: the test process itself has imported torch long ago."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.app_pages import registry

ROOT = Path(__file__).resolve().parents[2]

# Every page the registry does not mark as needing PyTorch (Convolution is the start page).
TORCH_FREE = [page.script for page in registry.PAGES if not page.needs_torch and not page.default]

SCRIPT = """
import sys
from streamlit.testing.v1 import AppTest

at = AppTest.from_file(sys.argv[1], default_timeout=120)
at.run()
seen = ["convolution" if "torch" in sys.modules else ""]
for page in sys.argv[2:]:
    at.switch_page(page).run()
    assert not at.exception, (page, at.exception)
    if "torch" in sys.modules:
        seen.append(page)
print("TORCH:" + ",".join(p for p in seen if p))
# The check can see torch: a page that needs it loads it.
at.switch_page("app_pages/networks/network.py").run()
print("NETWORK LOADS TORCH:", "torch" in sys.modules)
"""


def test_the_pages_that_need_no_pytorch_never_load_it():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT / "app" / "streamlit_app.py"), *TORCH_FREE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "TORCH:\n" in result.stdout, result.stdout
    assert "NETWORK LOADS TORCH: True" in result.stdout
