"""A tiny ImageFolder of synthetic shapes for training tests: three classes (circle,
square, triangle), drawn at random sizes, places and colours on plain backgrounds."""

from pathlib import Path

import cv2
import numpy as np

CLASSES = ("circle", "square", "triangle")


def draw_shape(kind: str, rng: np.random.Generator, side: int = 48) -> np.ndarray:
    background = rng.integers(0, 90, 3)
    picture = np.full((side, side, 3), background, np.uint8)
    colour = tuple(int(v) for v in rng.integers(150, 256, 3))
    size = int(rng.integers(side // 5, side // 3))
    cx, cy = (int(v) for v in rng.integers(size + 2, side - size - 2, 2))
    if kind == "circle":
        cv2.circle(picture, (cx, cy), size, colour, -1)
    elif kind == "square":
        cv2.rectangle(picture, (cx - size, cy - size), (cx + size, cy + size), colour, -1)
    else:
        points = np.array([[cx, cy - size], [cx - size, cy + size], [cx + size, cy + size]])
        cv2.fillPoly(picture, [points.astype(np.int32)], colour)
    return picture


def make_shapes_folder(root: Path, per_class: int = 20, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    for kind in CLASSES:
        folder = root / kind
        folder.mkdir(parents=True, exist_ok=True)
        for index in range(per_class):
            cv2.imwrite(str(folder / f"{index:03d}.png"), draw_shape(kind, rng)[..., ::-1])
    return root
