"""Download the trained weights of the real networks ahead of a class:

    python -m cnn_core.nn.networks fetch alexnet vgg16 resnet18 mobilenet_v3_small

With no names, every network's weights; progress on stderr, exit status 1 when any
download failed (its message says what to do).
"""

from __future__ import annotations

import argparse
import sys

from .network_weights import WeightsUnavailable, download_weights
from .networks import NETWORKS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cnn_core.nn.networks",
        description="Download the trained weights of the real networks into torch's cache.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    fetch = commands.add_parser("fetch", help="download weights ahead of a class")
    fetch.add_argument("names", nargs="*", help=f"any of {', '.join(NETWORKS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in NETWORKS]
    if unknown:
        parser.error(f"unknown network {', '.join(unknown)}; choose from {', '.join(NETWORKS)}")
    failed = 0
    for name in args.names or list(NETWORKS):

        def report(done: int, total: int, name=name) -> None:
            share = f"{done / total:5.1%}" if total else f"{done / 1e6:.0f} MB"
            sys.stderr.write(f"\r{name}: {share}")

        try:
            path = download_weights(name, report)
            sys.stderr.write(f"\r{name}: {path} ({path.stat().st_size / 1e6:.0f} MB)\n")
        except WeightsUnavailable as error:
            sys.stderr.write(f"\r{error}\n")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
