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


def verdict(ratio: float, budget: float) -> str:
    return f"<= {budget} ok" if ratio <= budget else f"> {budget} OVER"


def budget_rows(
    results: dict[str, tuple[float, float, float]], number: str
) -> tuple[list[list[str]], bool]:
    """Table rows (case, ours, reference, ratio, verdict) from ``(ours, reference, budget)``
    per case, the figures formatted with ``number`` (e.g. ``"{:.0f}"``); and whether every
    case is within its budget."""
    rows, within = [], True
    for label, (ours, reference, budget) in results.items():
        ratio = ours / reference
        within &= ratio <= budget
        rows.append(
            [
                label,
                number.format(ours),
                number.format(reference),
                f"{ratio:.2f}",
                verdict(ratio, budget),
            ]
        )
    return rows, within
