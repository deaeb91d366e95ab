"""`make bench`: every benchmark's table; exits 1 if a budget is exceeded.

python -m benchmarks            # all of them (about half an hour)
python -m benchmarks conv       # just one (conv, model, browser, startup, memory,
                                # training, real_networks, own_model, load, burst,
                                # busy_class, camera, class_follow)
python -m benchmarks load --sessions 4 8 --seconds 20   # one, with its own options
python -m benchmarks first_paint_ab HEAD~1 HEAD   # not in `make bench`: two versions' first paint
"""

from __future__ import annotations

import sys

from . import (
    browser,
    burst,
    busy_class,
    camera,
    class_follow,
    conv,
    first_paint_ab,
    load,
    memory,
    model,
    own_model,
    real_networks,
    startup,
    training,
)

BENCHMARKS = {
    "conv": conv.run,
    "model": model.run,
    "browser": browser.run,
    "startup": startup.run,
    "memory": memory.run,
    "training": training.run,
    "real_networks": real_networks.run,
    "own_model": own_model.run,
    "load": load.run,
    "burst": burst.run,
    "busy_class": busy_class.run,
    "camera": camera.run,
    "class_follow": class_follow.run,
}
# Those that take arguments; first_paint_ab (a tool, not a budget) runs only by name.
WITH_OPTIONS = {
    "load": load.run,
    "burst": burst.run,
    "busy_class": busy_class.run,
    "camera": camera.run,
    "class_follow": class_follow.run,
    "first_paint_ab": first_paint_ab.run,
}


def main(argv: list[str]) -> int:
    if argv and argv[0] in WITH_OPTIONS and (len(argv) > 1 or argv[0] not in BENCHMARKS):
        return 0 if WITH_OPTIONS[argv[0]](argv[1:]) else 1
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
