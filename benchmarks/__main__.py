"""`make bench`: every benchmark's table; exits 1 if a budget is exceeded.

python -m benchmarks            # all: conv2d, browser, memory (about 8 minutes)
python -m benchmarks conv       # just one (conv, model, browser or memory)
"""

from __future__ import annotations

import sys

from . import browser, conv, memory, model

BENCHMARKS = {
    "conv": conv.run,
    "model": model.run,
    "browser": browser.run,
    "memory": memory.run,
}


def main(argv: list[str]) -> int:
    chosen = argv or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    results = {}
    for name in chosen:
        results[name] = BENCHMARKS[name]()
        print()
    over = [name for name, ok in results.items() if not ok]
    print("all budgets met" if not over else f"over budget: {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
