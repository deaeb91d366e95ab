"""Interleaved median timing: each candidate runs in turn, so machine noise hits all alike."""

from __future__ import annotations

import time
from collections.abc import Callable


def compare(candidates: dict[str, Callable[[], object]], *, repeats: int = 30) -> dict[str, float]:
    """Median seconds per call of each candidate, measured round-robin after a warm-up."""
    for run in candidates.values():
        run()
        run()
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(repeats):
        for name, run in candidates.items():
            start = time.perf_counter()
            run()
            samples[name].append(time.perf_counter() - start)
    return {name: sorted(values)[len(values) // 2] for name, values in samples.items()}


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])
