"""The README's Python is a contract: every ```python block runs as written, and the
import block names the public API of ``../shared/DESIGN.md``."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
PUBLIC_API = ("conv2d", "pool2d", "conv_output_size", "receptive_field", "load_image")


def test_readme_has_python_examples_naming_the_whole_public_api():
    assert BLOCKS, "the README shows the public API in a ```python block"
    code = "\n".join(BLOCKS)
    for name in (*PUBLIC_API, "ImageError", "KERNELS", "predict_digit", "digit_activations"):
        assert name in code, name
    for name in PUBLIC_API:
        assert re.search(rf"\b{name}\(", code), f"the README calls {name}"


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_python_block_runs_as_written(index, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    exec(compile(BLOCKS[index], f"README block {index + 1}", "exec"), {"__name__": "readme"})
