"""Benchmark results written as JSON under benchmarks/results/, with the machine that made
them: ``<name>-<date and time>.json``."""

from __future__ import annotations

import datetime
import json
import os
import platform
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def save_results(name: str, records: dict) -> Path:
    """Write ``records`` (JSON-ready lists and values) next to the machine's description."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{datetime.datetime.now():%Y-%m-%dT%H%M}.json"
    machine = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    path.write_text(json.dumps({"machine": machine, **records}, indent=1))
    return path
