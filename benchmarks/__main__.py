"""Run every benchmark and print its table; exit 1 if a budget is exceeded."""

from __future__ import annotations

import sys

from . import browser, conv


def main() -> int:
    results = {"conv2d": conv.run()}
    print()
    results["browser"] = browser.run()
    print()
    over = [name for name, ok in results.items() if not ok]
    print("all budgets met" if not over else f"over budget: {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
