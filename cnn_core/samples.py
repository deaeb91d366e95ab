"""Where the shipped sample pictures live (public files: photos, a digit, test patterns),
so code that opens one works from any working directory."""

from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "assets" / "samples"
