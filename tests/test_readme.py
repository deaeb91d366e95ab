"""The README's Python is a contract: every ```python block runs as written, prints what
its comments say it prints, and the import block names the public API of
``../shared/DESIGN.md``."""

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
def test_readme_python_block_runs_as_written(index, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)  # as written, from any working directory
    exec(compile(BLOCKS[index], f"README block {index + 1}", "exec"), {"__name__": "readme"})
    printed = capsys.readouterr().out.splitlines()
    promised = promised_output(BLOCKS[index])
    assert len(printed) == len(promised)
    for line, expected in zip(printed, promised):
        if expected is not None:
            assert line == expected


def promised_output(block: str) -> list[str | None]:
    """For each ``print(...)`` in order, the output its comment promises: the comment on
    its line, or a comment line right below it (None: no promise)."""
    lines = block.splitlines()
    promised = []
    for number, line in enumerate(lines):
        if not line.strip().startswith("print("):
            continue
        if "  # " in line:
            promised.append(line.split("  # ", 1)[1])
        elif number + 1 < len(lines) and lines[number + 1].startswith("# "):
            promised.append(lines[number + 1][2:])
        else:
            promised.append(None)
    return promised


def test_the_promised_output_reader_reads_both_comment_places():
    block = "print(1)  # 1\nprint(2)\n# 2\nprint(3)\n"
    assert promised_output(block) == ["1", "2", None]
